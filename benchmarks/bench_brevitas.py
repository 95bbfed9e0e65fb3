"""Seconds per training epoch of the Brevitas flow and of qnn's Theano flow, same config.

Both are timed the same way, in one run: ``--batches`` training steps of the
784-1024-1024-1024-10 MLP at batch 100 after a warm-up, scaled to an epoch of 50 000 images
(500 steps). The Brevitas side runs here (``.venv-brevitas``), once with the paper's quantizers
and once with Brevitas' bnn_pynq quantizers; the Theano side is qnn's own
``benchmarks/bench_training.py``, run by the modern stack's Python in a child process, which
also prints the GEMM-only floor (the same matrix products, compiled by Theano).

Usage: python benchmarks/bench_brevitas.py [--wbits W] [--abits A] [--batches N]
       [--threads T] [--theano-python .venv/bin/python]
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np
import torch

from qnn_brevitas.config import make_config
from qnn_brevitas.model import build_mlp, init_weights
from qnn_brevitas.optim import hinge_targets, squared_hinge
from qnn_brevitas.train import make_optimizer

HERE = os.path.dirname(os.path.abspath(__file__))
BATCHES_PER_EPOCH = 500
BATCH_SIZE = 100


def brevitas_step_seconds(wbits, abits, setting, repeats, warmup=5):
    """Seconds for ``repeats`` Brevitas training steps (after ``warmup`` steps)."""
    config = make_config(wbits=wbits, abits=abits, epochs=10, weight_quant=setting)
    model = build_mlp(config)
    init_weights(model, config, 1)
    optimizer = make_optimizer(model, config)
    rng = np.random.RandomState(0)
    inputs = torch.from_numpy(rng.uniform(-1, 1, (BATCH_SIZE, 784)).astype('float32'))
    targets = hinge_targets(rng.randint(0, 10, BATCH_SIZE))
    model.train()

    def step():
        optimizer.zero_grad(set_to_none=True)
        squared_hinge(targets, model(inputs)).backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    started = time.time()
    for _ in range(repeats):
        step()
    return time.time() - started


def theano_seconds_per_epoch(python, wbits, abits, batches, threads):
    """qnn's step and GEMM floor in s/epoch, from ``bench_training.py`` in ``python``."""
    env = dict(os.environ)
    if threads:
        for name in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
            env[name] = str(threads)
    output = subprocess.check_output(
        [python, os.path.join(HERE, 'bench_training.py'), '--networks', 'W%dA%d' % (wbits, abits),
         '--batches', str(batches)], env=env, cwd=os.path.dirname(HERE))
    text = output.decode('utf-8')
    # rows '<name>  <wall s>  <CPU s> ...': Brevitas is timed in wall-clock seconds too
    step = re.search(r'^qnn step W%dA%d\s+([0-9.]+)' % (wbits, abits), text, re.MULTILINE)
    floor = re.search(r'^GEMM floor \(Theano\)\s+([0-9.]+)', text, re.MULTILINE)
    if not step or not floor:
        raise RuntimeError('unexpected output of bench_training.py:\n' + text)
    return float(step.group(1)), float(floor.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--wbits', type=int, default=2)
    parser.add_argument('--abits', type=int, default=2)
    parser.add_argument('--batches', type=int, default=100, help='steps to time')
    parser.add_argument('--threads', type=int, help='threads of both flows (default: all)')
    parser.add_argument('--theano-python', default=os.path.join(os.path.dirname(HERE), '.venv',
                                                                 'bin', 'python'),
                        help="the modern stack's Python (default .venv/bin/python)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)  # as in training
    scale = BATCHES_PER_EPOCH / float(args.batches)
    results = [('Brevitas, paper quantizers', scale * brevitas_step_seconds(
        args.wbits, args.abits, 'paper', args.batches)),
        ('Brevitas, bnn_pynq quantizers', scale * brevitas_step_seconds(
            args.wbits, args.abits, 'brevitas', args.batches))]
    floor = None
    if os.path.isfile(args.theano_python):
        theano, floor = theano_seconds_per_epoch(args.theano_python, args.wbits, args.abits,
                                                 args.batches, args.threads)
        results.insert(0, ('Theano (qnn)', theano))
    else:
        sys.stderr.write('no Theano flow: %s not found\n' % args.theano_python)
    print('torch %s, %d threads; W%dA%d, batch %d, %d steps timed, scaled to %d steps'
          % (torch.__version__, torch.get_num_threads(), args.wbits, args.abits, BATCH_SIZE,
             args.batches, BATCHES_PER_EPOCH))
    for name, seconds in results:
        ratio = '' if floor is None else '  (%.2f x GEMM floor)' % (seconds / floor)
        print('%-30s: %6.1f s/epoch%s' % (name, seconds, ratio))
    if floor is not None:
        print('%-30s: %6.1f s/epoch' % ('GEMM-only floor (Theano)', floor))
        theano = results[0][1]
        for name, seconds in results[1:]:
            print('%s / Theano (qnn): %.2f' % (name, seconds / theano))


if __name__ == '__main__':
    main()
