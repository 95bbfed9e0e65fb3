"""Everything that differs between Python 2 and 3, and between the two software stacks.

This is the only module that knows about interpreter or library versions. It is imported by
:mod:`qnn` before Theano or Lasagne, so that

* Theano gets usable defaults (``floatX=float32``, a BLAS link line, an optional compile
  directory) before it is first imported,
* the numpy aliases removed in numpy 1.24 (``np.bool`` ...) exist again for Theano 1.0.5, and
* Lasagne 0.1, the only Lasagne on PyPI, imports on Theano >= 0.9 (it wants the removed
  ``theano.tensor.signal.downsample`` module).
"""
from __future__ import absolute_import, division, print_function

import ctypes.util
import logging
import os
import sys
import types

__all__ = ['PY2', 'string_types', 'queue', 'urlopen', 'HTTPException', 'RawConfigParser',
           'replace_path', 'POPEN_NEW_SESSION', 'csv_text', 'configure_theano', 'import_lasagne']

log = logging.getLogger(__name__)

PY2 = sys.version_info[0] == 2
string_types = (basestring,) if PY2 else (str,)  # noqa: F821 (basestring is Python 2 only)
try:
    import queue
except ImportError:  # Python 2
    import Queue as queue  # noqa: N813
if PY2:  # pragma: no cover - exercised only under Python 2
    from ConfigParser import RawConfigParser
    from httplib import HTTPException
    from urllib2 import urlopen
    replace_path = os.rename  # atomic over an existing file on POSIX, as os.replace
    #: Popen arguments that start a command in a session (and process group) of its own.
    POPEN_NEW_SESSION = {'preexec_fn': os.setsid}
else:
    from configparser import RawConfigParser
    from http.client import HTTPException
    from urllib.request import urlopen
    replace_path = os.replace
    POPEN_NEW_SESSION = {'start_new_session': True}


def csv_text(rows, columns):
    """``rows`` (dicts) as CSV text with a header of ``columns``; None and missing keys are
    empty cells.

    Examples
    --------
    >>> print(csv_text([{'a': 1, 'b': None}], ['a', 'b']).strip())
    a,b
    1,
    """
    import csv
    import io
    buffer = io.BytesIO() if PY2 else io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator='\n')
    writer.writeheader()
    for row in rows:
        writer.writerow(dict((key, '' if row.get(key) is None else row[key]) for key in columns))
    text = buffer.getvalue()
    return text.decode('utf-8') if isinstance(text, bytes) else text

#: C++ flags that keep IEEE float semantics (no fused multiply-add contraction).
STRICT_FP_FLAGS = '-ffp-contract=off'

#: Environment variable naming a directory for Theano's compiled modules.
COMPILEDIR_ENV = 'QNN_THEANO_COMPILEDIR'


def restore_numpy_aliases():
    """Put back ``np.bool``, ``np.int``, ... (removed in numpy 1.24) that Theano 1.0.5 uses."""
    import numpy as np
    builtins = {'bool': bool, 'int': int, 'float': float, 'complex': complex, 'object': object}
    for name, value in builtins.items():
        if name not in np.__dict__:
            setattr(np, name, value)


def _theanorc_text():
    paths = os.environ.get('THEANORC', os.path.expanduser('~/.theanorc'))
    text = ''
    for path in paths.split(os.pathsep):
        if os.path.isfile(path):
            with open(path) as handle:
                text += handle.read()
    return text


def theano_flags(environ=None):
    """The ``THEANO_FLAGS`` value qnn runs Theano with.

    The user's own flags (environment or ``.theanorc``) always win; qnn only adds

    * ``floatX=float32`` (the paper's precision, and twice as fast as float64 on CPU),
    * ``blas.ldflags``: ``-lopenblas`` when OpenBLAS is installed, else empty (Theano then
      uses numpy's dot; without any setting Theano 1.0.5 fails to import on numpy >= 1.22),
    * ``gcc.cxxflags=-ffp-contract=off``: without it GCC fuses ``a*b + c`` into one FMA
      instruction wherever the CPU has FMA, and Theano 0.9 and 1.0.5 write the same sums in
      a different order, so the two stacks (and the numpy twins) round differently,
    * ``base_compiledir`` from ``$QNN_THEANO_COMPILEDIR`` when that is set.
    """
    environ = os.environ if environ is None else environ
    flags = environ.get('THEANO_FLAGS', '')
    configured = flags + '\n' + _theanorc_text()
    extra = []
    if 'floatX' not in configured:
        extra.append('floatX=float32')
    if 'ldflags' not in configured:
        extra.append('blas.ldflags=' + ('-lopenblas' if ctypes.util.find_library('openblas') else ''))
    if 'cxxflags' not in configured:
        extra.append('gcc.cxxflags=' + STRICT_FP_FLAGS)
    if environ.get(COMPILEDIR_ENV) and 'compiledir' not in flags:
        extra.append('base_compiledir=' + environ[COMPILEDIR_ENV])
    return ','.join([f for f in [flags] + extra if f])


def configure_theano():
    """Set ``THEANO_FLAGS`` (see :func:`theano_flags`) and import Theano.

    Returns
    -------
    module
        The ``theano`` module.
    """
    if 'theano' in sys.modules:
        log.debug('theano was imported before qnn; leaving its configuration alone')
    else:
        os.environ['THEANO_FLAGS'] = theano_flags()
    restore_numpy_aliases()
    import theano
    return theano


def _install_downsample_shim():
    """Provide ``theano.tensor.signal.downsample`` (removed in Theano 0.9) for Lasagne 0.1."""
    import theano.tensor.signal
    if 'theano.tensor.signal.downsample' in sys.modules:
        return
    try:
        from theano.tensor.signal import downsample  # noqa: F401 (Theano < 0.9 still has it)
        return
    except ImportError:
        pass
    from theano.tensor.signal.pool import pool_2d

    def max_pool_2d(input, ds, ignore_border=None, st=None, padding=(0, 0), mode='max'):
        return pool_2d(input, ws=ds, ignore_border=ignore_border, stride=st, pad=padding,
                       mode=mode)

    shim = types.ModuleType('theano.tensor.signal.downsample')
    shim.max_pool_2d = max_pool_2d
    shim.__doc__ = 'qnn shim: Lasagne 0.1 compatibility for Theano >= 0.9.'
    sys.modules[shim.__name__] = shim
    theano.tensor.signal.downsample = shim


def import_lasagne():
    """Import Lasagne (0.1 from PyPI or 0.2.dev from GitHub) on any supported Theano.

    Returns
    -------
    module
        The ``lasagne`` module.
    """
    configure_theano()
    _install_downsample_shim()
    import lasagne
    return lasagne
