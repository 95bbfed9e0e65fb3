"""The paper's multilayer perceptron (its Fig. 4; BNN-PYNQ's LFC): 784-1024-1024-1024-10."""
from __future__ import absolute_import, division, print_function

import contextlib

import numpy as np

from ..activations import quantized_activation
from ..config import LAYER_ORDERS
from ..naming import DROP_IN, block_stages, layer_name
from ..dropout import DropoutLayer
from ..layers import BatchNormLayer, DenseLayer, lasagne
from ..quantization import quantization_for

__all__ = ['mlp', 'LAYER_ORDERS', 'seeded_lasagne_rng']


@contextlib.contextmanager
def seeded_lasagne_rng(seed):
    """Temporarily make Lasagne's global RNG ``RandomState(seed)`` (initial weights, dropout).

    ``seed=None`` leaves Lasagne's RNG as it is.
    """
    if seed is None:
        yield
        return
    previous = lasagne.random.get_rng()
    lasagne.random.set_rng(np.random.RandomState(seed))
    try:
        yield
    finally:
        lasagne.random.set_rng(previous)


def _check_bits(name, bits):
    if int(bits) != bits or not 1 <= bits <= 8:
        raise ValueError('%s must be an integer in 1..8, got %r' % (name, bits))


def mlp(weight_bits, act_bits, n_hidden_layers=3, num_units=1024, layer_order='bn_act',
        activation='hard_tanh', n_inputs=784, n_classes=10, dropout_in=0.2, dropout_hidden=0.5,
        epsilon=1e-4, alpha=0.1, W_LR_scale='Glorot', input_var=None, seed=None):
    """Build the quantized MLP of the paper.

    Input -> Dropout(dropout_in) -> n_hidden_layers x [DenseLayer(num_units) -> BN -> activation
    -> Dropout(dropout_hidden)] -> DenseLayer(n_classes) -> BN (the BN/activation order follows
    ``layer_order``). Layers are named ``dense<i>``, ``bn<i>``, ``act<i>``, ``drop<i>``, so their
    parameters are ``dense0.W``, ``bn0.gamma``, ...

    Parameters
    ----------
    weight_bits, act_bits : int
        Weight and activation precision, 1..8.
    n_hidden_layers, num_units : int
        Depth and width of the hidden part.
    layer_order : {'bn_act', 'act_bn'}
        See :data:`qnn.config.LAYER_ORDERS`.
    activation : {'hard_tanh', 'tanh'}
        The quantized activation (see :mod:`qnn.activations`).
    n_inputs, n_classes : int
        Input and output sizes.
    dropout_in, dropout_hidden : float
        Dropout probabilities (inverted dropout, masks from :mod:`qnn.dropout`).
    epsilon, alpha : float
        BatchNorm epsilon and running-average factor.
    W_LR_scale : float or 'Glorot'
        Learning-rate scale of the quantized weights.
    input_var : Theano variable, optional
        Symbolic input of shape (batch, n_inputs).
    seed : int, optional
        Seeds the initial weights and the dropout streams.

    Returns
    -------
    lasagne.layers.Layer
        The output layer (class scores before any nonlinearity).
    """
    _check_bits('weight_bits', weight_bits)
    _check_bits('act_bits', act_bits)
    stages = block_stages(layer_order)
    weight_quant = quantization_for(weight_bits)
    act = quantized_activation(activation, act_bits)
    with seeded_lasagne_rng(seed):
        net = lasagne.layers.InputLayer((None, n_inputs), input_var=input_var, name='input')
        net = DropoutLayer(net, p=dropout_in, name=DROP_IN)
        for index in range(n_hidden_layers):
            net = DenseLayer(net, num_units, quantization=weight_quant, W_LR_scale=W_LR_scale,
                             name=layer_name('dense', index))
            for stage in stages:
                if stage == 'bn':
                    net = BatchNormLayer(net, epsilon=epsilon, alpha=alpha,
                                         name=layer_name('bn', index))
                else:
                    net = lasagne.layers.NonlinearityLayer(net, act, name=layer_name('act', index))
            net = DropoutLayer(net, p=dropout_hidden, name=layer_name('drop', index))
        net = DenseLayer(net, n_classes, quantization=weight_quant, W_LR_scale=W_LR_scale,
                         name=layer_name('dense', n_hidden_layers))
        net = BatchNormLayer(net, epsilon=epsilon, alpha=alpha,
                             name=layer_name('bn', n_hidden_layers))
    return net
