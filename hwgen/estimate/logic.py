"""LUT, flip-flop and DSP models of FINN's fully-connected layers.

The FINN-R 2018 and current FINN MVAU models, and this project's 'qnn-design' model of the
whole design as Vivado implements it; :mod:`hwgen.estimate.models` combines them, and
``docs/fidelity.md`` gives their scores and the defaults. Notation as in FINN-R: P = PE,
Q = SIMD, W = weight bits, A = input bits, B = output bits.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> [lut_design(s) for s in lfc_specs('W1A1')][0], [ff_design(s) for s in lfc_specs('W1A1')][0]
(8380, 10653)
"""
from __future__ import absolute_import, division, print_function

from hwgen.datatype import UINT
from hwgen.estimate.bram import check_choice, layer_sizes, weight_memory
from hwgen.estimate.intmath import ceil_div, ceil_log2
from hwgen.layerspec import THRESHOLD_BITS

__all__ = ['FF_PER_DATAPATH_LUT', 'LUT_C0', 'lut_finn_r', 'mvau_accumulator_bits', 'lut_mvau',
           'product_bits', 'threshold_bits', 'threshold_luts', 'lut_design', 'ff_design',
           'dsp_mvau', 'ff_registers']

#: Flip-flops per LUT of FINN's MVAU datapath count (W + A-bit operands), fitted to
#: BNN-PYNQ's LFC W1A1 (the fit and its check on W1A2: ``docs/fidelity.md``).
FF_PER_DATAPATH_LUT = 0.82

#: FINN-R LUT constants c0 = 300 and c1 = 1.1 (kept as 11/10 for exact integer arithmetic).
LUT_C0 = 300
_LUT_C1_NUM, _LUT_C1_DEN = 11, 10


def _lut_affine(per_layer_sum):
    """c0 + c1 * x truncated to an int (FINN truncates), in exact integer arithmetic."""
    return LUT_C0 + (_LUT_C1_NUM * per_layer_sum) // _LUT_C1_DEN


def lut_finn_r(spec, weight_storage=None, mult_style=None):
    """LUTs, FINN-R 2018 model: int(300 + 1.1 * P * Q * W * A), A = input bits.

    The model knows no weight storage or multiplier style: both are accepted (to be called
    like :func:`lut_mvau`) and ignored.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> lut_finn_r(lfc_specs('W1A1')[0])  # 300 + 1.1 * 32 * 64 = 2552.8
    2552
    """
    pe, simd, w_bits, in_bits, _, _ = layer_sizes(spec)
    return _lut_affine(pe * simd * w_bits * in_bits)


def mvau_accumulator_bits(spec):
    """Accumulator width of the MVAU models: min(acc_bits, W + A + ceil(log2 MW)).

    FINN's model uses W + A + ceil(log2 MW); the hardware accumulator is never wider than
    the layer's own ``acc_bits`` (16 in BNN-PYNQ). Not to be confused with
    :func:`hwgen.network.accumulator_bits`, the width that holds a range of sums.
    """
    _, _, w_bits, in_bits, _, _ = layer_sizes(spec)
    return min(spec.acc_bits, w_bits + in_bits + ceil_log2(spec.folding.padded_mw))


def lut_mvau(spec, weight_storage='embedded', mult_style='lut'):
    """LUTs, FINN's current MVAU model (FINN's per-component ``lut_estimation``, 2020).

    300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2, truncated, with

    * mult = Q * (2 * ceil((W + A) / 6) - 1) * (W + A), or 0 with ``mult_style='dsp'``;
    * adder = (W + A) * (2Q - 1);
    * acc = :func:`mvau_accumulator_bits`;
    * thr = (2^B - 1) * acc * ceil(TMEM / 64) (thresholds in LUTRAM), comp = (2^B - 1) * acc;
    * c2 = P * Q * W * ceil(WMEM / 64) when :func:`weight_memory` is ``'lutram'``, else 0.

    The threshold count is FINN's 2^B - 1 for B output bits, not the layer's
    ``n_thresholds``.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> lut_mvau(lfc_specs('W1A1')[0])
    15013
    """
    _, _, w_bits, in_bits, a_bits, _ = layer_sizes(spec)
    n_thresholds = UINT(a_bits).max                  # FINN's 2^B - 1
    stored = n_thresholds * mvau_accumulator_bits(spec) * ceil_div(spec.folding.tmem, 64)
    datapath = _datapath(spec, w_bits + in_bits, n_thresholds, mult_style)
    return _lut_affine(datapath + spec.folding.pe * stored) + _lutram_weights(spec,
                                                                            weight_storage)


def _datapath(spec, operand_bits, n_thresholds, mult_style='lut'):
    """P * (mult + adder + acc + comp) of FINN's MVAU LUT model."""
    check_choice('mult_style', mult_style, ('lut', 'dsp'))
    pe, simd = spec.folding.pe, spec.folding.simd
    mult = 0 if mult_style == 'dsp' else \
        simd * (2 * ceil_div(operand_bits, 6) - 1) * operand_bits
    adder = operand_bits * (2 * simd - 1)
    acc = mvau_accumulator_bits(spec)
    return pe * (mult + adder + acc + n_thresholds * acc)


def _lutram_weights(spec, weight_storage):
    """c2 = P * Q * W * ceil(WMEM / 64) when the weights are in LUTRAM, else 0."""
    pe, simd, w_bits, _, _, wmem = layer_sizes(spec)
    if weight_memory(spec, weight_storage) != 'lutram':
        return 0
    return pe * simd * w_bits * ceil_div(wmem, 64)


def product_bits(spec):
    """Bits of information per product: 1 when weights and inputs both have 1 bit, else W + A.

    An XNOR of two bits, or +-1 times +-1, is one bit (the sum is 2 * popcount - N);
    FINN's model counts W + A = 2.
    """
    _, _, w_bits, in_bits, _, _ = layer_sizes(spec)
    return 1 if w_bits == 1 and in_bits == 1 else w_bits + in_bits


def threshold_bits(spec):
    """Width of a stored threshold: the accumulator width, at least BNN-PYNQ's 16 bits."""
    return min(spec.acc_bits, max(THRESHOLD_BITS, mvau_accumulator_bits(spec)))


def threshold_luts(spec):
    """LUTRAM of the threshold memories: P * NumTH * bits * ceil(TMEM / 64).

    BNN-PYNQ partitions ``m_thresholds[PE][TMEM][NumTH]`` by PE and threshold, so each
    threshold of each PE is a TMEM-deep memory of 64-deep LUTs, one per bit (against the
    Vivado reports: ``docs/fidelity.md``).

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> sum(threshold_luts(s) for s in lfc_specs('W1A1'))   # 144 PEs x 1 x 16 bits
    2304
    """
    return (spec.folding.pe * spec.n_thresholds * threshold_bits(spec) *
            ceil_div(spec.folding.tmem, 64))


def lut_design(spec, weight_storage='embedded', mult_style='lut'):
    """LUTs of one layer, 'qnn-design' model (the streams are added by the network).

    300 + 1.1 * P * (mult + adder + acc + comp) over :func:`product_bits`-bit products and the
    layer's ``n_thresholds`` comparators, plus :func:`threshold_luts` and FINN's LUTRAM
    weight term.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> lut_design(lfc_specs('W1A1')[0])  # 300 + 1.1 * 32 * (64 + 127 + 12 + 12) + 32 * 16
    8380
    """
    datapath = _datapath(spec, product_bits(spec), spec.n_thresholds, mult_style)
    return _lut_affine(datapath) + threshold_luts(spec) + _lutram_weights(spec, weight_storage)


def ff_design(spec, mult_style='lut'):
    """Flip-flops of one layer, 'qnn-design' model: :data:`FF_PER_DATAPATH_LUT` x datapath.

    The datapath is FINN's ``P * (mult + adder + acc + comp)`` with W + A-bit operands and the
    layer's ``n_thresholds`` comparators, truncated to an int.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> ff_design(lfc_specs('W1A1')[0])  # 0.82 * 32 * (128 + 254 + 12 + 12)
    10653
    """
    _, _, w_bits, in_bits, _, _ = layer_sizes(spec)
    datapath = _datapath(spec, w_bits + in_bits, spec.n_thresholds, mult_style)
    return int(FF_PER_DATAPATH_LUT * datapath)


def dsp_mvau(spec, mult_style='lut'):
    """DSP slices, FINN's MVAU model: P * Q * ceil((W + A) / 48) with DSP products, else 0."""
    check_choice('mult_style', mult_style, ('lut', 'dsp'))
    pe, simd, w_bits, in_bits, _, _ = layer_sizes(spec)
    if mult_style == 'lut':
        return 0
    return pe * simd * ceil_div(w_bits + in_bits, 48)


def ff_registers(spec):
    """A rough flip-flop count (ours, unvalidated): the datapath registers of one MVAU.

    P * (Q * (W + A) + acc + B) + Q * A: one registered stage of SIMD operand pairs and the
    accumulator and output register per PE, plus the input word. HLS adds pipeline and
    control registers, so real counts are higher; use it to rank designs, not to size them.
    """
    pe, simd, w_bits, in_bits, a_bits, _ = layer_sizes(spec)
    return pe * (simd * (w_bits + in_bits) + mvau_accumulator_bits(spec) + a_bits) + simd * in_bits
