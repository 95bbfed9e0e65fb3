"""Fixtures for the experiments tests."""
from __future__ import absolute_import, division

import pytest

from experiments import plan
from fakes import write_fake_run


@pytest.fixture
def fake_study(tmpdir):
    """A study with W, A in 1, 2, 4 and budgets 1, 3: error falls with W, A and epochs."""
    study_dir = str(tmpdir.join('study'))
    settings = plan.load_or_create_study(study_dir, {'train_size': 1000})
    for spec in plan.plan_runs([1, 2, 4], [1, 2, 4], [1, 3], [7]):
        final = 0.10 - 0.01 * spec.wbits - 0.002 * spec.abits - 0.01 * spec.epochs
        write_fake_run(study_dir, spec, [final + 0.01 * (spec.epochs - i - 1)
                                         for i in range(spec.epochs)], settings)
    return study_dir
