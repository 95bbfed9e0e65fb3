"""The paper's MLP: structure, names, orders, bad arguments."""
from __future__ import absolute_import

import pytest

from qnn.activations import QuantizedHardTanh, QuantizedTanh
from qnn.layers import BatchNormLayer, DenseLayer, lasagne
from qnn.models import mlp


def _layers(net):
    return lasagne.layers.get_all_layers(net)


def test_paper_network_structure_bn_act():
    net = mlp(2, 3)
    names = [layer.name for layer in _layers(net)]
    assert names == ['input', 'drop_in',
                     'dense0', 'bn0', 'act0', 'drop0',
                     'dense1', 'bn1', 'act1', 'drop1',
                     'dense2', 'bn2', 'act2', 'drop2',
                     'dense3', 'bn3']
    layers = {layer.name: layer for layer in _layers(net)}
    assert [layers['dense%d' % i].num_units for i in range(4)] == [1024, 1024, 1024, 10]
    assert layers['drop_in'].p == pytest.approx(0.2) and layers['drop0'].p == pytest.approx(0.5)
    assert all(layers['dense%d' % i].quantization.bit_width == 2 for i in range(4))
    assert isinstance(layers['act0'].nonlinearity, QuantizedHardTanh)
    assert layers['act0'].nonlinearity.bits == 3
    assert isinstance(layers['bn3'], BatchNormLayer)
    assert layers['bn0'].epsilon == pytest.approx(1e-4) and layers['bn0'].alpha == 0.1
    n_params = lasagne.layers.count_params(net)
    dense = 784 * 1024 + 2 * 1024 * 1024 + 1024 * 10 + 3 * 1024 + 10
    assert n_params == dense + 4 * (3 * 1024 + 10)
    assert 'dense0.W' in [p.name for p in lasagne.layers.get_all_params(net)]


def test_act_bn_order_and_tanh():
    net = mlp(1, 4, layer_order='act_bn', activation='tanh', n_hidden_layers=2, num_units=32)
    names = [layer.name for layer in _layers(net)]
    assert names[2:6] == ['dense0', 'act0', 'bn0', 'drop0']
    assert isinstance(_layers(net)[3].nonlinearity, QuantizedTanh)
    assert isinstance(_layers(net)[-2], DenseLayer)


def test_same_seed_same_initial_weights():
    first = mlp(1, 1, num_units=16, seed=7)
    second = mlp(1, 1, num_units=16, seed=7)
    other = mlp(1, 1, num_units=16, seed=8)
    values = [lasagne.layers.get_all_param_values(n) for n in (first, second, other)]
    assert all((a == b).all() for a, b in zip(values[0], values[1]))
    assert not (values[0][0] == values[2][0]).all()


@pytest.mark.parametrize('kwargs', [dict(weight_bits=0, act_bits=1),
                                    dict(weight_bits=1, act_bits=9),
                                    dict(weight_bits=1, act_bits=1, layer_order='bn'),
                                    dict(weight_bits=1, act_bits=1, activation='relu')])
def test_bad_arguments(kwargs):
    with pytest.raises(ValueError):
        mlp(**kwargs)
