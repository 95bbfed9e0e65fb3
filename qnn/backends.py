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

__all__ = ['BACKENDS', 'THEANO', 'BREVITAS', 'BREVITAS_PYTHON_ENV', 'BackendError',
           'find_brevitas_python', 'brevitas_command', 'forwarded_options', 'check_options',
           'add_backend_options', 'run_brevitas']

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


#: Options only the Brevitas back end has, as ``(dest, flag)``.
BREVITAS_ONLY = (('weight_quant', '--weight-quant'), ('act_quant', '--act-quant'),
                 ('threads', '--threads'), ('brevitas_python', '--brevitas-python'))


def forwarded_options(args, options):
    """Command-line words re-creating the options of ``args`` that were given.

    Parameters
    ----------
    args : argparse.Namespace
    options : sequence of (str, str or (str, str))
        ``(dest, flag)``: ``--flag VALUE`` when ``args.dest`` is not None, just ``--flag``
        when it is True; ``(dest, (flag_if_true, flag_if_false))`` for a tri-state switch
        (None: neither).

    Returns
    -------
    list of str

    Examples
    --------
    >>> import argparse
    >>> args = argparse.Namespace(wbits=2, pixels=False, quiet=True, seed=None)
    >>> forwarded_options(args, [('wbits', '--wbits'), ('seed', '--seed'),
    ...                          ('pixels', ('--pixel-input', '--binarize-input')),
    ...                          ('quiet', '--no-progress')])
    ['--wbits', '2', '--binarize-input', '--no-progress']
    """
    words = []
    for dest, flag in options:
        value = getattr(args, dest, None)
        if value is None or value is False and not isinstance(flag, tuple):
            continue
        if isinstance(flag, tuple):
            words.append(flag[0] if value else flag[1])
        elif value is True:
            words.append(flag)
        else:
            words.extend([flag, str(value)])
    return words


def check_options(args, options, backend):
    """Raise BackendError naming the options of ``args`` (``(dest, flag)`` pairs, given when
    not None/False) that the chosen ``backend`` does not have."""
    given = [flag if not isinstance(flag, tuple) else '/'.join(flag)
             for dest, flag in options if getattr(args, dest, None) not in (None, False)]
    if given:
        raise BackendError('%s %s only with the %s back end'
                           % (', '.join(given), 'works' if len(given) == 1 else 'work',
                              BREVITAS if backend == THEANO else THEANO))


def add_backend_options(parser):
    """``--backend`` and ``--brevitas-python`` (shared by ``qnn train`` and ``qnn sweep``)."""
    parser.add_argument('--backend', choices=BACKENDS, default=THEANO,
                        help="'theano' (default): this package; 'brevitas': the Brevitas "
                             'flow (python -m qnn_brevitas) in its own environment')
    parser.add_argument('--brevitas-python', metavar='PATH',
                        help='interpreter of the Brevitas environment (default: $%s or '
                             '%s/bin/python, built by `make brevitas-env`)'
                             % (BREVITAS_PYTHON_ENV, BREVITAS_VENV))
    parser.add_argument('--weight-quant',
                        help="Brevitas back end: 'paper' (the paper's grid, bit-exact with "
                             "qnn) or 'brevitas' (bnn_pynq's quantizers); sweep: a list, "
                             "default 'paper,brevitas'")
    parser.add_argument('--act-quant', choices=('paper', 'brevitas'),
                        help='Brevitas back end: activation quantizers (default: as weights)')
    parser.add_argument('--threads', type=int, help="Brevitas back end: torch's threads")


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
