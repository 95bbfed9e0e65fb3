"""What a missing Yosys means to the synthesis tests.

``$QNN_SYNTH_REQUIRED=1`` (CI, after ``make synth-tools``): a missing or broken Yosys fails the
tests that need it; otherwise they are skipped with the reason.
"""
from __future__ import absolute_import

import os

import pytest

SYNTH_REQUIRED_ENV = 'QNN_SYNTH_REQUIRED'
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def missing_yosys(reason):
    """Skip, or fail where synthesis is required ($QNN_SYNTH_REQUIRED, CI)."""
    if os.environ.get(SYNTH_REQUIRED_ENV, '') not in ('', '0'):
        pytest.fail('$%s is set but %s' % (SYNTH_REQUIRED_ENV, reason), pytrace=False)
    pytest.skip(reason)


def data_file(name):
    """A file of ``tests/hwgen/synth/data``."""
    return os.path.join(DATA, name)
