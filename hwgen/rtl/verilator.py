"""Building and running the Verilator testbench of a generated RTL folder.

The testbench (``templates/tb.cpp``) is compiled once per design with the Verilog files of
``files.f``; it streams the input words of all images from one file and writes the output
words and per-image timing (see the comment at its top). Verilator is found as
``$QNN_VERILATOR`` or ``verilator`` on the PATH (Debian's 5.006 is what the project uses;
``make rtl-tools`` installs it).

Builds are cached: the compiled model depends only on the Verilog (the memories are read when
it runs, from the folder it runs in), so a build is kept under a key of the Verilator version,
its flags, the top module and the text of every Verilog file and of the testbench, in
``$QNN_RTL_CACHE`` or ``$XDG_CACHE_HOME/qnn/verilator`` (default ``~/.cache/qnn/verilator``).
The same design with other weights, or simulated again from another Python, is not rebuilt.
"""
from __future__ import absolute_import, division, print_function

import hashlib
import logging
import os
import shutil
import tempfile

from hwgen.rtl.ir import HwgenError
from hwgen.rtl.render import TEMPLATE_DIR
from hwgen.tools import run_command
from qnn.fileio import makedirs

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

__all__ = ['VERILATOR_ENV', 'CACHE_ENV', 'MODEL_PREFIX', 'VERILATOR_FLAGS', 'RtlSimError',
           'find_verilator', 'cache_dir', 'build_simulation', 'run_simulation']

log = logging.getLogger(__name__)

VERILATOR_ENV = 'QNN_VERILATOR'
CACHE_ENV = 'QNN_RTL_CACHE'
#: The class name of the compiled model, whatever the top module is called.
MODEL_PREFIX = 'Vnet'
#: The designs' intentional width extensions and unused bits are not reported; the C++ is
#: compiled with little optimisation (one build per design, short runs).
VERILATOR_FLAGS = ('--cc', '--exe', '--build', '-Wno-fatal', '-Wno-WIDTH', '-Wno-UNUSED',
                   '--x-assign', 'fast', '--x-initial', 'fast',
                   '-MAKEFLAGS', 'OPT_FAST=-O1 OPT_SLOW=-O0 OPT_GLOBAL=-O0')


class RtlSimError(HwgenError):
    """Verilator or the testbench failed."""


def find_verilator(path=None):
    """The Verilator executable: ``path``, ``$QNN_VERILATOR`` or ``verilator`` on the PATH.

    Returns
    -------
    str or None
        None when none is found.
    """
    candidate = path or os.environ.get(VERILATOR_ENV) or 'verilator'
    return which(candidate)


def _run(command, timeout, cwd=None):
    """(exit status, combined output) of ``command``, killed after ``timeout`` seconds."""
    return run_command(command, timeout, RtlSimError, cwd)


def _verilog_files(rtl_dir):
    with open(os.path.join(rtl_dir, 'files.f')) as handle:
        return [os.path.join(rtl_dir, line.strip()) for line in handle if line.strip()]


def cache_dir():
    """The folder of cached builds (see the module docstring)."""
    if os.environ.get(CACHE_ENV):
        return os.environ[CACHE_ENV]
    cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(cache, 'qnn', 'verilator')


def _build_key(executable, top, sources):
    """SHA-256 of everything the compiled model depends on."""
    status, version = _run([executable, '--version'], 60)
    if status != 0:
        raise RtlSimError('%s --version failed:\n%s' % (executable, version))
    digest = hashlib.sha256()
    for part in [version, ' '.join(VERILATOR_FLAGS), top]:
        digest.update(part.encode('utf-8') + b'\0')
    for path in sources:
        with open(path, 'rb') as handle:
            digest.update(os.path.basename(path).encode('utf-8') + b'\0' + handle.read())
    return digest.hexdigest()[:32]


def build_simulation(rtl_dir, top, verilator=None, jobs=2, timeout=1800):
    """Compile the design of ``rtl_dir`` and the testbench, or find the cached build.

    Parameters
    ----------
    rtl_dir : str
        A folder written by :func:`~hwgen.rtl.writer.write_rtl`.
    top : str
        Its top module.
    verilator : str, optional
        See :func:`find_verilator`.
    jobs : int
        Parallel compile jobs.

    Returns
    -------
    str
        The testbench binary (in the build cache).

    Raises
    ------
    RtlSimError
        Verilator is missing or failed (its output is in the message).
    """
    executable = find_verilator(verilator)
    if executable is None:
        raise RtlSimError('verilator not found: install it (`make rtl-tools`) or set $%s'
                          % VERILATOR_ENV)
    sources = _verilog_files(os.path.abspath(rtl_dir)) + [os.path.join(TEMPLATE_DIR, 'tb.cpp')]
    final = os.path.join(cache_dir(), _build_key(executable, top, sources))
    binary = os.path.join(final, MODEL_PREFIX)
    if os.path.isfile(binary):
        log.info('cached Verilator build %s', final)
        return binary
    build_dir = tempfile.mkdtemp(prefix='build-', dir=makedirs(cache_dir()))
    try:
        command = ([executable] + list(VERILATOR_FLAGS) +
                   ['-j', str(int(jobs)), '--prefix', MODEL_PREFIX, '--top-module', top,
                    '-Mdir', build_dir, '-o', MODEL_PREFIX] + sources)
        status, output = _run(command, timeout)
        if status != 0 or not os.path.isfile(os.path.join(build_dir, MODEL_PREFIX)):
            raise RtlSimError('verilating %s failed (exit %d):\n%s'
                              % (rtl_dir, status, output[-4000:]))
        _publish(build_dir, final)
    finally:
        shutil.rmtree(build_dir, ignore_errors=True)
    return binary


def _publish(build_dir, final):
    """Keep the binary of a finished build and move it to its cache folder (a concurrent
    identical build may have been first)."""
    for name in os.listdir(build_dir):
        if name != MODEL_PREFIX:
            path = os.path.join(build_dir, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)
    try:
        os.rename(build_dir, final)
    except OSError:
        if not os.path.isfile(os.path.join(final, MODEL_PREFIX)):
            raise


def run_simulation(binary, rtl_dir, input_path, n_images, in_words, out_words, output_path,
                   timing_path, max_cycles, timeout=3600):
    """Run the testbench in ``rtl_dir`` (where its memory files are); return its output text.

    Raises
    ------
    RtlSimError
        The testbench failed or timed out (the design did not emit every output word within
        ``max_cycles`` cycles).
    """
    command = [binary, os.path.abspath(input_path), str(int(n_images)), str(int(in_words)),
               str(int(out_words)), os.path.abspath(output_path), os.path.abspath(timing_path),
               str(int(max_cycles))]
    status, output = _run(command, timeout, cwd=rtl_dir)
    if status != 0:
        raise RtlSimError('the Verilator testbench of %s failed (exit %d):\n%s'
                          % (rtl_dir, status, output[-4000:]))
    return output
