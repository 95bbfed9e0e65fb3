"""Fixtures of the Brevitas comparison tests (run by ``make test-brevitas``).

These tests need PyTorch and Brevitas, which live only in ``.venv-brevitas/``. In any other
environment (the modern and paper stacks of ``make test``, Python 2.7 included) this folder is
left out of collection, so its test files may use Python 3 only syntax.

Cross-checks against qnn's own (Theano-stack) code run qnn in a child process (see
``brevitas_helpers.py``).
"""
from __future__ import absolute_import

import json

import pytest

try:  # pragma: no cover - depends on the environment
    import torch  # first: tests/brevitas itself can pass for a namespace package "brevitas"
    import brevitas
    BREVITAS_VERSIONS = (brevitas.__version__, torch.__version__)
except ImportError:
    collect_ignore_glob = ['*.py']


_QNN_FACTS = '''
import json
from qnn.config import DEFAULTS
from qnn.train import epoch_seed, learning_rate
seeds = [[epoch_seed(seed, purpose, epoch) for epoch in range(5)]
         for seed in (0, 1234) for purpose in ('shuffle', 'dropout')]
rates = [learning_rate(dict(DEFAULTS, epochs=7), epoch) for epoch in range(7)]
print(json.dumps({'defaults': DEFAULTS, 'epoch_seeds': seeds, 'learning_rates': rates}))
'''


@pytest.fixture(scope='session')
def qnn_facts():
    """qnn's DEFAULTS, epoch seeds and learning rates, computed by qnn itself."""
    from brevitas_helpers import run_in_main_env
    return json.loads(run_in_main_env(_QNN_FACTS))


@pytest.fixture(scope='session')
def mnist(mnist_dir):
    """MNIST as qnn trains on it by default (binarised inputs)."""
    from qnn.data.mnist import load_mnist
    return load_mnist(mnist_dir, binarize=True)


@pytest.fixture
def tiny_config():
    """Overrides for a small, fast run of the same recipe (3 hidden layers of 32 units)."""
    return dict(num_units=32, train_size=300, epochs=2, wbits=2, abits=2)
