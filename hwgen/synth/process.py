"""Running an external program with a time limit, its whole process group stopped on timeout."""
from __future__ import absolute_import, division, print_function

import logging
import os
import signal
import subprocess
import sys
import threading

from hwgen.synth.errors import YosysNotFound

__all__ = ['run_command']

log = logging.getLogger(__name__)

#: Popen arguments that start the command in a session (and process group) of its own.
_NEW_SESSION = ({'start_new_session': True} if sys.version_info[0] >= 3
                else {'preexec_fn': os.setsid})


def _kill_group(process, fired):
    fired.append(True)
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass


def run_command(command, timeout, cwd=None):
    """Run ``command``; return (exit status, combined output text).

    The status is None when the command ran longer than ``timeout`` seconds: it is then
    killed with everything it started (it runs in a session of its own).

    Raises
    ------
    YosysNotFound
        The program cannot be started.
    """
    log.info('running %s', ' '.join(command))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   cwd=cwd, **_NEW_SESSION)
    except OSError as error:
        raise YosysNotFound('cannot run %s: %s' % (command[0], error))
    fired = []
    timer = threading.Timer(timeout, _kill_group, (process, fired))
    timer.start()
    try:
        output = process.communicate()[0]
    finally:
        timer.cancel()
    text = output.decode('utf-8', 'replace')
    return (None if fired else process.returncode), text
