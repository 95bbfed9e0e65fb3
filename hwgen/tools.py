"""What the back ends share to write text and to run external tools.

* Templates: real C++ or Verilog files with ``@NAME@`` markers, filled by
  :func:`fill_template`, which refuses a marker without a value and a value without a marker.
* :func:`run_command`: an external tool (g++, Verilator, ...) with a time limit, its output
  captured, failures raised as the caller's error class.
"""
from __future__ import absolute_import, division, print_function

import io
import logging
import os
import re
import signal
import subprocess
import threading

from qnn.compat import POPEN_NEW_SESSION

__all__ = ['read_template', 'fill_template', 'run_command']

log = logging.getLogger(__name__)

_MARKER = re.compile(r'@([A-Z][A-Z0-9_]*)@')


def read_template(folder, name):
    """The text of the template ``name`` in ``folder``."""
    with io.open(os.path.join(folder, name), encoding='utf-8') as handle:
        return handle.read()


def fill_template(text, values, name='template'):
    """Replace every ``@NAME@`` marker of ``text`` by ``values['NAME']``.

    Raises
    ------
    ValueError
        A marker has no value, or a value has no marker (a typo on either side).

    Examples
    --------
    >>> print(fill_template('#define L0_PE @PE@', {'PE': 32}))
    #define L0_PE 32
    >>> print(fill_template('.PE(@PE@)', {'PE': 4}))
    .PE(4)
    """
    markers = set(_MARKER.findall(text))
    missing, unused = sorted(markers - set(values)), sorted(set(values) - markers)
    if missing or unused:
        raise ValueError('%s: markers without a value %s, values without a marker %s'
                         % (name, missing, unused))
    return _MARKER.sub(lambda match: u'%s' % (values[match.group(1)],), text)


def _kill_group(process, fired):
    fired.append(True)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:  # it ended meanwhile
        pass


def run_command(command, timeout, error, cwd=None, missing=None):
    """Run ``command``; return (exit status, combined output text).

    The command runs in a session of its own: after ``timeout`` seconds it is killed with
    everything it started (a compiler's children, a simulator's make).

    Parameters
    ----------
    command : list of str
    timeout : float
        Seconds before the process group is killed.
    error : type
        The exception raised when the command times out (and, without ``missing``, when it
        cannot start).
    cwd : str, optional
    missing : type, optional
        The exception raised when the command cannot start.
    """
    log.info('running %s', ' '.join(command))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   cwd=cwd, **POPEN_NEW_SESSION)
    except OSError as cause:
        raise (missing or error)('cannot run %s: %s' % (command[0], cause))
    fired = []
    timer = threading.Timer(timeout, _kill_group, (process, fired))
    timer.start()
    try:
        output = process.communicate()[0]
    finally:
        timer.cancel()
    text = output.decode('utf-8', 'replace')
    if fired:
        raise error('%s timed out after %g s:\n%s' % (command[0], timeout, text[-2000:]))
    return process.returncode, text
