"""Fixtures for the hwgen tests: the golden BNN-PYNQ LFC W1A1 folder, its model, MNIST test,
and the g++ C simulation: its toolchain, and ``csim_images`` / ``csim_mnist``, how many and
which MNIST test images each simulated network runs (see :mod:`csim_settings`).

Every test that uses ``csim_toolchain`` carries the ``csim`` marker (``pytest -m csim``).
"""
from __future__ import absolute_import

import os

import pytest

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

from hwgen.hls import toolchain
from hwgen.intmodel import IntegerModel
from hwgen.layerspec import lfc_specs

from csim_settings import CSIM_IMAGES_ENV, csim_image_count, missing_toolchain


def pytest_configure(config):
    csim_image_count(os.environ.get(CSIM_IMAGES_ENV))     # a bad value stops the run at once
    config.addinivalue_line('markers', 'csim: g++ C simulation against finn-hlslib (needs the '
                            'csim toolchain; $QNN_CSIM_IMAGES images per network)')


def pytest_collection_modifyitems(config, items):
    for item in items:
        if 'csim_toolchain' in getattr(item, 'fixturenames', ()):
            item.add_marker(pytest.mark.csim)


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
    try:
        finn_hlslib, ap_types, wrong_folder = toolchain.find_finn_hlslib(), toolchain.find_ap_types(), None
    except ValueError as error:      # $QNN_FINN_HLSLIB or $QNN_AP_TYPES names the wrong folder
        wrong_folder = str(error)
    if wrong_folder:
        missing_toolchain(wrong_folder)
    if finn_hlslib is None:
        missing_toolchain('finn-hlslib (commit 8b7f5f5) not found: set $QNN_FINN_HLSLIB, '
                          'populate the finn-hlslib submodule or check it out at ../finn-hlslib')
    if ap_types is None:
        missing_toolchain('hls4ml 1.3.0 ap_types not found: run `make ap-types` or set '
                          '$QNN_AP_TYPES')
    if which('g++') is None:
        missing_toolchain('g++ not found')
    return finn_hlslib, ap_types


@pytest.fixture(scope='session')
def csim_images():
    """How many MNIST test images each C-simulated network runs ($QNN_CSIM_IMAGES)."""
    return csim_image_count(os.environ.get(CSIM_IMAGES_ENV))


@pytest.fixture(scope='session')
def csim_mnist(mnist_test, csim_images):
    """The first ``csim_images`` MNIST test images (uint8, N x 28 x 28) and their labels."""
    return mnist_test[0][:csim_images], mnist_test[1][:csim_images]
