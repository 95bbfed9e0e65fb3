from __future__ import absolute_import, division, print_function

import fractions
import itertools
import logging

import numpy as np
import pytest

from hwgen.finn.thresholds import (ThresholdError, bn_flip, code_step, exact_threshold,
                                   fold_thresholds, hardware_thresholds, integer_weights,
                                   output_codes, score_map, step_points, sum_of_accumulator,
                                   sum_thresholds)
from hwgen.folding.base import Folding
from hwgen.layerspec import LayerSpec, default_act_val, default_n_thresholds
from qnn import activations, quantization

ALL_BITS = range(1, 9)
KINDS = ('hard_tanh', 'tanh')


# --- the re-derived numbers agree with qnn's (hwgen must not import Theano) -----------------

@pytest.mark.parametrize('bits', ALL_BITS)
def test_codes_and_defaults_match_the_activation_levels(bits):
    for kind in KINDS:
        act = activations.quantized_activation(kind, bits)
        codes = output_codes(bits)
        assert (codes * code_step(bits)).tolist() == act.levels().tolist()
        assert len(codes) - 1 == default_n_thresholds(bits)
        assert codes[0] == (-1 if bits == 1 else default_act_val(bits))


@pytest.mark.parametrize('bits', ALL_BITS)
def test_step_points_are_where_the_numpy_activation_steps_up(bits):
    hard = activations.QuantizedHardTanh(bits)
    for dtype, ulp in ((np.float32, 2.0 ** -23), (np.float64, 2.0 ** -52)):
        # the rounding of y + shift (in [1, 4)) carries y up to half an ulp below a midpoint
        below_midpoint = hard.rounding_midpoints() - step_points('hard_tanh', bits, dtype)
        assert (below_midpoint >= 0).all() and (below_midpoint <= ulp).all()
    tanh = activations.QuantizedTanh(bits)
    for dtype in (np.float32, np.float64):
        assert step_points('tanh', bits, dtype).tolist() == \
            tanh.breakpoints(dtype).astype(np.float64).tolist()
    # at a step point the output is the upper level (ties step up), just below it the lower
    for act, dtypes in ((hard, (np.float32, np.float64)), (tanh, (np.float32, np.float64))):
        for dtype in dtypes:
            points = step_points(act.name, bits, dtype).astype(dtype)
            below = np.nextafter(points, np.asarray(-np.inf, dtype=dtype))
            levels = act.levels()
            assert act.numpy(points).tolist() == levels[1:].tolist()
            assert act.numpy(below).tolist() == levels[:-1].tolist()


@pytest.mark.parametrize('bits', ALL_BITS)
def test_integer_weights_match_the_numpy_weight_quantizer(bits):
    quantizer = quantization.quantization_for(bits)
    rng = np.random.RandomState(bits)
    latent = rng.uniform(-2.5, 2.5, size=2000).astype(np.float32)
    step = quantizer.step if bits > 1 else 1.0
    # exact ties of the rounding (k + 1/2 grid steps) and their float32 neighbours
    ties = ((np.arange(-2 ** (bits - 1), 2 ** (bits - 1)) + 0.5) * step).astype(np.float32)
    latent = np.concatenate([latent, ties, np.nextafter(ties, np.float32(-3)),
                             np.nextafter(ties, np.float32(3)), np.float32([0, -0.0, 2, -2])])
    codes = integer_weights(latent, bits)
    expected = quantizer.quantize_weights_np(latent) / np.float32(
        quantizer.scale if bits == 1 else quantizer.step)
    assert codes.dtype == np.int64
    assert codes.tolist() == expected.astype(np.int64).tolist()
    assert (expected == np.round(expected)).all()
    assert code_step(bits) == (1.0 if bits == 1 else quantizer.step)


# --- the property test: thresholds vs the float64 BN + numpy activation ---------------------

def random_layer(rng, n, bits, q):
    """Random float32 BN parameters with some gamma < 0 and some gamma == 0."""
    levels_span = 2.0 / (rng.uniform(40, 200) if bits < 7 else rng.uniform(300, 600))
    multiplier = (rng.choice([-1, 1], size=n) * rng.uniform(0.3, 3, size=n) * levels_span * q)
    multiplier[::7] = 0.0
    params = dict(bias=rng.normal(0, 0.5, n), mean=rng.normal(0, 40, n) / q,
                  multiplier=multiplier, beta=rng.normal(0, 0.5, n))
    return {key: value.astype(np.float32).astype(np.float64) for key, value in params.items()}


def reference_codes(act, y, dtype):
    """Output codes of the float64 BN output through the numpy activation."""
    if act.name == 'tanh' and dtype == np.float32:   # float32 breakpoints, float64 inputs
        values = activations.staircase_np(y, act.breakpoints(np.float32), act.levels())
    else:
        values = act.numpy(y)
    return np.round(values / code_step(act.bits)).astype(np.int64)


def hardware_codes(bits, thresholds, flip, acc):
    """ActVal + sum_j [flip * acc > T_j] per neuron (rows) and accumulator (columns)."""
    flipped = flip[:, None] * acc[None, :]
    count = (flipped[:, None, :] > thresholds[:, :, None]).sum(axis=1)
    return 2 * count - 1 if bits == 1 else default_act_val(bits) + count


@pytest.mark.parametrize('bits, kind', itertools.product(ALL_BITS, KINDS))
def test_thresholds_reproduce_the_float_model(bits, kind):
    rng = np.random.RandomState(100 * bits + len(kind))
    act = activations.quantized_activation(kind, bits)
    acc = np.arange(-700, 701)
    n = 64
    for q, c, dtype in ((1.0, 0.0, np.float64), (16.0, 0.0, np.float32),
                        (127.5 * 4, 127.5 * rng.randint(-4, 5, size=n), np.float32)):
        p = random_layer(rng, n, bits, q)
        steps = step_points(kind, bits, dtype)
        folded = fold_thresholds(steps, q, c, p['bias'], p['mean'], p['multiplier'], p['beta'],
                                 np.full(n, acc[0]), np.full(n, acc[-1]))
        assert folded.thresholds.shape == (n, len(output_codes(bits)) - 1)
        assert (np.diff(folded.thresholds, axis=1) >= 0).all()
        assert folded.flip.tolist() == np.where(p['multiplier'] < 0, -1, 1).tolist()
        y = (((acc[None, :] - np.reshape(c, (-1, 1))) / q + p['bias'][:, None]
              - p['mean'][:, None]) * p['multiplier'][:, None] + p['beta'][:, None])
        expected = reference_codes(act, y, dtype)
        got = hardware_codes(bits, folded.thresholds, folded.flip, acc)
        mismatches = np.argwhere(got != expected)
        assert mismatches.size == 0, (q, mismatches[:5])
        # the outputs are not trivially constant: most neurons use several codes
        assert np.mean([len(np.unique(row)) > 1 for row in expected]) > 0.5


def test_zero_gamma_gives_the_constant_level_everywhere():
    steps = step_points('hard_tanh', 3)                   # -0.75, -0.25, 0.25, 0.75
    beta = np.array([-2.0, -0.25, 0.3, 0.75, 5.0])        # codes -2, 0 (tie up), 1, 2, 2
    n = beta.size
    folded = fold_thresholds(steps, 1.0, 0.0, np.ones(n), np.zeros(n), np.zeros(n), beta,
                             np.full(n, -10), np.full(n, 10))
    acc = np.arange(-10, 11)
    codes = hardware_codes(3, folded.thresholds, folded.flip, acc)
    assert codes.tolist() == [[c] * acc.size for c in (-2, 0, 1, 2, 2)]
    expected = activations.QuantizedHardTanh(3).numpy(np.float32(beta)) / 0.5
    assert codes[:, 0].tolist() == expected.tolist()
    assert folded.flip.tolist() == [1] * n
    assert folded.thresholds[0].tolist() == [10] * 4 and folded.thresholds[-1].tolist() == \
        [-11] * 4


def test_exact_ties_step_up_where_finnthesizer_floor_would_not():
    # y = acc / 8 (and -acc / 8): every midpoint k/4 + 1/8 of the 3-bit hard tanh is hit
    # exactly by an integer accumulator; the quantizer rounds these ties up.
    # The real-number model (steps at the exact midpoints) and the float64 step points give
    # the same thresholds here.
    act = activations.QuantizedHardTanh(3)
    midpoints = act.rounding_midpoints()
    acc = np.arange(-12, 13)
    multiplier = np.array([0.125, -0.125])
    zeros = np.zeros(2)
    y = acc[None, :] * multiplier[:, None]
    expected = np.round(act.numpy(y) / 0.5).astype(np.int64)
    for steps in (midpoints, step_points('hard_tanh', 3, np.float64)):
        folded = fold_thresholds(steps, 1.0, 0.0, zeros, zeros, multiplier, zeros,
                                 np.full(2, -12), np.full(2, 12))
        assert (hardware_codes(3, folded.thresholds, folded.flip, acc) == expected).all()
    t = (midpoints[None, :] / multiplier[:, None]) * folded.flip[:, None]   # integers here
    assert (t == np.round(t)).all()
    finn_floor = np.floor(t).astype(np.int64)
    assert (hardware_codes(3, finn_floor, folded.flip, acc) != expected).any()
    assert folded.thresholds.tolist() == (finn_floor - 1).tolist()


def test_finnthesizer_ceil_for_negative_gamma_is_off_by_one():
    rng = np.random.RandomState(7)
    n, acc = 256, np.arange(-400, 401)
    act = activations.QuantizedHardTanh(2)
    steps = step_points('hard_tanh', 2)
    p = random_layer(rng, n, 2, 1.0)
    p['multiplier'] = -np.abs(p['multiplier']) - 1e-3                 # all gamma < 0
    folded = fold_thresholds(steps, 1.0, 0.0, p['bias'], p['mean'], p['multiplier'], p['beta'],
                             np.full(n, acc[0]), np.full(n, acc[-1]))
    y = (acc[None, :] + p['bias'][:, None] - p['mean'][:, None]) * p['multiplier'][:, None] \
        + p['beta'][:, None]
    expected = np.round(act.numpy(y)).astype(np.int64)
    # finnthesizer: thr = (mean - b) + (s - beta) / (gamma * inv_std), thr' = -thr, ceil
    thr = (p['mean'] - p['bias'])[:, None] + (steps[None, :] - p['beta'][:, None]) \
        / p['multiplier'][:, None]
    finn_ceil = np.ceil(-thr).astype(np.int64)
    finn_floor = np.floor(-thr).astype(np.int64)
    wrong = hardware_codes(2, finn_ceil, folded.flip, acc) != expected
    assert wrong.any()                                 # the published rule is off by one
    assert (hardware_codes(2, finn_floor, folded.flip, acc) == expected).all()
    assert (hardware_codes(2, folded.thresholds, folded.flip, acc) == expected).all()


# --- exactness of the arithmetic --------------------------------------------------------------

def test_fast_path_equals_fractions_including_exact_ties(caplog):
    rng = np.random.RandomState(11)
    n = 300
    steps = step_points('tanh', 4)
    q = 127.5 * 2
    c = 127.5 * rng.randint(-3000, 3000, size=n)
    p = random_layer(rng, n, 4, q)
    p['multiplier'][p['multiplier'] == 0] = 0.5
    # a third of the neurons get dyadic parameters that put every threshold on an integer:
    # t = c + q * ((m - beta) / g + mean - b) with g = 2^-k, beta = m_0, mean - b integer / q
    tied = np.arange(0, n, 3)
    tied_q = 4.0
    p['multiplier'][tied] = 2.0 ** -rng.randint(1, 20, size=tied.size)
    p['beta'][tied] = 0.0
    p['bias'][tied] = 0.0
    p['mean'][tied] = rng.randint(-200, 200, size=tied.size) / tied_q
    midpoints = activations.QuantizedHardTanh(4).rounding_midpoints()   # (k + 1/2) / 4
    big = np.full(n, 10 ** 12)
    with caplog.at_level(logging.DEBUG, logger='hwgen.finn.thresholds'):
        folded = fold_thresholds(steps, q, c, p['bias'], p['mean'], p['multiplier'], p['beta'],
                                 -big, big)
        tied_folded = fold_thresholds(midpoints, tied_q, 0.0, p['bias'][tied], p['mean'][tied],
                                      p['multiplier'][tied], p['beta'][tied], -big[tied],
                                      big[tied])
    assert 'recomputed exactly' in caplog.text
    for row, neuron in enumerate(tied):
        for col, step in enumerate(midpoints):
            t = tied_q * (step / p['multiplier'][neuron] + p['mean'][neuron])
            assert t == np.round(t)
            assert tied_folded.thresholds[row, col] == t - 1
    for row in range(n):
        for col, step in enumerate(steps):
            expected = exact_threshold(step, q, c[row], p['bias'][row], p['mean'][row],
                                       p['multiplier'][row], p['beta'][row])
            assert folded.thresholds[row, col] == expected, (row, col)


def test_exact_threshold_is_an_exact_ceiling():
    assert exact_threshold(0.25, 1.0, 0.0, 0.0, 0.0, 0.25, 0.0) == 0      # t = 1 exactly
    assert exact_threshold(0.25, 1.0, 0.0, 0.0, 0.0, 0.25 + 2 ** -40, 0.0) == 0
    assert exact_threshold(0.25, 1.0, 0.0, 0.0, 0.0, 0.25 - 2 ** -40, 0.0) == 1
    big = 2.0 ** 60                                                      # beyond float64 ints
    assert exact_threshold(0.0, 1.0, big, 0.0, 0.0, 1.0, -0.5) == 2 ** 60
    with pytest.raises(ThresholdError):
        exact_threshold(0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_pixel_inputs_fold_the_offset_and_scale_exactly():
    """x = (p - 127.5) / 127.5: thresholds on sum(w * p) against Fraction arithmetic."""
    rng = np.random.RandomState(5)
    n_in, n_out, w_bits = 20, 12, 3
    weights = rng.randint(-3, 4, size=(n_out, n_in))
    pixels = rng.randint(0, 256, size=(400, n_in))
    w_step = code_step(w_bits)
    q, c = 127.5 / w_step, 127.5 * weights.sum(axis=1)
    act = activations.QuantizedHardTanh(2)
    steps = step_points('hard_tanh', 2)
    p = random_layer(rng, n_out, 2, q)
    p['multiplier'] = np.float32(np.where(np.arange(n_out) % 2, 1, -1)
                                 * rng.uniform(0.2, 0.6, n_out)).astype(np.float64)
    acc_min = np.minimum(weights * 0, weights * 255).sum(axis=1)
    acc_max = np.maximum(weights * 0, weights * 255).sum(axis=1)
    folded = fold_thresholds(steps, q, c, p['bias'], p['mean'], p['multiplier'], p['beta'],
                             acc_min, acc_max)
    F = fractions.Fraction
    for image in pixels[:60]:
        acc = weights.dot(image)
        for neuron in range(n_out):
            z = sum(F(int(w)) * F(w_step) * F(2 * int(x) - 255, 255)
                    for w, x in zip(weights[neuron], image)) + F(p['bias'][neuron])
            y = (z - F(p['mean'][neuron])) * F(p['multiplier'][neuron]) + F(p['beta'][neuron])
            expected = -1 + sum(1 for m in steps if y >= F(m))
            got = -1 + int((folded.flip[neuron] * acc[neuron]
                            > folded.thresholds[neuron]).sum())
            assert got == expected
    # and the float64 model agrees on all 400 images
    y = ((pixels.dot(weights.T) - c) / q + p['bias'] - p['mean']) * p['multiplier'] + p['beta']
    acc = pixels.dot(weights.T)
    got = -1 + (folded.flip[None, :, None] * acc[:, :, None]
                > folded.thresholds[None]).sum(axis=2)
    assert (got == np.round(act.numpy(y))).all()


def test_thresholds_stay_inside_the_accumulator_range():
    steps = step_points('hard_tanh', 2)
    folded = fold_thresholds(steps, 1.0, 0.0, [0.0, 0.0, 0.0], [0.0, 0.0, 0.0],
                             [1e-30, 1.0, -1e30], [0.0, 0.0, 0.0], [-5, -5, -5], [7, 7, 7])
    assert folded.thresholds[0].tolist() == [-6, 7]       # t = -5e29, +5e29: clamped
    assert folded.thresholds[1].tolist() == [-1, 0]       # y = acc steps at -0.5, 0.5
    assert folded.thresholds[2].tolist() == [-1, 0]       # y = -1e30 acc: -acc >= 0, >= 1
    assert (folded.thresholds >= -8).all() and (folded.thresholds <= 7).all()


@pytest.mark.parametrize('bad', [
    dict(multiplier=[np.nan]), dict(beta=[np.inf]), dict(steps=[0.5, -0.5]),
    dict(inv_scale=0.0), dict(acc_min=[3], acc_max=[2]), dict(bias=[0.0, 1.0])])
def test_bad_inputs_are_refused_with_the_values(bad):
    kwargs = dict(steps=[-0.5, 0.5], inv_scale=1.0, acc_offset=0.0, bias=[0.0], mean=[0.0],
                  multiplier=[1.0], beta=[0.0], acc_min=[-3], acc_max=[3])
    kwargs.update(bad)
    with pytest.raises(ThresholdError):
        fold_thresholds(**kwargs)
    with pytest.raises(ThresholdError) as info:
        step_points('relu', 2)
    assert 'relu' in str(info.value)
    with pytest.raises(ThresholdError) as info:
        integer_weights([0.5], 9)
    assert '9' in str(info.value)


# --- hardware accumulators and the score map ---------------------------------------------------

@pytest.fixture
def binary_layer():
    """A binary 50-input layer with 14 pad columns, 300 random bipolar inputs and its sums.

    ``signed_sum`` is the sum of the +-1 products, ``popcount`` the XNOR popcount over the 50
    real columns; ``rng`` continues the random stream for further draws.
    """
    rng = np.random.RandomState(3)
    folding = Folding(50, 4, simd=16, pe=4, first=True)
    weights = rng.choice([-1, 1], size=(4, 50))
    bits = rng.randint(0, 2, size=(300, 50))
    return {'rng': rng, 'xnor': LayerSpec(folding),
            'plain': LayerSpec(folding, a_bits=2, xnor=False),
            'signed_sum': (2 * bits - 1).dot(weights.T),
            'popcount': (bits[:, None, :] == (weights[None] > 0)).sum(axis=2)}


def test_hardware_thresholds_for_xnor_and_padded_layers(binary_layer):
    signed_sum, plain = binary_layer['signed_sum'], binary_layer['plain']
    thresholds = np.sort(binary_layer['rng'].randint(-52, 52, size=(4, 2)), axis=1)
    expected = (signed_sum[:, :, None] > thresholds[None]).sum(axis=2)
    hw = hardware_thresholds(thresholds[:, :1], binary_layer['xnor'])
    assert ((binary_layer['popcount'] > hw[:, 0]) == (signed_sum > thresholds[:, 0])).all()
    padded_sum = signed_sum + plain.pad_offset                       # what the hardware adds
    hw = hardware_thresholds(thresholds, plain)
    assert ((padded_sum[:, :, None] > hw[None]).sum(axis=2) == expected).all()


def test_sum_thresholds_select_what_the_hardware_thresholds_select(binary_layer):
    """Hardware thresholds mapped back to the signed sum compare every sum the same way."""
    signed_sum, xnor, plain = (binary_layer[key] for key in ('signed_sum', 'xnor', 'plain'))
    assert sum_of_accumulator(xnor) == (2, -50) and sum_of_accumulator(plain) == (1, 14)
    for spec, accumulator in ((xnor, binary_layer['popcount']), (plain, signed_sum - 14)):
        hw = binary_layer['rng'].randint(accumulator.min() - 2, accumulator.max() + 2,
                                         size=(4, 3))
        back = sum_thresholds(hw, spec)
        assert ((accumulator[:, :, None] > hw[None]) ==
                (signed_sum[:, :, None] > back[None])).all()


def test_score_map_recovers_the_bn_output():
    rng = np.random.RandomState(9)
    f = Folding(50, 10, simd=16, pe=16, last=True)
    for spec in (LayerSpec(f), LayerSpec(f, w_bits=1, in_bits=1, a_bits=1, xnor=False)):
        n, q, c = 10, 2.0, 3.5
        bias, mean, beta = rng.normal(size=(3, n))
        multiplier = rng.normal(size=n)
        flip = bn_flip(multiplier)
        acc = 2 * rng.randint(0, 51, size=(20, n)) - 50              # sums of 50 +-1 products
        if spec.xnor:
            hw = (flip * acc + f.mw) // 2                            # popcounts
        else:
            hw = flip * acc + spec.pad_offset
            assert spec.pad_offset == -14
        scores = score_map(q, c, bias, mean, multiplier, beta, flip, spec).scores(hw)
        y = ((acc - c) / q + bias - mean) * multiplier + beta
        assert np.allclose(scores, y, rtol=1e-12, atol=1e-12)
