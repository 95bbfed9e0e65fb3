"""Shared fixtures: where the MNIST files and the golden BNN-PYNQ vectors are."""
from __future__ import absolute_import

import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
#: External test vectors live beside the clone (``../shared``) unless QNN_SHARED_DIR says otherwise.
SHARED_DIR = os.environ.get('QNN_SHARED_DIR', os.path.join(os.path.dirname(ROOT), 'shared'))


@pytest.fixture(scope='session')
def mnist_dir():
    """Directory with the four MNIST IDX files: ``$QNN_DATA_DIR`` or ``../shared/data/mnist``."""
    path = os.environ.get('QNN_DATA_DIR') or os.path.join(SHARED_DIR, 'data', 'mnist')
    if not os.path.isfile(os.path.join(path, 't10k-images-idx3-ubyte.gz')) and \
            not os.path.isfile(os.path.join(path, 't10k-images-idx3-ubyte')):
        pytest.skip('MNIST not found: set QNN_DATA_DIR to a folder with the four IDX files')
    return path


@pytest.fixture(scope='session')
def golden_dir():
    """The published BNN-PYNQ LFC W1A1 parameter folder and its test image."""
    path = os.path.join(SHARED_DIR, 'golden', 'bnn-pynq')
    if not os.path.isdir(os.path.join(path, 'lfcW1A1')):
        pytest.skip('golden BNN-PYNQ files not found (set QNN_SHARED_DIR)')
    return path
