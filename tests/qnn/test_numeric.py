"""qnn.numeric, the Theano-free core: hand-computed grids, roundings, step points and scales."""
from __future__ import absolute_import, division

import math
import subprocess
import sys

import numpy as np
import pytest

from qnn import numeric


def test_imports_with_theano_and_lasagne_blocked():
    blocked = ('import sys; sys.modules["theano"] = sys.modules["lasagne"] = None; '
               'import qnn.numeric as n; assert n.paper_grid(3).max == 1.5')   # None: ImportError
    assert subprocess.call([sys.executable, '-c', blocked]) == 0


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_round3_rounds_ties_away_from_zero_and_is_exact_below_them(dtype):
    values = np.array([-2.5, -1.5, -0.5, -0.4, 0.0, 0.5, 1.5, 2.5, 3.7, -3.7], dtype=dtype)
    assert numeric.round3(values).tolist() == [-3, -2, -1, 0, 0, 1, 2, 3, 4, -4]
    below_half = np.nextafter(dtype(0.5), dtype(0))          # floor(x + 0.5) would give 1
    assert numeric.round3(np.array([below_half, -below_half])).tolist() == [0, 0]
    assert numeric.round3(values).dtype == dtype
    assert numeric.round3([1, 2]).dtype == np.float32          # integers: float32


def test_hard_sigmoid_of_hand_values():
    assert numeric.hard_sigmoid(np.float32([-5, -1, -0.5, 0, 0.5, 1, 5])).tolist() == \
        [0, 0, 0.25, 0.5, 0.75, 1, 1]


@pytest.mark.parametrize('bits, low, high, step, levels', [
    (2, -1.0, 1.0, 1.0, [-1, 0, 1]),
    (3, -1.5, 1.5, 0.5, [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]),
    (8, -1.984375, 1.984375, 1 / 64., None),
])
def test_paper_grid_of_hand_values(bits, low, high, step, levels):
    grid = numeric.paper_grid(bits)
    assert (grid.min, grid.max, grid.step, grid.unit) == (low, high, step, step)
    assert (grid.scale, grid.shift) == (1 / step, high)
    assert len(grid.levels()) == 2 ** bits - 1 and grid.codes()[0] == -(2 ** (bits - 1) - 1)
    if levels is not None:
        assert grid.levels().tolist() == levels


def test_binary_and_other_fraction_lengths():
    binary = numeric.paper_grid(1)
    assert (binary.min, binary.max, binary.step) == (-1, 1, 2)
    assert binary.codes().tolist() == [-1, 1] and binary.levels().tolist() == [-1, 1]
    big = numeric.binary_grid(0.25)
    assert big.levels().tolist() == [-0.25, 0.25]
    assert big.quantize(np.float32([-0.1, 0.0, 3.0])).tolist() == [-0.25, 0.25, 0.25]
    grid = numeric.fixed_grid(4, 1)                            # k / 2, |k| <= 7
    assert (grid.max, grid.step, grid.scale) == (3.5, 0.5, 2.0)
    assert grid.quantize(np.float32([0.74, 0.75, 9.0])).tolist() == [0.5, 1.0, 3.5]


@pytest.mark.parametrize('bits', range(2, 33))
def test_the_papers_scale_is_exactly_a_power_of_two(bits):
    assert numeric.paper_grid(bits).scale == 2.0 ** (bits - 2)


@pytest.mark.parametrize('bits, values, expected', [
    (1, [0.136, -0.2, 0.0], [1, -1, 1]),
    (2, [0.49, 0.5, -0.5, 1.7], [0, 1, 0, 1]),                 # ties round up
    (4, [0.136, 0.639, -9.0], [0.25, 0.75, -1.75]),           # (0.136 + 1.75) * 4 = 7.544
    (8, [0.357, -2.0, 1 / 128.], [0.359375, -1.984375, 1 / 64.]),
])
def test_quantize_of_hand_values(bits, values, expected):
    grid = numeric.paper_grid(bits)
    values = np.float32(values)
    assert grid.quantize(values).tolist() == expected
    assert grid.quantize_weights(values).tolist() == expected
    assert (grid.weight_codes(values) * grid.unit).tolist() == expected


def test_codes_of_hand_values_with_ties():
    grid = numeric.paper_grid(3)                               # step 0.5, codes -3..3
    x = np.float32([-9, -0.75, -0.76, -0.25, 0.0, 0.25, 0.74, 1.25])
    assert grid.to_codes(x).tolist() == [-3, -1, -2, 0, 0, 1, 1, 3]
    assert grid.quantize(x).tolist() == [-1.5, -0.5, -1, 0, 0, 0.5, 0.5, 1.5]
    binary = numeric.paper_grid(1)
    assert binary.weight_codes(np.float32([-1e-30, -0.0, 0.0, 2])).tolist() == [-1, 1, 1, 1]
    assert binary.to_codes(np.float32([-0.5, -2 ** -26, 0, 7])).tolist() == [-1, 1, 1, 1]
    assert grid.clip(np.float32([-2, 0.3, 2])).tolist() == [-1.5, np.float32(0.3), 1.5]


def test_activation_codes_and_levels_are_the_grid_within_one():
    assert numeric.activation_codes(1).tolist() == [-1, 1]
    assert numeric.activation_codes(2).tolist() == [-1, 0, 1]
    assert numeric.activation_codes(4).tolist() == list(range(-4, 5))
    assert numeric.activation_levels(3).tolist() == [-1, -0.5, 0, 0.5, 1]
    assert numeric.rounding_midpoints([-1, -0.5, 0, 0.5, 1]).tolist() == \
        [-0.75, -0.25, 0.25, 0.75]
    assert numeric.code_step(1) == 1 and numeric.code_step(5) == 0.125


def test_tanh_breakpoints_are_the_first_floats_at_or_above_artanh():
    # artanh(1/2) = ln(3) / 2, artanh(-1/2) = -ln(3) / 2, artanh(0) = 0
    exact = [-math.log(3) / 2, 0.0, math.log(3) / 2]
    points = numeric.tanh_breakpoints([-0.5, 0, 0.5], np.float32)
    below = np.nextafter(points, np.float32(-np.inf))
    assert points.dtype == np.float32
    for point, before, value in zip(points, below, exact):   # float32 steps >> float64 error
        assert float(before) < value <= float(point)
    points = numeric.tanh_breakpoints([-0.5, 0, 0.5], np.float64)
    assert (np.abs(points - exact) <= 2 ** -52).all()         # within an ulp of ln(3) / 2
    assert numeric.step_points('tanh', 2, 'float64').tolist() == \
        numeric.tanh_breakpoints([-0.5, 0.5], np.float64).tolist()


def test_staircase_counts_the_breakpoints_at_or_below():
    x = np.float32([-3, -0.5, -0.4999, 0.5, 9])
    assert numeric.staircase(x, [-0.5, 0.5], [-1, 0, 1]).tolist() == [-1, 0, 0, 1, 1]


def test_hard_tanh_step_points_of_hand_values():
    # 1 bit, float32: x + 1 rounds to 1 from x = -2^-25 up (a tie, to even), so the sign
    # steps there; in float64 at -2^-54.
    assert numeric.step_points('hard_tanh', 1, 'float32').tolist() == [-2.0 ** -25]
    assert numeric.step_points('hard_tanh', 1, 'float64').tolist() == [-2.0 ** -54]
    # 2 bits, float32: y + 1 = 0.5 is a tie (rounds up); 1.5 - 2^-24 rounds to 1.5 (even)
    assert numeric.step_points('hard_tanh', 2, 'float32').tolist() == [-0.5, 0.5 - 2.0 ** -24]


def test_glorot_lr_scale_of_hand_values():
    assert numeric.glorot_lr_scale(3, 3) == 2.0                 # 1 / sqrt(1.5 / 6)
    assert numeric.glorot_lr_scale(0.75, 0.75) == 1.0
    assert abs(numeric.glorot_lr_scale(784, 1024) - math.sqrt(1808 / 1.5)) < 1e-12


def test_bad_inputs_are_refused_with_the_value():
    for call, text in ((lambda: numeric.paper_grid(0), '0'),
                       (lambda: numeric.paper_grid(33), '33'),
                       (lambda: numeric.paper_grid(True), 'True'),
                       (lambda: numeric.fixed_grid(1), '1'),
                       (lambda: numeric.binary_grid(0), '0'),
                       (lambda: numeric.step_points('relu', 2), 'relu'),
                       (lambda: numeric.step_points('tanh', 9), '9'),
                       (lambda: numeric.step_points('tanh', 2, 'float16'), 'float16')):
        with pytest.raises(ValueError) as info:
            call()
        assert text in str(info.value)
