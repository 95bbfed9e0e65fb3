"""Integer weight matrices and thresholds <-> the per-PE memories of a FINN FC layer.

Layout (BNN-PYNQ ``finnthesizer``, finn-hlslib ``BinaryWeights``/``FixedPointWeights``):

* The (MH, MW) weight matrix (rows = neurons) is padded to (padded MH, padded MW) with pad
  weights +1 (binary, bit 1) or 0 (multi-bit), see :mod:`hwgen.folding.base`.
* Each weight becomes a ``w_bits``-bit field: binary +1 -> 1, -1 -> 0; multi-bit two's
  complement. SIMD consecutive fields form one 64-bit word, lane ``j`` at bits
  ``[j*W, (j+1)*W)`` (LSB first).
* Row ``r`` goes to PE ``r % PE``; its fold ``s`` (columns ``s*SIMD .. s*SIMD+SIMD-1``) sits at
  address ``(r // PE) * SF + s``. So PE memories have shape (PE, WMEM).
* Thresholds (MH, NumTH) are padded with ``2**acc_bits - 1`` (65535) per pad neuron, saturated
  to the signed ``acc_bits`` range (so pads become 0x7FFF) and laid out as (PE, TMEM, NumTH),
  neuron ``r`` at PE ``r % PE``, address ``r // PE``.

Examples
--------
>>> from hwgen.folding.base import Folding
>>> f = Folding(mw=3, mh=2, simd=4, pe=2)
>>> words = pack_weights([[1, -1, 1], [-1, -1, -1]], f, w_bits=1)
>>> [hex(int(w)) for w in words[:, 0]]   # lane 3 is padding (bit 1)
['0xd', '0x8']
>>> unpack_weights(words, f, w_bits=1).tolist()
[[1, -1, 1], [-1, -1, -1]]
"""
from __future__ import absolute_import, division, print_function

import logging

import numpy as np

from hwgen.datatype import INT, UINT, check_bits, field_type
from hwgen.errors import HwgenError
from hwgen.folding.base import AXI_WORD_BITS

__all__ = ['value_range', 'encode_fields', 'decode_fields', 'pack_words',
           'unpack_words', 'pack_fields', 'unpack_fields', 'interleave_rows',
           'deinterleave_rows', 'pad_weights',
           'pack_weights', 'unpack_weights', 'pad_threshold_value', 'pad_thresholds',
           'pack_thresholds', 'unpack_thresholds']

log = logging.getLogger(__name__)

def _as_int64(values, what):
    """``values`` as an int64 array; ValueError if any value is not an integer."""
    array = np.asarray(values)
    if array.dtype.kind in 'iub':
        return array.astype(np.int64)
    if array.dtype.kind == 'f':
        bad = np.flatnonzero(np.floor(array) != array)
        if bad.size == 0:
            return array.astype(np.int64)
        raise ValueError('%s must be integers; found %d non-integer values, e.g. %r at flat '
                         'index %d' % (what, bad.size, array.flat[bad[0]], bad[0]))
    raise ValueError('%s must be an integer array, got dtype %s' % (what, array.dtype))


def value_range(bits, signed=True):
    """``(low, high)`` of a field: bipolar (-1, 1) for 1 signed bit, else two's complement.

    Examples
    --------
    >>> value_range(1), value_range(1, signed=False), value_range(3), value_range(3, False)
    ((-1, 1), (0, 1), (-4, 3), (0, 7))
    """
    dtype = field_type(check_bits(bits), signed)
    return dtype.min, dtype.max


def encode_fields(values, bits, signed=True, what='values'):
    """Integer values -> raw ``bits``-bit fields (uint64).

    Parameters
    ----------
    values : array_like of int
        For 1 signed bit: -1 or +1 (bipolar, +1 -> 1). Otherwise within :func:`value_range`.
    bits : int
        Field width, 1..32.
    signed : bool
        Two's complement (or bipolar for 1 bit) when true, unsigned otherwise.
    what : str
        Name used in error messages.

    Returns
    -------
    numpy.ndarray of uint64, same shape.

    Raises
    ------
    ValueError
        A value does not fit (the message quotes the first one and its index).

    Examples
    --------
    >>> [int(v) for v in encode_fields([-2, -1, 0, 1], 2)]
    [2, 3, 0, 1]
    >>> [int(v) for v in encode_fields([-1, 1], 1)]
    [0, 1]
    """
    dtype = field_type(check_bits(bits), signed)
    array = _as_int64(values, what)
    bad = np.flatnonzero(~dtype.allowed(array))
    if bad.size:
        kind = 'bipolar' if dtype.bipolar else ('signed' if signed else 'unsigned')
        raise ValueError('%s do not fit %d-bit %s fields [%d, %d]: %d bad values, e.g. %d at '
                         'flat index %d' % (what, bits, kind, dtype.min, dtype.max, bad.size,
                                             array.flat[bad[0]], bad[0]))
    return dtype.encode(array)


def decode_fields(fields, bits, signed=True):
    """Raw fields -> integer values (int64); the inverse of :func:`encode_fields`.

    Bits above ``bits`` are ignored.

    Examples
    --------
    >>> decode_fields([2, 3, 0, 1], 2).tolist(), decode_fields([0, 1], 1).tolist()
    ([-2, -1, 0, 1], [-1, 1])
    """
    return field_type(check_bits(bits), signed).decode(fields)


def pack_words(fields, bits):
    """Pack the last axis of ``fields`` into 64-bit words, element ``j`` at bits ``[j*W, ...)``.

    Parameters
    ----------
    fields : array_like of uint64, shape (..., n)
        Raw fields (< 2**bits), n * bits <= 64.
    bits : int
        Field width.

    Returns
    -------
    numpy.ndarray of uint64, shape (...)

    Examples
    --------
    >>> hex(int(pack_words([1, 2, 3], 4)))
    '0x321'
    """
    bits = check_bits(bits)
    fields = np.asarray(fields, dtype=np.uint64)
    n_lanes = fields.shape[-1]
    if n_lanes * bits > AXI_WORD_BITS:
        raise ValueError('%d lanes of %d bits = %d bits do not fit a %d-bit word'
                         % (n_lanes, bits, n_lanes * bits, AXI_WORD_BITS))
    words = np.zeros(fields.shape[:-1], dtype=np.uint64)
    for lane in range(n_lanes):
        words |= fields[..., lane] << np.uint64(lane * bits)
    return words


def unpack_words(words, bits, n_lanes):
    """Split 64-bit words into ``n_lanes`` fields of ``bits`` bits; inverse of :func:`pack_words`.

    Returns
    -------
    numpy.ndarray of uint64, shape ``words.shape + (n_lanes,)``
    """
    bits = check_bits(bits)
    if n_lanes * bits > AXI_WORD_BITS:
        raise ValueError('%d lanes of %d bits = %d bits do not fit a %d-bit word'
                         % (n_lanes, bits, n_lanes * bits, AXI_WORD_BITS))
    words = np.asarray(words, dtype=np.uint64)
    shifts = np.arange(n_lanes, dtype=np.uint64) * np.uint64(bits)
    return (words[..., None] >> shifts) & np.uint64(UINT(bits).mask)


def pack_fields(fields, bits):
    """(N, n) raw fields -> (N, n * bits / 64) uint64 words, one LSB-first bit stream per row.

    Examples
    --------
    >>> [hex(int(w)) for w in pack_fields(np.array([[1, 2, 3] + [0] * 61]), 1)[0]]
    ['0x5']
    """
    fields = np.asarray(fields).astype(np.uint64)
    n_rows, n_fields = fields.shape
    if (n_fields * bits) % AXI_WORD_BITS:
        raise HwgenError('%d fields of %d bits do not fill whole %d-bit words'
                         % (n_fields, bits, AXI_WORD_BITS))
    n_words = n_fields * bits // AXI_WORD_BITS
    if AXI_WORD_BITS % bits == 0:
        lanes = AXI_WORD_BITS // bits
        return pack_words(fields.reshape(n_rows, n_words, lanes) & np.uint64(UINT(bits).mask),
                          bits)
    stream = (fields[:, :, None] >> np.arange(bits, dtype=np.uint64)) & np.uint64(1)
    stream = stream.reshape(n_rows, n_words, AXI_WORD_BITS)
    return np.bitwise_or.reduce(stream << np.arange(AXI_WORD_BITS, dtype=np.uint64), axis=2)


def unpack_fields(words, bits, signed=False):
    """(N, words) uint64 -> (N, words * 64 / bits) int64 fields; inverse of :func:`pack_fields`.

    Examples
    --------
    >>> unpack_fields(np.array([[0xfffe]], dtype=np.uint64), 16, signed=True)[0, :2].tolist()
    [-2, 0]
    """
    words = np.asarray(words, dtype=np.uint64)
    n_rows, n_words = words.shape
    if (n_words * AXI_WORD_BITS) % bits:
        raise HwgenError('%d words do not hold whole %d-bit fields' % (n_words, bits))
    bit_stream = (words[:, :, None] >> np.arange(AXI_WORD_BITS, dtype=np.uint64)) & np.uint64(1)
    bit_stream = bit_stream.reshape(n_rows, -1, bits).astype(np.int64)
    fields = (bit_stream << np.arange(bits, dtype=np.int64)).sum(axis=2)
    if signed:
        fields = INT(bits).decode(fields)  # two's complement, also for one bit
    return fields


def interleave_rows(rows, pe):
    """(padded MH, ...) -> (PE, NF, ...): row ``r`` to PE ``r % PE``, slot ``r // PE``."""
    rows = np.asarray(rows)
    if rows.shape[0] % pe:
        raise ValueError('%d rows are not a multiple of PE %d' % (rows.shape[0], pe))
    folded = rows.reshape((rows.shape[0] // pe, pe) + rows.shape[1:])
    return folded.swapaxes(0, 1)


def deinterleave_rows(per_pe):
    """(PE, NF, ...) -> (PE * NF, ...); inverse of :func:`interleave_rows`."""
    per_pe = np.asarray(per_pe)
    rows = per_pe.swapaxes(0, 1)
    return rows.reshape((rows.shape[0] * rows.shape[1],) + rows.shape[2:])


def _padded_or_pad(array, folding, pad_value, what, pad_cols=True):
    """Return ``array`` padded to the folding's padded shape (or as is if already padded)."""
    rows, cols = folding.padded_mh, folding.padded_mw
    if array.shape[0] == rows and (not pad_cols or array.shape[1] == cols):
        return array
    if array.shape[0] != folding.mh or (pad_cols and array.shape[1] != folding.mw):
        expected = (folding.mh, folding.mw) if pad_cols else (folding.mh,)
        raise ValueError('%s have shape %s, expected %s or padded %s'
                         % (what, array.shape, expected,
                            (rows, cols) if pad_cols else (rows,)))
    widths = [(0, folding.n_pad_rows)] + [(0, 0)] * (array.ndim - 1)
    if pad_cols:
        widths[1] = (0, folding.n_pad_cols)
    return np.pad(array, widths, 'constant', constant_values=pad_value)


def pad_weights(weights, folding, w_bits):
    """Pad an (MH, MW) integer matrix to the folding's padded shape.

    Pad weights are +1 (bit 1) for binary and 0 for multi-bit weights, so that with input pad
    bits 0 an XNOR lane never matches and a multi-bit lane adds nothing.
    """
    array = _as_int64(weights, 'weights')
    if array.ndim != 2:
        raise ValueError('weights must be a 2-D (MH, MW) matrix, got shape %s' % (array.shape,))
    pad_value = 1 if w_bits == 1 else 0
    return _padded_or_pad(array, folding, pad_value, 'weights')


def pack_weights(weights, folding, w_bits):
    """Integer (MH, MW) weights -> per-PE weight memories (PE, WMEM) of uint64 words.

    Parameters
    ----------
    weights : array_like of int, shape (MH, MW) or already padded
        Binary (+-1) when ``w_bits == 1``, else ``w_bits``-bit two's complement integers.
    folding : Folding
    w_bits : int

    Returns
    -------
    numpy.ndarray of uint64, shape (PE, WMEM)
    """
    padded = pad_weights(weights, folding, w_bits)
    fields = encode_fields(padded, w_bits, signed=True, what='weights')
    lanes = fields.reshape(folding.padded_mh, folding.sf, folding.simd)
    words = pack_words(lanes, w_bits)                                # (padded MH, SF)
    return interleave_rows(words, folding.pe).reshape(folding.pe, folding.wmem)


def unpack_weights(words, folding, w_bits, padded=False):
    """Per-PE weight memories (PE, WMEM) -> integer weight matrix; inverse of :func:`pack_weights`.

    Parameters
    ----------
    words : array_like of uint64, shape (PE, WMEM)
    folding : Folding
    w_bits : int
    padded : bool
        Return the padded (padded MH, padded MW) matrix instead of (MH, MW).

    Returns
    -------
    numpy.ndarray of int64
    """
    words = np.asarray(words, dtype=np.uint64)
    if words.shape != (folding.pe, folding.wmem):
        raise ValueError('weight memories have shape %s, expected (PE, WMEM) = %s'
                         % (words.shape, (folding.pe, folding.wmem)))
    rows = deinterleave_rows(words.reshape(folding.pe, folding.nf, folding.sf))
    fields = unpack_words(rows, w_bits, folding.simd)                # (padded MH, SF, SIMD)
    matrix = decode_fields(fields.reshape(folding.padded_mh, folding.padded_mw), w_bits)
    return matrix if padded else matrix[:folding.mh, :folding.mw]


def pad_threshold_value(acc_bits=16):
    """Threshold of a pad neuron before saturation: all ``acc_bits`` bits set (65535).

    finnthesizer's value; saturated to the signed range it is the largest threshold.
    """
    return UINT(acc_bits).max


def pad_thresholds(thresholds, folding, acc_bits=16):
    """Pad (MH, NumTH) thresholds with pad neurons and saturate to the signed ``acc_bits`` range.

    Returns
    -------
    numpy.ndarray of int64, shape (padded MH, NumTH)
    """
    array = _as_int64(thresholds, 'thresholds')
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise ValueError('thresholds must have shape (MH,) or (MH, NumTH), got %s'
                         % (array.shape,))
    padded = _padded_or_pad(array, folding, pad_threshold_value(acc_bits), 'thresholds',
                            pad_cols=False)
    low, high = INT(acc_bits).min, INT(acc_bits).max
    real = padded[:folding.mh]
    n_clipped = int(np.count_nonzero((real < low) | (real > high)))
    if n_clipped:
        log.warning('%d thresholds outside the %d-bit range [%d, %d] saturated (min %d, max %d)',
                    n_clipped, acc_bits, low, high, real.min(), real.max())
    return np.clip(padded, low, high)


def pack_thresholds(thresholds, folding, acc_bits=16):
    """(MH, NumTH) integer thresholds -> per-PE threshold memories (PE, TMEM, NumTH) int64.

    Pad neurons get ``2**acc_bits - 1``; everything is then saturated to the signed
    ``acc_bits`` range (BNN-PYNQ: pads become 32767). A 1-D input means NumTH = 1.
    """
    padded = pad_thresholds(thresholds, folding, acc_bits)
    return np.ascontiguousarray(interleave_rows(padded, folding.pe))


def unpack_thresholds(memories, folding, padded=False):
    """Per-PE threshold memories (PE, TMEM, NumTH) -> (MH, NumTH); inverse of the layout.

    Saturation in :func:`pack_thresholds` is not undone.
    """
    memories = np.asarray(memories, dtype=np.int64)
    if memories.ndim != 3 or memories.shape[:2] != (folding.pe, folding.tmem):
        raise ValueError('threshold memories have shape %s, expected (PE, TMEM, NumTH) = '
                         '(%d, %d, n)' % (memories.shape, folding.pe, folding.tmem))
    rows = deinterleave_rows(memories)
    return rows if padded else rows[:folding.mh]
