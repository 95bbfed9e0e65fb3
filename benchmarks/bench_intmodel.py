"""Images per second of hwgen's integer model against the float Theano forward pass.

Trains nothing: it builds the paper's network (784-1024x3-10) for W/A with seeded initial
weights, gives the batch norms data statistics with one training-mode pass, writes it as a run
folder, exports it with hwgen and classifies the 10 000 MNIST test images both ways in the same
run. It also reports how many predictions agree.

Usage: python benchmarks/bench_intmodel.py [--wbits W] [--abits A] [--data-dir D]
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import shutil
import tempfile
import time

import numpy as np

from hwgen.trained.network import from_run
from qnn import runs
from qnn.config import make_config
from qnn.data.mnist import load_mnist, load_subset
from qnn.evaluate import build_network, compile_predict, params_by_name
from qnn.layers import lasagne
from qnn.provenance import software_versions
from qnn.quantization import T, theano


def _run_folder(config, data, folder):
    """A run folder holding the seeded network with BN statistics of 10 000 training images."""
    network = build_network(config, seed=config['seed'])
    X = T.matrix('X')
    update_stats = theano.function([X], lasagne.layers.get_output(
        network, X, deterministic=False, batch_norm_use_averages=False))
    for layer in lasagne.layers.get_all_layers(network):
        if hasattr(layer, 'alpha'):
            layer.alpha = 1.0  # one pass sets the running statistics to the batch's
    update_stats(data.train.X[:10000])
    record = dict(config, software=software_versions())
    runs.write_json(os.path.join(folder, runs.CONFIG), record)
    runs.save_arrays(os.path.join(folder, runs.PARAMS), params_by_name(network))
    return network


def _images_per_second(function, repeats=3):
    best = np.inf
    for _ in range(repeats):
        started = time.time()
        result = function()
        best = min(best, time.time() - started)
    return 10000 / best, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--wbits', type=int, default=2)
    parser.add_argument('--abits', type=int, default=2)
    parser.add_argument('--data-dir')
    args = parser.parse_args()
    config = make_config(wbits=args.wbits, abits=args.abits)
    data = load_mnist(args.data_dir)
    images, _ = load_subset('test', args.data_dir)
    folder = tempfile.mkdtemp(prefix='qnn-bench-')
    try:
        network = _run_folder(config, data, folder)
        predict = compile_predict(network)
        float_rate, float_classes = _images_per_second(
            lambda: np.concatenate([predict(data.test.X[i:i + 1000])
                                    for i in range(0, 10000, 1000)]))
        hardware = from_run(folder)
        int_rate, int_classes = _images_per_second(lambda: hardware.classify(images))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print('W%dA%d, 784-1024x3-10, 10 000 MNIST test images' % (args.wbits, args.abits))
    print('Theano float forward : %8.0f images/s' % float_rate)
    print('hwgen integer model  : %8.0f images/s' % int_rate)
    print('ratio integer / float: %8.2f' % (int_rate / float_rate))
    print('same predictions     : %d of 10000' % int(np.sum(float_classes == int_classes)))


if __name__ == '__main__':
    main()
