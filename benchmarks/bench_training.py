"""Seconds per training epoch of qnn's compiled step against the GEMM-only floor.

The floor is the time the matrix products alone of one epoch of the 784-1024-1024-1024-10 MLP
at batch 100 take: per layer the forward product and the two backward products (input
gradient, weight gradient). It is timed twice: with Theano's compiled ``Dot22``, the BLAS the
step itself calls (``blas.ldflags``), which gives the ratios; and with numpy, whose BLAS may be
another (the paper stack's numpy 1.15 wheel carries an older, slower OpenBLAS), for reference.
Floors and steps are measured in the same run, so the ratios are comparable across machines.
Each is timed in wall-clock seconds and in CPU seconds of this process (user + system), which a
busy machine disturbs less; with ``OPENBLAS_NUM_THREADS=1`` (each run of a ``--jobs 2`` sweep on
2 cores) the CPU ratio is the work ratio.

Usage: python benchmarks/bench_training.py [--networks W1A1,W2A2,W8A8] [--batches N]
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import re
import sys
import time

import numpy as np

from qnn.config import make_config
from qnn.data.mnist import Split
from qnn.evaluate import build_network
from qnn.quantization import theano
from qnn.train import TrainingStep

SIZES = [784, 1024, 1024, 1024, 10]
BATCHES_PER_EPOCH = 500


class Clock(object):
    """Wall-clock and CPU seconds (user + system of this process) since creation."""

    def __init__(self):
        self.wall, self.cpu = time.time(), self._cpu()

    @staticmethod
    def _cpu():
        times = os.times()
        return times[0] + times[1]

    def elapsed(self):
        """(wall seconds, CPU seconds)."""
        return time.time() - self.wall, self._cpu() - self.cpu


def _floor_operands(batch_size):
    """Per layer: weights, layer inputs and output gradients of one step, float32."""
    rng = np.random.RandomState(0)
    shapes = list(zip(SIZES[:-1], SIZES[1:]))
    weights = [rng.randn(n_in, n_out).astype('float32') for n_in, n_out in shapes]
    inputs = [rng.randn(batch_size, n_in).astype('float32') for n_in, _ in shapes]
    grads = [rng.randn(batch_size, n_out).astype('float32') for _, n_out in shapes]
    return weights, inputs, grads


def theano_gemm_floor_seconds(batch_size, repeats):
    """(wall, CPU) seconds for the matrix products of ``repeats`` steps, compiled by Theano."""
    products = []
    for w, x, g in zip(*_floor_operands(batch_size)):
        w, x, g = [theano.shared(value) for value in (w, x, g)]
        products += [theano.tensor.dot(x, w), theano.tensor.dot(g, w.T),
                     theano.tensor.dot(x.T, g)]
    products_fn = theano.function([], products)
    products_fn()
    clock = Clock()
    for _ in range(repeats):
        products_fn()
    return clock.elapsed()


def gemm_floor_seconds(batch_size, repeats):
    """(wall, CPU) seconds for the matrix products of ``repeats`` training steps (numpy)."""
    weights, inputs, grads = _floor_operands(batch_size)
    clock = Clock()
    for _ in range(repeats):
        for x, w, g in zip(inputs, weights, grads):
            np.dot(x, w)      # forward
            np.dot(g, w.T)    # gradient with respect to the layer input
            np.dot(x.T, g)    # gradient with respect to the weights
    return clock.elapsed()


def qnn_step_seconds(wbits, abits, batch_size, repeats):
    """(wall, CPU) seconds for ``repeats`` compiled qnn training steps (after a warm-up step)."""
    config = make_config(wbits=wbits, abits=abits, epochs=10)
    rng = np.random.RandomState(0)
    n = batch_size * repeats
    split = Split(rng.uniform(-1, 1, (n, 784)).astype('float32'),
                  rng.randint(0, 10, n).astype('int32'))
    step = TrainingStep(build_network(config, seed=1), split, batch_size)
    step.run_epoch(config['seed'], 0, 1e-3, lambda batches: list(batches)[:1])
    clock = Clock()
    step.run_epoch(config['seed'], 1, 1e-3, lambda batches: batches)
    return clock.elapsed()


def parse_networks(text):
    """'W1A1,W2A2' -> [(1, 1), (2, 2)]."""
    networks = []
    for item in text.split(','):
        match = re.match(r'^W([1-8])A([1-8])$', item.strip(), re.IGNORECASE)
        if not match:
            raise argparse.ArgumentTypeError('networks are written W<bits>A<bits>, got %r' % item)
        networks.append((int(match.group(1)), int(match.group(2))))
    return networks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--networks', type=parse_networks, default='W1A1,W2A2,W8A8',
                        help='comma-separated W<bits>A<bits> (default W1A1,W2A2,W8A8)')
    parser.add_argument('--batches', type=int, default=100, help='steps to time')
    args = parser.parse_args()
    scale = BATCHES_PER_EPOCH / float(args.batches)
    print('Python %d.%d, Theano %s, floatX=%s, blas.ldflags=%r, OPENBLAS_NUM_THREADS=%s'
          % (sys.version_info[0], sys.version_info[1], theano.__version__, theano.config.floatX,
             theano.config.blas.ldflags, os.environ.get('OPENBLAS_NUM_THREADS', 'unset')))
    print('batch 100, %d steps timed, seconds per epoch of 50 000 images' % args.batches)
    print('ratios: step / GEMM floor (Theano), the BLAS the step calls')
    print('%-22s %8s %8s %10s %10s' % ('', 'wall s', 'CPU s', 'wall ratio', 'CPU ratio'))
    numpy_floor = gemm_floor_seconds(100, args.batches)
    floor = theano_gemm_floor_seconds(100, args.batches)
    print('%-22s %8.1f %8.1f' % ('GEMM floor (numpy)', numpy_floor[0] * scale,
                                 numpy_floor[1] * scale))
    print('%-22s %8.1f %8.1f' % ('GEMM floor (Theano)', floor[0] * scale, floor[1] * scale))
    for wbits, abits in args.networks:
        ours = qnn_step_seconds(wbits, abits, 100, args.batches)
        print('%-22s %8.1f %8.1f %10.2f %10.2f'
              % ('qnn step W%dA%d' % (wbits, abits), ours[0] * scale, ours[1] * scale,
                 ours[0] / floor[0], ours[1] / floor[1]))


if __name__ == '__main__':
    main()
