"""Fixtures for the hwgen tests: the golden BNN-PYNQ LFC W1A1 folder, its model, MNIST test."""
from __future__ import absolute_import

import os

import pytest

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

from hwgen import csim
from hwgen.intmodel import IntegerModel
from hwgen.layerspec import lfc_specs


@pytest.fixture(scope='session')
def lfc_w1a1_dir(golden_dir):
    """The 288 published LFC W1A1 parameter files and classes.txt."""
    return os.path.join(golden_dir, 'lfcW1A1')


@pytest.fixture(scope='session')
def golden_model(lfc_w1a1_dir):
    """The integer model of the golden LFC W1A1 network."""
    return IntegerModel.from_folder(lfc_w1a1_dir, lfc_specs('W1A1'))


@pytest.fixture(scope='session')
def golden_image(golden_dir):
    """BNN-PYNQ's test image of a 3, uint8 (1, 28, 28)."""
    mnist = pytest.importorskip('qnn.data.mnist')
    return mnist.read_idx(os.path.join(golden_dir, '3.image-idx3-ubyte'))


@pytest.fixture(scope='session')
def mnist_test(mnist_dir):
    """MNIST test images uint8 (10000, 28, 28) and labels (10000,)."""
    mnist = pytest.importorskip('qnn.data.mnist')
    return mnist.load_subset('test', mnist_dir)


@pytest.fixture(scope='session')
def csim_toolchain():
    """(finn-hlslib, ap_types) folders for the g++ C simulation, or skip with the reason."""
    finn_hlslib, ap_types = csim.find_finn_hlslib(), csim.find_ap_types()
    if finn_hlslib is None:
        pytest.skip('finn-hlslib (commit 8b7f5f5) not found: set $QNN_FINN_HLSLIB, populate '
                    'the finn-hlslib submodule or check it out at ../finn-hlslib')
    if ap_types is None:
        pytest.skip('hls4ml 1.3.0 ap_types not found: run `make ap-types` or set $QNN_AP_TYPES')
    if which('g++') is None:
        pytest.skip('g++ not found')
    return finn_hlslib, ap_types
