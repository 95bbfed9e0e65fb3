"""The contents of the generated memories, as ``$readmemh`` text: weights and thresholds.

Every memory is written from the integer model's padded matrices (the values the hardware
computes with), one word per line, most significant hex digit first:

* weights of layer ``l``, one memory per PE as FINN partitions them (:func:`weight_words`):
  address ``nf * SF + sf`` of PE ``p``'s memory holds, for lane ``j``, the weight of neuron
  ``nf * PE + p`` and column ``sf * SIMD + j`` at bits ``[j * W, ...)`` (bipolar: bit 1 = +1;
  else two's complement);
* thresholds for the parallel unit, one memory per PE (:func:`parallel_threshold_words`):
  address ``nf`` of PE ``p``'s memory holds threshold ``i`` of neuron ``nf * PE + p`` at bits
  ``[i * TH, ...)``;
* thresholds for the search unit (:func:`search_threshold_words`): per stage ``s`` and PE
  ``p``, address ``nf * 2^s + k`` holds entry ``k`` of level ``s`` of the neuron's search tree
  (its thresholds sorted and padded with the largest ``TH``-bit value to ``2^S - 1``).

Examples
--------
>>> hex_lines(np.array([[1, 0, 3], [2, 2, 2]]), 2)
['31', '2a']
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from hwgen.rtl.ir import INT, UINT

__all__ = ['hex_lines', 'weight_words', 'parallel_threshold_words', 'search_tree',
           'search_threshold_words']

_HEX_DIGITS = np.array(list('0123456789abcdef'))


def hex_lines(fields, bits):
    """Rows of raw ``bits``-bit fields -> one hex word per row, field 0 in the lowest bits.

    Parameters
    ----------
    fields : array_like of non-negative int, shape (rows, n)
    bits : int

    Returns
    -------
    list of str
        ``ceil(n * bits / 4)`` digits each.
    """
    fields = np.asarray(fields, dtype=np.uint64)
    rows = fields.shape[0]
    stream = (fields[:, :, None] >> np.arange(bits, dtype=np.uint64)) & np.uint64(1)
    stream = stream.reshape(rows, -1).astype(np.uint8)
    spare = -stream.shape[1] % 4
    stream = np.pad(stream, ((0, 0), (0, spare)), 'constant')
    nibbles = stream.reshape(rows, -1, 4).dot(np.array([1, 2, 4, 8], dtype=np.uint8))
    digits = _HEX_DIGITS[nibbles[:, ::-1]]
    return [''.join(row) for row in digits]


def weight_words(spec, weights):
    """``$readmemh`` lines of a layer's weight memories, per PE (WMEM words of SIMD x W bits).

    Parameters
    ----------
    spec : LayerSpec
    weights : array_like of int, shape (padded MH, padded MW)

    Returns
    -------
    list of list of str
        ``[pe]``: WMEM lines.
    """
    f = spec.folding
    folded = np.asarray(weights).reshape(f.nf, f.pe, f.sf, f.simd).transpose(1, 0, 2, 3)
    fields = spec.weight_type.encode(folded.reshape(f.pe, f.wmem, f.simd))
    return [hex_lines(rows, spec.w_bits) for rows in fields]


def parallel_threshold_words(spec, thresholds, th_bits):
    """``$readmemh`` lines of the parallel unit's memories, per PE (TMEM words of NumTH x TH
    bits).

    Parameters
    ----------
    spec : LayerSpec
    thresholds : array_like of int, shape (padded MH, NumTH)
    th_bits : int

    Returns
    -------
    list of list of str
        ``[pe]``: TMEM lines.
    """
    f = spec.folding
    values = np.asarray(thresholds).reshape(f.nf, f.pe, spec.n_thresholds).transpose(1, 0, 2)
    return [hex_lines(INT(th_bits).encode(rows), th_bits) for rows in values]


def search_tree(thresholds, stages, th_bits):
    """Each neuron's thresholds sorted and padded with the largest ``th_bits`` value to
    ``2^stages - 1`` (no accumulator exceeds the padding, so the count is unchanged).

    Examples
    --------
    >>> search_tree(np.array([[5, -3]]), 2, 8).tolist()
    [[-3, 5, 127]]
    """
    thresholds = np.sort(np.asarray(thresholds, dtype=np.int64), axis=1)
    spare = UINT(stages).max - thresholds.shape[1]  # a stages-bit count reaches 2^stages - 1
    return np.pad(thresholds, ((0, 0), (0, spare)), 'constant',
                  constant_values=INT(th_bits).max)


def search_threshold_words(spec, thresholds, stages, th_bits):
    """``$readmemh`` lines of the search unit's memories, per stage and PE.

    Stage ``s`` compares with the entries ``k * 2^(S-s) + 2^(S-s-1) - 1`` of the sorted
    thresholds, ``k < 2^s`` being the result bits found before it.

    Returns
    -------
    list of list of list of str
        ``[stage][pe]``: ``NF * 2^s`` lines.
    """
    f = spec.folding
    tree = search_tree(thresholds, stages, th_bits)
    memories = []
    for stage in range(stages):
        span = 2 ** (stages - stage)
        entries = tree[:, np.arange(2 ** stage) * span + span // 2 - 1]  # (padded MH, 2^s)
        by_pe = entries.reshape(f.nf, f.pe, 2 ** stage).transpose(1, 0, 2)
        memories.append([hex_lines(INT(th_bits).encode(rows.reshape(-1, 1)), th_bits)
                         for rows in by_pe])
    return memories
