"""How the C-simulation tests run: images per network and what a missing toolchain means.

``$QNN_CSIM_IMAGES``: MNIST test images per simulated network (a few hundred by default, as CI
runs them; ``all`` for the 10 000 of ``make test-csim-full``). ``$QNN_CSIM_REQUIRED=1`` (CI,
``make test-csim``): a missing finn-hlslib, ap_types or g++ fails the tests instead of skipping.
"""
from __future__ import absolute_import

import os

import pytest

CSIM_IMAGES_ENV = 'QNN_CSIM_IMAGES'
CSIM_REQUIRED_ENV = 'QNN_CSIM_REQUIRED'
#: Images per simulated network unless $QNN_CSIM_IMAGES says otherwise: enough to reach every
#: output level of the random networks, small enough for every CI run.
DEFAULT_CSIM_IMAGES = 200
N_MNIST_TEST = 10000


def csim_image_count(value):
    """Images per simulated network from the text of ``$QNN_CSIM_IMAGES``.

    ``''`` gives :data:`DEFAULT_CSIM_IMAGES`, ``'all'`` the 10 000 MNIST test images.
    """
    text = (value or '').strip().lower()
    if not text:
        return DEFAULT_CSIM_IMAGES
    if text == 'all':
        return N_MNIST_TEST
    if not text.isdigit() or not 1 <= int(text) <= N_MNIST_TEST:
        raise pytest.UsageError('$%s=%s: expected 1..%d or all'
                                % (CSIM_IMAGES_ENV, value, N_MNIST_TEST))
    return int(text)


def missing_toolchain(reason):
    """Skip, or fail where the C simulation is required ($QNN_CSIM_REQUIRED, CI)."""
    if os.environ.get(CSIM_REQUIRED_ENV, '') not in ('', '0'):
        pytest.fail('$%s is set but %s' % (CSIM_REQUIRED_ENV, reason), pytrace=False)
    pytest.skip(reason)
