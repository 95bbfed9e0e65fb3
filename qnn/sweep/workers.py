"""Where a sweep's runs are trained: worker slots on this machine, or a Dask cluster.

* locally, ``jobs`` worker slots on a standard-library thread pool, each slot starting one
  child process at a time (the cores shared among them);
* on a cluster, Dask distributed: a running scheduler or a dask-jobqueue SLURM/PBS cluster
  described in a YAML/JSON file (:func:`make_dask_client`), one task per run.
"""
from __future__ import absolute_import, division, print_function

import os

from ..compat import queue
from ..study import StudyError
from .engine import execute_run

__all__ = ['run_local', 'run_dask', 'make_dask_client', 'cpu_count']


def cpu_count():
    """The cores of this machine."""
    import multiprocessing
    return multiprocessing.cpu_count()


def run_local(backend, configs, study_dir, data_dir, progress, jobs=1, until=None,
              threads=None):
    """Train ``configs`` with ``jobs`` worker slots on this machine; returns the results list.

    ``progress`` is a :class:`qnn.sweep.progress.Progress`; ``threads`` per run default to the
    cores shared among the slots.
    """
    from multiprocessing.pool import ThreadPool
    slots = queue.Queue()
    for slot in range(jobs):
        slots.put(str(slot))
    threads = threads or max(1, cpu_count() // jobs)

    def one(config):
        slot = slots.get()
        name = backend.run_name(config)
        progress.started(name)
        try:
            return execute_run(backend, config, study_dir, data_dir, slot, threads, until)
        finally:
            progress.finished(name)
            slots.put(slot)

    pool = ThreadPool(jobs)
    try:
        return pool.map(one, configs, chunksize=1)
    finally:
        pool.close()
        pool.join()


def _dask_worker_name():
    from distributed import get_worker
    return str(get_worker().name).replace(os.sep, '_')


def _execute_on_dask_worker(backend, config, study_dir, data_dir, until, threads):
    return execute_run(backend, config, study_dir, data_dir, worker=_dask_worker_name(),
                       threads=threads or 1, until=until)


def run_dask(client, backend, configs, study_dir, data_dir, progress, until=None,
             threads=None):
    """Train ``configs`` on a Dask cluster (one task per run); returns the results list."""
    from distributed import as_completed
    futures = {}
    for config in configs:
        name = backend.run_name(config)
        future = client.submit(_execute_on_dask_worker, backend, config, study_dir, data_dir,
                               until, threads, key='qnn-train-%s-%s' % (backend.name, name),
                               pure=False)
        futures[future] = name
        progress.started(name)
    results = []
    for future in as_completed(list(futures)):
        name = futures[future]
        try:
            results.append(future.result())
        except Exception as error:  # a worker died or the task raised
            results.append((name, False, 'dask task failed: %r' % (error,)))
        progress.finished(name)
    return results


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
