"""The Brevitas back end of qnn's sweep engine: Brevitas runs beside a study's Theano runs.

Planning, run folders, skipping finished runs, ``--until``, locks, the progress bar, local
worker slots and Dask are qnn's sweep engine (:mod:`qnn.sweep`); this module says only how a
Brevitas run is configured, named and trained. The study folder is qnn's (:mod:`qnn.study`):
``study.json`` holds the training settings shared by all runs (``train_size``,
``num_units``, ...); a Brevitas sweep reads them when the folder already has them (so its runs
match the Theano runs) or writes them in the same way. Brevitas runs go to
``<study>/runs-brevitas/<name>/`` (``W2A4-e10-s1234-paper``), one per network, budget, seed and
quantizer setting, so qnn's results store, which reads ``<study>/runs/``, never sees them.

Run as ``python -m qnn_brevitas.sweep`` this module is the child that trains one run of a sweep
(:func:`qnn.sweep.child.run_child`); importing it imports neither torch nor Brevitas.
"""
from __future__ import absolute_import, division, print_function

import sys

from qnn.backends import BREVITAS
from qnn.study import StudyError, load_or_create_study, parse_int_list
from qnn.sweep.backend import SweepBackend
from qnn.sweep.child import run_child
from qnn.sweep import plan

from .config import SETTINGS, make_config, run_name

__all__ = ['RUNS_DIR', 'BrevitasBackend', 'BREVITAS_BACKEND', 'StudyError', 'parse_int_list',
           'parse_settings', 'load_or_create_study', 'plan_runs', 'run_dir']

#: Where a study's Brevitas runs live.
RUNS_DIR = 'runs-brevitas'


class BrevitasBackend(SweepBackend):
    """Runs of :func:`qnn_brevitas.train.train`, named by :func:`qnn_brevitas.config.run_name`."""

    name = BREVITAS
    runs_dir = RUNS_DIR
    child_module = 'qnn_brevitas.sweep'

    def make_config(self, **values):
        return make_config(**values)

    def run_name(self, config):
        return run_name(config)


#: The Brevitas back end.
BREVITAS_BACKEND = BrevitasBackend()


def parse_settings(text):
    """Parse ``'paper,brevitas'`` into a list of quantizer settings.

    Examples
    --------
    >>> parse_settings('brevitas,paper')
    ['paper', 'brevitas']
    """
    names = [part.strip() for part in str(text).split(',') if part.strip()]
    unknown = sorted(set(names) - set(SETTINGS))
    if unknown or not names:
        raise StudyError('quantizer settings must be among %s, got %r' % (', '.join(SETTINGS),
                                                                         text))
    return [name for name in SETTINGS if name in names]


def plan_runs(wbits, abits, epochs, seeds, weight_quants, settings, act_quant=None):
    """The configurations of a grid, cheap budgets first, one run per network and quantizer
    setting (see :func:`qnn.sweep.plan.plan_configs`).

    Returns
    -------
    list of dict
        Complete run configurations (see :func:`qnn_brevitas.config.make_config`).
    """
    return plan.plan_configs(BREVITAS_BACKEND, settings, wbits, abits, epochs, seeds,
                        [{'weight_quant': q, 'act_quant': act_quant} for q in weight_quants])


def run_dir(study_dir, config):
    """The run folder of ``config`` inside ``study_dir``."""
    return plan.run_dir(study_dir, BREVITAS_BACKEND, config)


def _train(run_dir, **keywords):
    from .train import train  # imports torch and Brevitas
    keywords.pop('backend', None)
    return train(run_dir, **keywords)


if __name__ == '__main__':
    sys.exit(run_child(_train, options=('threads',)))
