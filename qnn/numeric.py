"""The numbers of the paper's quantizers in numpy alone (no Theano), defined once.

:func:`round3` (ties away from zero); :class:`Grid`, the n-bit weight/activation grid with the
quantizers' numpy arithmetic; the staircases of the quantized activations (levels, rounding
midpoints, tanh breakpoints, :func:`step_points`); BinaryNet's :func:`glorot_lr_scale`.
:mod:`qnn.quantization` and :mod:`qnn.activations` build their Theano ops from these constants
and use these functions as their numpy twins; ``hwgen`` and ``qnn_brevitas`` import them.
Every function evaluates in its input's float type with the Theano graphs' operations in the
same order, so both agree bit for bit; integer inputs are taken as float32 (qnn's floatX).
"""
from __future__ import absolute_import, division, print_function

import collections

import numpy as np

from .config import ACTIVATION_NAMES

__all__ = ['round3', 'hard_sigmoid', 'checked_bits', 'Grid', 'binary_grid', 'fixed_grid',
           'paper_grid', 'code_step', 'activation_codes', 'activation_levels', 'rounding_midpoints',
           'tanh_breakpoints', 'staircase', 'step_points',
           'glorot_lr_scale']


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == 'f' else x.astype(np.float32)


def _const(value, x):
    return np.asarray(value, dtype=x.dtype)


def round3(x):
    """Round half away from zero (C ``round()``), exactly, in ``x``'s float type.

    Examples
    --------
    >>> round3(np.float32([-2.5, -0.5, 0.49999997, 0.5, 1.5])).tolist()
    [-3.0, -1.0, 0.0, 1.0, 2.0]
    """
    x = _as_float(x)
    whole = np.trunc(x)
    fraction = x - whole  # exact in floating point
    return whole + np.where(np.abs(fraction) >= 0.5, np.sign(x), 0).astype(x.dtype)


def hard_sigmoid(x):
    """clip((x + 1) / 2, 0, 1), the paper's Fig. 2.

    Examples
    --------
    >>> hard_sigmoid([-3.0, 0.0, 0.5]).tolist()
    [0.0, 0.5, 0.75]
    """
    x = _as_float(x)
    one, two = _const(1, x), _const(2, x)
    return np.clip((x + one) / two, _const(0, x), one)


def checked_bits(name, bits, high):
    """``bits`` as an int, or ValueError unless it is an integer in 1..``high``.

    Examples
    --------
    >>> checked_bits('w_bits', 3.0, 8)
    3
    """
    if isinstance(bits, bool) or int(bits) != bits or not 1 <= bits <= high:
        raise ValueError('%s must be an integer in 1..%d, got %r' % (name, high, bits))
    return int(bits)


class Grid(collections.namedtuple('Grid', ['bits', 'min', 'max', 'step', 'scale', 'shift',
                                           'unit', 'lowest_code', 'code_stride'])):
    """An n-bit quantization grid and the quantizer's numpy arithmetic on it.

    The quantized value is ``round3((clip(x, min, max) + shift) * scale) / scale - shift``;
    the rounded index ``k`` in ``0 .. levels - 1`` gives the integer code
    ``lowest_code + code_stride * k``, whose value is ``code * unit``. Build grids with
    :func:`binary_grid`, :func:`fixed_grid` or :func:`paper_grid`.

    Attributes
    ----------
    bits : int
    min, max, step : float
        Smallest and largest level, distance between neighbouring levels.
    scale, shift : float
        ``1 / step`` (exactly, a power of two for fixed point) and ``-min``.
    unit : float
        Value of one integer code: the step for fixed point, the magnitude for binary.
    lowest_code, code_stride : int
        First code and the distance between codes: ``-(2^(n-1) - 1)``, 1 for fixed point;
        -1, 2 for binary (codes +-1, FINN's bipolar numbers).
    """
    __slots__ = ()

    def codes(self):
        """All integer codes, ascending (int64).

        Examples
        --------
        >>> paper_grid(1).codes().tolist(), paper_grid(3).codes().tolist()
        ([-1, 1], [-3, -2, -1, 0, 1, 2, 3])
        """
        count = 2 if self.bits == 1 else 2 ** self.bits - 1
        return self.lowest_code + self.code_stride * np.arange(count, dtype=np.int64)

    def levels(self):
        """All values the quantizer can output, ascending (float64): ``codes() * unit``."""
        return self.codes() * self.unit

    def _index(self, x):
        """The rounded index ``k`` of float array ``x`` (in its type)."""
        if self.bits == 1:  # binary_tanh_unit(x / unit) = 2 * round3(hard_sigmoid(x / unit)) - 1
            return round3(hard_sigmoid(x / _const(self.unit, x)))
        low, high = _const(self.min, x), _const(self.max, x)
        return round3((np.clip(x, low, high) + _const(self.shift, x)) * _const(self.scale, x))

    def quantize(self, x):
        """The quantized values of ``x`` (activations; also the fixed-point weights).

        Examples
        --------
        >>> paper_grid(4).quantize([0.357, 2.0, -0.125]).tolist()   # ties round up
        [0.25, 1.75, 0.0]
        >>> paper_grid(1).quantize([-0.3, 0.0]).tolist()
        [-1.0, 1.0]
        """
        x = _as_float(x)
        index = self._index(x)
        if self.bits == 1:
            return (_const(2, x) * index - _const(1, x)) * _const(self.unit, x)
        return index / _const(self.scale, x) - _const(self.shift, x)

    def quantize_weights(self, w):
        """The quantized weights: :meth:`quantize`, or for binary ``+unit`` where ``w >= 0``."""
        w = _as_float(w)
        if self.bits == 1:
            return np.where(w >= 0, _const(self.unit, w), _const(-self.unit, w))
        return self.quantize(w)

    def clip(self, w):
        """``w`` clipped to ``[min, max]`` in its float type."""
        w = _as_float(w)
        return np.clip(w, _const(self.min, w), _const(self.max, w))

    def to_codes(self, x):
        """Integer codes (int64) of :meth:`quantize`, exactly (from the rounded index).

        Examples
        --------
        >>> paper_grid(3).to_codes(np.float32([-2.0, 0.25, 0.3, 1.0])).tolist()
        [-3, 1, 1, 2]
        """
        index = self._index(_as_float(x)).astype(np.int64)
        return self.lowest_code + self.code_stride * index

    def weight_codes(self, w):
        """Integer codes (int64) of :meth:`quantize_weights`.

        Examples
        --------
        >>> paper_grid(4).weight_codes(np.float32([0.357, 2.0, -0.2, -0.125])).tolist()
        [1, 7, -1, 0]
        """
        w = _as_float(w)
        if self.bits == 1:
            return np.where(w >= 0, 1, -1).astype(np.int64)
        return self.to_codes(w)


def binary_grid(magnitude=1.0):
    """The binary grid {-magnitude, +magnitude} (BinaryNet's H; 1 in the paper).

    Examples
    --------
    >>> grid = binary_grid()
    >>> grid.min, grid.max, grid.step, grid.unit, grid.levels().tolist()
    (-1.0, 1.0, 2.0, 1.0, [-1.0, 1.0])
    """
    if not magnitude > 0:
        raise ValueError('binary grid magnitude must be positive, got %r' % (magnitude,))
    magnitude = float(magnitude)
    return Grid(1, -magnitude, magnitude, 2 * magnitude, 1 / (2 * magnitude), magnitude,
                magnitude, -1, 2)


def fixed_grid(bits, fraclength=None):
    """Narrow-range fixed point: ``k * 2^-f`` for ``|k| <= 2^(n-1) - 1`` (the paper's Eq. 2).

    The default ``f = n - 2`` is the paper's: range ``+-(2 - 2^-(n-2))``, step ``2^-(n-2)``.
    ``scale = (2^n - 2) / (max - min)`` as the paper computes it (which is ``2^f``).

    Examples
    --------
    >>> grid = fixed_grid(3)
    >>> grid.min, grid.max, grid.step, grid.scale, grid.shift
    (-1.5, 1.5, 0.5, 2.0, 1.5)
    >>> fixed_grid(4, 1).max
    3.5
    """
    bits = int(bits)
    if not 2 <= bits <= 32:
        raise ValueError('fixed-point wordlength must be in 2..32, got %r' % (bits,))
    fraclength = bits - 2 if fraclength is None else int(fraclength)
    step = 2.0 ** -fraclength
    high = 2.0 ** (bits - fraclength - 1) - step
    return Grid(bits, -high, high, step, (2.0 ** bits - 2) / (2 * high), high, step,
                -(2 ** (bits - 1) - 1), 1)


def paper_grid(bits):
    """The paper's grid for ``bits`` (1..32): binary for 1 bit, ``fixed_grid(bits)`` above.

    Examples
    --------
    >>> [paper_grid(b).max for b in (1, 2, 4, 8)]
    [1.0, 1.0, 1.75, 1.984375]
    """
    bits = checked_bits('bits', bits, 32)
    return binary_grid() if bits == 1 else fixed_grid(bits)


def code_step(bits):
    """Value of one integer code of the paper's ``bits``-bit grid: 1 (bipolar) or 2^-(bits-2).

    Examples
    --------
    >>> [code_step(b) for b in (1, 2, 3, 8)]
    [1.0, 1.0, 0.5, 0.015625]
    """
    return paper_grid(bits).unit


# ---------------------------------------------------------------------------------------------
# The staircases of the quantized activations (outputs: the paper grid's levels in [-1, 1]).

def activation_codes(bits):
    """Integer output codes of a ``bits``-bit activation, ascending: the grid's within +-1.

    Examples
    --------
    >>> activation_codes(1).tolist(), activation_codes(3).tolist()
    ([-1, 1], [-2, -1, 0, 1, 2])
    """
    grid = paper_grid(bits)
    codes = grid.codes()
    return codes[np.abs(codes * grid.unit) <= 1]


def activation_levels(bits):
    """Output values of a ``bits``-bit activation, ascending (float64).

    Examples
    --------
    >>> activation_levels(2).tolist()
    [-1.0, 0.0, 1.0]
    """
    return activation_codes(bits) * paper_grid(bits).unit


def rounding_midpoints(levels):
    """Midpoints between neighbouring levels, where the quantizer steps up (ties round up).

    Examples
    --------
    >>> rounding_midpoints([-1.0, 0.0, 1.0]).tolist()
    [-0.5, 0.5]
    """
    levels = np.asarray(levels, dtype=np.float64)
    return (levels[:-1] + levels[1:]) / 2.


def tanh_breakpoints(midpoints, dtype):
    """Smallest ``dtype`` values x with tanh(x) >= m for each midpoint m (exact tanh).

    Examples
    --------
    >>> tanh_breakpoints([0.0, 0.5], np.float64).tolist() == [0.0, np.arctanh(0.5)]
    True
    """
    exact = np.arctanh(np.asarray(midpoints, dtype=np.float64))
    points = exact.astype(dtype)
    too_low = points.astype(np.float64) < exact
    points[too_low] = np.nextafter(points[too_low], np.asarray(np.inf, dtype=dtype))
    return points


def staircase(x, breakpoints, levels):
    """``levels[number of breakpoints <= x]``, elementwise, in ``x``'s type.

    Examples
    --------
    >>> staircase(np.float32([-1.0, 0.0, 2.0]), [-0.5, 0.5], [-1, 0, 1]).tolist()
    [-1.0, 0.0, 1.0]
    """
    x = np.asarray(x)
    index = np.searchsorted(np.asarray(breakpoints, dtype=x.dtype), x, side='right')
    return np.asarray(levels, dtype=x.dtype)[index]


def _float_key(value, dtype):
    """An integer that orders the finite floats of ``dtype`` like their values."""
    bits = np.asarray(value, dtype=dtype).view('i%d' % dtype.itemsize).item()
    sign_mask = 1 << (8 * dtype.itemsize - 1)
    return bits if bits >= 0 else -(bits & (sign_mask - 1))


def _key_float(key, dtype):
    """Inverse of :func:`_float_key`."""
    sign_mask = 1 << (8 * dtype.itemsize - 1)
    bits = key if key >= 0 else (-key) | sign_mask
    return np.asarray(bits, dtype='u%d' % dtype.itemsize).view(dtype).item()


def _hard_tanh_step(midpoint, upper_code, bits, dtype):
    """Smallest ``dtype`` value whose hard tanh code is >= ``upper_code`` (binary search).

    The quantizer rounds ``(y + shift) * scale``; the rounding of the sum makes the float
    function step up to half an ulp of the sum *below* the real midpoint (for 1 bit in
    float32, at y = -2^-25 instead of 0).
    """
    def is_upper(key):  # the hard tanh: clip to +-1, then quantize
        y = np.asarray(_key_float(key, dtype), dtype=dtype)
        return paper_grid(bits).to_codes(np.clip(y, -_const(1, y), _const(1, y))) >= upper_code
    low = _float_key(midpoint - paper_grid(bits).unit / 4, dtype)    # clearly the lower code
    high = _float_key(midpoint, dtype)                               # a tie: rounds up
    if is_upper(low) or not is_upper(high):
        raise ValueError('hard tanh (%d bits, %s) does not step between %r and %r'
                         % (bits, dtype, _key_float(low, dtype), midpoint))
    while high - low > 1:
        middle = (low + high) // 2
        if is_upper(middle):
            high = middle
        else:
            low = middle
    return _key_float(high, dtype)


def step_points(activation, bits, dtype='float32'):
    """Inputs ``y`` at which an activation steps up one code (``y >= point`` steps), float64.

    Each point is the smallest ``dtype`` value at which the numpy activation, evaluated in
    ``dtype``, outputs the next level: for the quantized tanh its breakpoints; for the hard
    tanh the quantizer's rounding midpoint (a tie, which rounds up) or the few floats below it
    that the rounding of ``y + shift`` carries up to the tie.

    Parameters
    ----------
    activation : {'hard_tanh', 'tanh'}
    bits : int
        1..8.
    dtype : str or numpy.dtype
        float32 or float64, the type the activation is evaluated in (Theano's floatX).

    Returns
    -------
    numpy.ndarray of float64, shape (len(activation_codes(bits)) - 1,)

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
    if activation not in ACTIVATION_NAMES:
        raise ValueError('activation must be one of %s, got %r' % (ACTIVATION_NAMES, activation))
    bits = checked_bits('a_bits', bits, 8)
    dtype = np.dtype(dtype)
    if dtype.kind != 'f' or dtype.itemsize not in (4, 8):
        raise ValueError('dtype must be float32 or float64, got %s' % (dtype,))
    codes = activation_codes(bits)
    midpoints = rounding_midpoints(codes * code_step(bits))
    if activation == 'tanh':
        return tanh_breakpoints(midpoints, dtype).astype(np.float64)
    return np.array([_hard_tanh_step(m, upper, bits, dtype)
                     for m, upper in zip(midpoints, codes[1:])], dtype=np.float64)


def glorot_lr_scale(fan_in, fan_out):
    """BinaryNet's "Glorot" learning-rate scale, 1 / sqrt(1.5 / (fan_in + fan_out)).

    Examples
    --------
    >>> round(glorot_lr_scale(784, 1024), 3)      # sqrt(1808 / 1.5) = 34.7179...
    34.718
    """
    return float(1. / np.sqrt(1.5 / (fan_in + fan_out)))
