"""Analytical resource and cycle estimates of FINN fully-connected layers (FINN's models).

Every result dict is labelled an estimate (``'source': 'estimate'``) and names the model of
each resource (:data:`MODELS`):

* ``'finn-r-2018'`` -- FINN's first StreamingFCLayer models (BRAM by PE, LUT from P x Q x W x A;
  FINN's code of January 2020, its constants attributed to the FINN-R paper's experiments);
* ``'finn-mvau'`` -- FINN's current MatrixVectorActivation models (BRAM table; LUT per
  component, FINN's ``lut_estimation`` of 2020; DSP);
* ``'qnn-design'`` -- the whole design as Vivado implements it (the default for LUT and FF):
  FINN's MVAU model with the layer's own thresholds and 1-bit products, plus the threshold
  memories and, in :func:`estimate_network`, the streams (:mod:`hwgen.estimate.infrastructure`);
* ``'qnn-ff-registers'`` -- a rough flip-flop count (opt-in, unvalidated).

The BRAM models and where weights live are in :mod:`hwgen.estimate.bram`, the LUT, FF and DSP
models in :mod:`hwgen.estimate.logic`; this module combines them into one record per layer and
network. A model reads a :class:`~hwgen.layerspec.LayerSpec` (its padded sizes, bit widths and
accumulator width) and nothing else. The formulas, the defaults and why, and how the estimates
score against the published figures (:mod:`hwgen.estimate.scoring`) are in
``docs/fidelity.md``.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> estimate_layer(lfc_specs('W1A1')[0])['resources']['BRAM_18K']
64
>>> estimate_network(lfc_specs('W1A1'))['resources']['BRAM_18K']  # + 8 for the I/O FIFOs
216
"""
from __future__ import absolute_import, division, print_function

from hwgen.estimate.bram import bram18_finn_r, bram18_mvau, check_choice, weight_memory
from hwgen.estimate.device import RESOURCE_KEYS
from hwgen.estimate.infrastructure import stream_resources
from hwgen.estimate.logic import (dsp_mvau, ff_design, ff_registers, lut_design, lut_finn_r,
                                  lut_mvau)

__all__ = ['FINN_R', 'FINN_MVAU', 'FF_REGISTERS', 'QNN_DESIGN', 'MODELS', 'estimate_layer',
           'estimate_network']

#: Model names: what each result's ``model`` entries can say.
FINN_R = 'finn-r-2018'
FINN_MVAU = 'finn-mvau'
FF_REGISTERS = 'qnn-ff-registers'
QNN_DESIGN = 'qnn-design'
MODELS = (FINN_R, FINN_MVAU, FF_REGISTERS, QNN_DESIGN)


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
        Model for BRAM_18K (the defaults are explained in ``docs/fidelity.md``).
    lut_model : {'qnn-design', 'finn-mvau', 'finn-r-2018'}
        Model for LUT.
    ff_model : {'qnn-design', 'qnn-ff-registers', None}
        Model for FF; None gives ``FF: None`` with a note.
    weight_storage : {'embedded', 'bram', 'lutram', 'external'}
        See :func:`~hwgen.estimate.bram.weight_memory`.
    mult_style : {'lut', 'dsp'}
        Products in LUTs (BNN-PYNQ's ``ap_resource_lut()``) or DSPs.

    Returns
    -------
    dict
        ``source`` ('estimate'), ``model`` (the model of each resource and of ``cycles``),
        ``resources`` over :data:`~hwgen.estimate.device.RESOURCE_KEYS`, ``cycles``,
        ``weight_memory`` and ``notes``.
    """
    check_choice('bram_model', bram_model, tuple(_BRAM_MODELS))
    check_choice('lut_model', lut_model, tuple(_LUT_MODELS))
    check_choice('ff_model', ff_model, (None,) + tuple(sorted(_FF_MODELS)))
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
    the layers plus the stream width converters and FIFOs of :mod:`hwgen.estimate.infrastructure`
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
