"""The C simulation toolchain: finn-hlslib, the ap_types headers, g++ and the testbench binary.

Where the headers are found (first hit wins):

* finn-hlslib: the ``finn_hlslib`` argument, ``$QNN_FINN_HLSLIB``, the ``finn-hlslib/``
  submodule of the repository, ``../finn-hlslib`` beside the repository;
* ap_types: the ``ap_types`` argument, ``$QNN_AP_TYPES``, ``third_party/ap_types`` of the
  repository (``make ap-types``, see ``mk/hls.mk``).
"""
from __future__ import absolute_import, division, print_function

import os

from hwgen.errors import HwgenError
from hwgen.tools import run_command
from qnn.fileio import makedirs

__all__ = ['FINN_HLSLIB_ENV', 'AP_TYPES_ENV', 'CXXFLAGS', 'CsimError', 'find_finn_hlslib',
           'find_ap_types', 'find_toolchain', 'build_testbench', 'run_testbench']


FINN_HLSLIB_ENV = 'QNN_FINN_HLSLIB'
AP_TYPES_ENV = 'QNN_AP_TYPES'
#: g++ flags of the C simulation (finn-hlslib needs C++11; -w hides its HLS pragma warnings).
CXXFLAGS = ('-std=c++14', '-O2', '-w')

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_FINN_HLSLIB_FILES = ('bnn-library.h', 'fclayer.h', 'mvau.hpp', 'weights.hpp', 'activations.hpp')
_AP_TYPES_FILES = ('ap_int.h', 'hls_stream.h')


class CsimError(HwgenError):
    """The testbench did not compile or did not run."""


def _has_files(folder, names):
    return bool(folder) and all(os.path.isfile(os.path.join(folder, n)) for n in names)


def _find(explicit, env, candidates, names, what):
    if explicit is not None:
        if not _has_files(explicit, names):
            raise HwgenError('%s %s lacks one of %s' % (what, explicit, ', '.join(names)))
        return os.path.abspath(explicit)
    if os.environ.get(env):
        if not _has_files(os.environ[env], names):
            raise HwgenError('$%s=%s lacks one of %s' % (env, os.environ[env], ', '.join(names)))
        return os.path.abspath(os.environ[env])
    for candidate in candidates:
        if _has_files(candidate, names):
            return os.path.abspath(candidate)
    return None


def find_finn_hlslib(path=None):
    """The finn-hlslib checkout (8b7f5f5 layout, with ``fclayer.h``), or None if none is found.

    Raises
    ------
    HwgenError
        ``path`` or ``$QNN_FINN_HLSLIB`` is given but is no such checkout.
    """
    return _find(path, FINN_HLSLIB_ENV,
                 [os.path.join(_REPO, 'finn-hlslib'),
                  os.path.join(os.path.dirname(_REPO), 'finn-hlslib')],
                 _FINN_HLSLIB_FILES, 'finn-hlslib folder')


def find_ap_types(path=None):
    """The ap_types folder (``ap_int.h``, ``hls_stream.h``), or None if none is found.

    Raises
    ------
    HwgenError
        ``path`` or ``$QNN_AP_TYPES`` is given but holds no ap_types.
    """
    return _find(path, AP_TYPES_ENV, [os.path.join(_REPO, 'third_party', 'ap_types')],
                 _AP_TYPES_FILES, 'ap_types folder')


def _run(command, timeout, cwd=None):
    """Run ``command``; return (exit status, combined output). Kills it after ``timeout`` s."""
    return run_command(command, timeout, CsimError, cwd)


def find_toolchain(finn_hlslib=None, ap_types=None):
    """The finn-hlslib and ap_types folders, found before any work is done (HwgenError)."""
    finn_dir = find_finn_hlslib(finn_hlslib)
    if finn_dir is None:
        raise HwgenError('finn-hlslib (commit 8b7f5f5) not found: pass its folder or set $%s'
                         % FINN_HLSLIB_ENV)
    ap_dir = find_ap_types(ap_types)
    if ap_dir is None:
        raise HwgenError('ap_types not found: run `make ap-types` or set $%s' % AP_TYPES_ENV)
    return finn_dir, ap_dir


def build_testbench(hw_dir, finn_hlslib=None, ap_types=None, binary=None, cxx='g++',
                    cxxflags=CXXFLAGS, timeout=600):
    """Compile ``top.cpp`` and ``tb.cpp`` of ``hw_dir`` into a testbench binary.

    Returns
    -------
    str
        The binary (default ``<hw_dir>/csim/tb``).

    Raises
    ------
    HwgenError
        finn-hlslib or ap_types not found (see the module docstring).
    CsimError
        The compiler failed (its output is in the message).
    """
    finn_dir, ap_dir = find_toolchain(finn_hlslib, ap_types)
    hw_dir = os.path.abspath(hw_dir)
    binary = os.path.abspath(binary or os.path.join(hw_dir, 'csim', 'tb'))
    makedirs(os.path.dirname(binary))
    command = ([cxx] + list(cxxflags) + ['-I' + ap_dir, '-I' + finn_dir, '-I' + hw_dir,
               os.path.join(hw_dir, 'top.cpp'), os.path.join(hw_dir, 'tb.cpp'), '-o', binary])
    status, output = _run(command, timeout)
    if status != 0:
        raise CsimError('compiling the testbench of %s failed (exit %d):\n%s'
                        % (hw_dir, status, output[-4000:]))
    return binary


def run_testbench(binary, params_dir, input_path, n_images, output_path, expected_path=None,
                  timeout=3600):
    """Run a testbench binary; return its output text.

    ``params_dir`` None runs with the memories as compiled in (baked parameters).

    Raises
    ------
    CsimError
        The testbench failed (exit 1 means outputs differ from ``expected_path``).
    """
    command = [binary, params_dir if params_dir is not None else '-', input_path,
               str(int(n_images)), output_path]
    if expected_path is not None:
        command.append(expected_path)
    status, output = _run(command, timeout)
    if status not in (0, 1):
        raise CsimError('testbench %s failed (exit %d):\n%s' % (binary, status, output[-4000:]))
    return output
