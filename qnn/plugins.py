"""Entry points: what packages built on qnn add to it, found without qnn naming them.

Packages further down the data flow register under an entry-point group (see ``setup.cfg``):

* :data:`COMMANDS` (``qnn.commands``): a module with ``add_commands(subparsers)`` and
  ``ERRORS`` (exception types whose message is shown without a traceback), loaded by
  ``qnn``'s command line;
* :data:`BACKENDS` (``qnn.backends``): a module run as ``python -m MODULE`` in another
  environment (it is never imported here).

The entry points come from the ``setup.cfg`` of the source tree qnn is imported from, when
there is one, and otherwise from the installed package metadata. The source tree wins because
an editable install's metadata is written once, at install time, and goes stale when the tree
changes; a tree run with ``PYTHONPATH`` and never installed has no metadata at all.
"""
from __future__ import absolute_import, division, print_function

import importlib
import os

from .compat import RawConfigParser

__all__ = ['COMMANDS', 'BACKENDS', 'entry_points', 'read_setup_cfg', 'load_modules']

COMMANDS = 'qnn.commands'
BACKENDS = 'qnn.backends'

#: The ``setup.cfg`` of the source tree this package is in (absent once installed elsewhere).
SOURCE_SETUP_CFG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'setup.cfg')


def read_setup_cfg(path, group):
    """The entry points of ``group`` declared in a ``setup.cfg``, as ``(name, value)`` pairs.

    Returns None when the file does not exist or does not declare ``group``.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), 'setup.cfg')
    >>> with open(path, 'w') as f:
    ...     _ = f.write(u'[options.entry_points]\\nmy.group =\\n    one = a.b\\n    two = c:d\\n')
    >>> read_setup_cfg(path, 'my.group')
    [('one', 'a.b'), ('two', 'c:d')]
    >>> read_setup_cfg(path, 'other.group') is None
    True
    """
    if not os.path.isfile(path):
        return None
    parser = RawConfigParser()
    parser.read(path)
    section = 'options.entry_points'
    if not parser.has_section(section) or not parser.has_option(section, group):
        return None
    pairs = []
    for line in parser.get(section, group).splitlines():
        if '=' in line:
            name, value = line.split('=', 1)
            pairs.append((name.strip(), value.strip()))
    return pairs


def _installed(group):
    """``(name, value)`` pairs of ``group`` in the installed distributions' metadata."""
    try:
        from importlib import metadata
    except ImportError:  # Python 2 and 3.7: setuptools' pkg_resources
        import pkg_resources
        return [(point.name, str(point).split('=', 1)[1].strip())
                for point in pkg_resources.iter_entry_points(group)]
    points = metadata.entry_points()
    found = points.select(group=group) if hasattr(points, 'select') else points.get(group, ())
    return [(point.name, point.value) for point in found]


def entry_points(group, setup_cfg=SOURCE_SETUP_CFG):
    """The entry points of ``group``: ``(name, value)`` pairs, each name once.

    Those of the source tree's ``setup.cfg`` (see the module docstring) come first and win;
    installed ones with other names follow.
    """
    pairs, seen = [], set()
    for name, value in (read_setup_cfg(setup_cfg, group) or []) + _installed(group):
        if name not in seen:
            seen.add(name)
            pairs.append((name, value))
    return pairs


def load_modules(group, setup_cfg=SOURCE_SETUP_CFG):
    """Import the module of every entry point of ``group`` whose package is installed.

    A package that is not there (e.g. ``experiments`` left out of an install) is skipped; an
    import error inside a package that is there is raised.
    """
    modules = []
    for _, value in entry_points(group, setup_cfg):
        name = value.split(':')[0].strip()
        try:
            modules.append(importlib.import_module(name))
        except ImportError as error:
            if name.split('.')[0] not in str(error):
                raise
    return modules
