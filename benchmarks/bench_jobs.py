"""Seconds per epoch of a ``qnn sweep`` with ``--jobs 1`` and with ``--jobs 2``, in one run.

The same small grid (default W1A1, W1A2, W2A1, W2A2; 2 epochs on 20 000 images) is swept
twice into fresh temporary folders, once per ``--jobs`` value. Each run records the seconds of
every epoch (training plus validation and test) in its metrics.json; with ``jobs`` runs going at
once, the sweep finishes an epoch every ``median epoch seconds / jobs`` seconds. That figure is
compared, as is the wall time of each sweep (which also holds start-up and Theano compiles, so
run it once to warm the compile cache before reading the wall times).

Usage: python benchmarks/bench_jobs.py [--wbits 1,2] [--abits 1,2] [--epochs 2]
       [--train-size 20000] [--jobs 1,2]
"""
from __future__ import absolute_import, division, print_function

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def sweep(out_dir, jobs, args):
    """Run one ``qnn sweep`` into ``out_dir``; returns its wall seconds."""
    command = [sys.executable, '-m', 'qnn', 'sweep', '--out', out_dir, '--jobs', str(jobs),
               '--wbits', args.wbits, '--abits', args.abits, '--epochs', str(args.epochs),
               '--train-size', str(args.train_size), '--no-progress', '--no-report']
    started = time.time()
    subprocess.check_call(command, cwd=os.path.dirname(HERE))
    return time.time() - started


def epoch_seconds(out_dir):
    """The seconds of every epoch of every run of the study in ``out_dir``."""
    seconds = []
    for path in sorted(glob.glob(os.path.join(out_dir, 'runs', '*', 'metrics.json'))):
        with open(path) as handle:
            seconds.extend(epoch['seconds'] for epoch in json.load(handle)['epochs'])
    if not seconds:
        raise RuntimeError('no finished epoch under %s' % out_dir)
    return seconds


def measure(jobs, args, scratch):
    """Wall seconds, epochs and seconds per sweep epoch of one ``--jobs`` setting."""
    out_dir = os.path.join(scratch, 'jobs%d' % jobs)
    wall = sweep(out_dir, jobs, args)
    seconds = epoch_seconds(out_dir)
    per_run = float(np.median(seconds))
    return {'jobs': jobs, 'wall': wall, 'epochs': len(seconds), 'per_run': per_run,
            'per_sweep': per_run / jobs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--wbits', default='1,2')
    parser.add_argument('--abits', default='1,2')
    parser.add_argument('--epochs', type=int, default=2)
    parser.add_argument('--train-size', type=int, default=20000)
    parser.add_argument('--jobs', default='1,2', help='the --jobs values to compare')
    args = parser.parse_args()
    settings = [int(value) for value in args.jobs.split(',')]
    scratch = tempfile.mkdtemp(prefix='qnn-bench-jobs-')
    try:
        results = [measure(jobs, args, scratch) for jobs in settings]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print('grid W%s x A%s, %d epochs on %d images, %d CPUs'
          % (args.wbits, args.abits, args.epochs, args.train_size, _cpu_count()))
    for result in results:
        print('--jobs %d: %3d epochs, %6.1f s wall; one run %5.1f s/epoch -> sweep %5.1f s/epoch'
              % (result['jobs'], result['epochs'], result['wall'], result['per_run'],
                 result['per_sweep']))
    base = results[0]
    for result in results[1:]:
        print('--jobs %d / --jobs %d, seconds per sweep epoch: %.2f (wall: %.2f)'
              % (result['jobs'], base['jobs'], result['per_sweep'] / base['per_sweep'],
                 result['wall'] / base['wall']))


def _cpu_count():
    import multiprocessing
    return multiprocessing.cpu_count()


if __name__ == '__main__':
    main()
