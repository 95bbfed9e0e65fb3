"""Fixtures of the RTL tests: the tools (Verilator, Yosys, Icarus), the simulated MNIST images
and small trained networks. Tests that use a tool carry the ``rtl`` marker (``pytest -m rtl``).
"""
from __future__ import absolute_import

import os

import pytest

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

from hwgen.rtl.verilator import find_verilator

from rtl_settings import RTL_IMAGES_ENV, missing_tool, rtl_image_count

_TOOL_FIXTURES = ('verilator', 'yosys', 'iverilog')


def pytest_configure(config):
    rtl_image_count(os.environ.get(RTL_IMAGES_ENV))     # a bad value stops the run at once
    config.addinivalue_line('markers', 'rtl: Verilator, Yosys or Icarus on generated Verilog '
                            '($QNN_RTL_IMAGES images per simulated network)')


def pytest_collection_modifyitems(config, items):
    for item in items:
        if any(name in getattr(item, 'fixturenames', ()) for name in _TOOL_FIXTURES):
            item.add_marker(pytest.mark.rtl)


def _tool(name):
    path = which(name)
    if path is None:
        missing_tool('%s not found: install it with `make rtl-tools`' % name)
    return path


@pytest.fixture(scope='session')
def verilator():
    """The Verilator executable, or skip (fail with $QNN_RTL_REQUIRED) with the reason."""
    path = find_verilator()
    if path is None:
        missing_tool('verilator not found: install it with `make rtl-tools` or set '
                     '$QNN_VERILATOR')
    return path


@pytest.fixture(scope='session')
def yosys():
    return _tool('yosys')


@pytest.fixture(scope='session')
def iverilog():
    return _tool('iverilog')


@pytest.fixture(scope='session')
def rtl_mnist(mnist_test):
    """The first ``$QNN_RTL_IMAGES`` MNIST test images (uint8, N x 28 x 28) and labels."""
    count = rtl_image_count(os.environ.get(RTL_IMAGES_ENV))
    return mnist_test[0][:count], mnist_test[1][:count]


@pytest.fixture(scope='session')
def training_data(mnist_dir):
    """The MNIST training sets (pixels and binarized) that synthetic runs measure BN on."""
    mnist = pytest.importorskip('qnn.data.mnist')
    return {'train': dict((binarize, mnist.load_mnist(mnist_dir, binarize=binarize))
                          for binarize in (False, True))}
