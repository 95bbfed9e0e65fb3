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
import subprocess
import threading

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


def run_command(command, timeout, error, cwd=None):
    """Run ``command``; return (exit status, combined output). Kills it after ``timeout`` s.

    Parameters
    ----------
    command : list of str
    timeout : float
        Seconds before the process is killed.
    error : type
        The exception raised when the command cannot start or times out.
    cwd : str, optional
    """
    log.info('running %s', ' '.join(command))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   cwd=cwd)
    except OSError as cause:
        raise error('cannot run %s: %s' % (command[0], cause))
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        output = process.communicate()[0]
    finally:
        timed_out = not timer.is_alive()
        timer.cancel()
    text = output.decode('utf-8', 'replace')
    if timed_out and process.returncode != 0:
        raise error('%s timed out after %d s:\n%s' % (command[0], timeout, text[-2000:]))
    return process.returncode, text
