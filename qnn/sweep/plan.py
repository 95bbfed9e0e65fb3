"""The runs of a sweep: the configurations of a grid, their folders, and which are done."""
from __future__ import absolute_import, division, print_function

import os

from .. import runs
from ..study import plan_runs

__all__ = ['plan_configs', 'run_dir', 'target_epochs', 'epochs_done', 'is_done',
           'pending_runs']


def plan_configs(backend, settings, wbits, abits, epochs, seeds, variants=({},)):
    """The complete configurations of a grid, cheap budgets first.

    Parameters
    ----------
    backend : qnn.sweep.backend.SweepBackend
    settings : dict
        The study's shared training settings.
    wbits, abits, epochs, seeds : sequence of int
        The grid (under the ``'bnn-pynq'`` schedule one run per network, of the largest
        budget; see :func:`qnn.study.plan_runs`).
    variants : sequence of dict
        Configuration values of the back end's variants of each run (e.g. the Brevitas
        quantizer settings); one run per variant, in this order.

    Returns
    -------
    list of dict
    """
    configs = []
    for spec in plan_runs(wbits, abits, epochs, seeds, settings.get('schedule', 'budget')):
        for variant in variants:
            values = dict(settings, wbits=spec.wbits, abits=spec.abits, epochs=spec.epochs,
                          seed=spec.seed)
            values.update(variant)
            configs.append(backend.make_config(**values))
    return configs


def run_dir(study_dir, backend, config):
    """The run folder of ``config`` inside ``study_dir``."""
    return os.path.join(study_dir, backend.runs_dir, backend.run_name(config))


def target_epochs(config, until=None):
    """The epochs a sweep trains ``config`` to: its length, or ``until`` when that is sooner."""
    return config['epochs'] if until is None else min(config['epochs'], until)


def epochs_done(folder):
    """The epochs a run folder has finished (0 when it has none or its metrics are being
    replaced right now)."""
    path = runs.run_file(folder, runs.METRICS)
    try:
        return len(runs.read_json(path)['epochs']) if os.path.isfile(path) else 0
    except runs.RunError:
        return 0


def is_done(folder, config, until=None):
    """True when the run in ``folder`` is finished, or has trained its first ``until``
    epochs."""
    if runs.is_finished(folder):
        return True
    return until is not None and epochs_done(folder) >= target_epochs(config, until)


def pending_runs(study_dir, backend, configs, until=None):
    """The configurations of ``configs`` whose runs are not done (see :func:`is_done`)."""
    return [config for config in configs
            if not is_done(run_dir(study_dir, backend, config), config, until)]
