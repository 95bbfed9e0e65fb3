"""Building and running the Verilator testbench of a generated RTL folder.

The testbench (``templates/tb.cpp``) is compiled once per design with the Verilog files of
``files.f``; it streams the input words of all images from one file and writes the output
words and per-image timing (see the comment at its top). Verilator is found as
``$QNN_VERILATOR`` or ``verilator`` on the PATH (Debian's 5.006 is what the project uses;
``make rtl-tools`` installs it).
"""
from __future__ import absolute_import, division, print_function

import logging
import os
import subprocess
import threading

from hwgen.rtl.ir import HwgenError
from hwgen.rtl.render import TEMPLATE_DIR
from qnn.fileio import makedirs

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

__all__ = ['VERILATOR_ENV', 'MODEL_PREFIX', 'VERILATOR_FLAGS', 'RtlSimError', 'find_verilator',
           'build_simulation', 'run_simulation']

log = logging.getLogger(__name__)

VERILATOR_ENV = 'QNN_VERILATOR'
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
    log.info('running %s', ' '.join(command))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   cwd=cwd)
    except OSError as error:
        raise RtlSimError('cannot run %s: %s' % (command[0], error))
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        output = process.communicate()[0]
    finally:
        timed_out = not timer.is_alive()
        timer.cancel()
    text = output.decode('utf-8', 'replace')
    if timed_out and process.returncode != 0:
        raise RtlSimError('%s timed out after %d s:\n%s' % (command[0], timeout, text[-2000:]))
    return process.returncode, text


def _verilog_files(rtl_dir):
    with open(os.path.join(rtl_dir, 'files.f')) as handle:
        return [os.path.join(rtl_dir, line.strip()) for line in handle if line.strip()]


def build_simulation(rtl_dir, top, build_dir=None, verilator=None, jobs=2, timeout=1800):
    """Compile the design of ``rtl_dir`` and the testbench; return the binary.

    Parameters
    ----------
    rtl_dir : str
        A folder written by :func:`~hwgen.rtl.writer.write_rtl`.
    top : str
        Its top module.
    build_dir : str, optional
        Default ``<rtl_dir>/sim/obj``.
    verilator : str, optional
        See :func:`find_verilator`.
    jobs : int
        Parallel compile jobs.

    Raises
    ------
    RtlSimError
        Verilator is missing or failed (its output is in the message).
    """
    executable = find_verilator(verilator)
    if executable is None:
        raise RtlSimError('verilator not found: install it (`make rtl-tools`) or set $%s'
                          % VERILATOR_ENV)
    rtl_dir = os.path.abspath(rtl_dir)
    build_dir = os.path.abspath(build_dir or os.path.join(rtl_dir, 'sim', 'obj'))
    makedirs(build_dir)
    command = ([executable] + list(VERILATOR_FLAGS) +
               ['-j', str(int(jobs)), '--prefix', MODEL_PREFIX, '--top-module', top,
                '-Mdir', build_dir, '-o', MODEL_PREFIX] +
               _verilog_files(rtl_dir) + [os.path.join(TEMPLATE_DIR, 'tb.cpp')])
    status, output = _run(command, timeout)
    binary = os.path.join(build_dir, MODEL_PREFIX)
    if status != 0 or not os.path.isfile(binary):
        raise RtlSimError('verilating %s failed (exit %d):\n%s' % (rtl_dir, status,
                                                                  output[-4000:]))
    return binary


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
