"""One writer per run folder: an advisory ``flock`` on the folder itself.

The lock is taken on the folder (no lock file is left behind) and belongs to the open file,
so the operating system releases it when its holder exits or is killed: a dead process never
blocks a run.
"""
from __future__ import absolute_import, division, print_function

import contextlib
import errno
import fcntl
import os

from .runs import RunError

__all__ = ['RunBusyError', 'folder_lock', 'wait_for_folder']


class RunBusyError(RunError):
    """Another process is writing into this run folder right now."""


@contextlib.contextmanager
def folder_lock(folder, wait=False):
    """Hold the exclusive lock of ``folder`` (an existing folder) for the ``with`` block.

    Parameters
    ----------
    folder : str
    wait : bool
        Wait for the holder to finish instead of raising :class:`RunBusyError`.
    """
    handle = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except (IOError, OSError) as error:
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise RunBusyError('%s is being trained by another process right now; wait for '
                                   'it to finish, or stop it' % folder)
            raise
        yield folder
    finally:
        os.close(handle)  # releases the lock


def wait_for_folder(folder):
    """Return once no process holds the lock of ``folder`` (at once if it does not exist)."""
    if os.path.isdir(folder):
        with folder_lock(folder, wait=True):
            pass
