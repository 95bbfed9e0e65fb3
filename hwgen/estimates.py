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

``'qnn-ff-registers'`` -- our own rough flip-flop count (FINN has no FF model; opt-in).

Defaults, and why
-----------------
* **BRAM: 'finn-r-2018'.** BNN-PYNQ stores ``m_weights[PE][WMEM]`` partitioned by PE, i.e.
  one SIMD * W-bit memory per PE -- exactly what this model counts. It gives 64 + 64 + 64 + 16
  = 208 RAMB18 for LFC, which equals the Vivado post-implementation counts in BNN-PYNQ's
  READMEs. The current table treats the weights as one P * Q * W-bit stream (FINN's decoupled
  memory) and gives 175 for LFC.
* **LUT: 'finn-mvau'.** It has the terms the old model lacks (adder tree, accumulator,
  thresholds, comparators, LUTRAM weights) and errs high: LFC W1A1 ~48k and W1A2 ~69k
  against measured whole designs of 28 360 and 48 981, while the old model gives ~8k and
  ~13k (a fit check should err towards "does not fit"). Neither includes DMA, width
  converters, FIFOs or AXI glue.
* **DSP: 'finn-mvau'** with ``mult_style='lut'`` (0 DSPs): BNN-PYNQ passes
  ``ap_resource_lut()``.
* **FF: None** unless ``ff_model='qnn-ff-registers'`` is asked for; that model is
  unvalidated and marked so.

Where a layer's weights live is decided once, in :func:`weight_memory`; both BRAM models and
the LUTRAM term of the LUT model read it, so no layer's weights are counted twice.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> [bram18_finn_r(s) for s in lfc_specs('W1A1')]
[64, 64, 64, 16]
>>> estimate_network(lfc_specs('W1A1'))['resources']['BRAM_18K']
208
"""
from __future__ import absolute_import, division, print_function

import collections
import logging
import numbers

from hwgen.reports import RESOURCE_KEYS

__all__ = ['Device', 'Z7020', 'MODELS', 'WEIGHT_STORAGES', 'weight_memory', 'bram18_finn_r',
           'bram18_mvau', 'lut_finn_r', 'lut_mvau', 'accumulator_bits', 'dsp_mvau',
           'ff_registers', 'layer_cycles', 'estimate_layer', 'estimate_network',
           'images_per_second', 'capacity', 'utilization', 'fits']

log = logging.getLogger(__name__)

#: Model names: what each result's ``model`` entries can say.
FINN_R = 'finn-r-2018'
FINN_MVAU = 'finn-mvau'
FF_REGISTERS = 'qnn-ff-registers'
MODELS = (FINN_R, FINN_MVAU, FF_REGISTERS)

#: Where weights can live: HLS-embedded constants (BNN-PYNQ, FINN "const"/"internal_embedded"),
#: forced BRAM, forced LUTRAM (distributed), or streamed from off-chip.
WEIGHT_STORAGES = ('embedded', 'bram', 'lutram', 'external')

#: Embedded weight arrays this deep or shallower end up in LUTRAM (FINN's rule).
LUTRAM_MAX_WMEM = 128

#: FINN-R LUT constants c0 = 300 and c1 = 1.1 (kept as 11/10 for exact integer arithmetic).
LUT_C0 = 300
_LUT_C1_NUM, _LUT_C1_DEN = 11, 10


class Device(collections.namedtuple('Device', ('part',) + RESOURCE_KEYS)):
    """An FPGA's capacity, with the keys of :data:`~hwgen.reports.RESOURCE_KEYS`."""
    __slots__ = ()


#: Zynq Z7020 (xc7z020clg400-1, PYNQ-Z1/Z2): 53 200 LUT, 106 400 FF, 280 BRAM_18K (140 RAMB36),
#: 220 DSP48E1, no URAM -- the ``AvailableResources`` Vivado HLS reports for this part.
Z7020 = Device('xc7z020clg400-1', BRAM_18K=280, DSP=220, FF=106400, LUT=53200, URAM=0)


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


def lut_finn_r(spec):
    """LUTs, FINN-R 2018 model: int(300 + 1.1 * P * Q * W * A), A = input bits.

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
    _check_choice('mult_style', mult_style, ('lut', 'dsp'))
    pe, simd, w_bits, in_bits, a_bits, wmem = _sizes(spec)
    operand = w_bits + in_bits
    mult = 0 if mult_style == 'dsp' else simd * (2 * _ceil_div(operand, 6) - 1) * operand
    adder = operand * (2 * simd - 1)
    acc = accumulator_bits(spec)
    n_thresholds = 2 ** a_bits - 1
    thresholds = n_thresholds * acc * _ceil_div(spec.folding.tmem, 64)
    comparators = n_thresholds * acc
    lutram = 0
    if weight_memory(spec, weight_storage) == 'lutram':
        lutram = pe * simd * w_bits * _ceil_div(wmem, 64)
    return _lut_affine(pe * (mult + adder + acc + thresholds + comparators)) + lutram


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


def layer_cycles(spec):
    """Cycles per image in the layer: NF * SF = (MH / PE) * (MW / SIMD) (= WMEM).

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> [layer_cycles(s) for s in lfc_specs('W1A1')]
    [416, 512, 512, 512]
    """
    return spec.folding.nf * spec.folding.sf


def _lut_finn_r_with_options(spec, weight_storage, mult_style):
    """:func:`lut_finn_r`, which has no storage or multiplier options, called like lut_mvau."""
    return lut_finn_r(spec)


_BRAM_MODELS = {FINN_R: bram18_finn_r, FINN_MVAU: bram18_mvau}
_LUT_MODELS = {FINN_R: _lut_finn_r_with_options, FINN_MVAU: lut_mvau}
_FF_NOTE = ('FF: no FINN-R model; None unless ff_model=%r is asked for (a rough, unvalidated '
            'register count)' % FF_REGISTERS)


def estimate_layer(spec, bram_model=FINN_R, lut_model=FINN_MVAU, ff_model=None,
                   weight_storage='embedded', mult_style='lut'):
    """Estimated resources and cycles of one layer.

    Parameters
    ----------
    spec : LayerSpec
        The layer record.
    bram_model, lut_model : {'finn-r-2018', 'finn-mvau'}
        Models for BRAM_18K and LUT (defaults explained in the module docstring).
    ff_model : {None, 'qnn-ff-registers'}
        None gives ``FF: None`` with a note.
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
    _check_choice('ff_model', ff_model, (None, FF_REGISTERS))
    notes = [] if ff_model else [_FF_NOTE]
    memory = weight_memory(spec, weight_storage)
    if lut_model == FINN_R and (memory == 'lutram' or mult_style == 'dsp'):
        notes.append('LUT: finn-r-2018 counts neither LUTRAM weights nor DSP products')
    resources = {
        'BRAM_18K': _BRAM_MODELS[bram_model](spec, weight_storage),
        'DSP': dsp_mvau(spec, mult_style),
        'FF': ff_registers(spec) if ff_model else None,
        'LUT': _LUT_MODELS[lut_model](spec, weight_storage, mult_style),
        'URAM': 0,
    }
    model = {'BRAM_18K': bram_model, 'DSP': FINN_MVAU, 'FF': ff_model, 'LUT': lut_model,
             'URAM': None, 'cycles': FINN_MVAU}
    return {'source': 'estimate', 'model': model, 'resources': resources,
            'cycles': layer_cycles(spec), 'weight_memory': memory, 'notes': notes}


def _total(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def estimate_network(specs, **options):
    """Estimated resources and throughput of a chain of layers (the MVAUs only).

    Parameters
    ----------
    specs : sequence of LayerSpec
        The layers in order.
    **options
        Passed to :func:`estimate_layer` for every layer.

    Returns
    -------
    dict
        ``source`` ('estimate'), ``model``, ``layers`` (the per-layer dicts), ``resources``
        (sums; None where a layer has None), ``cycles`` (per layer), ``ii_cycles`` (the
        slowest layer: the dataflow pipeline's initiation interval), ``sum_cycles`` (an
        upper bound on one image's latency, FIFOs ignored) and ``notes``.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> result = estimate_network(lfc_specs('W1A1'))
    >>> result['ii_cycles'], result['resources']['BRAM_18K'], result['resources']['FF']
    (512, 208, None)
    """
    layers = [estimate_layer(spec, **options) for spec in specs]
    if not layers:
        raise ValueError('a network needs at least one layer, got %r' % (specs,))
    cycles = [layer['cycles'] for layer in layers]
    resources = dict((key, _total(layer['resources'][key] for layer in layers))
                     for key in RESOURCE_KEYS)
    notes = ['totals cover the matrix-vector units only: no DMA, width converters, FIFOs or '
             'AXI interconnect']
    for index, layer in enumerate(layers):
        notes.extend(note if note == _FF_NOTE else 'layer %d: %s' % (index, note)
                     for note in layer['notes'] if note not in notes)
    return {'source': 'estimate', 'model': dict(layers[0]['model']), 'layers': layers,
            'resources': resources, 'cycles': cycles, 'ii_cycles': max(cycles),
            'sum_cycles': sum(cycles), 'notes': notes}


def images_per_second(ii_cycles, clock_mhz=100.0):
    """Steady-state throughput of a dataflow pipeline: clock / II.

    Examples
    --------
    >>> images_per_second(512)  # LFC at BNN-PYNQ's 100 MHz FCLK0
    195312.5
    """
    if ii_cycles <= 0:
        raise ValueError('ii_cycles must be positive, got %r' % (ii_cycles,))
    return clock_mhz * 1e6 / ii_cycles


def capacity(device):
    """``{key: capacity}`` of a :class:`Device` or a mapping (e.g. a report's ``available``)."""
    if isinstance(device, Device):
        return dict((key, getattr(device, key)) for key in RESOURCE_KEYS)
    return dict((key, device.get(key)) for key in RESOURCE_KEYS)


def _used(resources):
    """Accept a resources mapping, or an estimate / report dict holding one."""
    inner = resources.get('resources') if hasattr(resources, 'get') else None
    return inner if isinstance(inner, dict) else resources


def utilization(resources, device=Z7020):
    """Fraction of the device each resource takes (None where either side is unknown).

    Examples
    --------
    >>> utilization({'BRAM_18K': 208, 'LUT': 26600})['BRAM_18K']  # doctest: +ELLIPSIS
    0.742...
    """
    used, available = _used(resources), capacity(device)
    result = {}
    for key in RESOURCE_KEYS:
        value, limit = used.get(key), available[key]
        if value is None or limit is None:
            result[key] = None
        elif limit == 0:
            result[key] = 0.0 if value == 0 else float('inf')
        else:
            result[key] = value / limit
    return result


def fits(resources, device=Z7020, keys=None):
    """Whether the resources fit the device (every checked resource <= capacity).

    Parameters
    ----------
    resources : dict
        ``{key: count}``, or an estimate / report dict with a ``resources`` entry.
    device : Device or dict
        Capacity; default :data:`Z7020`. A report's ``available`` dict works too.
    keys : sequence of str, optional
        Resources to check. Default: every key of
        :data:`~hwgen.reports.RESOURCE_KEYS` known on both sides; unknown (None or absent)
        ones are skipped and logged.

    Raises
    ------
    ValueError
        A key in ``keys`` is unknown in ``resources`` or ``device``.

    Examples
    --------
    >>> fits({'BRAM_18K': 280, 'LUT': 53200, 'FF': None})
    True
    >>> fits({'BRAM_18K': 281})
    False
    """
    used, available = _used(resources), capacity(device)
    if keys is None:
        checked = [k for k in RESOURCE_KEYS
                   if used.get(k) is not None and available[k] is not None]
        skipped = [k for k in RESOURCE_KEYS if k in used and k not in checked]
        if skipped:
            log.info('fits: not checking %s (unknown)', ', '.join(skipped))
    else:
        checked = list(keys)
        unknown = [k for k in checked if used.get(k) is None or available.get(k) is None]
        if unknown:
            raise ValueError('cannot check %s: unknown in the resources (%r) or the device (%r)'
                             % (', '.join(map(str, unknown)), used, available))
    over = [k for k in checked if used[k] > available[k]]
    for key in over:
        log.debug('fits: %s %s > %s', key, used[key], available[key])
    return not over
