"""Rebuilding a run's network and measuring its error (deterministic forward pass)."""
from __future__ import absolute_import, division, print_function

import numpy as np

from . import runs
from .config import config_from_record
from .data.mnist import load_mnist
from .layers import lasagne
from .models import mlp
from .quantization import T, theano

__all__ = ['build_network', 'compile_predict', 'error_rate', 'params_by_name', 'set_params',
           'evaluate_run', 'load_run_network']


def build_network(config, seed=None, input_var=None):
    """The network a run configuration describes (see :func:`qnn.models.mlp`)."""
    return mlp(config['wbits'], config['abits'], n_hidden_layers=config['n_hidden_layers'],
               num_units=config['num_units'], layer_order=config['layer_order'],
               activation=config['activation'], dropout_in=config['dropout_in'],
               dropout_hidden=config['dropout_hidden'], epsilon=config['epsilon'],
               alpha=config['alpha'], input_var=input_var, seed=seed)


def params_by_name(network):
    """All parameters of ``network`` (including BN statistics) as ``{name: array}``."""
    params = lasagne.layers.get_all_params(network)
    names = [param.name for param in params]
    if None in names or len(set(names)) != len(names):
        raise ValueError('every parameter needs a unique name to be saved, got %r' % (names,))
    return {param.name: param.get_value() for param in params}


def set_params(network, arrays):
    """Load ``{name: array}`` (as from :func:`params_by_name`) into ``network``."""
    params = lasagne.layers.get_all_params(network)
    missing = sorted(p.name for p in params if p.name not in arrays)
    if missing:
        raise runs.RunError('parameters missing from the saved arrays: %s' % ', '.join(missing))
    for param in params:
        value = arrays[param.name]
        expected = param.get_value(borrow=True)
        if value.shape != expected.shape:
            raise runs.RunError('parameter %s has shape %r, the network needs %r'
                                % (param.name, value.shape, expected.shape))
        param.set_value(value.astype(expected.dtype))


def compile_predict(network):
    """A function mapping a batch of inputs to predicted classes (deterministic forward)."""
    X = T.matrix('X')
    scores = lasagne.layers.get_output(network, X, deterministic=True)
    return theano.function([X], T.argmax(scores, axis=1))


def error_rate(predict, split, batch_size=1000):
    """Fraction of ``split.X`` whose predicted class differs from ``split.y``."""
    wrong = 0
    for start in range(0, len(split.y), batch_size):
        stop = start + batch_size
        wrong += int(np.sum(predict(split.X[start:stop]) != split.y[start:stop]))
    return wrong / float(len(split.y))


def load_run_network(run_dir):
    """The network of a finished run with its best-validation parameters, and its config."""
    stored = runs.read_config(run_dir)
    config = config_from_record(stored)
    network = build_network(config)
    set_params(network, runs.load_arrays(runs.run_file(run_dir, runs.PARAMS)))
    return network, config


def evaluate_run(run_dir, data_dir=None):
    """Recompute a run's test error from its ``params.npz``.

    Returns
    -------
    float
        Test error in [0, 1].
    """
    network, config = load_run_network(run_dir)
    data = load_mnist(data_dir, binarize=config['binarize_input'])
    return error_rate(compile_predict(network), data.test)
