"""Training back ends of ``qnn train`` and ``qnn sweep``: Theano (this package) or Brevitas.

The Brevitas flow (the ``qnn_brevitas`` package) needs PyTorch and numpy 2, which Theano cannot
share an interpreter with, so it lives in its own environment (``make brevitas-env`` builds
``.venv-brevitas/``). qnn never imports it: it runs ``python -m qnn_brevitas COMMAND ...`` in
that interpreter and passes its exit status on. The two flows exchange only files (run folders,
``<study>/runs-brevitas/``), which ``qnn compare`` reads.

The interpreter is, first hit wins: the ``python`` argument (``--brevitas-python``),
``$QNN_BREVITAS_PYTHON``, ``.venv-brevitas/bin/python`` of the repository, then of the current
directory.
"""
from __future__ import absolute_import, division, print_function

import os
import subprocess

from . import plugins

__all__ = ['BACKENDS', 'THEANO', 'BREVITAS', 'BREVITAS_PYTHON_ENV', 'BREVITAS_VENV',
           'BackendError', 'find_brevitas_python', 'brevitas_command', 'add_backend_options',
           'run_brevitas']

THEANO = 'theano'
BREVITAS = 'brevitas'
BACKENDS = (THEANO, BREVITAS)
BREVITAS_PYTHON_ENV = 'QNN_BREVITAS_PYTHON'
BREVITAS_VENV = '.venv-brevitas'

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BackendError(ValueError):
    """A back end cannot run: its interpreter is missing, or an option does not apply to it."""


def _venv_python(folder):
    return os.path.join(folder, BREVITAS_VENV, 'bin', 'python')


def _is_executable(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)


def find_brevitas_python(python=None):
    """The interpreter of the Brevitas environment (see the module docstring).

    Parameters
    ----------
    python : str, optional
        An explicit interpreter (``--brevitas-python``).

    Returns
    -------
    str

    Raises
    ------
    BackendError
        The given interpreter is not an executable file, or none is found; the message says
        to run ``make brevitas-env``.
    """
    given = python or os.environ.get(BREVITAS_PYTHON_ENV)
    if given:
        if not _is_executable(given):
            source = '--brevitas-python' if python else '$%s' % BREVITAS_PYTHON_ENV
            raise BackendError('%s %s is not an executable file; run `make brevitas-env` to '
                               'build the Brevitas environment' % (source, given))
        return given
    for folder in (_REPO, os.getcwd()):
        if _is_executable(_venv_python(folder)):
            return _venv_python(folder)
    raise BackendError('the Brevitas back end needs its own environment: run `make '
                       'brevitas-env` (builds %s/) or pass --brevitas-python PATH'
                       % BREVITAS_VENV)


def add_backend_options(parser):
    """``--backend`` (shared by ``qnn train`` and ``qnn sweep``; the options of each back end
    are :mod:`qnn.options`')."""
    parser.add_argument('--backend', choices=BACKENDS, default=THEANO,
                        help="'theano' (default): this package; 'brevitas': the Brevitas "
                             'flow (python -m qnn_brevitas) in its own environment')


def backend_module(backend):
    """The module run as ``python -m MODULE`` for ``backend`` (its ``qnn.backends`` entry point).

    Raises
    ------
    BackendError
        No installed package or source tree provides the back end.
    """
    modules = dict(plugins.entry_points(plugins.BACKENDS))
    if backend not in modules:
        raise BackendError('no package provides the %s back end (entry point %s in group %s)'
                           % (backend, backend, plugins.BACKENDS))
    return modules[backend].split(':')[0].strip()


def brevitas_command(python, command, words, verbose=False):
    """``[python, '-m', MODULE, ('-v',) command] + words``, MODULE the Brevitas back end's
    (``qnn_brevitas``)."""
    return [python, '-m', backend_module(BREVITAS)] + (['-v'] if verbose else []) + \
        [command] + list(words)


def run_brevitas(command, words, python=None, verbose=False):
    """Run ``python -m qnn_brevitas [-v] COMMAND WORDS...`` in the Brevitas environment.

    Its output goes to this process's; returns its exit status.

    Raises
    ------
    BackendError
        No Brevitas interpreter (see :func:`find_brevitas_python`), or it cannot be started.
    """
    interpreter = find_brevitas_python(python)
    try:
        return subprocess.call(brevitas_command(interpreter, command, words, verbose))
    except OSError as error:
        raise BackendError('cannot run %s (%s); run `make brevitas-env` to rebuild the '
                           'Brevitas environment' % (interpreter, error))
