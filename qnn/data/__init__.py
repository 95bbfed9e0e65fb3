"""Data sets used by qnn. Only MNIST for now: see :mod:`qnn.data.mnist`."""
from __future__ import absolute_import

from qnn.data.mnist import DataError, Split, load_mnist

__all__ = ['DataError', 'Split', 'load_mnist']
