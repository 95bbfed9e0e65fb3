"""The study's sweep: its runs trained by qnn's Theano back end, on qnn's sweep engine.

Planning, run folders, skipping finished runs, ``--until``, locks, the progress bar, local
worker slots and Dask are :mod:`qnn.sweep`'s, shared with every back end; this module adds
what the study itself fixes: ``study.json`` with its hardware settings, checked (every network
of the grid must meet the study's cycles per image) before anything is trained.
"""
from __future__ import absolute_import, division, print_function

from qnn.study import run_config
from qnn.sweep.engine import SweepError
from qnn.sweep.engine import sweep as run_configs
from qnn.sweep.plan import pending_runs as pending_configs
from qnn.sweep.theano_backend import THEANO_BACKEND

from . import plan

__all__ = ['SweepError', 'open_study', 'pending_runs', 'sweep']


def open_study(study_dir, overrides, wbits, abits, readouts=(), cycles=None, seeds=()):
    """The study's settings (see :func:`experiments.plan.load_or_create_study`), refused
    before anything is written when a network of the ``wbits`` x ``abits`` grid cannot meet
    the study's cycles per image."""
    from .hardware import check_cycles
    return plan.load_or_create_study(
        study_dir, overrides or {}, readouts, cycles=cycles, seeds=seeds,
        check=lambda settings, target: check_cycles(wbits, abits, settings, target))


def pending_runs(study_dir, specs, until=None):
    """The runs of ``specs`` (:class:`qnn.study.RunSpec`) that are not done yet, with the
    settings of the study's ``study.json``."""
    settings = plan.read_study(study_dir)['settings']
    pending = set(THEANO_BACKEND.run_name(config) for config in pending_configs(
        study_dir, THEANO_BACKEND, [run_config(spec, settings) for spec in specs], until))
    return [spec for spec in specs if spec.name in pending]


def sweep(study_dir, specs, overrides=None, data_dir=None, jobs=1, client=None, progress=True,
          until=None, readouts=(), cycles=None):
    """Open the study, skip the runs of ``specs`` that are done, train the rest.

    Parameters
    ----------
    study_dir : str
    specs : list of qnn.study.RunSpec
    overrides : dict, optional
        Training settings of a new study (an existing one refuses others).
    data_dir, jobs, client, progress, until
        As :func:`qnn.sweep.engine.sweep`'s.
    readouts : sequence of int
        The epoch budgets the study reports (added to ``study.json``).
    cycles : int, optional
        Target cycles per image of every network's hardware (``study.json``; default the
        study's, LFC's 512 for a new one).

    Returns
    -------
    dict
        Counts: ``planned``, ``skipped`` (already done), ``ran``, ``seconds``.

    Raises
    ------
    qnn.sweep.engine.SweepError
        One or more runs failed.
    """
    settings = open_study(study_dir, overrides, sorted(set(s.wbits for s in specs)),
                          sorted(set(s.abits for s in specs)), readouts, cycles,
                          sorted(set(s.seed for s in specs)))
    return run_configs(study_dir, THEANO_BACKEND, [run_config(spec, settings) for spec in specs],
                       data_dir=data_dir, jobs=jobs, client=client, progress=progress,
                       until=until)
