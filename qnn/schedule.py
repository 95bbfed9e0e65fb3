"""The training schedule: learning-rate decay and per-epoch seeds (pure Python and numpy).

Kept apart from :mod:`qnn.train` so that other training back ends follow the same schedule
without importing Theano.
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .config import BNN_PYNQ_DECAY_EPOCHS, LEGACY_VALUES

__all__ = ['learning_rate', 'decay_epochs', 'epoch_seed']

_PURPOSES = {'shuffle': 1, 'dropout': 2}


def epoch_seed(seed, purpose, epoch):
    """A seed for one ``purpose`` ('shuffle' or 'dropout') in one epoch, derived from ``seed``."""
    return int(np.random.RandomState([seed, _PURPOSES[purpose], epoch]).randint(1, 2 ** 30))


def decay_epochs(config):
    """The horizon of the learning-rate decay: the run's ``epochs`` or BNN-PYNQ's 1000."""
    if config.get('schedule', LEGACY_VALUES['schedule']) == 'bnn-pynq':
        return BNN_PYNQ_DECAY_EPOCHS
    return config['epochs']


def learning_rate(config, epoch):
    """lr_start * (lr_end / lr_start) ** (epoch / horizon): the BNN-PYNQ exponential decay.

    The horizon is :func:`decay_epochs` (the epoch budget, or 1000 for ``'bnn-pynq'``).

    Examples
    --------
    >>> round(learning_rate({'lr_start': 3e-3, 'lr_end': 3e-7, 'epochs': 2}, 1), 12)
    3e-05
    >>> config = {'lr_start': 3e-3, 'lr_end': 3e-7, 'epochs': 10, 'schedule': 'bnn-pynq'}
    >>> round(learning_rate(config, 500) / 3e-3, 6)
    0.01
    """
    decay = (config['lr_end'] / config['lr_start']) ** (1. / decay_epochs(config))
    return config['lr_start'] * decay ** epoch
