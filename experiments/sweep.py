"""Running a study's plan: each run is a ``qnn train`` process, scheduled by an existing engine.

* locally, ``--jobs N`` worker slots on a standard-library thread pool, each slot starting
  ``qnn train`` processes;
* on a cluster, Dask distributed: a running scheduler (``--scheduler ADDRESS``) or a
  dask-jobqueue SLURM/PBS cluster described in a YAML/JSON file.

Every run is its own process with its own Theano compile directory (one per worker slot, kept
between sweeps so compilation is paid once), and writes only inside its own run folder. A run
killed at any moment resumes from its last epoch checkpoint when the sweep runs again; finished
runs are skipped and never rewritten.
"""
from __future__ import absolute_import, division, print_function

import logging
import os
import subprocess
import sys
import threading
import time

from qnn import runs
from qnn.compat import COMPILEDIR_ENV, queue
from qnn.locks import wait_for_folder
from qnn.study import RunSpec, StudyError, run_dir

from . import plan

__all__ = ['SweepError', 'execute_run', 'run_local', 'run_dask', 'pending_runs', 'sweep',
           'default_compiledir_base', 'is_done', 'target_epochs']

log = logging.getLogger(__name__)


class SweepError(RuntimeError):
    """One or more runs of a sweep failed."""


def default_compiledir_base():
    """Where worker compile directories live: ``$QNN_THEANO_COMPILEDIR`` or the user cache."""
    return os.environ.get(COMPILEDIR_ENV) or os.path.join(
        os.environ.get('XDG_CACHE_HOME', os.path.expanduser('~/.cache')), 'qnn', 'theano')


def train_command(spec, settings, out_dir, data_dir=None, until=None):
    """The ``qnn train`` command line of one run (stopping after ``until`` epochs if given)."""
    command = [sys.executable, '-m', 'qnn', 'train', '--wbits', str(spec.wbits),
               '--abits', str(spec.abits), '--epochs', str(spec.epochs), '--seed', str(spec.seed),
               '--train-size', str(settings['train_size']),
               '--num-units', str(settings['num_units']),
               '--hidden-layers', str(settings['n_hidden_layers']),
               '--layer-order', settings['layer_order'], '--activation', settings['activation'],
               '--schedule', settings['schedule'],
               '--binarize-input' if settings['binarize_input'] else '--pixel-input',
               '--no-progress', '--out', out_dir]
    if until is not None:
        command += ['--stop-after', str(until)]
    if data_dir:
        command += ['--data-dir', data_dir]
    return command


def target_epochs(spec, until=None):
    """The epochs a sweep trains ``spec`` to: its length, or ``until`` when that is sooner."""
    return spec.epochs if until is None else min(spec.epochs, until)


def is_done(study_dir, spec, until=None):
    """True when ``spec``'s run is finished, or has trained its first ``until`` epochs."""
    folder = run_dir(study_dir, spec)
    if runs.is_finished(folder):
        return True
    return until is not None and _epochs_done(study_dir, spec) >= target_epochs(spec, until)


def execute_run(spec, study_dir, settings, data_dir=None, worker='0', threads=None, until=None):
    """Train (or resume) one run in a child process; returns ``(spec, ok, message)``.

    Runs on any engine's worker: it needs only the study folder (shared file system) and qnn.

    Parameters
    ----------
    spec : RunSpec or tuple
    study_dir, data_dir : str
    settings : dict
        The study's shared training settings.
    worker : str
        Names this worker's Theano compile directory.
    threads : int, optional
        BLAS/OpenMP threads for the run.
    until : int, optional
        Stop the run (resumable) after this many epochs.
    """
    spec = RunSpec(*spec)
    out_dir = run_dir(study_dir, spec)
    wait_for_folder(out_dir)  # another sweep may be training this run right now
    if is_done(study_dir, spec, until):
        return spec, True, 'already done'
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    env = dict(os.environ)
    env[COMPILEDIR_ENV] = os.path.join(default_compiledir_base(), 'worker-%s' % worker)
    if threads:
        for name in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
            env[name] = str(threads)
    with open(os.path.join(out_dir, 'train.log'), 'ab') as log_file:
        code = subprocess.call(train_command(spec, settings, out_dir, data_dir, until), env=env,
                               stdout=log_file, stderr=subprocess.STDOUT)
    if code == 0 and is_done(study_dir, spec, until):
        return spec, True, 'finished' if runs.is_finished(out_dir) else 'stopped as asked'
    wait_for_folder(out_dir)  # refused because another sweep had just started it?
    if is_done(study_dir, spec, until):
        return spec, True, 'trained by another process'
    return spec, False, 'qnn train exited with %d; see %s' % (
        code, os.path.join(out_dir, 'train.log'))


def pending_runs(study_dir, specs, until=None):
    """The runs of ``specs`` that are not done yet (see :func:`is_done`)."""
    return [spec for spec in specs if not is_done(study_dir, spec, until)]


def _epochs_done(study_dir, spec):
    path = runs.run_file(run_dir(study_dir, spec), runs.METRICS)
    try:
        return len(runs.read_json(path)['epochs']) if os.path.isfile(path) else 0
    except runs.RunError:
        return 0  # being replaced right now


class _Progress(object):
    """One overall bar in epochs (runs done in its description), per-run epochs as postfix."""

    def __init__(self, study_dir, specs, enabled, until=None):
        self.study_dir, self.specs, self.until = study_dir, specs, until
        self.total_runs = len(specs)
        self.done_runs = 0
        self.active = set()
        self.shown = None
        self.lock = threading.Lock()
        self.bar = None
        if enabled:
            from tqdm import tqdm
            self.bar = tqdm(total=sum(target_epochs(s, until) for s in specs), unit='epoch',
                            dynamic_ncols=True)
        self.refresh()

    def started(self, spec):
        with self.lock:
            self.active.add(spec)

    def finished(self, spec):
        with self.lock:
            self.active.discard(spec)
            self.done_runs += 1
        self.refresh()

    def refresh(self):
        if self.bar is None:
            return
        with self.lock:
            done = sum(min(_epochs_done(self.study_dir, s), target_epochs(s, self.until))
                       for s in self.specs)
            active = ' '.join('%s:%d/%d' % (s.name, _epochs_done(self.study_dir, s),
                                            target_epochs(s, self.until))
                              for s in sorted(self.active))
            state = (done, self.done_runs, active)
            if state == self.shown:
                return
            self.shown = state
            self.bar.set_description('runs %d/%d' % (self.done_runs, self.total_runs),
                                     refresh=False)
            self.bar.set_postfix_str(active, refresh=False)
            self.bar.update(done - self.bar.n)
            self.bar.refresh()

    def close(self):
        if self.bar is not None:
            self.refresh()
            self.bar.close()


def _poll(progress, stop, interval=2.0):
    while not stop.wait(interval):
        progress.refresh()


def _with_progress(study_dir, specs, progress_enabled, run_all, until=None):
    progress = _Progress(study_dir, specs, progress_enabled, until)
    stop = threading.Event()
    poller = threading.Thread(target=_poll, args=(progress, stop))
    poller.daemon = True
    poller.start()
    try:
        results = run_all(progress)
    finally:
        stop.set()
        progress.close()
    return results


def run_local(study_dir, specs, settings, data_dir=None, jobs=1, progress=True, until=None):
    """Run ``specs`` with ``jobs`` worker slots on this machine; returns the results list."""
    from multiprocessing.pool import ThreadPool
    slots = queue.Queue()
    for slot in range(jobs):
        slots.put(str(slot))
    threads = max(1, _cpu_count() // jobs)

    def run_all(bar):
        def one(spec):
            slot = slots.get()
            bar.started(spec)
            try:
                return execute_run(spec, study_dir, settings, data_dir, slot, threads, until)
            finally:
                bar.finished(spec)
                slots.put(slot)
        pool = ThreadPool(jobs)
        try:
            return pool.map(one, specs, chunksize=1)
        finally:
            pool.close()
            pool.join()

    return _with_progress(study_dir, specs, progress, run_all, until)


def _cpu_count():
    import multiprocessing
    return multiprocessing.cpu_count()


def _dask_worker_name():
    from distributed import get_worker
    return str(get_worker().name).replace(os.sep, '_')


def _execute_on_dask_worker(spec, study_dir, settings, data_dir, until=None):
    return execute_run(spec, study_dir, settings, data_dir, worker=_dask_worker_name(),
                       threads=1, until=until)


def make_dask_client(scheduler=None, cluster_config=None):
    """A Dask client for a scheduler address or a dask-jobqueue cluster config file.

    The config file (YAML or JSON) has ``kind`` (``slurm`` or ``pbs``), ``jobs`` (how many
    batch jobs to start) and the keyword arguments of ``dask_jobqueue.SLURMCluster`` /
    ``PBSCluster`` (cores, memory, queue, walltime, job_extra_directives, ...).
    """
    from distributed import Client
    if scheduler:
        return Client(scheduler)
    import yaml
    with open(cluster_config) as handle:
        options = yaml.safe_load(handle)
    kind = options.pop('kind', 'slurm').lower()
    jobs = int(options.pop('jobs', 1))
    try:
        import dask_jobqueue
    except ImportError:
        raise StudyError('a cluster config needs dask-jobqueue: '
                              'pip install -r requirements/cluster.txt')
    classes = {'slurm': dask_jobqueue.SLURMCluster, 'pbs': dask_jobqueue.PBSCluster}
    if kind not in classes:
        raise StudyError('cluster kind must be slurm or pbs, got %r' % kind)
    cluster = classes[kind](**options)
    cluster.scale(jobs=jobs)
    return Client(cluster)


def run_dask(client, study_dir, specs, settings, data_dir=None, progress=True, until=None):
    """Run ``specs`` on a Dask cluster (one task per run); returns the results list."""
    from distributed import as_completed

    def run_all(bar):
        futures = {}
        for spec in specs:
            future = client.submit(_execute_on_dask_worker, tuple(spec), study_dir, settings,
                                   data_dir, until, key='qnn-train-%s' % spec.name, pure=False)
            futures[future] = spec
            bar.started(spec)
        results = []
        for future in as_completed(list(futures)):
            spec = futures[future]
            try:
                results.append(future.result())
            except Exception as error:  # a worker died or the task raised
                results.append((spec, False, 'dask task failed: %r' % (error,)))
            bar.finished(spec)
        return results

    return _with_progress(study_dir, specs, progress, run_all, until)


def sweep(study_dir, specs, overrides=None, data_dir=None, jobs=1, client=None, progress=True,
          until=None, readouts=(), cycles=None):
    """Plan, skip finished runs, run the rest; raise :class:`SweepError` if any failed.

    Parameters
    ----------
    until : int, optional
        Train each run only to this epoch for now (a later sweep goes on from there).
    readouts : sequence of int
        The epoch budgets the study reports (added to ``study.json``).
    cycles : int, optional
        Target cycles per image of every network's hardware (``study.json``; default the
        study's, LFC's 512 for a new one); refused before training if a network cannot meet it.

    Returns
    -------
    dict
        Counts: ``planned``, ``skipped`` (already done), ``ran``.
    """
    from .hardware import check_cycles
    grid = ({spec.wbits for spec in specs}, {spec.abits for spec in specs})
    settings = plan.load_or_create_study(
        study_dir, overrides or {}, readouts, cycles=cycles,
        seeds=sorted({spec.seed for spec in specs}),
        check=lambda settings, target: check_cycles(grid[0], grid[1], settings, target))
    todo = pending_runs(study_dir, specs, until)
    log.info('%d runs planned, %d already finished', len(specs), len(specs) - len(todo))
    started = time.time()
    if client is not None:
        results = run_dask(client, study_dir, todo, settings, data_dir, progress, until)
    else:
        results = run_local(study_dir, todo, settings, data_dir, jobs, progress, until)
    failed = [(spec, message) for spec, ok, message in results if not ok]
    if failed:
        raise SweepError('%d of %d runs failed:\n%s' % (
            len(failed), len(todo), '\n'.join('  %s: %s' % (s.name, m) for s, m in failed)))
    return {'planned': len(specs), 'skipped': len(specs) - len(todo), 'ran': len(todo),
            'seconds': time.time() - started}
