"""LUT/FF/BRAM per network: the Vivado HLS report when one exists, otherwise an estimate.

Hardware figures depend on the network's precisions, sizes and folding, not on its trained
values, so they are computed once per (W, A) network of a study. A Vivado HLS synthesis report
placed under ``<study>/hw/W<w>A<a>/`` (any ``*_csynth.xml`` below it) wins over the estimate;
every figure is labelled with its source.
"""
from __future__ import absolute_import, division, print_function

import os

from hwgen.estimates import estimate_network
from hwgen import network as hwnet
from hwgen.network import resolve_folding
from hwgen.reports import parse_csynth_xml

__all__ = ['network_specs', 'network_hardware', 'VIVADO', 'ESTIMATE']

VIVADO = 'vivado-hls'
ESTIMATE = 'estimate'
N_INPUTS, N_CLASSES = 784, 10


def network_specs(wbits, abits, settings, folding=None):
    """Layer records of a study network, laid out as ``qnn hwgen`` lays out a trained run.

    Accumulators are left unbounded (64 bits): the estimate models size them themselves.
    """
    sizes = [N_INPUTS] + [settings['num_units']] * settings['n_hidden_layers'] + [N_CLASSES]
    binarize = bool(settings['binarize_input'])
    foldings = resolve_folding(folding, sizes, wbits, a_bits=abits,
                               in_bits=1 if binarize else hwnet.PIXEL_BITS)
    return hwnet.network_specs(foldings, wbits, abits, binarize, acc_bits=[64] * len(foldings))


def _vivado_report(study_dir, network):
    """The first ``*_csynth.xml`` below ``<study>/hw/<network>/``, or None."""
    hits = []
    for root, _, files in os.walk(os.path.join(study_dir, 'hw', network)):
        hits.extend(os.path.join(root, name) for name in files if name.endswith('_csynth.xml'))
    return sorted(hits)[0] if hits else None


def network_hardware(study_dir, wbits, abits, settings):
    """Hardware figures of network W<wbits>A<abits>: LUT, FF, BRAM_18K, DSP, source, models."""
    network = 'W%dA%d' % (wbits, abits)
    report = _vivado_report(study_dir, network)
    if report:
        parsed = parse_csynth_xml(report)
        figures = {key: parsed['resources'].get(key) for key in ('LUT', 'FF', 'BRAM_18K', 'DSP')}
        figures.update(source=VIVADO, models={}, report=os.path.relpath(report, study_dir))
        return figures
    estimate = estimate_network(network_specs(wbits, abits, settings))
    figures = {key: estimate['resources'].get(key) for key in ('LUT', 'FF', 'BRAM_18K', 'DSP')}
    figures.update(source=ESTIMATE, models=estimate['model'], report=None)
    return figures
