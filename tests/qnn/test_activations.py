"""Quantized activations: levels, monotonicity, Theano == numpy, gradients, tanh accuracy."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.activations import QuantizedHardTanh, QuantizedTanh, quantized_activation
from qnn.quantization import T, theano

X = T.vector('x')
GRID = np.linspace(-4, 4, 400001).astype(theano.config.floatX)


@pytest.mark.parametrize('kind', ['hard_tanh', 'tanh'])
@pytest.mark.parametrize('bits', range(1, 9))
def test_theano_equals_numpy_levels_and_monotonic(kind, bits):
    activation = quantized_activation(kind, bits)
    output = theano.function([X], activation(X))(GRID)
    assert np.array_equal(output, activation.numpy(GRID))
    assert np.all(np.diff(output) >= 0)
    expected_levels = 2 if bits == 1 else 2 ** (bits - 1) + 1
    assert len(activation.levels()) == expected_levels
    assert np.array_equal(np.unique(output), activation.levels())


@pytest.mark.parametrize('bits', range(1, 9))
def test_tanh_is_the_quantizer_applied_to_exact_tanh_away_from_midpoints(bits):
    # Independent check in float64: round tanh(x) to the grid (ties up) except within a hair
    # of a rounding midpoint, where float32 breakpoints legitimately decide.
    activation = QuantizedTanh(bits)
    levels = activation.levels()
    midpoints = activation.rounding_midpoints()
    exact = np.tanh(GRID.astype(np.float64))
    expected = levels[np.searchsorted(midpoints, exact, side='right')]
    near = np.min(np.abs(exact[:, None] - midpoints[None, :]), axis=1) < 1e-6
    assert np.array_equal(activation.numpy(GRID)[~near], expected[~near])


@pytest.mark.parametrize('bits', range(1, 9))
def test_hard_tanh_is_clip_then_quantize(bits):
    activation = QuantizedHardTanh(bits)
    step = 2. if bits == 1 else 2. ** -(bits - 2)
    clipped = np.clip(GRID.astype(np.float64), -1, 1)
    if bits == 1:
        expected = np.where(clipped >= 0, 1., -1.)
    else:
        expected = np.floor(clipped / step + 0.5) * step
    assert np.array_equal(activation.numpy(GRID), expected)


@pytest.mark.parametrize('bits', [1, 2, 4, 8])
def test_gradients_are_straight_through(bits):
    values = np.array([-2, -0.9, 0, 0.4, 1.5], dtype=theano.config.floatX)
    hard = theano.function([X], T.grad(T.sum(QuantizedHardTanh(bits)(X)), X))(values)
    assert hard.tolist() == [0, 1, 1, 1, 0]
    smooth = theano.function([X], T.grad(T.sum(QuantizedTanh(bits)(X)), X))(values)
    assert np.allclose(smooth, 1 - np.tanh(values.astype(np.float64)) ** 2, rtol=1e-5)


def test_unknown_kind_or_bits_rejected():
    with pytest.raises(ValueError) as error:
        quantized_activation('relu', 2)
    assert 'relu' in str(error.value)
    with pytest.raises(ValueError) as error:
        quantized_activation('tanh', 9)
    assert '9' in str(error.value)
