"""What the sweep commands share (``qnn sweep`` and ``python -m qnn_brevitas sweep``): the
checks made before a study folder is touched, and running the planned runs as asked."""
from __future__ import absolute_import, division, print_function

import os

from ..study import StudyError
from .engine import summary_line, sweep

__all__ = ['check_inputs', 'run_sweep']


def check_inputs(args):
    """Refuse what can be refused before the study folder is touched: counts, files, MNIST.

    ``args`` holds the engine's options (:mod:`qnn.options`: ``jobs``, ``until``,
    ``scheduler``, ``cluster_config``, ``data_dir``).

    Raises
    ------
    qnn.study.StudyError, qnn.data.mnist.DataError
    """
    for flag, value in (('--jobs', args.jobs), ('--until', args.until),
                        ('--threads', getattr(args, 'threads', None))):
        if value is not None and value < 1:
            raise StudyError('%s must be at least 1, got %d' % (flag, value))
    if args.cluster_config and not os.path.isfile(args.cluster_config):
        raise StudyError('--cluster-config %s: no such file' % args.cluster_config)
    if not (args.scheduler or args.cluster_config):  # Dask workers read MNIST on their side
        from ..data.mnist import load_raw
        load_raw(args.data_dir)  # once, here, rather than in every run's train.log


def run_sweep(args, backend, configs):
    """Train ``configs`` into the study ``args.out`` as ``args`` asks; print what was done.

    Returns
    -------
    dict
        The counts of :func:`qnn.sweep.engine.sweep`.
    """
    client = None
    if args.scheduler or args.cluster_config:
        from .workers import make_dask_client
        client = make_dask_client(args.scheduler, args.cluster_config)
    try:
        counts = sweep(args.out, backend, configs, data_dir=args.data_dir, jobs=args.jobs or 1,
                       client=client, progress=not args.no_progress, until=args.until,
                       threads=getattr(args, 'threads', None))
    finally:
        if client is not None:
            client.close()
    print(summary_line(counts))
    return counts
