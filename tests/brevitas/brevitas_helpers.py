"""Helpers of the Brevitas tests: running qnn in the modern stack (a child process).

Cross-checks against qnn's own (Theano-stack) code run qnn with the interpreter of the modern
stack, ``$QNN_MAIN_PYTHON`` or ``<repo>/.venv/bin/python``; tests that need it are skipped with
a reason when it is missing.
"""
from __future__ import absolute_import

import os
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main_python():
    """The modern stack's interpreter, or None."""
    candidate = os.environ.get('QNN_MAIN_PYTHON') or os.path.join(ROOT, '.venv', 'bin', 'python')
    return candidate if os.path.isfile(candidate) and os.access(candidate, os.X_OK) else None


def run_in_main_env(script, *args):
    """Run ``script`` with the modern stack's Python (qnn importable); skip when impossible.

    Returns
    -------
    str
        The script's standard output.
    """
    python = main_python()
    if python is None:
        pytest.skip('the modern stack (.venv/ or $QNN_MAIN_PYTHON) is not installed')
    env = dict(os.environ, PYTHONPATH=ROOT)
    process = subprocess.Popen([python, '-c', script] + list(args), cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    if process.returncode != 0:
        pytest.skip('qnn could not run in %s: %s' % (python, err.decode('utf-8', 'replace')[-500:]))
    return out.decode('utf-8')
