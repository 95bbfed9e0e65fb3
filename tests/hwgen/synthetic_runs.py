"""Run folders with random weights and measured BatchNorm statistics, for the hwgen tests."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np

from qnn import runs
from qnn.activations import quantized_activation
from qnn.config import make_config
from qnn.quantization import quantization_for


def synthetic_run(run_dir, data, wbits, abits, activation, binarize, units, seed=0,
                  layer_order='bn_act', n_hidden=2):
    """A run folder with random weights, BN statistics measured on 1000 training images
    (float64 numpy forward), random gammas of both signs and some gammas exactly 0."""
    rng = np.random.RandomState(seed)
    config = make_config(wbits=wbits, abits=abits, activation=activation, num_units=units,
                         binarize_input=binarize, n_hidden_layers=n_hidden,
                         layer_order=layer_order)
    os.makedirs(run_dir)
    runs.write_json(runs.run_file(run_dir, runs.CONFIG), dict(config, software={}))
    quantizer, act = quantization_for(wbits), quantized_activation(activation, abits)
    x = data['train'][binarize].train.X[:1000].astype(np.float64)
    sizes, arrays = [784] + [units] * n_hidden + [10], {}
    for index in range(n_hidden + 1):
        W = rng.uniform(quantizer.min, quantizer.max, sizes[index:index + 2]).astype('float32')
        b = rng.normal(0, 0.1, sizes[index + 1]).astype('float32')
        z = x.dot(quantizer.quantize_weights_np(W)) + b
        mean, inv_std = z.mean(axis=0), 1 / np.sqrt(z.var(axis=0) + 1e-4)
        gamma = rng.choice([-1, 1], sizes[index + 1]) * rng.uniform(0.5, 1.5, sizes[index + 1])
        gamma[::11] = 0
        beta = rng.normal(0, 0.3, sizes[index + 1])
        name = 'bn%d.' % index
        arrays.update({'dense%d.W' % index: W, 'dense%d.b' % index: b})
        arrays.update((name + key, value.astype('float32')) for key, value in
                      (('mean', mean), ('inv_std', inv_std), ('gamma', gamma), ('beta', beta)))
        y = (z - mean) * gamma * inv_std + beta
        x = act.numpy(y.astype('float32')).astype(np.float64)
    runs.save_arrays(runs.run_file(run_dir, runs.PARAMS), arrays)
    return run_dir
