"""Paths given by the user or read from files: checked before anything is read or written.

Files that qnn reads back (manifests, project records) name other files by relative path;
:func:`contained_path` makes sure such a name cannot lead outside the folder it belongs to,
whatever the file says. :func:`output_dir` and :func:`input_dir` turn the usual mistakes with
``--out`` and folder arguments into one clear message before any work starts.
"""
from __future__ import absolute_import, division, print_function

import os

__all__ = ['PathError', 'contained_path', 'output_dir', 'input_dir']


class PathError(ValueError):
    """A path is missing, of the wrong kind, unreadable, or leads outside its folder."""


def contained_path(folder, relative):
    """``folder/relative``, refusing a ``relative`` that is absolute or leads outside ``folder``.

    Parameters
    ----------
    folder : str
    relative : str
        A ``/``-separated path read from a file.

    Examples
    --------
    >>> contained_path('out', 'params/0-0-weights.bin') == os.path.join('out', 'params',
    ...                                                                 '0-0-weights.bin')
    True

    ``contained_path('out', '../elsewhere')`` raises :class:`PathError`.
    """
    parts = str(relative).replace('\\', '/').split('/')
    if not relative or os.path.isabs(str(relative)) or '..' in parts or \
            any(':' in part for part in parts[:1]):
        raise PathError('%r leads outside %s' % (relative, folder))
    return os.path.join(folder, *[part for part in parts if part not in ('', '.')])


def output_dir(path, what='--out'):
    """Check that ``path`` can be an output folder: absent (to be created) or a folder.

    Raises
    ------
    PathError
        ``path`` is empty or an existing file.
    """
    if not path:
        raise PathError('%s is empty' % what)
    if os.path.exists(path) and not os.path.isdir(path):
        raise PathError('%s %s is a file, not a folder' % (what, path))
    return path


def input_dir(path, what='folder'):
    """Check that ``path`` is an existing, readable folder.

    Raises
    ------
    PathError
        ``path`` is empty, missing, a file, or not readable.
    """
    if not path:
        raise PathError('the %s is empty' % what)
    if not os.path.exists(path):
        raise PathError('%s %s does not exist' % (what, path))
    if not os.path.isdir(path):
        raise PathError('%s %s is a file, not a folder' % (what, path))
    if not os.access(path, os.R_OK | os.X_OK):
        raise PathError('%s %s is not readable (permission denied)' % (what, path))
    return path
