"""hwgen.estimate.models: labelled per-layer and network estimates, their options and their errors.

Only folding, w_bits, in_bits, a_bits and acc_bits of the layer records are used; the
threshold count and ActVal are not.
"""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.estimate.bram import bram18_finn_r
from hwgen.estimate.device import RESOURCE_KEYS
from hwgen.estimate.infrastructure import stream_resources
from hwgen.estimate.models import (FF_REGISTERS, FINN_MVAU, FINN_R, QNN_DESIGN, estimate_layer,
                                   estimate_network)
from hwgen.layerspec import lfc_specs

from layer_specs import middle_spec


# --- labels and options ------------------------------------------------------------------

def test_results_are_labelled_estimates():
    layer = estimate_layer(lfc_specs('W1A1')[0])
    assert layer['source'] == 'estimate'
    assert layer['model'] == {'BRAM_18K': FINN_R, 'DSP': FINN_MVAU, 'FF': QNN_DESIGN,
                              'LUT': QNN_DESIGN, 'URAM': None, 'cycles': FINN_MVAU}
    assert sorted(layer['resources']) == sorted(RESOURCE_KEYS)
    assert layer['weight_memory'] == 'bram'
    network = estimate_network(lfc_specs('W1A1'))
    assert network['source'] == 'estimate'
    assert [layer['source'] for layer in network['layers']] == ['estimate'] * 4
    assert any('whole accelerator' in note for note in network['notes'])
    mvau_only = estimate_network(lfc_specs('W1A1'), lut_model=FINN_MVAU, ff_model=None)
    assert any('matrix-vector units only' in note for note in mvau_only['notes'])
    assert sum(note.startswith('FF:') for note in mvau_only['notes']) == 1


def test_network_totals_are_layer_sums_plus_streams():
    network = estimate_network(lfc_specs('W1A2'), ff_model=FF_REGISTERS)
    assert network['streams'] == stream_resources(lfc_specs('W1A2'))
    for key in RESOURCE_KEYS:
        assert network['resources'][key] == network['streams'].get(key, 0) + sum(
            layer['resources'][key] for layer in network['layers'])
    assert network['resources']['DSP'] == 0 and network['resources']['URAM'] == 0


def test_old_lut_model_notes_what_it_ignores():
    layer = middle_spec(128, 64, simd=8, pe=8)
    result = estimate_layer(layer, lut_model=FINN_R)
    assert result['weight_memory'] == 'lutram'
    assert any('LUTRAM' in note for note in result['notes'])
    network = estimate_network([layer], lut_model=FINN_R)
    assert any(note.startswith('layer 0: LUT') for note in network['notes'])


@pytest.mark.parametrize('option', [{'bram_model': 'finn'}, {'lut_model': 'vivado'},
                                    {'ff_model': FINN_R}, {'mult_style': 'bram'}])
def test_bad_options_are_rejected(option):
    with pytest.raises(ValueError):
        estimate_layer(lfc_specs('W1A1')[0], **option)


def test_bad_records_are_rejected():
    with pytest.raises(ValueError, match="w_bits must be an integer >= 1, got 0"):
        bram18_finn_r(middle_spec(64, 64, 8, 8, w_bits=0))     # refused when the record is built
    with pytest.raises(ValueError, match='at least one layer'):
        estimate_network([])
