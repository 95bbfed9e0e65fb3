"""BatchNorm + quantized activation folded into integer thresholds, exactly.

A neuron of a trained ``bn_act`` layer computes, from the integer accumulator ``acc`` of its
integer weight codes times its integer input codes,

    z = (acc - c) / q + b                  (q = 1 / (weight step * input step), c an offset)
    y = (z - mean) * g + beta              (g = gamma * inv_std, the BN multiplier)
    out = act(y)

and ``act`` is a staircase: it steps from output code ``j`` to ``j + 1`` where ``y`` reaches
the step point ``m_j``. The step points are those of qnn's activation evaluated in the
network's float type (:func:`step_points`): the smallest float at which it outputs the next
level, i.e. the tanh breakpoints, and for the hard tanh the quantizer's rounding midpoint
(ties round up) or, because ``y + shift`` is rounded, a float up to half an ulp of ``y + shift``
below it. The model folded here is "the real BN output ``y`` compared with those points"; it
is exact for that model. Hence the output code is
``lowest code + #{j : y(acc) >= m_j}``. For ``g > 0``, ``y(acc) >= m_j`` holds exactly for
``acc >= t_j`` with

    t_j = c + q * ((m_j - beta) / g + mean - b),

so the smallest integer accumulator that steps is ``ceil(t_j)`` and the hardware, which counts
``acc > T_j`` (strict), needs ``T_j = ceil(t_j) - 1``. For ``g < 0`` the inequality turns
round; as in FINN the neuron's weights are negated (``flip = -1``), the accumulator becomes
``-acc`` and ``T_j = ceil(-t_j) - 1``. (finnthesizer used ``ceil(-t_j)`` for ``gamma < 0``,
which is one too high whenever ``t_j`` is not an integer, and ``floor`` for ``gamma > 0``,
which is one too low when ``t_j`` is an integer: ``ceil(t) - 1`` is right for both.) For
``g == 0`` the output is the constant ``act(beta)``.

Exactness: every parameter is a float (float32 from training), i.e. a dyadic rational, and
``q``, ``c`` and the step points are exact floats too, so ``t_j`` is a rational number. It is
evaluated in float64 with a rigorous error bound (:func:`_error_bound`, 16x the worst-case
rounding error of the six float64 operations); every ``t_j`` closer than that bound to an
integer (in practice only exact ties) is recomputed with :class:`fractions.Fraction`. The
thresholds are finally clamped to ``[acc_min - 1, acc_max]``, which changes no output for
accumulators in that range and keeps them small.

The activations' numbers (levels, step points) and the weight codes are those of
:mod:`qnn.numeric`, the Theano-free core of :mod:`qnn.quantization` and :mod:`qnn.activations`;
``tests/hwgen/finn/test_thresholds.py`` asserts that they agree with the Theano side for every bit
width (including the values at and just below every step point, and the weight rounding ties).
"""
from __future__ import absolute_import, division, print_function

import collections
import fractions
import functools
import logging

import numpy as np

from qnn import numeric

__all__ = ['ThresholdError', 'FoldedThresholds', 'ScoreMap', 'output_codes',
           'code_step', 'step_points', 'integer_weights', 'bn_flip',
           'fold_thresholds', 'exact_threshold', 'hardware_thresholds', 'sum_of_accumulator',
           'sum_thresholds', 'score_map']

log = logging.getLogger(__name__)

_EPS = 2.0 ** -53
_ERROR_FACTOR = 16.0  # safety factor over the worst-case float64 error of _real_thresholds


class ThresholdError(ValueError):
    """Parameters cannot be folded into thresholds (not finite, bad shapes, bad bit width)."""


class FoldedThresholds(collections.namedtuple('FoldedThresholds', ['thresholds', 'flip'])):
    """Integer thresholds of a layer and its per-neuron weight signs.

    Attributes
    ----------
    thresholds : numpy.ndarray of int64, shape (M, K)
        Ascending per neuron; the output code is ``lowest code + sum_j [flip * acc > T_j]``.
    flip : numpy.ndarray of int64, shape (M,)
        +1, or -1 where the BN multiplier is negative (the neuron's weights are negated).
    """
    __slots__ = ()


class ScoreMap(collections.namedtuple('ScoreMap', ['scale', 'offset'])):
    """Class scores from the last layer's hardware accumulators: ``scale * acc + offset``.

    Attributes
    ----------
    scale, offset : numpy.ndarray of float64, shape (n_classes,)

    Examples
    --------
    >>> ScoreMap(np.array([1.0, -0.5]), np.array([0.0, 2.0])).classify([[3, 1], [0, -4]])
    array([0, 1])
    """
    __slots__ = ()

    def scores(self, accumulators):
        """Float64 scores (N, n_classes) of hardware accumulators (N, n_classes)."""
        return np.asarray(accumulators, dtype=np.float64) * self.scale + self.offset

    def classify(self, accumulators):
        """``argmax`` of :meth:`scores` (first class on ties), int64."""
        return np.argmax(self.scores(accumulators), axis=1).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# The numbers of the quantizers and activations: qnn.numeric's, refused with ThresholdError.

def _refusing(function):
    """``function`` raising ThresholdError (hwgen's error for bad input) for its ValueError."""
    @functools.wraps(function)
    def refusing(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except ValueError as error:
            raise error if isinstance(error, ThresholdError) else ThresholdError(str(error))
    return refusing


code_step = _refusing(numeric.code_step)
step_points = _refusing(numeric.step_points)


@_refusing
def output_codes(a_bits):
    """Integer output codes of an ``a_bits`` (1..8) activation, ascending.

    Examples
    --------
    >>> output_codes(1).tolist(), output_codes(3).tolist()
    ([-1, 1], [-2, -1, 0, 1, 2])
    """
    return numeric.activation_codes(numeric.checked_bits('a_bits', a_bits, 8))


@_refusing
def integer_weights(latent, w_bits):
    """Integer codes (int64) of the ``w_bits`` (1..8) quantized latent weights, exactly.

    :meth:`qnn.numeric.Grid.weight_codes` of the paper's grid, in the weights' float type.

    Examples
    --------
    >>> integer_weights(np.float32([0.357, 2.0, -0.2, -0.125]), 4).tolist()  # ties round up
    [1, 7, -1, 0]
    """
    return numeric.paper_grid(numeric.checked_bits('w_bits', w_bits, 8)).weight_codes(latent)


# ---------------------------------------------------------------------------------------------
# Thresholds.

def bn_flip(multiplier):
    """-1 where the BN multiplier ``gamma * inv_std`` is negative, else +1 (also for 0).

    Examples
    --------
    >>> bn_flip([0.5, -2.0, 0.0]).tolist()
    [1, -1, 1]
    """
    return np.where(np.asarray(multiplier, dtype=np.float64) < 0, -1, 1).astype(np.int64)


def _per_neuron(name, values, n_neurons):
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        array = np.full(n_neurons, float(array))
    if array.shape != (n_neurons,):
        raise ThresholdError('%s must be a scalar or have shape (%d,), got %s'
                             % (name, n_neurons, array.shape))
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ThresholdError('%s must be finite; neuron %d has %r' % (name, bad[0],
                                                                     array[bad[0]]))
    return array


def _neuron_params(n_neurons, acc_offset, bias, mean, beta):
    """The per-neuron float64 arrays ``c, b, mean, beta`` (scalars broadcast), checked."""
    named = (('acc_offset', acc_offset), ('bias', bias), ('mean', mean), ('beta', beta))
    return [_per_neuron(name, value, n_neurons) for name, value in named]


def _real_thresholds(steps, q, c, bias, mean, g, beta):
    """float64 ``t = c + q * ((m - beta) / g + mean - b)``, shape (M, K), for g != 0."""
    d1 = steps[None, :] - beta[:, None]
    return c[:, None] + q * (d1 / g[:, None] + (mean - bias)[:, None])


def _error_bound(steps, q, c, bias, mean, g, beta):
    """Bound on |float64 t - exact t|: 16x the worst case of the six rounded operations.

    Each operation rounds its result with relative error <= 2^-53. Propagating through
    ``d1 = m - beta``, ``d2 = d1 / g``, ``d3 = mean - b``, ``d4 = d2 + d3``, ``d5 = q * d4``,
    ``t = c + d5`` gives at most ``6.01 * 2^-53 * (|c| + q * ((|m| + |beta|) / |g| + |mean| +
    |b|))``; 2^-1000 covers underflow.
    """
    magnitude = (np.abs(c)[:, None]
                 + q * ((np.abs(steps)[None, :] + np.abs(beta)[:, None]) / np.abs(g)[:, None]
                        + (np.abs(mean) + np.abs(bias))[:, None]))
    return _ERROR_FACTOR * _EPS * magnitude + 2.0 ** -1000


def _ceil(fraction):
    """Exact ceiling of a Fraction as an int (math.ceil returns a float on Python 2)."""
    return -((-fraction.numerator) // fraction.denominator)


def exact_threshold(step, q, c, bias, mean, g, beta):
    """Exact ``T = ceil(flip * t) - 1`` for one neuron and step (``g != 0``), with Fractions.

    Parameters
    ----------
    step, q, c, bias, mean, g, beta : float
        As in the module docstring; ``g`` is the BN multiplier, its sign gives the flip.

    Returns
    -------
    int

    Examples
    --------
    >>> exact_threshold(0.5, 1.0, 0.0, 0.0, 0.0, 0.5, 0.0)   # y = acc / 2 >= 0.5 at acc = 1
    0
    >>> exact_threshold(0.5, 1.0, 0.0, 0.0, 0.0, -0.5, 0.0)  # y = -acc / 2: -acc >= 1
    0
    """
    if g == 0:
        raise ThresholdError('exact_threshold needs a nonzero BN multiplier, got %r' % (g,))
    F = lambda value: fractions.Fraction(float(value))  # noqa: E731 (exact: a dyadic rational)
    t = F(c) + F(q) * ((F(step) - F(beta)) / F(g) + F(mean) - F(bias))
    return _ceil(t if g > 0 else -t) - 1


def _refine_near_integers(thresholds, t, low, high, steps, q, c, bias, mean, g, beta):
    """Recompute, exactly, the entries whose float64 ``+-t`` is too close to an integer.

    Entries whose ``t`` lies, even with its error, below ``low`` or above ``high + 1`` are
    clamped to ``low`` / ``high`` whatever their exact value, and are left alone.
    """
    bound = _error_bound(steps, q, c, bias, mean, g, beta)
    near = np.abs(t - np.round(t)) <= bound
    inside = (t + bound >= low[:, None]) & (t - bound <= high[:, None] + 1)
    rows, cols = np.nonzero(near & inside)
    for row, col in zip(rows, cols):
        thresholds[row, col] = exact_threshold(steps[col], q, c[row], bias[row], mean[row],
                                               g[row], beta[row])
    if rows.size:
        log.debug('%d thresholds near an integer recomputed exactly', rows.size)
    return thresholds


def fold_thresholds(steps, inv_scale, acc_offset, bias, mean, multiplier, beta, acc_min,
                    acc_max):
    """Integer thresholds of BN + activation for every neuron of a layer (exact).

    Parameters
    ----------
    steps : array_like of float, shape (K,)
        Ascending step points of the activation (:func:`step_points`); ``[0.]`` for the
        sign of the BN output.
    inv_scale : float
        ``q > 0``: one accumulator unit is ``1 / q`` in ``z`` (an exactly representable
        number such as 2^k or 127.5 * 2^k).
    acc_offset : float or array_like, shape (M,)
        ``c``: the accumulator value at which ``z = b`` (e.g. ``127.5 * sum(w)`` for pixel
        inputs ``x = (p - 127.5) / 127.5``), exactly representable.
    bias, mean, multiplier, beta : array_like, shape (M,)
        Dense bias, BN mean, BN multiplier ``gamma * inv_std`` and BN beta.
    acc_min, acc_max : array_like of int, shape (M,)
        Range of the unflipped accumulator ``acc``; the thresholds are clamped to the range
        of ``flip * acc`` (this changes no output inside it).

    Returns
    -------
    FoldedThresholds

    Examples
    --------
    >>> folded = fold_thresholds([-0.5, 0.5], 1.0, 0.0, [0.0, 0.0], [0.0, 0.0], [0.5, -0.5],
    ...                          [0.0, 0.0], [-4, -4], [4, 4])
    >>> folded.thresholds.tolist(), folded.flip.tolist()
    ([[-2, 0], [-2, 0]], [1, -1])
    """
    steps = np.asarray(steps, dtype=np.float64)
    if steps.ndim != 1 or steps.size < 1 or np.any(np.diff(steps) <= 0) \
            or not np.all(np.isfinite(steps)):
        raise ThresholdError('steps must be finite and strictly ascending, got %r' % (steps,))
    q = float(inv_scale)
    if not (np.isfinite(q) and q > 0):
        raise ThresholdError('inv_scale must be positive and finite, got %r' % (inv_scale,))
    g = np.asarray(multiplier, dtype=np.float64)
    n = g.size
    g = _per_neuron('multiplier', g, n)
    c, bias, mean, beta = _neuron_params(n, acc_offset, bias, mean, beta)
    acc_min, acc_max = np.asarray(acc_min, dtype=np.int64), np.asarray(acc_max, dtype=np.int64)
    if acc_min.shape != (n,) or acc_max.shape != (n,) or np.any(acc_min > acc_max):
        raise ThresholdError('acc_min and acc_max must have shape (%d,) with acc_min <= '
                             'acc_max, got %s and %s' % (n, acc_min.shape, acc_max.shape))
    flip = bn_flip(g)
    low = np.where(flip > 0, acc_min, -acc_max) - 1       # range of flip * acc, minus one
    high = np.where(flip > 0, acc_max, -acc_min)
    thresholds = np.empty((n, steps.size), dtype=np.int64)

    live = g != 0
    if np.any(live):
        args = (steps, q, c[live], bias[live], mean[live], g[live], beta[live])
        flipped_t = _real_thresholds(*args) * flip[live][:, None]
        clamped = np.clip(np.ceil(flipped_t) - 1, low[live][:, None], high[live][:, None])
        exact = _refine_near_integers(clamped.astype(np.int64), flipped_t, low[live],
                                      high[live], *args)
        thresholds[live] = np.clip(exact, low[live][:, None], high[live][:, None])
    dead = ~live                                          # y = beta for every accumulator
    if np.any(dead):
        passes = beta[dead][:, None] >= steps[None, :]
        thresholds[dead] = np.where(passes, low[dead][:, None], high[dead][:, None])
    return FoldedThresholds(thresholds, flip)


def hardware_thresholds(thresholds, spec):
    """Thresholds on the flipped signed sum -> thresholds on the layer's hardware accumulator.

    With :func:`sum_of_accumulator`'s ``sum = unit * acc + shift``, ``sum > T`` holds exactly
    when ``acc > floor((T - shift) / unit)`` (XNOR: ``popcount > floor((T + MW) / 2)``).

    Examples
    --------
    >>> from hwgen.folding.base import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> spec = LayerSpec(Folding(784, 8, 64, 8, first=True))       # W1A1: XNOR
    >>> hardware_thresholds(np.array([[-1], [0]]), spec).tolist()   # sum >= 0 <=> pop >= 392
    [[391], [392]]
    >>> hardware_thresholds(np.array([[-1, 2]]), spec._replace(a_bits=2, xnor=False)).tolist()
    [[-49, -46]]
    """
    unit, shift = sum_of_accumulator(spec)
    return (np.asarray(thresholds, dtype=np.int64) - shift) // unit


def sum_of_accumulator(spec):
    """``(unit, shift)`` with ``flipped signed sum = unit * hardware accumulator + shift``.

    XNOR layers count matching lanes, ``popcount = (sum + MW) / 2`` (pad lanes never match);
    other layers add the pad columns' constant :attr:`~hwgen.layerspec.LayerSpec.pad_offset`.
    The map is increasing, so ``acc > T`` holds exactly when ``sum > unit * T + shift``.

    Examples
    --------
    >>> from hwgen.folding.base import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> spec = LayerSpec(Folding(784, 8, 64, 8, first=True))       # W1A1: XNOR
    >>> sum_of_accumulator(spec), sum_of_accumulator(spec._replace(a_bits=2, xnor=False))
    ((2, -784), (1, 48))
    """
    if spec.xnor:
        return 2, -int(spec.folding.mw)
    return 1, -int(spec.pad_offset)


def sum_thresholds(thresholds, spec):
    """Thresholds on the hardware accumulator -> equivalent ones on the flipped signed sum.

    The inverse of :func:`hardware_thresholds` up to equivalence: ``acc > T`` and
    ``sum > sum_thresholds(T)`` select the same accumulators (see :func:`sum_of_accumulator`).

    Examples
    --------
    >>> from hwgen.folding.base import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> spec = LayerSpec(Folding(784, 8, 64, 8, first=True))       # W1A1: XNOR
    >>> sum_thresholds(np.array([[391], [392]]), spec).tolist()     # pop > 392 <=> sum > 0
    [[-2], [0]]
    """
    unit, shift = sum_of_accumulator(spec)
    return np.asarray(thresholds, dtype=np.int64) * unit + shift


def score_map(inv_scale, acc_offset, bias, mean, multiplier, beta, flip, spec):
    """The affine map from the last layer's hardware accumulators to its BN outputs.

    With ``sum = flip * acc`` recovered from the hardware accumulator (``2 * popcount - MW``
    for XNOR layers, ``acc_hw - pad_offset`` otherwise), the BN output is
    ``y = (flip * sum - c) * g / q + (b - mean) * g + beta``; evaluated in float64 its argmax
    is the network's class.

    Returns
    -------
    ScoreMap
    """
    g = np.asarray(multiplier, dtype=np.float64)
    c, bias, mean, beta = _neuron_params(g.size, acc_offset, bias, mean, beta)
    flip = np.asarray(flip, dtype=np.float64)
    unit, shift = sum_of_accumulator(spec)
    per_unit = flip * g / float(inv_scale)
    scale = per_unit * unit
    offset = per_unit * shift - c * g / float(inv_scale) + (bias - mean) * g + beta
    return ScoreMap(scale, offset)
