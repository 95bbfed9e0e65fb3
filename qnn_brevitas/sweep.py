"""A grid of Brevitas runs in a study folder, beside the study's Theano runs.

The study folder is qnn's (:mod:`qnn.study`, used here as is): ``study.json`` holds the
training settings shared by all runs (``train_size``, ``num_units``, ...). A Brevitas sweep
reads them when the folder already has them (so its runs match the Theano runs) or writes them
in the same way. Brevitas runs go to ``<study>/runs-brevitas/<name>/``
(``W2A4-e10-s1234-paper``), so qnn's results store, which reads ``<study>/runs/``, never sees
them. Runs are trained one after another in this process; finished runs are skipped,
interrupted ones resume.
"""
from __future__ import absolute_import, division, print_function

import logging
import os
import time

from qnn import runs
from qnn.study import StudyError, load_or_create_study, parse_int_list
from qnn.study import plan_runs as plan_grid

from .config import SETTINGS, make_config, run_name

__all__ = ['RUNS_DIR', 'StudyError', 'parse_int_list', 'parse_settings',
           'load_or_create_study', 'plan_runs', 'run_dir', 'sweep']

log = logging.getLogger(__name__)

#: Where a study's Brevitas runs live.
RUNS_DIR = 'runs-brevitas'


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
    """The configurations of a grid, cheap budgets first (one run per network and quantizer
    setting under the ``'bnn-pynq'`` schedule, as :func:`qnn.study.plan_runs`).

    Returns
    -------
    list of dict
        Complete run configurations (see :func:`qnn_brevitas.config.make_config`).
    """
    return [make_config(wbits=spec.wbits, abits=spec.abits, epochs=spec.epochs, seed=spec.seed,
                        weight_quant=q, act_quant=act_quant, **settings)
            for spec in plan_grid(wbits, abits, epochs, seeds, settings.get('schedule', 'budget'))
            for q in weight_quants]


def run_dir(study_dir, config):
    """The run folder of ``config`` inside ``study_dir``."""
    return os.path.join(study_dir, RUNS_DIR, run_name(config))


def _train_one(study_dir, config, data, threads, progress):
    from .train import train  # imports torch and Brevitas
    overrides = {key: value for key, value in config.items() if key != 'backend'}
    return train(run_dir(study_dir, config), data=data, threads=threads, progress=progress,
                 **overrides)


def sweep(study_dir, configs, data_dir=None, threads=None, progress=True):
    """Train every run of ``configs`` that is not finished, one after another.

    Parameters
    ----------
    study_dir : str
    configs : list of dict
        From :func:`plan_runs`.
    data_dir : str, optional
        MNIST folder.
    threads : int, optional
        torch's threads per run.
    progress : bool
        Per-epoch progress bars.

    Returns
    -------
    dict
        ``planned``, ``skipped`` (already finished), ``ran``, ``seconds``.
    """
    started = time.time()
    pending = [config for config in configs if not runs.is_finished(run_dir(study_dir, config))]
    datasets = {}
    for index, config in enumerate(pending):
        binarize = config['binarize_input']
        if binarize not in datasets:
            from qnn.data.mnist import load_mnist
            datasets[binarize] = load_mnist(data_dir, binarize=binarize)
        metrics = _train_one(study_dir, config, datasets[binarize], threads, progress)
        log.info('[%d/%d] %s: test error %.2f%%', index + 1, len(pending), run_name(config),
                 100 * metrics['test_error'])
    return {'planned': len(configs), 'skipped': len(configs) - len(pending),
            'ran': len(pending), 'seconds': time.time() - started}
