"""Analytical resource and cycle estimates of FINN fully-connected layers (FINN-R models).

Every number here is an *estimate*, and every result dict says so (``'source': 'estimate'``)
and names the model that produced each resource. The models take a layer record such as
:class:`~hwgen.layerspec.LayerSpec` (any object with ``folding`` -- ``pe``, ``simd``,
``padded_mw``, ``wmem``, ``tmem``, ``nf``, ``sf`` -- and ``w_bits``, ``in_bits``, ``a_bits``,
``acc_bits``). Sizes are the padded hardware sizes (``MW``/``MH`` of ``config.h``).
Notation as in FINN-R (Blott et al. 2018): P = PE, Q = SIMD, W = weight bits, A = input bits,
B = output bits, omega = WMEM.

Models
------
``'finn-r-2018'`` -- FINN's first StreamingFCLayer models:

* BRAM18 = P * ceil(omega / 512) * ceil(Q * W / 36): one memory per PE, SIMD * W bits wide.
* LUT = 300 + 1.1 * P * Q * W * A.

``'finn-mvau'`` -- FINN's current MatrixVectorActivation models:

* BRAM18: a table over the total weight width ``P * Q * W`` (:func:`bram18_mvau`).
* LUT = 300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2 (:func:`lut_mvau`).
* DSP = P * Q * ceil((W + A) / 48) if the products use DSPs, else 0.

``'qnn-ff-registers'`` -- our first rough flip-flop count (opt-in, unvalidated).

``'qnn-design'`` -- the whole design as Vivado implements it (the default for LUT and FF):

* LUT = the FINN MVAU model per layer with two corrections, plus what lies outside the MVAUs
  (:func:`lut_design`): the layer's own threshold count (``n_thresholds``, 2^(A-1) for the
  paper's activations, where FINN assumes 2^B - 1), 1-bit products where weights and inputs
  both have 1 bit (XNOR, or +-1 times +-1), the threshold memories in LUTRAM
  (:func:`threshold_luts`) and, in :func:`estimate_network`, the stream width converters and
  FIFOs (:mod:`hwgen.infrastructure`). FINN's constants c0 = 300, c1 = 1.1 are kept.
* FF = :data:`FF_PER_DATAPATH_LUT` x the FINN MVAU datapath count with W + A-bit operands
  (:func:`ff_design`): pipeline registers grow with the logic they cut.
* BRAM in :func:`estimate_network` adds the stream FIFOs deeper than SRLs.

Scored against every published figure by :mod:`hwgen.scoring` (``qnn hwgen score``,
``docs/fidelity.md``).

Defaults, and why
-----------------
* **BRAM: 'finn-r-2018'.** BNN-PYNQ stores ``m_weights[PE][WMEM]`` partitioned by PE, i.e.
  one SIMD * W-bit memory per PE -- exactly what this model counts. It gives 64 + 64 + 64 + 16
  = 208 RAMB18 for LFC, which equals the Vivado post-implementation counts in BNN-PYNQ's
  READMEs. The current table treats the weights as one P * Q * W-bit stream (FINN's decoupled
  memory) and gives 175 for LFC.
* **LUT and FF: 'qnn-design'.** FINN's MVAU model alone gives LFC W1A1 ~48k LUT against a
  measured whole design of 28 360, and counts neither streams nor threshold storage; the old
  model gives ~8k. 'qnn-design' gives 28 070 and 59 887 against 28 360 and 48 981 (W1A1,
  W1A2), and 33 454 and 45 275 FF against 33 470 and 45 338.
* **DSP: 'finn-mvau'** with ``mult_style='lut'`` (0 DSPs): BNN-PYNQ passes
  ``ap_resource_lut()``.

Where a layer's weights live is decided once, in :func:`weight_memory`; both BRAM models and
the LUTRAM term of the LUT model read it, so no layer's weights are counted twice.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> [bram18_finn_r(s) for s in lfc_specs('W1A1')]
[64, 64, 64, 16]
>>> estimate_network(lfc_specs('W1A1'))['resources']['BRAM_18K']  # + 8 for the I/O FIFOs
216
"""
from __future__ import absolute_import, division, print_function

import numbers

from hwgen.infrastructure import stream_resources
from hwgen.layerspec import THRESHOLD_BITS
from hwgen.reports import RESOURCE_KEYS

__all__ = ['MODELS', 'WEIGHT_STORAGES', 'weight_memory', 'bram18_finn_r',
           'bram18_mvau', 'lut_finn_r', 'lut_mvau', 'accumulator_bits', 'dsp_mvau',
           'ff_registers', 'product_bits', 'threshold_bits', 'threshold_luts', 'lut_design',
           'ff_design', 'FF_PER_DATAPATH_LUT', 'QNN_DESIGN', 'estimate_layer',
           'estimate_network']

#: Model names: what each result's ``model`` entries can say.
FINN_R = 'finn-r-2018'
FINN_MVAU = 'finn-mvau'
FF_REGISTERS = 'qnn-ff-registers'
QNN_DESIGN = 'qnn-design'
MODELS = (FINN_R, FINN_MVAU, FF_REGISTERS, QNN_DESIGN)

#: Flip-flops per LUT of FINN's MVAU datapath count (W + A-bit operands), fitted to
#: BNN-PYNQ's LFC W1A1 (33 470 FF / 40 800); it predicts LFC W1A2's 45 338 within 0.1 %.
FF_PER_DATAPATH_LUT = 0.82

#: Where weights can live: HLS-embedded constants (BNN-PYNQ, FINN "const"/"internal_embedded"),
#: forced BRAM, forced LUTRAM (distributed), or streamed from off-chip.
WEIGHT_STORAGES = ('embedded', 'bram', 'lutram', 'external')

#: Embedded weight arrays this deep or shallower end up in LUTRAM (FINN's rule).
LUTRAM_MAX_WMEM = 128

#: FINN-R LUT constants c0 = 300 and c1 = 1.1 (kept as 11/10 for exact integer arithmetic).
LUT_C0 = 300
_LUT_C1_NUM, _LUT_C1_DEN = 11, 10


def _ceil_div(numerator, denominator):
    return -(-numerator // denominator)


def _ceil_log2(value):
    """ceil(log2(value)) for a positive int, exactly."""
    return (int(value) - 1).bit_length()


def _lut_affine(per_layer_sum):
    """c0 + c1 * x truncated to an int (FINN truncates), in exact integer arithmetic."""
    return LUT_C0 + (_LUT_C1_NUM * per_layer_sum) // _LUT_C1_DEN


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError('%s must be one of %s, got %r' % (name, ', '.join(map(repr, choices)),
                                                          value))


def _sizes(spec):
    """(P, Q, W, A, B, omega) of a layer record, checked to be positive integers."""
    folding = spec.folding
    values = (folding.pe, folding.simd, spec.w_bits, spec.in_bits, spec.a_bits, folding.wmem)
    for name, value in zip(('pe', 'simd', 'w_bits', 'in_bits', 'a_bits', 'wmem'), values):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError('%s must be a positive integer, got %r' % (name, value))
    return values


def weight_memory(spec, weight_storage='embedded'):
    """Where the layer's weights end up: ``'bram'``, ``'lutram'`` or ``'external'``.

    ``'embedded'`` (the default, as BNN-PYNQ's ``static BinaryWeights``) follows FINN's
    rule: arrays of WMEM <= 128 words go to LUTRAM, deeper ones to BRAM.

    Examples
    --------
    >>> from hwgen.folding import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> weight_memory(LayerSpec(Folding(128, 64, simd=8, pe=8)))  # WMEM 128
    'lutram'
    """
    _check_choice('weight_storage', weight_storage, WEIGHT_STORAGES)
    if weight_storage == 'embedded':
        return 'lutram' if spec.folding.wmem <= LUTRAM_MAX_WMEM else 'bram'
    return weight_storage


def bram18_finn_r(spec, weight_storage='embedded'):
    """RAMB18s for the weights, FINN-R 2018 model: P * ceil(omega/512) * ceil(Q*W/36).

    0 when :func:`weight_memory` is not ``'bram'``. Thresholds are not counted.
    """
    pe, simd, w_bits, _, _, wmem = _sizes(spec)
    if weight_memory(spec, weight_storage) != 'bram':
        return 0
    return pe * _ceil_div(wmem, 512) * _ceil_div(simd * w_bits, 36)


def bram18_mvau(spec, weight_storage='embedded'):
    """RAMB18s for the weights, FINN's current MVAU table over mw = P * Q * W.

    ======================  ==================================
    mw                      RAMB18
    ======================  ==================================
    1                       ceil(omega / 16384)
    2                       ceil(omega / 8192)
    <= 4                    ceil(omega / 4096) * ceil(mw / 4)
    <= 9                    ceil(omega / 2048) * ceil(mw / 9)
    <= 18 or omega > 512    ceil(omega / 1024) * ceil(mw / 18)
    otherwise               ceil(omega / 512) * ceil(mw / 36)
    ======================  ==================================

    0 when :func:`weight_memory` is not ``'bram'``.
    """
    pe, simd, w_bits, _, _, wmem = _sizes(spec)
    if weight_memory(spec, weight_storage) != 'bram':
        return 0
    width = pe * simd * w_bits
    if width == 1:
        return _ceil_div(wmem, 16384)
    if width == 2:
        return _ceil_div(wmem, 8192)
    if width <= 4:
        return _ceil_div(wmem, 4096) * _ceil_div(width, 4)
    if width <= 9:
        return _ceil_div(wmem, 2048) * _ceil_div(width, 9)
    if width <= 18 or wmem > 512:
        return _ceil_div(wmem, 1024) * _ceil_div(width, 18)
    return _ceil_div(wmem, 512) * _ceil_div(width, 36)


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
    pe, simd, w_bits, in_bits, _, _ = _sizes(spec)
    return _lut_affine(pe * simd * w_bits * in_bits)


def accumulator_bits(spec):
    """Accumulator width of the LUT model: min(acc_bits, W + A + ceil(log2 MW)).

    FINN's model uses W + A + ceil(log2 MW); the hardware accumulator is never wider than
    the layer's ``acc_bits`` (``ap_int<16>`` in BNN-PYNQ).
    """
    _, _, w_bits, in_bits, _, _ = _sizes(spec)
    return min(spec.acc_bits, w_bits + in_bits + _ceil_log2(spec.folding.padded_mw))


def lut_mvau(spec, weight_storage='embedded', mult_style='lut'):
    """LUTs, FINN's current MVAU model.

    300 + 1.1 * P * (mult + adder + acc + thr + comp) + c2, truncated, with

    * mult = Q * (2 * ceil((W + A) / 6) - 1) * (W + A), or 0 with ``mult_style='dsp'``;
    * adder = (W + A) * (2Q - 1);
    * acc = :func:`accumulator_bits`;
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
    _, _, w_bits, in_bits, a_bits, _ = _sizes(spec)
    n_thresholds = 2 ** a_bits - 1
    stored = n_thresholds * accumulator_bits(spec) * _ceil_div(spec.folding.tmem, 64)
    datapath = _datapath(spec, w_bits + in_bits, n_thresholds, mult_style)
    return _lut_affine(datapath + spec.folding.pe * stored) + _lutram_weights(spec,
                                                                            weight_storage)


def _datapath(spec, operand_bits, n_thresholds, mult_style='lut'):
    """P * (mult + adder + acc + comp) of FINN's MVAU LUT model."""
    _check_choice('mult_style', mult_style, ('lut', 'dsp'))
    pe, simd = spec.folding.pe, spec.folding.simd
    mult = 0 if mult_style == 'dsp' else \
        simd * (2 * _ceil_div(operand_bits, 6) - 1) * operand_bits
    adder = operand_bits * (2 * simd - 1)
    acc = accumulator_bits(spec)
    return pe * (mult + adder + acc + n_thresholds * acc)


def _lutram_weights(spec, weight_storage):
    """c2 = P * Q * W * ceil(WMEM / 64) when the weights are in LUTRAM, else 0."""
    pe, simd, w_bits, _, _, wmem = _sizes(spec)
    if weight_memory(spec, weight_storage) != 'lutram':
        return 0
    return pe * simd * w_bits * _ceil_div(wmem, 64)


def product_bits(spec):
    """Bits of information per product: 1 when weights and inputs both have 1 bit, else W + A.

    An XNOR of two bits, or +-1 times +-1, is one bit (the sum is 2 * popcount - N);
    FINN's model counts W + A = 2.
    """
    _, _, w_bits, in_bits, _, _ = _sizes(spec)
    return 1 if w_bits == 1 and in_bits == 1 else w_bits + in_bits


def threshold_bits(spec):
    """Width of a stored threshold: the accumulator width, at least BNN-PYNQ's 16 bits."""
    return min(spec.acc_bits, max(THRESHOLD_BITS, accumulator_bits(spec)))


def threshold_luts(spec):
    """LUTRAM of the threshold memories: P * NumTH * bits * ceil(TMEM / 64).

    BNN-PYNQ partitions ``m_thresholds[PE][TMEM][NumTH]`` by PE and threshold, so each
    threshold of each PE is a TMEM-deep memory of 64-deep LUTs, one per bit. This gives
    2 304 and 4 352 LUTs for LFC W1A1 and W1A2, against the 2 314 and 4 362 "LUT as
    distributed RAM" of their Vivado reports.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> sum(threshold_luts(s) for s in lfc_specs('W1A1'))   # 144 PEs x 1 x 16 bits
    2304
    """
    return (spec.folding.pe * spec.n_thresholds * threshold_bits(spec) *
            _ceil_div(spec.folding.tmem, 64))


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
    _, _, w_bits, in_bits, _, _ = _sizes(spec)
    datapath = _datapath(spec, w_bits + in_bits, spec.n_thresholds, mult_style)
    return int(FF_PER_DATAPATH_LUT * datapath)


def dsp_mvau(spec, mult_style='lut'):
    """DSP slices, FINN's MVAU model: P * Q * ceil((W + A) / 48) with DSP products, else 0."""
    _check_choice('mult_style', mult_style, ('lut', 'dsp'))
    pe, simd, w_bits, in_bits, _, _ = _sizes(spec)
    if mult_style == 'lut':
        return 0
    return pe * simd * _ceil_div(w_bits + in_bits, 48)


def ff_registers(spec):
    """A rough flip-flop count (ours, unvalidated): the datapath registers of one MVAU.

    P * (Q * (W + A) + acc + B) + Q * A: one registered stage of SIMD operand pairs and the
    accumulator and output register per PE, plus the input word. HLS adds pipeline and
    control registers, so real counts are higher; use it to rank designs, not to size them.
    """
    pe, simd, w_bits, in_bits, a_bits, _ = _sizes(spec)
    return pe * (simd * (w_bits + in_bits) + accumulator_bits(spec) + a_bits) + simd * in_bits


_BRAM_MODELS = {FINN_R: bram18_finn_r, FINN_MVAU: bram18_mvau}
_LUT_MODELS = {FINN_R: lut_finn_r, FINN_MVAU: lut_mvau, QNN_DESIGN: lut_design}
_FF_MODELS = {FF_REGISTERS: lambda spec, mult_style: ff_registers(spec), QNN_DESIGN: ff_design}
_FF_NOTE = 'FF: no FF model asked for (ff_model=None)'


def estimate_layer(spec, bram_model=FINN_R, lut_model=QNN_DESIGN, ff_model=QNN_DESIGN,
                   weight_storage='embedded', mult_style='lut'):
    """Estimated resources and cycles of one layer.

    Parameters
    ----------
    spec : LayerSpec
        The layer record.
    bram_model : {'finn-r-2018', 'finn-mvau'}
        Model for BRAM_18K (defaults explained in the module docstring).
    lut_model : {'qnn-design', 'finn-mvau', 'finn-r-2018'}
        Model for LUT.
    ff_model : {'qnn-design', 'qnn-ff-registers', None}
        Model for FF; None gives ``FF: None`` with a note.
    weight_storage : {'embedded', 'bram', 'lutram', 'external'}
        See :func:`weight_memory`.
    mult_style : {'lut', 'dsp'}
        Products in LUTs (BNN-PYNQ's ``ap_resource_lut()``) or DSPs.

    Returns
    -------
    dict
        ``source`` ('estimate'), ``model`` (the model of each resource and of ``cycles``),
        ``resources`` over :data:`~hwgen.reports.RESOURCE_KEYS`, ``cycles``,
        ``weight_memory`` and ``notes``.
    """
    _check_choice('bram_model', bram_model, tuple(_BRAM_MODELS))
    _check_choice('lut_model', lut_model, tuple(_LUT_MODELS))
    _check_choice('ff_model', ff_model, (None,) + tuple(sorted(_FF_MODELS)))
    notes = [] if ff_model else [_FF_NOTE]
    memory = weight_memory(spec, weight_storage)
    if lut_model == FINN_R and (memory == 'lutram' or mult_style == 'dsp'):
        notes.append('LUT: finn-r-2018 counts neither LUTRAM weights nor DSP products')
    resources = {
        'BRAM_18K': _BRAM_MODELS[bram_model](spec, weight_storage),
        'DSP': dsp_mvau(spec, mult_style),
        'FF': _FF_MODELS[ff_model](spec, mult_style) if ff_model else None,
        'LUT': _LUT_MODELS[lut_model](spec, weight_storage, mult_style),
        'URAM': 0,
    }
    model = {'BRAM_18K': bram_model, 'DSP': FINN_MVAU, 'FF': ff_model, 'LUT': lut_model,
             'URAM': None, 'cycles': FINN_MVAU}
    return {'source': 'estimate', 'model': model, 'resources': resources,
            'cycles': spec.folding.cycles, 'weight_memory': memory, 'notes': notes}


def _total(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def estimate_network(specs, **options):
    """Estimated resources and throughput of a chain of layers.

    With the 'qnn-design' LUT model (the default) the totals cover the whole accelerator:
    the layers plus the stream width converters and FIFOs of :mod:`hwgen.infrastructure`
    (LUT and BRAM_18K). With the FINN LUT models they cover the matrix-vector units only, as
    those models do.

    Parameters
    ----------
    specs : sequence of LayerSpec
        The layers in order.
    **options
        Passed to :func:`estimate_layer` for every layer.

    Returns
    -------
    dict
        ``source`` ('estimate'), ``model``, ``layers`` (the per-layer dicts), ``streams``
        (``{'LUT', 'BRAM_18K'}`` added for the streams, zeros for MVAU-only totals),
        ``resources`` (sums; None where a layer has None), ``cycles`` (per layer),
        ``ii_cycles`` (the slowest layer: the dataflow pipeline's initiation interval),
        ``sum_cycles`` (an upper bound on one image's latency, FIFOs ignored) and ``notes``.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> result = estimate_network(lfc_specs('W1A1'))
    >>> result['ii_cycles'], result['resources']['BRAM_18K'], result['resources']['FF']
    (512, 216, 33454)
    """
    layers = [estimate_layer(spec, **options) for spec in specs]
    if not layers:
        raise ValueError('a network needs at least one layer, got %r' % (specs,))
    cycles = [layer['cycles'] for layer in layers]
    resources = dict((key, _total(layer['resources'][key] for layer in layers))
                     for key in RESOURCE_KEYS)
    if layers[0]['model']['LUT'] == QNN_DESIGN:
        streams = stream_resources(specs)
        notes = ['totals cover the whole accelerator: layers, threshold memories, stream '
                 'width converters and FIFOs (not the Zynq processing system)']
    else:
        streams = {'LUT': 0, 'BRAM_18K': 0}
        notes = ['totals cover the matrix-vector units only: no DMA, width converters, FIFOs '
                 'or AXI interconnect']
    for key, value in streams.items():
        resources[key] += value
    for index, layer in enumerate(layers):
        notes.extend(note if note == _FF_NOTE else 'layer %d: %s' % (index, note)
                     for note in layer['notes'] if note not in notes)
    return {'source': 'estimate', 'model': dict(layers[0]['model']), 'layers': layers,
            'streams': streams, 'resources': resources, 'cycles': cycles,
            'ii_cycles': max(cycles), 'sum_cycles': sum(cycles), 'notes': notes}
