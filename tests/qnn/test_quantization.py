"""Quantizers: the paper's Table 1, Theano == numpy twin, gradients, ranges."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.quantization import (QuantizationBinary, QuantizationFixed, binary_sigmoid_unit,
                              binary_sigmoid_unit_np, binary_tanh_unit, binary_tanh_unit_np,
                              hard_sigmoid, hard_sigmoid_np, quantization_for, round3,
                              round3_np, T, theano)

# The paper's Table 1: value -> quantized value for n = 1..8 bits.
TABLE1 = {
    0.136: [1, 0, 0, 0.25, 0.125, 0.125, 0.125, 0.140625],
    0.357: [1, 0, 0.5, 0.25, 0.375, 0.375, 0.34375, 0.359375],
    0.639: [1, 1, 0.5, 0.75, 0.625, 0.625, 0.625, 0.640625],
    1.135: [1, 1, 1, 1.25, 1.125, 1.125, 1.125, 1.140625],
    2.0: [1, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375],
}
VALUES = sorted(TABLE1)
X = T.vector('x')


def compiled(expression_of_x):
    return theano.function([X], expression_of_x(X))


@pytest.mark.parametrize('bits', range(1, 9))
def test_table1_theano_and_numpy(bits):
    quantizer = quantization_for(bits)
    values = np.array(VALUES, dtype=theano.config.floatX)
    expected = [TABLE1[v][bits - 1] for v in VALUES]
    assert compiled(quantizer.quantizeWeights)(values).tolist() == expected
    assert compiled(quantizer.quantize)(values).tolist() == expected
    assert quantizer.quantize_weights_np(values).tolist() == expected
    assert quantizer.quantize_np(values).tolist() == expected


def test_printed_equation_2_does_not_reproduce_table1():
    # The paper prints floor(x * 2^n + 2^(n-1) - 1) / 2^(n-2) - 2 + 2^-(n-2); for x = 0.357,
    # n = 3 that gives 1.0 while Table 1 (and the code) give 0.5.
    x, n = 0.357, 3
    printed = np.floor(x * 2 ** n + 2 ** (n - 1) - 1) / 2 ** (n - 2) - 2 + 2. ** -(n - 2)
    assert printed == 1.0 and TABLE1[x][n - 1] == 0.5
    corrected = np.floor(x * 2 ** (n - 2) + 2 ** (n - 1) - 0.5) / 2 ** (n - 2) - 2 + 2. ** -(n - 2)
    assert corrected == 0.5


@pytest.mark.parametrize('bits', range(2, 9))
def test_fixed_matches_floor_formula_on_grid(bits):
    # Independent closed form of the facts file: floor(x 2^(n-2) + 2^(n-1) - 1/2) / 2^(n-2)
    # - 2 + 2^-(n-2), with x clipped to +-(2 - 2^-(n-2)), computed in float64.
    grid = np.linspace(-2.5, 2.5, 100003)
    step = 2. ** -(bits - 2)
    clipped = np.clip(grid, -(2 - step), 2 - step)
    formula = np.floor(clipped / step + 2 ** (bits - 1) - 0.5) * step - 2 + step
    assert np.array_equal(QuantizationFixed(bits).quantize_np(grid), formula)


@pytest.mark.parametrize('bits', range(1, 9))
def test_range_and_levels(bits):
    quantizer = quantization_for(bits)
    if bits == 1:
        assert (quantizer.min, quantizer.max) == (-1, 1)
        assert quantizer.levels().tolist() == [-1, 1]
        return
    step = 2. ** -(bits - 2)
    assert quantizer.max == 2 - step and quantizer.min == -(2 - step)
    assert quantizer.step == step
    levels = quantizer.levels()
    assert len(levels) == 2 ** bits - 1
    assert np.allclose(np.diff(levels), step)
    grid = np.linspace(-3, 3, 20001)
    assert set(np.unique(quantizer.quantize_np(grid))) == set(levels)


def test_dense_grid_theano_equals_numpy_including_ties():
    float_x = theano.config.floatX
    grid = np.linspace(-3, 3, 600001).astype(float_x)
    ties = np.concatenate([(np.arange(-40, 41) + 0.5) / 2 ** k for k in range(7)]).astype(float_x)
    values = np.concatenate([grid, ties, [0, -0.0]]).astype(float_x)
    for bits in range(1, 9):
        quantizer = quantization_for(bits)
        for theano_method, numpy_method in [('quantize', 'quantize_np'),
                                            ('quantizeWeights', 'quantize_weights_np'),
                                            ('clipWeights', 'clip_weights_np')]:
            ours = compiled(getattr(quantizer, theano_method))(values)
            twin = getattr(quantizer, numpy_method)(values)
            assert ours.dtype == twin.dtype
            assert np.array_equal(ours, twin), (bits, theano_method)


def test_elementary_functions_and_twins():
    values = np.array([-2, -1, -0.5, -0.25, 0, 0.25, 0.5, 1, 2], dtype=theano.config.floatX)
    assert compiled(hard_sigmoid)(values).tolist() == [0, 0, 0.25, 0.375, 0.5, 0.625, 0.75, 1, 1]
    assert compiled(binary_tanh_unit)(values).tolist() == [-1, -1, -1, -1, 1, 1, 1, 1, 1]
    assert compiled(binary_sigmoid_unit)(values).tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 1]
    for theano_fn, numpy_fn in [(hard_sigmoid, hard_sigmoid_np),
                                (binary_tanh_unit, binary_tanh_unit_np),
                                (binary_sigmoid_unit, binary_sigmoid_unit_np)]:
        assert np.array_equal(compiled(theano_fn)(values), numpy_fn(values))


def test_round3_rounds_half_away_from_zero():
    values = np.array([-2.5, -1.5, -0.5, -0.49999997, 0.49999997, 0.5, 1.5, 2.5],
                      dtype='float32')
    expected = [-3, -2, -1, 0, 0, 1, 2, 3]
    assert compiled(round3)(values).tolist() == expected
    assert round3_np(values).tolist() == expected


def test_round3_gradient_is_identity():
    gradient = theano.function([X], T.grad(T.sum(round3(X) * np.float32(3)), X))
    values = np.array([-7.3, -0.5, 0.2, 4.9], dtype=theano.config.floatX)
    assert gradient(values).tolist() == [3, 3, 3, 3]


def test_binary_tanh_unit_gradient_is_one_inside_and_zero_outside():
    gradient = theano.function([X], T.grad(T.sum(binary_tanh_unit(X)), X))
    values = np.array([-1.5, -1, -0.3, 0, 0.7, 1, 1.01, 3], dtype=theano.config.floatX)
    assert gradient(values).tolist() == [0, 1, 1, 1, 1, 1, 0, 0]


@pytest.mark.parametrize('bits', range(1, 9))
def test_weight_quantizer_gradient_is_straight_through(bits):
    quantizer = quantization_for(bits)
    gradient = theano.function([X], T.grad(T.sum(quantizer.quantizeWeights(X) * 2), X))
    values = np.linspace(quantizer.min, quantizer.max, 11).astype(theano.config.floatX)
    assert gradient(values).tolist() == [2] * 11


@pytest.mark.parametrize('bits', range(2, 9))
def test_fixed_activation_gradient_zero_outside_clip_range(bits):
    quantizer = quantization_for(bits)
    gradient = theano.function([X], T.grad(T.sum(quantizer.quantize(X)), X))
    values = np.array([-3, 0.1, 3], dtype=theano.config.floatX)
    assert gradient(values).tolist() == [0, 1, 0]


def test_binary_weights_map_zero_to_plus_one():
    quantizer = QuantizationBinary()
    assert quantizer.quantize_weights_np(np.zeros(3)).tolist() == [1, 1, 1]


def test_bad_arguments_raise_with_the_value():
    for bad in (0, 9.5, 33, -1):
        with pytest.raises(ValueError) as error:
            quantization_for(bad)
        assert repr(bad) in str(error.value)
    with pytest.raises(ValueError):
        QuantizationFixed(1)
    with pytest.raises(ValueError):
        QuantizationBinary(scale=0)
