"""The paper's MLP (784-1024-1024-1024-10, BNN-PYNQ's LFC) in Brevitas, and its parameters.

The layers carry qnn's names (``drop_in``, ``dense0``, ``bn0``, ``act0``, ``drop0``, ...,
``dense3``, ``bn3``), so :func:`qnn_params` can write a ``params.npz`` with qnn's array names
(``dense0.W`` of shape (in, out), ``bn0.mean``, ``bn0.inv_std``, ...).

Differences from qnn's Lasagne model that are inherent to PyTorch, not to quantization:

* ``torch.nn.BatchNorm1d`` keeps a running average of the (unbiased) batch *variance*; qnn,
  like Lasagne, keeps a running average of ``1 / sqrt(biased variance + eps)``. Training-mode
  normalisation is the same (biased variance); inference uses slightly different statistics.
* Dropout masks come from torch's generator, not Theano's.

Examples
--------
>>> from qnn_brevitas.config import make_config
>>> model = build_mlp(make_config(wbits=2, abits=2, num_units=16, n_hidden_layers=1))
>>> [name for name, _ in model.named_children()]
['drop_in', 'dense0', 'bn0', 'act0', 'drop0', 'dense1', 'bn1']
"""
from __future__ import absolute_import, division, print_function

from collections import OrderedDict

import numpy as np
import torch
from brevitas.nn import QuantLinear
from brevitas.nn.quant_layer import QuantNonLinearActLayer
from qnn.numeric import glorot_lr_scale
from qnn.naming import DROP_IN, block_stages, layer_name

from .quantizers import act_quantizer, weight_quantizer, weight_range

__all__ = ['UnitClamp', 'Tanh', 'QuantMLP', 'build_mlp', 'quantized_linears',
           'init_weights', 'glorot_lr_scale', 'qnn_params', 'N_INPUTS', 'N_CLASSES']

N_INPUTS = 784
N_CLASSES = 10


class UnitClamp(torch.nn.Module):
    """clip(x, -1, 1), gradient 1 inside and 0 outside: the "hard tanh" before quantization.

    Deliberately not a ``torch.nn.Hardtanh``: Brevitas drops a Hardtanh ``act_impl`` when a
    quantizer follows, while the paper's activation clips to +-1 inside a wider grid.
    """

    def __init__(self):  # an explicit signature for Brevitas' dependency injector
        super(UnitClamp, self).__init__()

    def forward(self, x):
        return torch.clamp(x, -1.0, 1.0)


class Tanh(torch.nn.Module):
    """tanh(x), for the paper's quantized hyperbolic tangent (its Fig. 3)."""

    def __init__(self):  # an explicit signature for Brevitas' dependency injector
        super(Tanh, self).__init__()

    def forward(self, x):
        return torch.tanh(x)


def quant_activation(activation, act_quant, abits):
    """The quantized activation layer: ``act_impl`` followed by the activation quantizer.

    ``'hard_tanh'`` with the paper's quantizer clips to +-1 first (``UnitClamp``); Brevitas'
    own quantizer already saturates at +-1, as in its bnn_pynq models (no ``act_impl``).
    """
    if activation == 'tanh':
        act_impl = Tanh
    elif activation == 'hard_tanh':
        act_impl = UnitClamp if act_quant == 'paper' and abits > 1 else None
    else:
        raise ValueError("activation must be 'hard_tanh' or 'tanh', got %r" % (activation,))
    return QuantNonLinearActLayer(act_impl=act_impl, passthrough_act=True, input_quant=None,
                                  act_quant=act_quantizer(act_quant, abits), bit_width=abits,
                                  return_quant_tensor=False)


class QuantMLP(torch.nn.Sequential):
    """The quantized MLP: a ``Sequential`` of named layers taking (batch, 784) inputs, as qnn's
    (see :func:`build_mlp`)."""


def _hidden_block(index, n_in, config):
    dense = QuantLinear(n_in, config['num_units'], bias=True,
                        weight_quant=weight_quantizer(config['weight_quant'], config['wbits']),
                        weight_bit_width=config['wbits'])
    bn = torch.nn.BatchNorm1d(config['num_units'], eps=config['epsilon'],
                              momentum=config['alpha'])
    act = quant_activation(config['activation'], config['act_quant'], config['abits'])
    stages = {'bn': bn, 'act': act}
    layers = [(layer_name('dense', index), dense)] + [
        (layer_name(stage, index), stages[stage]) for stage in block_stages(config['layer_order'])]
    return layers + [(layer_name('drop', index), torch.nn.Dropout(config['dropout_hidden']))]


def build_mlp(config):
    """The MLP a run configuration describes (uninitialised weights: see :func:`init_weights`).

    Input -> Dropout(dropout_in) -> n_hidden_layers x [QuantLinear(num_units) -> BN ->
    quantized activation -> Dropout(dropout_hidden)] -> QuantLinear(10) -> BN, with the BN and
    activation swapped for ``layer_order='act_bn'``.

    Parameters
    ----------
    config : dict
        From :func:`qnn_brevitas.config.make_config`.

    Returns
    -------
    QuantMLP
    """
    layers = [(DROP_IN, torch.nn.Dropout(config['dropout_in']))]
    n_in = N_INPUTS
    for index in range(config['n_hidden_layers']):
        layers += _hidden_block(index, n_in, config)
        n_in = config['num_units']
    last = config['n_hidden_layers']
    layers.append((layer_name('dense', last), QuantLinear(
        n_in, N_CLASSES, bias=True,
        weight_quant=weight_quantizer(config['weight_quant'], config['wbits']),
        weight_bit_width=config['wbits'])))
    layers.append((layer_name('bn', last), torch.nn.BatchNorm1d(
        N_CLASSES, eps=config['epsilon'], momentum=config['alpha'])))
    return QuantMLP(OrderedDict(layers))


def quantized_linears(model):
    """``[(name, QuantLinear)]`` of ``model``, in order."""
    return [(name, layer) for name, layer in model.named_children()
            if isinstance(layer, QuantLinear)]


def init_weights(model, config, seed):
    """Latent weights ~ U(weight range) drawn from ``numpy.random.RandomState(seed)``; biases 0.

    The range is the quantizer's (``qnn``: ``U(min, max)``; bnn_pynq: ``U(-1, 1)``). BatchNorm
    keeps PyTorch's initialisation (gamma 1, beta 0, running mean 0, variance 1), as qnn's.
    """
    low, high = weight_range(config['weight_quant'], config['wbits'])
    rng = np.random.RandomState(seed)
    with torch.no_grad():
        for _, layer in quantized_linears(model):
            values = rng.uniform(low, high, size=tuple(layer.weight.shape[::-1])).T
            layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(values, np.float32)))
            layer.bias.zero_()


def _bn_arrays(name, bn):
    var = bn.running_var.detach().cpu().numpy()
    inv_std = (1.0 / np.sqrt(var.astype(np.float64) + bn.eps)).astype(np.float32)
    return {name + '.gamma': bn.weight.detach().cpu().numpy(),
            name + '.beta': bn.bias.detach().cpu().numpy(),
            name + '.mean': bn.running_mean.detach().cpu().numpy(),
            name + '.inv_std': inv_std}


def qnn_params(model):
    """The parameters as qnn names them: ``dense<i>.W`` (in, out) and ``.b``, ``bn<i>.gamma``,
    ``.beta``, ``.mean``, ``.inv_std`` (``1 / sqrt(running_var + eps)``), float32.

    Returns
    -------
    dict of str to numpy.ndarray
    """
    arrays = {}
    for name, layer in model.named_children():
        if isinstance(layer, QuantLinear):
            arrays[name + '.W'] = np.ascontiguousarray(layer.weight.detach().cpu().numpy().T)
            arrays[name + '.b'] = layer.bias.detach().cpu().numpy()
        elif isinstance(layer, torch.nn.BatchNorm1d):
            arrays.update(_bn_arrays(name, layer))
    return {key: np.asarray(value, dtype=np.float32) for key, value in arrays.items()}
