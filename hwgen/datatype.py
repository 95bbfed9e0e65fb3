"""Integer datatypes of the hardware: each owns its range, its raw-field encoding and C++ type.

One :class:`DataType` per encoding a FINN stream or memory uses:

* :data:`BIPOLAR` -- one bit, bit 1 = +1 and bit 0 = -1 (binary weights and activations);
* :func:`INT` ``(n)`` -- ``n``-bit two's complement, ``ap_int<n>``;
* :func:`UINT` ``(n)`` -- ``n``-bit unsigned, ``ap_uint<n>``.

:func:`field_type` picks the one a ``(bits, signed)`` pair of a
:class:`~hwgen.layerspec.LayerSpec` means (1 signed bit is bipolar), and
:func:`smallest_fitting` the narrowest integer type holding a range (accumulator widths).
:class:`ScaledType` is an integer type times a step: the paper's ``n``-bit grid
(:func:`grid_type`), whose codes ``k`` stand for the values ``k * 2^-(n-2)``.

Examples
--------
>>> INT(3).min, INT(3).max, UINT(3).max, BIPOLAR.min, BIPOLAR.max
(-4, 3, 7, -1, 1)
>>> [int(f) for f in INT(2).encode([-2, -1, 0, 1])], BIPOLAR.decode([0, 1]).tolist()
([2, 3, 0, 1], [-1, 1])
>>> INT(5).cpp_type, smallest_fitting(-40000, 12).name
('ap_int<5>', 'INT17')
"""
from __future__ import absolute_import, division, print_function

import numbers

import numpy as np

from qnn.numeric import code_step

__all__ = ['MAX_FIELD_BITS', 'DataType', 'BIPOLAR', 'INT', 'UINT', 'field_type',
           'smallest_fitting', 'cpp_int_type', 'ScaledType', 'grid_type', 'activation_range']

#: Widest raw field the numpy encoders handle (fields are held in uint64/int64).
MAX_FIELD_BITS = 32


def check_bits(bits, most=MAX_FIELD_BITS):
    """``bits`` as an int if it is an integer in 1..``most``, else ValueError."""
    if isinstance(bits, bool) or not isinstance(bits, numbers.Integral) or \
            not 1 <= bits <= most:
        raise ValueError('bits must be an integer in 1..%d, got %r' % (most, bits))
    return int(bits)


def cpp_int_type(signed, width):
    """``'ap_int<width>'`` or ``'ap_uint<width>'``; ``width`` may be a macro name.

    Examples
    --------
    >>> cpp_int_type(True, 4), cpp_int_type(False, 'L0_API')
    ('ap_int<4>', 'ap_uint<L0_API>')
    """
    return '%s<%s>' % ('ap_int' if signed else 'ap_uint', width)


class DataType(object):
    """An integer datatype: bipolar, two's complement or unsigned ``bits``-bit fields.

    Parameters
    ----------
    bits : int
        Field width.
    signed : bool
        Two's complement (or bipolar for :data:`BIPOLAR`) if true.
    bipolar : bool
        The 1-bit +-1 type.

    Attributes
    ----------
    name : str
        ``'BIPOLAR'``, ``'INT<n>'`` or ``'UINT<n>'``.
    min, max : int
        The smallest and largest value.
    """

    def __init__(self, bits, signed, bipolar=False):
        self.bits = check_bits(bits, 64)
        self.signed = bool(signed)
        self.bipolar = bool(bipolar)
        if self.bipolar and (self.bits != 1 or not self.signed):
            raise ValueError('a bipolar type has one signed bit')
        if self.bipolar:
            self.name, self.min, self.max = 'BIPOLAR', -1, 1
        elif self.signed:
            self.name = 'INT%d' % self.bits
            self.min, self.max = -2 ** (self.bits - 1), 2 ** (self.bits - 1) - 1
        else:
            self.name, self.min, self.max = 'UINT%d' % self.bits, 0, 2 ** self.bits - 1

    def __repr__(self):
        return self.name

    def __eq__(self, other):
        return isinstance(other, DataType) and \
            (self.bits, self.signed, self.bipolar) == (other.bits, other.signed, other.bipolar)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((self.bits, self.signed, self.bipolar))

    @property
    def mask(self):
        """``2**bits - 1``: the bits of one raw field."""
        return 2 ** self.bits - 1

    @property
    def cpp_type(self):
        """The ``ap_int``/``ap_uint`` type holding one field (``ap_uint<1>`` for bipolar)."""
        return self.cpp_type_for(self.bits)

    def cpp_type_for(self, width):
        """This type's ``ap_int``/``ap_uint`` kind at ``width`` bits, e.g. a macro name.

        A bipolar field is its raw bit, ``ap_uint``: bit 1 stands for +1 (and a count of one
        exceeded threshold is 1, which ``ap_int<1>`` cannot hold).

        Examples
        --------
        >>> INT(4).cpp_type_for('L0_ACC'), BIPOLAR.cpp_type_for('L3_API')
        ('ap_int<L0_ACC>', 'ap_uint<L3_API>')
        """
        return cpp_int_type(self.signed and not self.bipolar, width)

    def all_fields(self):
        """Every raw field, ``0 .. 2**bits - 1`` (uint64), e.g. to tabulate :meth:`decode`.

        Examples
        --------
        >>> INT(2).decode(INT(2).all_fields()).tolist()
        [0, 1, -2, -1]
        """
        return np.arange(self.mask + 1, dtype=np.uint64)

    def allowed(self, values):
        """Boolean array: which integer ``values`` this type can hold (0 is not bipolar)."""
        array = np.asarray(values)
        inside = (array >= self.min) & (array <= self.max)
        return inside & (array != 0) if self.bipolar else inside

    def encode(self, values):
        """Integer values -> raw fields (uint64); values outside the type are not checked.

        Check them with :meth:`allowed` first where they may not fit.
        """
        array = np.asarray(values).astype(np.int64)
        if self.bipolar:
            return (array > 0).astype(np.uint64)
        return (array & self.mask).astype(np.uint64)

    def decode(self, fields):
        """Raw fields -> integer values (int64); bits above ``bits`` are ignored."""
        raw = np.asarray(fields).astype(np.int64) & self.mask
        if self.bipolar:
            return 2 * raw - 1
        if self.signed:
            return np.where(raw > self.max, raw - 2 ** self.bits, raw)
        return raw

    def wrap(self, values):
        """Integer values wrapped into the type, as a hardware register overflows.

        Examples
        --------
        >>> INT(16).wrap([32767, 32768, -32769]).tolist()
        [32767, -32768, 32767]
        """
        if self.bipolar:
            raise ValueError('bipolar values do not wrap')
        return self.decode(np.asarray(values, dtype=np.int64) & self.mask)


#: One bit, 1 = +1 and 0 = -1.
BIPOLAR = DataType(1, True, bipolar=True)


def INT(bits):  # noqa: N802 -- named like the type it returns, as QONNX's DataType["INT4"]
    """The ``bits``-bit two's complement type."""
    return DataType(bits, True)


def UINT(bits):  # noqa: N802
    """The ``bits``-bit unsigned type."""
    return DataType(bits, False)


def field_type(bits, signed=True):
    """The type of a ``LayerSpec`` field: :data:`BIPOLAR` for 1 signed bit, else INT or UINT.

    Examples
    --------
    >>> field_type(1), field_type(1, False), field_type(3), field_type(3, False)
    (BIPOLAR, UINT1, INT3, UINT3)
    """
    bits = check_bits(bits, 64)
    if bits == 1 and signed:
        return BIPOLAR
    return INT(bits) if signed else UINT(bits)


def smallest_fitting(low, high, signed=None, min_bits=1):
    """The narrowest INT or UINT type of at least ``min_bits`` bits holding [low, high].

    Parameters
    ----------
    low, high : int
    signed : bool, optional
        Default: signed iff ``low < 0``.
    min_bits : int

    Examples
    --------
    >>> smallest_fitting(0, 5), smallest_fitting(-1, 400, min_bits=16)
    (UINT3, INT16)
    >>> smallest_fitting(0, 32768, signed=True, min_bits=16)
    INT17
    """
    signed = low < 0 if signed is None else bool(signed)
    if low < 0 and not signed:
        raise ValueError('an unsigned type cannot hold %d' % low)
    bits = int(min_bits)
    while True:
        candidate = DataType(bits, signed)
        if candidate.min <= low and high <= candidate.max:
            return candidate
        bits += 1


class ScaledType(object):
    """An integer type whose codes stand for ``code * step`` (a fixed-point grid).

    Parameters
    ----------
    base : DataType
    step : float
        The value of code 1.

    Examples
    --------
    >>> grid = grid_type(3)
    >>> grid.base, grid.step, grid.decode([-2, 1]).tolist()
    (INT3, 0.5, [-1.0, 0.5])
    """

    def __init__(self, base, step):
        self.base = base
        self.step = float(step)

    def __repr__(self):
        return 'ScaledType(%r, %r)' % (self.base, self.step)

    @property
    def min(self):
        return self.base.min * self.step

    @property
    def max(self):
        return self.base.max * self.step

    def encode(self, values):
        """Real values on the grid -> raw fields of their codes."""
        return self.base.encode(np.round(np.asarray(values, dtype=np.float64) / self.step))

    def decode(self, fields):
        """Raw fields -> real values (float64)."""
        return self.base.decode(fields) * self.step


def activation_range(bits):
    """Lowest and highest integer code of a ``bits``-bit activation: the grid's codes in +-1.

    The quantized activations (:mod:`qnn.activations`) output the levels of
    :func:`grid_type` ``(bits)`` that lie in [-1, 1]: +-1 for one bit, else the codes ``k``
    with ``|k| * 2^-(bits-2) <= 1`` (as :func:`qnn.numeric.activation_codes`).

    Examples
    --------
    >>> [activation_range(b) for b in (1, 2, 3, 8)]
    [(-1, 1), (-1, 1), (-2, 2), (-64, 64)]
    """
    highest = int(1.0 // grid_type(bits).step)
    return -highest, highest


def grid_type(bits):
    """The paper's ``bits``-bit grid: bipolar +-1 for 1 bit, else INT(bits) codes of 2^-(bits-2).

    Examples
    --------
    >>> grid_type(1).max, grid_type(2).max, grid_type(8).min
    (1.0, 1.0, -2.0)
    """
    bits = check_bits(bits)
    # qnn.numeric's grid is the source of truth for the value of one code.
    return ScaledType(BIPOLAR if bits == 1 else INT(bits), code_step(bits))
