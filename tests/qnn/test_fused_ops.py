"""The fused update op: C code against its numpy twin, the twin against the reference rule."""
from __future__ import absolute_import, division

from collections import OrderedDict

import numpy as np
import pytest

from qnn.fused_ops import FusedAdam, fused_adam_np
from qnn.layers import DenseLayer
from qnn.quantization import QuantizationFixed, T, theano
from qnn.updates import adam, clip_ranges, fused_adam, quantized_weight_updates

SHAPE = (37, 29)  # odd sizes: no loop happens to fit a vector width


def _state(seed, clip=1.0):
    rng = np.random.RandomState(seed)
    param = rng.uniform(-clip, clip, SHAPE).astype('float32')
    param.flat[:5] = [clip, -clip, 0, clip * 0.999, -clip * 0.999]  # at and near the clip bounds
    m = (rng.randn(*SHAPE) * 1e-2).astype('float32')
    v = (rng.rand(*SHAPE) * 1e-4).astype('float32')
    grad = rng.randn(*SHAPE).astype('float32')
    return param, m, v, grad


def _compiled_step(op, param, m, v, grad, lr_t):
    """Run ``op`` as a training step does: on shared variables that it updates."""
    shared = [theano.shared(x.copy()) for x in (param, m, v)]
    outputs = op(*(shared + [T.constant(grad), T.constant(np.float32(lr_t))]))
    step = theano.function([], [], updates=OrderedDict(zip(shared, outputs)))
    step()
    return [s.get_value() for s in shared], step


@pytest.mark.parametrize('rule', [dict(), dict(scale=34.718, low=-1.0, high=1.0),
                                  dict(scale=26.255, low=-1.75, high=1.75)])
def test_compiled_op_gives_the_bits_of_its_numpy_twin(rule):
    param, m, v, grad = _state(0, rule.get('high', 1.0))
    lr_t = 3e-3 * np.sqrt(1 - 0.999 ** 7) / (1 - 0.9 ** 7)
    compiled, step = _compiled_step(FusedAdam(**rule), param, m, v, grad, lr_t)
    expected = fused_adam_np(param, m, v, grad, np.float32(lr_t), **rule)
    for got, want in zip(compiled, expected):
        assert got.dtype == np.float32 and np.array_equal(got, want)
    # The training step's variant: in place, through the C code.
    ops = [node.op for node in step.maker.fgraph.toposort() if isinstance(node.op, FusedAdam)]
    assert [op.inplace for op in ops] == [True]
    if rule:
        assert compiled[0].min() == rule['low'] and compiled[0].max() == rule['high']


def test_copying_op_leaves_its_inputs_alone():
    param, m, v, grad = _state(1)
    inputs = [T.matrix() for _ in range(4)]
    lr_t = T.scalar()
    run = theano.function(inputs + [lr_t], FusedAdam(scale=2.0, low=-1.0, high=1.0)(
        *(inputs + [lr_t])))
    copies = [x.copy() for x in (param, m, v, grad)]
    got = run(param, m, v, grad, np.float32(1e-3))
    expected = fused_adam_np(param, m, v, grad, np.float32(1e-3), scale=2.0, low=-1.0, high=1.0)
    assert all(np.array_equal(a, b) for a, b in zip(got, expected))
    assert all(np.array_equal(a, b) for a, b in zip(copies, (param, m, v, grad)))


def test_first_step_moves_each_weight_by_the_scaled_learning_rate_against_its_gradient():
    # From zero moments Adam's first step is lr * sign(g) (up to epsilon): by hand,
    # m = 0.1 g, v = 0.001 g^2, lr_1 = lr sqrt(0.001) / 0.1, step = lr_1 m / sqrt(v) = lr sign(g).
    param = np.array([0.5, -0.5, 0.9, -0.9, 0.0], dtype='float32')
    grad = np.array([2.0, -0.5, -1.0, 1.0, 3.0], dtype='float32')
    zeros = np.zeros_like(param)
    lr, scale = 1e-3, 10.0
    lr_1 = np.float32(lr * np.sqrt(1 - 0.999) / (1 - 0.9))
    new, m, v = fused_adam_np(param, zeros, zeros, grad, lr_1, scale=scale, low=-1., high=1.)
    assert np.allclose(new, [0.49, -0.49, 0.91, -0.91, -0.01], rtol=0, atol=1e-6)
    assert np.allclose(m, 0.1 * grad) and np.allclose(v, 0.001 * grad ** 2)
    new, _, _ = fused_adam_np(param, zeros, zeros, grad, lr_1 * 20, scale=scale, low=-1., high=1.)
    assert np.allclose(new, [0.3, -0.3, 1.0, -1.0, -0.2], rtol=0, atol=1e-6)
    assert new[2] == 1.0 and new[3] == -1.0  # clipped exactly to the quantizer's range


def test_fused_rule_agrees_with_the_reference_expressions():
    """fused_adam = adam + quantized_weight_updates, to rounding, over several steps."""
    rng = np.random.RandomState(2)
    X = rng.randn(64, 20).astype('float32')
    y = rng.randn(64, 8).astype('float32')
    results = []
    for fused in (False, True):
        layer = DenseLayer((None, 20), 8, quantization=QuantizationFixed(3), b=None)
        layer.W.set_value(rng.uniform(-1.75, 1.75, (20, 8)).astype('float32')
                          if not results else results[0][1])
        loss = T.mean(T.sqr(layer.get_output_for(T.constant(X)) - y))
        grads = T.grad(loss, [layer.W])
        if fused:
            updates = fused_adam(grads, [layer.W], 1e-2, clip_ranges([layer]))[0]
        else:
            updates = quantized_weight_updates(adam(grads, [layer.W], 1e-2)[0], [layer])
        initial = layer.W.get_value()
        step = theano.function([], loss, updates=updates)
        for _ in range(20):
            step()
        results.append((layer.W.get_value(), initial))
    reference, fused = results[0][0], results[1][0]
    assert np.allclose(fused, reference, rtol=1e-5, atol=1e-6)
    assert not np.allclose(fused, results[1][1])  # the weights did move


def test_op_refuses_mismatched_inputs():
    with pytest.raises(TypeError):
        FusedAdam()(T.matrix(), T.matrix(), T.vector(), T.matrix(), T.scalar())
    with pytest.raises(ValueError):
        FusedAdam(scale=2.0)
