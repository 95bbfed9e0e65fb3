"""Fixtures of the synthesis tests: the Yosys to run and one synthesis per test module.

Every test that uses ``yosys`` carries the ``synth`` marker (``pytest -m synth``).
"""
from __future__ import absolute_import

import pytest

from hwgen.synth import SynthesisError, YosysNotFound, synthesize, yosys_version
from hwgen.synth.yosys import find_yosys

from synth_settings import data_file, missing_yosys


def pytest_configure(config):
    config.addinivalue_line('markers', 'synth: runs Yosys (make synth-tools; '
                            '$QNN_SYNTH_REQUIRED=1 fails instead of skipping without it)')


def pytest_collection_modifyitems(config, items):
    for item in items:
        if 'yosys' in getattr(item, 'fixturenames', ()):
            item.add_marker(pytest.mark.synth)


@pytest.fixture(scope='session')
def yosys():
    """The Yosys executable (skip, or fail under $QNN_SYNTH_REQUIRED, if there is none)."""
    try:
        executable = find_yosys()
        yosys_version(executable)
    except (YosysNotFound, SynthesisError) as error:
        missing_yosys(str(error))
    return executable


@pytest.fixture(scope='session')
def synthesised(yosys):
    """``synthesised(source, top, parameters=None, dsp=True)``: one Yosys run per argument set."""
    cache = {}

    def run(source, top, parameters=None, dsp=True):
        key = (source, top, tuple(sorted((parameters or {}).items())), dsp)
        if key not in cache:
            cache[key] = synthesize([data_file(source)], top, parameters, yosys=yosys, dsp=dsp)
        return cache[key]
    return run
