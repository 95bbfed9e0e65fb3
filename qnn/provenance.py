"""What software produced a run: recorded in every run's config.json."""
from __future__ import absolute_import, division, print_function

import os
import platform
import subprocess

import numpy as np

from .training_version import TRAINING_VERSION, VERSION_KEY

__all__ = ['software_versions', 'git_revision', 'portable_flags', 'machine_description']

#: Theano flags that name a folder of the machine and do not change what a run computes.
_LOCAL_FLAGS = ('base_compiledir', 'compiledir')


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


def portable_flags(flags):
    """``THEANO_FLAGS`` without the settings that name folders of this machine.

    Examples
    --------
    >>> portable_flags('floatX=float32,base_compiledir=/home/me/cache,blas.ldflags=-lopenblas')
    'floatX=float32,blas.ldflags=-lopenblas'
    """
    kept = [flag for flag in flags.split(',')
            if flag.strip() and flag.split('=', 1)[0].strip() not in _LOCAL_FLAGS]
    return ','.join(kept)


def machine_description():
    """The processor model and core count (``'AMD EPYC 7B13, 2 cores'``), nothing that names
    the machine itself."""
    import multiprocessing
    model = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as handle:
            names = [line.split(':', 1)[1].strip() for line in handle
                     if line.startswith('model name')]
        model = names[0] if names else model
    except (IOError, OSError):
        pass
    return '%s, %d cores' % (model, multiprocessing.cpu_count())


def software_versions():
    """Versions of Python, numpy, scipy, Theano, Lasagne and qnn, the training version, BLAS
    and Theano flags (without local folders), the platform and processor."""
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
        VERSION_KEY: TRAINING_VERSION,
        'blas_ldflags': theano.config.blas.ldflags,
        'floatX': theano.config.floatX,
        'theano_flags': portable_flags(os.environ.get('THEANO_FLAGS', '')),
        'platform': platform.platform(),
        'machine': machine_description(),
    }
