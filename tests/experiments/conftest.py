"""Fixtures for the experiments tests."""
from __future__ import absolute_import, division

import pytest

from experiments import plan
from qnn.study import plan_runs
from fakes import write_fake_run


def _write_study(study_dir, overrides, bits=(1, 2, 4), budgets=(1, 3), epoch_gain=0.01):
    """Error falls with W, A and epochs: 10 % - 1 pp per W bit - 0.2 pp per A bit - epoch_gain
    per epoch."""
    settings = plan.load_or_create_study(study_dir, overrides)
    for spec in plan_runs(list(bits), list(bits), list(budgets), [7]):
        final = 0.10 - 0.01 * spec.wbits - 0.002 * spec.abits - epoch_gain * spec.epochs
        write_fake_run(study_dir, spec, [final + epoch_gain * (spec.epochs - i - 1)
                                         for i in range(spec.epochs)], settings)
    return study_dir


@pytest.fixture
def fake_study(tmpdir):
    """A study with W, A in 1, 2, 4 and budgets 1, 3 on 1 000 training images."""
    return _write_study(str(tmpdir.join('study')), {'train_size': 1000})


@pytest.fixture
def full_study(tmpdir):
    """The same grid on the whole training set."""
    return _write_study(str(tmpdir.join('full')), {})


@pytest.fixture
def full_early_study(tmpdir):
    """W, A in 1, 2, 4 at 10 and 20 epochs on the whole training set."""
    return _write_study(str(tmpdir.join('early')), {}, budgets=(10, 20), epoch_gain=0.001)


@pytest.fixture
def full_grid_study(tmpdir):
    """All 64 networks (W, A in 1..8), one epoch each."""
    return _write_study(str(tmpdir.join('grid')), {}, bits=range(1, 9), budgets=(1,))


@pytest.fixture
def full_long_study(tmpdir):
    """W, A in 1, 2 at the paper's longest budget, 100 epochs, on the whole training set:
    test errors 3.80 (W1A1), 3.60 (W1A2), 2.80 (W2A1), 2.60 % (W2A2)."""
    return _write_study(str(tmpdir.join('long')), {}, bits=(1, 2), budgets=(100,),
                        epoch_gain=0.0005)
