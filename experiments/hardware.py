"""LUT/FF/BRAM per network: the Vivado HLS report when one exists, otherwise an estimate;
beside them the network's yosys-xc7 synthesis with each threshold unit where one was run.

Hardware figures depend on the network's precisions, sizes and folding, not on its trained
values, so they are computed once per (W, A) network of a study. A Vivado HLS synthesis report
placed under ``<study>/hw/W<w>A<a>/`` (any ``*_csynth.xml`` below it) wins over the estimate;
every figure is labelled with its source. Beside the resources, every network gets its
throughput: the cycles per image of its folding (the slowest layer, the dataflow pipeline's
initiation interval) and the images per second at the HLS clock (the report's target clock,
else hwgen's default of 5 ns). All networks of a study are folded for one target cycles per
image (``study.json``: ``"hardware": {"cycles": N}``), so their resources compare at one
throughput.
"""
from __future__ import absolute_import, division, print_function

import os

from hwgen import network as hwnet
from hwgen.errors import FoldingError
from hwgen.estimate.device import images_per_second
from hwgen.estimate.models import estimate_network
from hwgen.folding.base import LFC_CYCLES
from hwgen.hls.render import DEFAULT_CLOCK_NS
from hwgen.hls.reports import ReportError, find_csynth_report, parse_csynth_xml
from qnn.naming import network_name

from qnn.study import StudyError

__all__ = ['network_specs', 'network_hardware', 'synthesised_figures', 'measured_view',
           'check_cycles', 'VIVADO', 'ESTIMATE', 'SYNTHESIS', 'HLS_UNIT']

VIVADO = 'vivado-hls'
ESTIMATE = 'estimate'
#: The label of figures from :mod:`hwgen.synth` (Yosys for the Z7020's 7-series fabric).
SYNTHESIS = 'yosys-xc7'
#: The threshold unit of the HLS design, whose synthesis stands for a network's figures.
HLS_UNIT = 'parallel'


def network_specs(wbits, abits, settings, folding=None, cycles=LFC_CYCLES):
    """Layer specs of a study network, built as ``qnn hwgen`` builds a trained run's.

    :func:`hwgen.network.network_specs` of the settings' sizes: the default folding takes at
    most ``cycles`` cycles per image; each accumulator is as wide as any trained weights of
    the network could need (a trained run's export may be narrower).
    """
    return hwnet.network_specs(hwnet.config_sizes(settings), wbits, abits,
                               bool(settings['binarize_input']), folding, cycles)


def check_cycles(wbits, abits, settings, cycles):
    """Refuse (StudyError) a target cycles per image that some network of the grid cannot meet.

    Parameters
    ----------
    wbits, abits : sequence of int
        The grid's precisions.
    settings : dict
        The study's settings (``num_units``, ``n_hidden_layers``, ``binarize_input``).
    cycles : int
    """
    for w in sorted(wbits):
        for a in sorted(abits):
            try:
                network_specs(w, a, settings, cycles=cycles)
            except FoldingError as error:
                raise StudyError('--cycles %s: %s' % (cycles, error))


def _vivado_report(study_dir, network):
    """The csynth report below ``<study>/hw/<network>/`` (:func:`find_csynth_report`), or None."""
    try:
        return find_csynth_report(os.path.join(study_dir, 'hw', network), anywhere=True)
    except ReportError:
        return None


def _throughput(specs, clock_ns):
    cycles = max(spec.folding.cycles for spec in specs)
    clock_mhz = 1000.0 / clock_ns
    return {'cycles': cycles, 'clock_mhz': clock_mhz,
            'images_per_second': images_per_second(cycles, clock_mhz)}


def network_hardware(study_dir, wbits, abits, settings, cycles=LFC_CYCLES):
    """Hardware figures of network W<wbits>A<abits> folded for ``cycles`` cycles per image.

    Returns
    -------
    dict
        LUT, FF, BRAM_18K, DSP, ``cycles`` (per image), ``clock_mhz``, ``images_per_second``,
        ``source``, ``models`` and ``report``; ``synthesis`` where the network has yosys-xc7
        figures (:func:`synthesised_figures`).
    """
    network = network_name(wbits, abits)
    specs = network_specs(wbits, abits, settings, cycles=cycles)
    report = _vivado_report(study_dir, network)
    if report:
        parsed = parse_csynth_xml(report)
        figures = {key: parsed['resources'].get(key) for key in ('LUT', 'FF', 'BRAM_18K', 'DSP')}
        figures.update(_throughput(specs, parsed.get('target_clock_ns') or DEFAULT_CLOCK_NS))
        figures.update(source=VIVADO, models={}, report=os.path.relpath(report, study_dir))
    else:
        estimate = estimate_network(specs)
        figures = {key: estimate['resources'].get(key)
                   for key in ('LUT', 'FF', 'BRAM_18K', 'DSP')}
        figures.update(_throughput(specs, DEFAULT_CLOCK_NS))
        figures.update(source=ESTIMATE, models=estimate['model'], report=None)
    synthesis = synthesised_figures(study_dir, network, figures['cycles'])
    if synthesis:
        figures['synthesis'] = synthesis
    return figures


def synthesised_figures(study_dir, network, cycles):
    """``{unit: figures}`` of the network's yosys-xc7 synthesis records at ``cycles`` cycles
    per image (``qnn synthesize``): LUT, LUTRAM, FF, BRAM_18K, DSP, ``source``, ``run``,
    ``tool``."""
    from hwgen.rtl.design import THRESHOLD_UNITS
    from .synthesis import read_synthesis
    found = {}
    for unit in THRESHOLD_UNITS:
        record = read_synthesis(study_dir, network, unit)
        if record is not None and record['rtl']['cycles'] == cycles:
            figures = dict((key, record['total'][key])
                           for key in ('LUT', 'LUTRAM', 'FF', 'BRAM_18K', 'DSP'))
            figures.update(source=record['source'], run=record.get('run'), tool=record['tool'])
            found[unit] = figures
    return found


def measured_view(results):
    """``results`` with measured hardware figures where the whole grid has them.

    Each network's figures are its Vivado HLS report's, else its yosys-xc7 synthesis with the
    parallel threshold unit (the HLS design's) -- when every network has one of the two.
    Otherwise ``results`` is returned unchanged (estimates stay estimates: a figure or verdict
    never mixes synthesised and estimated networks).
    """
    hardware = {}
    for name, figures in results['hardware'].items():
        if figures['source'] == VIVADO:
            hardware[name] = figures
            continue
        synthesised = figures.get('synthesis', {}).get(HLS_UNIT)
        if synthesised is None:
            return results
        view = dict(figures, models={}, source=synthesised['source'])
        view.update((key, synthesised[key]) for key in ('LUT', 'FF', 'BRAM_18K', 'DSP'))
        hardware[name] = view
    if not hardware:
        return results
    return dict(results, hardware=hardware)
