"""The sweep engine: one run in its child process, and a whole sweep.

Every run is its own process (its back end's child, :mod:`qnn.sweep.child`), handed its
settings as a job on its standard input, writing only inside its run folder (its output in
``train.log`` there). A run folder is trained by one process at a time (:mod:`qnn.locks`): a run
that another sweep trains right now is waited for, not trained twice. A run killed at any
moment resumes from its last epoch checkpoint when the sweep runs again; finished runs are
skipped and never rewritten.
"""
from __future__ import absolute_import, division, print_function

import logging
import os
import time

from .. import runs
from ..fileio import makedirs
from ..locks import wait_for_folder
from .child import job, start_child
from .plan import is_done, pending_runs, run_dir

__all__ = ['SweepError', 'THREAD_VARIABLES', 'execute_run', 'sweep', 'summary_line']

log = logging.getLogger(__name__)

#: The environment variables that set a child's BLAS/OpenMP threads.
THREAD_VARIABLES = ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS')


class SweepError(RuntimeError):
    """One or more runs of a sweep failed."""


def _child_env(backend, worker, threads):
    env = dict(os.environ)
    env.update(backend.child_env(worker))
    if threads:
        env.update((name, str(threads)) for name in THREAD_VARIABLES)
    return env


def execute_run(backend, config, study_dir, data_dir=None, worker='0', threads=None,
                until=None):
    """Train (or resume) one run in a child process; returns ``(name, ok, message)``.

    Runs on any engine's worker: it needs only the study folder (a shared file system) and
    the back end's packages.

    Parameters
    ----------
    backend : qnn.sweep.backend.SweepBackend
    config : dict
        The run's complete configuration.
    study_dir, data_dir : str
    worker : str
        Names the worker slot (e.g. its Theano compile directory).
    threads : int, optional
        BLAS/OpenMP threads of the run.
    until : int, optional
        Stop the run (resumable) after this many epochs.
    """
    name, folder = backend.run_name(config), run_dir(study_dir, backend, config)
    wait_for_folder(folder)  # another sweep may be training this run right now
    if is_done(folder, config, until):
        return name, True, 'already done'
    makedirs(folder)
    with open(os.path.join(folder, 'train.log'), 'ab') as log_file:
        code = start_child(backend.child_command(), job(folder, config, until, data_dir, threads),
                           _child_env(backend, worker, threads), log_file)
    if code == 0 and is_done(folder, config, until):
        return name, True, 'finished' if runs.is_finished(folder) else 'stopped as asked'
    wait_for_folder(folder)  # refused because another sweep had just started it?
    if is_done(folder, config, until):
        return name, True, 'trained by another process'
    return name, False, 'training exited with %d; see %s' % (
        code, os.path.join(folder, 'train.log'))


def sweep(study_dir, backend, configs, data_dir=None, jobs=1, client=None, progress=True,
          until=None, threads=None):
    """Skip the runs of ``configs`` that are done, train the rest; raise if any failed.

    Parameters
    ----------
    study_dir : str
        The study folder (its ``study.json`` already written, see :mod:`qnn.study`).
    backend : qnn.sweep.backend.SweepBackend
    configs : list of dict
        From :func:`qnn.sweep.plan.plan_configs`.
    data_dir : str, optional
        MNIST folder.
    jobs : int
        Local worker slots (without ``client``).
    client : distributed.Client, optional
        Run on this Dask cluster instead, one task per run.
    progress : bool
        Show the progress bar.
    until : int, optional
        Train each run only to this epoch for now (a later sweep goes on from there).
    threads : int, optional
        Threads per run (default: the cores shared among the local slots; 1 on Dask).

    Returns
    -------
    dict
        ``planned``, ``skipped`` (already done), ``ran``, ``seconds`` and ``until``.

    Raises
    ------
    SweepError
        Naming every run that failed and why.
    """
    from .progress import Progress, with_progress
    from .workers import run_dask, run_local
    todo = pending_runs(study_dir, backend, configs, until)
    log.info('%d runs planned, %d already done', len(configs), len(configs) - len(todo))
    started = time.time()
    bar = Progress(study_dir, backend, todo, progress, until)
    if client is not None:
        results = with_progress(bar, lambda bar: run_dask(
            client, backend, todo, study_dir, data_dir, bar, until, threads))
    else:
        results = with_progress(bar, lambda bar: run_local(
            backend, todo, study_dir, data_dir, bar, jobs, until, threads))
    failed = [(name, message) for name, ok, message in results if not ok]
    if failed:
        raise SweepError('%d of %d runs failed:\n%s' % (
            len(failed), len(todo), '\n'.join('  %s: %s' % pair for pair in failed)))
    return {'planned': len(configs), 'skipped': len(configs) - len(todo), 'ran': len(todo),
            'seconds': time.time() - started, 'until': until}


def summary_line(counts):
    """What a sweep did, in one line.

    Examples
    --------
    >>> summary_line({'planned': 4, 'skipped': 1, 'ran': 3, 'seconds': 61.2, 'until': None})
    '4 runs planned, 1 already finished, 3 trained in 61 s'
    >>> summary_line({'planned': 4, 'skipped': 4, 'ran': 0, 'seconds': 0., 'until': 10})
    '4 runs planned, 4 already trained to epoch 10, 0 trained in 0 s'
    """
    done = 'finished' if counts.get('until') is None else \
        'trained to epoch %d' % counts['until']
    return '%d runs planned, %d already %s, %d trained in %.0f s' % (
        counts['planned'], counts['skipped'], done, counts['ran'], counts['seconds'])
