"""The training schedule: learning-rate decay and per-epoch seeds (pure Python and numpy).

Kept apart from :mod:`qnn.train` so that other training back ends follow the same schedule
without importing Theano.
"""
from __future__ import absolute_import, division, print_function

import numpy as np

__all__ = ['learning_rate', 'epoch_seed']

_PURPOSES = {'shuffle': 1, 'dropout': 2}


def epoch_seed(seed, purpose, epoch):
    """A seed for one ``purpose`` ('shuffle' or 'dropout') in one epoch, derived from ``seed``."""
    return int(np.random.RandomState([seed, _PURPOSES[purpose], epoch]).randint(1, 2 ** 30))


def learning_rate(config, epoch):
    """lr_start * (lr_end / lr_start) ** (epoch / epochs): the BNN-PYNQ exponential decay.

    Examples
    --------
    >>> learning_rate({'lr_start': 3e-3, 'lr_end': 3e-7, 'epochs': 2}, 1)  # doctest: +ELLIPSIS
    3.0000...e-05
    """
    decay = (config['lr_end'] / config['lr_start']) ** (1. / config['epochs'])
    return config['lr_start'] * decay ** epoch
