"""How the Verilator tests run: images per network and what a missing tool means.

``$QNN_RTL_IMAGES``: MNIST test images per simulated network (default
:data:`DEFAULT_RTL_IMAGES`, as CI runs them; ``all`` for the 10 000). ``$QNN_RTL_REQUIRED=1``
(CI): a missing Verilator, Yosys or Icarus fails the tests instead of skipping them.
"""
from __future__ import absolute_import

import os

import pytest

RTL_IMAGES_ENV = 'QNN_RTL_IMAGES'
RTL_REQUIRED_ENV = 'QNN_RTL_REQUIRED'
#: Enough images to reach every output level of the test networks, few enough for every CI run.
DEFAULT_RTL_IMAGES = 200
N_MNIST_TEST = 10000


def rtl_image_count(value):
    """Images per simulated network from the text of ``$QNN_RTL_IMAGES``."""
    text = (value or '').strip().lower()
    if not text:
        return DEFAULT_RTL_IMAGES
    if text == 'all':
        return N_MNIST_TEST
    if not text.isdigit() or not 1 <= int(text) <= N_MNIST_TEST:
        raise pytest.UsageError('$%s=%s: expected 1..%d or all'
                                % (RTL_IMAGES_ENV, value, N_MNIST_TEST))
    return int(text)


def missing_tool(reason):
    """Skip, or fail where the RTL tools are required ($QNN_RTL_REQUIRED, CI)."""
    if os.environ.get(RTL_REQUIRED_ENV, '') not in ('', '0'):
        pytest.fail('$%s is set but %s' % (RTL_REQUIRED_ENV, reason), pytrace=False)
    pytest.skip(reason)
