"""Seconds per training epoch of qnn's compiled step against the GEMM-only floor.

The floor is the time numpy (same BLAS) needs for the matrix products alone of one epoch of the
784-1024-1024-1024-10 MLP at batch 100: per layer the forward product and the two backward
products (input gradient, weight gradient). Both are measured in the same run, so the printed
ratio is comparable across machines.

Usage: python benchmarks/bench_training.py [--wbits W] [--abits A] [--batches N]
"""
from __future__ import absolute_import, division, print_function

import argparse
import time

import numpy as np

from qnn.config import make_config
from qnn.data.mnist import Split
from qnn.evaluate import build_network
from qnn.quantization import theano
from qnn.train import TrainingStep

SIZES = [784, 1024, 1024, 1024, 10]
BATCHES_PER_EPOCH = 500


def gemm_floor_seconds(batch_size, repeats):
    """Seconds for the matrix products of ``repeats`` training steps (numpy, float32)."""
    rng = np.random.RandomState(0)
    shapes = list(zip(SIZES[:-1], SIZES[1:]))
    weights = [rng.randn(n_in, n_out).astype('float32') for n_in, n_out in shapes]
    inputs = [rng.randn(batch_size, n_in).astype('float32') for n_in, _ in shapes]
    grads = [rng.randn(batch_size, n_out).astype('float32') for _, n_out in shapes]
    started = time.time()
    for _ in range(repeats):
        for x, w, g in zip(inputs, weights, grads):
            np.dot(x, w)      # forward
            np.dot(g, w.T)    # gradient with respect to the layer input
            np.dot(x.T, g)    # gradient with respect to the weights
    return time.time() - started


def qnn_step_seconds(wbits, abits, batch_size, repeats):
    """Seconds for ``repeats`` compiled qnn training steps (after one warm-up step)."""
    config = make_config(wbits=wbits, abits=abits, epochs=10)
    rng = np.random.RandomState(0)
    n = batch_size * repeats
    split = Split(rng.uniform(-1, 1, (n, 784)).astype('float32'),
                  rng.randint(0, 10, n).astype('int32'))
    step = TrainingStep(build_network(config, seed=1), split, batch_size)
    step.run_epoch(config['seed'], 0, 1e-3, lambda batches: list(batches)[:1])
    started = time.time()
    step.run_epoch(config['seed'], 1, 1e-3, lambda batches: batches)
    return time.time() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--wbits', type=int, default=2)
    parser.add_argument('--abits', type=int, default=2)
    parser.add_argument('--batches', type=int, default=100, help='steps to time')
    args = parser.parse_args()
    ours = qnn_step_seconds(args.wbits, args.abits, 100, args.batches)
    floor = gemm_floor_seconds(100, args.batches)
    scale = BATCHES_PER_EPOCH / float(args.batches)
    print('Theano %s, floatX=%s, blas.ldflags=%r' % (theano.__version__, theano.config.floatX,
                                                    theano.config.blas.ldflags))
    print('W%dA%d, batch 100, %d steps timed' % (args.wbits, args.abits, args.batches))
    print('qnn training step : %6.1f s/epoch' % (ours * scale))
    print('GEMM-only floor   : %6.1f s/epoch' % (floor * scale))
    print('ratio qnn / floor : %6.2f' % (ours / floor))


if __name__ == '__main__':
    main()
