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

The activations' numbers (levels, step points) and the weight codes are the ones of
:mod:`qnn.activations` and :mod:`qnn.quantization`, re-derived here with the same float
operations because those modules import Theano and hwgen must not;
``tests/hwgen/test_thresholds.py`` asserts that both agree for every bit width (including the
values at and just below every step point, and the weight rounding ties).
"""
from __future__ import absolute_import, division, print_function

import collections
import fractions
import logging

import numpy as np

from qnn.config import ACTIVATION_NAMES

__all__ = ['ACTIVATIONS', 'ThresholdError', 'FoldedThresholds', 'ScoreMap', 'output_codes',
           'code_step', 'step_points', 'integer_weights', 'bn_flip',
           'fold_thresholds', 'exact_threshold', 'hardware_thresholds', 'sum_of_accumulator',
           'sum_thresholds', 'score_map']

log = logging.getLogger(__name__)

#: Activation names (:data:`qnn.config.ACTIVATION_NAMES`).
ACTIVATIONS = ACTIVATION_NAMES

_EPS = 2.0 ** -53
#: Safety factor over the worst-case float64 rounding error of :func:`_real_thresholds`.
_ERROR_FACTOR = 16.0


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
        acc = np.asarray(accumulators, dtype=np.float64)
        return acc * self.scale + self.offset

    def classify(self, accumulators):
        """``argmax`` of :meth:`scores` (first class on ties), int64."""
        return np.argmax(self.scores(accumulators), axis=1).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# The numbers of the quantizers and activations (kept equal to qnn's by a contract test).

def _check_bits(name, bits, high):
    if isinstance(bits, bool) or int(bits) != bits or not 1 <= bits <= high:
        raise ThresholdError('%s must be an integer in 1..%d, got %r' % (name, high, bits))
    return int(bits)


def code_step(bits):
    """Value of one integer code of a ``bits``-bit quantizer: 1 (bipolar) or 2^-(bits-2).

    Examples
    --------
    >>> [code_step(b) for b in (1, 2, 3, 8)]
    [1.0, 1.0, 0.5, 0.015625]
    """
    bits = _check_bits('bits', bits, 32)
    return 1.0 if bits == 1 else 2.0 ** -(bits - 2)


def output_codes(a_bits):
    """Integer output codes of an ``a_bits`` activation, ascending (values / :func:`code_step`).

    Examples
    --------
    >>> output_codes(1).tolist(), output_codes(3).tolist()
    ([-1, 1], [-2, -1, 0, 1, 2])
    """
    a_bits = _check_bits('a_bits', a_bits, 8)
    if a_bits == 1:
        return np.array([-1, 1], dtype=np.int64)
    half = 2 ** (a_bits - 2)
    return np.arange(-half, half + 1, dtype=np.int64)


def _rounding_midpoints(a_bits):
    levels = output_codes(a_bits) * code_step(a_bits)
    return (levels[:-1] + levels[1:]) / 2.


def _tanh_breakpoints(midpoints, dtype):
    """Smallest ``dtype`` values x with tanh(x) >= m (qnn.activations.tanh_breakpoints)."""
    exact = np.arctanh(np.asarray(midpoints, dtype=np.float64))
    points = exact.astype(dtype)
    too_low = points.astype(np.float64) < exact
    points[too_low] = np.nextafter(points[too_low], np.asarray(np.inf, dtype=dtype))
    return points


def _round3(x):
    """Round half away from zero, exactly (qnn.quantization.round3_np)."""
    whole = np.trunc(x)
    fraction = x - whole
    return whole + np.where(np.abs(fraction) >= 0.5, np.sign(x), 0).astype(x.dtype)


def _hard_tanh_codes(y, a_bits):
    """Output codes of the quantized hard tanh, with qnn's float operations in ``y``'s type."""
    const = lambda value: np.asarray(value, dtype=y.dtype)  # noqa: E731
    x = np.clip(y, const(-1), const(1))
    if a_bits == 1:   # binary_tanh_unit: 2 * round3(clip((x + 1) / 2, 0, 1)) - 1
        sigmoid = np.clip((x + const(1)) / const(2), const(0), const(1))
        return 2 * _round3(sigmoid).astype(np.int64) - 1
    return _fixed_codes(x, a_bits)


def _fixed_codes(x, bits):
    """Codes of QuantizationFixed(bits): round3((clip(x, -M, M) + M) * scale) - M * scale."""
    const = lambda value: np.asarray(value, dtype=x.dtype)  # noqa: E731
    high = 2.0 - code_step(bits)                          # M = max = -min = shift
    scale = (2.0 ** bits - 2) / (2 * high)                # = 2^(bits-2), as qnn computes it
    shifted = (np.clip(x, const(-high), const(high)) + const(high)) * const(scale)
    return _round3(shifted).astype(np.int64) - (2 ** (bits - 1) - 1)


def _float_key(value, dtype):
    """An integer that orders the finite floats of ``dtype`` like their values."""
    bits = np.asarray(value, dtype=dtype).view('i%d' % dtype.itemsize).item()
    sign_mask = 1 << (8 * dtype.itemsize - 1)
    return bits if bits >= 0 else -(bits & (sign_mask - 1))


def _key_float(key, dtype):
    """Inverse of :func:`_float_key`."""
    sign_mask = 1 << (8 * dtype.itemsize - 1)
    bits = key if key >= 0 else (-key) | sign_mask
    unsigned = np.asarray(bits, dtype='u%d' % dtype.itemsize)
    return unsigned.view(dtype).item()


def _hard_tanh_step(midpoint, upper_code, a_bits, dtype):
    """Smallest ``dtype`` value whose hard tanh code is >= ``upper_code`` (binary search).

    The quantizer rounds ``(y + shift) * scale``; the rounding of the sum makes the float
    function step up to half an ulp of the sum *below* the real midpoint (for 1 bit in
    float32, at y = -2^-25 instead of 0).
    """
    def is_upper(key):
        return _hard_tanh_codes(np.asarray(_key_float(key, dtype), dtype=dtype),
                                a_bits) >= upper_code
    low = _float_key(midpoint - code_step(a_bits) / 4, dtype)    # clearly the lower code
    high = _float_key(midpoint, dtype)                           # a tie: rounds up
    if is_upper(low) or not is_upper(high):
        raise ThresholdError('hard tanh (%d bits, %s) does not step between %r and %r'
                             % (a_bits, dtype, _key_float(low, dtype), midpoint))
    while high - low > 1:
        middle = (low + high) // 2
        if is_upper(middle):
            high = middle
        else:
            low = middle
    return _key_float(high, dtype)


def step_points(activation, a_bits, dtype='float32'):
    """Inputs ``y`` at which the activation steps up one code (``y >= point`` steps).

    Each point is the smallest ``dtype`` value at which qnn's numpy activation, evaluated in
    ``dtype``, outputs the next level: for the quantized tanh its breakpoints; for the hard
    tanh the quantizer's rounding midpoint (a tie, which rounds up) or the few floats below
    it that the rounding of ``y + shift`` carries up to the tie.

    Parameters
    ----------
    activation : {'hard_tanh', 'tanh'}
    a_bits : int
        1..8.
    dtype : str or numpy.dtype
        Float type the network was evaluated in (Theano's floatX).

    Returns
    -------
    numpy.ndarray of float64, shape (len(output_codes(a_bits)) - 1,)

    Examples
    --------
    >>> midpoints = np.array([-0.75, -0.25, 0.25, 0.75])   # of the 3-bit quantizer
    >>> ((midpoints - step_points('hard_tanh', 3)) * 2 ** 24).tolist()   # float32 floats below
    [0.0, 1.0, 1.0, 2.0]
    >>> step_points('hard_tanh', 1).tolist() == [-2.0 ** -25]
    True
    >>> step_points('tanh', 1).tolist()
    [0.0]
    """
    if activation not in ACTIVATIONS:
        raise ThresholdError('activation must be one of %s, got %r' % (ACTIVATIONS, activation))
    dtype = np.dtype(dtype)
    if dtype.kind != 'f' or dtype.itemsize not in (4, 8):
        raise ThresholdError('dtype must be float32 or float64, got %s' % (dtype,))
    midpoints = _rounding_midpoints(a_bits)
    if activation == 'tanh':
        return _tanh_breakpoints(midpoints, dtype).astype(np.float64)
    codes = output_codes(a_bits)
    return np.array([_hard_tanh_step(m, upper, a_bits, dtype)
                     for m, upper in zip(midpoints, codes[1:])], dtype=np.float64)


def integer_weights(latent, w_bits):
    """Integer codes of the quantized weights: ``quantize_weights_np(W) / code_step``.

    The same operations as qnn's quantizers, in the latent weights' float type: binary
    ``+1 if W >= 0 else -1``; ``n`` bits ``round3((clip(W, -M, M) + M) * 2^(n-2)) - M * 2^(n-2)``
    with ``M = 2 - 2^-(n-2)``, i.e. a code in ``-(2^(n-1) - 1) .. 2^(n-1) - 1``.

    Parameters
    ----------
    latent : array_like of float
        Latent real weights (any shape).
    w_bits : int
        1..8.

    Returns
    -------
    numpy.ndarray of int64, same shape

    Examples
    --------
    >>> integer_weights(np.float32([-0.3, 0.0, 0.7]), 1).tolist()
    [-1, 1, 1]
    >>> integer_weights(np.float32([0.357, 2.0, -0.2, -0.125]), 4).tolist()  # ties round up
    [1, 7, -1, 0]
    """
    w_bits = _check_bits('w_bits', w_bits, 8)
    W = np.asarray(latent)
    if W.dtype.kind != 'f':
        W = W.astype(np.float32)
    if w_bits == 1:
        return np.where(W >= 0, 1, -1).astype(np.int64)
    return _fixed_codes(W, w_bits)


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


def _fraction(value):
    return fractions.Fraction(float(value))


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
    F = _fraction
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
    c, bias, mean, beta = [_per_neuron(name, value, n) for name, value in
                           (('acc_offset', acc_offset), ('bias', bias), ('mean', mean),
                            ('beta', beta))]
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

    XNOR layers count matching lanes: ``popcount = (sum + MW) / 2`` (pad lanes never match),
    so ``sum > T`` becomes ``popcount > floor((T + MW) / 2)``. Other layers add the pad
    columns' constant :attr:`~hwgen.layerspec.LayerSpec.pad_offset` to the sum.

    Examples
    --------
    >>> from hwgen.folding import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> spec = LayerSpec(Folding(784, 8, 64, 8, first=True))       # W1A1: XNOR
    >>> hardware_thresholds(np.array([[-1], [0]]), spec).tolist()   # sum >= 0 <=> pop >= 392
    [[391], [392]]
    >>> hardware_thresholds(np.array([[-1, 2]]), spec._replace(a_bits=2, xnor=False)).tolist()
    [[-49, -46]]
    """
    thresholds = np.asarray(thresholds, dtype=np.int64)
    if spec.xnor:
        return (thresholds + spec.folding.mw) // 2
    return thresholds + spec.pad_offset


def sum_of_accumulator(spec):
    """``(unit, shift)`` with ``flipped signed sum = unit * hardware accumulator + shift``.

    XNOR layers count matching lanes, ``popcount = (sum + MW) / 2`` (pad lanes never match);
    other layers add the pad columns' constant :attr:`~hwgen.layerspec.LayerSpec.pad_offset`.
    The map is increasing, so ``acc > T`` holds exactly when ``sum > unit * T + shift``.

    Examples
    --------
    >>> from hwgen.folding import Folding
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
    >>> from hwgen.folding import Folding
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
    n = g.size
    c, bias, mean, beta = [_per_neuron(name, value, n) for name, value in
                           (('acc_offset', acc_offset), ('bias', bias), ('mean', mean),
                            ('beta', beta))]
    flip = np.asarray(flip, dtype=np.float64)
    unit, shift = sum_of_accumulator(spec)
    per_unit = flip * g / float(inv_scale)
    scale = per_unit * unit
    offset = per_unit * shift - c * g / float(inv_scale) + (bias - mean) * g + beta
    return ScoreMap(scale, offset)
