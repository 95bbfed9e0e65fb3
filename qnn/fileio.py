"""Writing files safely: atomic writes, folders, hashes.

Every file qnn and the packages built on it write goes through :func:`atomic_write` (a file
object) or :func:`atomic_path` (a path, for writers such as h5py or an ONNX exporter that open
the file themselves): the data goes to a temporary file beside the target, which is renamed
over the target only once it is complete, so a crash or an exception leaves either the old file
or none, never a half-written one.
"""
from __future__ import absolute_import, division, print_function

import contextlib
import hashlib
import os
import tempfile

from .compat import replace_path

__all__ = ['atomic_write', 'atomic_path', 'replace_file', 'makedirs', 'current_umask',
           'file_sha256']


def makedirs(path):
    """Create ``path`` and its parents; no error if it exists (Python 2 has no exist_ok)."""
    try:
        os.makedirs(path)
    except OSError:
        if not os.path.isdir(path):
            raise
    return path


def file_sha256(path):
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as handle:
        for block in iter(lambda: handle.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def replace_file(src, dst):
    """Rename ``src`` to ``dst``, replacing ``dst`` atomically (POSIX rename semantics)."""
    replace_path(src, dst)


def current_umask():
    """The process's umask (reading it means setting it, so it is set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync(path):
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_path(path):
    """A temporary path beside ``path``, renamed to ``path`` when the ``with`` block succeeds.

    For writers that need a file name rather than a file object (h5py, ONNX exporters). The
    temporary file exists (empty, with the usual permissions) when the block starts; the
    writer replaces or fills it. An exception inside the block removes it and leaves ``path``
    untouched.

    Parameters
    ----------
    path : str
        Final file name.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), 'hello.txt')
    >>> with atomic_path(target) as tmp:
    ...     with open(tmp, 'w') as f:
    ...         _ = f.write(u'hello')
    ...     os.path.exists(target)
    False
    >>> open(target).read()
    'hello'
    """
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix='.' + os.path.basename(path) + '.', suffix='.tmp',
                               dir=directory)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp makes 0600; give the usual permissions
        yield tmp
        _fsync(tmp)
        replace_file(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def atomic_write(path, mode='wb'):
    """Open a temporary file beside ``path`` and rename it to ``path`` on success.

    A crash or an exception inside the ``with`` block leaves ``path`` untouched (either the old
    file or none), never a half-written one.

    Parameters
    ----------
    path : str
        Final file name.
    mode : str
        ``'wb'`` (default) or ``'w'``.

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), 'hello.txt')
    >>> with atomic_write(target, 'w') as f:
    ...     _ = f.write(u'hello')
    >>> open(target).read()
    'hello'
    """
    if mode not in ('w', 'wb'):
        raise ValueError("atomic_write supports modes 'w' and 'wb', not %r" % (mode,))
    with atomic_path(path) as tmp:
        with open(tmp, mode) as handle:
            yield handle
