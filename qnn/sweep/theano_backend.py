"""qnn's own back end of the sweep engine: Theano runs in ``<study>/runs/``.

Run as ``python -m qnn.sweep.theano_backend`` it is the child that trains one run
(:func:`qnn.sweep.child.run_child` with :func:`qnn.train.train`); importing it imports no
Theano. Each worker slot compiles into a Theano compile directory of its own, kept between
sweeps so that compilation is paid once.
"""
from __future__ import absolute_import, division, print_function

import os
import sys

from ..backends import THEANO
from ..compat import COMPILEDIR_ENV
from ..config import make_config
from ..study import RUNS_DIR, RunSpec
from ..training_version import TRAINING_VERSION
from .backend import SweepBackend
from .child import run_child

__all__ = ['TheanoBackend', 'THEANO_BACKEND', 'default_compiledir_base']


def default_compiledir_base():
    """Where worker compile directories live: ``$QNN_THEANO_COMPILEDIR`` or the user cache."""
    return os.environ.get(COMPILEDIR_ENV) or os.path.join(
        os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache')), 'qnn', 'theano')


class TheanoBackend(SweepBackend):
    """Runs of :func:`qnn.train.train`, named as :attr:`qnn.study.RunSpec.name`."""

    name = THEANO
    runs_dir = RUNS_DIR
    training_version = TRAINING_VERSION
    child_module = 'qnn.sweep.theano_backend'

    def make_config(self, **values):
        return make_config(**values)

    def run_name(self, config):
        return RunSpec(config['wbits'], config['abits'], config['epochs'], config['seed']).name

    def child_env(self, worker):
        return {COMPILEDIR_ENV: os.path.join(default_compiledir_base(), 'worker-%s' % worker)}


#: The Theano back end.
THEANO_BACKEND = TheanoBackend()


def _train(run_dir, **keywords):
    from ..train import train  # imports Theano
    return train(run_dir, **keywords)


if __name__ == '__main__':
    sys.exit(run_child(_train))
