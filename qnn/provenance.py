"""What software produced a run: recorded in every run's config.json."""
from __future__ import absolute_import, division, print_function

import os
import platform
import subprocess

import numpy as np

__all__ = ['software_versions', 'git_revision']


def git_revision(path=None):
    """The git commit of the qnn source tree (with ``-dirty`` if modified), or None."""
    path = path or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        with open(os.devnull, 'w') as devnull:
            output = subprocess.check_output(
                ['git', 'describe', '--always', '--dirty', '--abbrev=40'], cwd=path,
                stderr=devnull)
        return output.decode('ascii').strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def software_versions():
    """Versions of Python, numpy, scipy, Theano, Lasagne and qnn, BLAS and Theano flags."""
    import scipy
    from . import __version__
    from .layers import lasagne, theano
    return {
        'python': platform.python_version(),
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'theano': theano.__version__,
        'lasagne': lasagne.__version__,
        'qnn': __version__,
        'qnn_git': git_revision(),
        'blas_ldflags': theano.config.blas.ldflags,
        'floatX': theano.config.floatX,
        'theano_flags': os.environ.get('THEANO_FLAGS', ''),
        'platform': platform.platform(),
    }
