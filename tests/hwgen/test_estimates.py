"""Estimates checked against hand-computed values (LFC folding: SIMD 64/32/64/8, PE 32/64/32/16,
padded MW 832/1024/1024/1024, WMEM 416/512/512/512, TMEM 32/16/32/4).

Only folding, w_bits, in_bits, a_bits and acc_bits of the layer records are used; the
threshold count and ActVal are not.
"""
from __future__ import absolute_import, division, print_function

import os

import pytest

from hwgen.device import Z7020, Device, capacity, fits, images_per_second, utilization
from hwgen.bram_model import bram18_finn_r, bram18_mvau, weight_memory
from hwgen.estimates import (FF_REGISTERS, FINN_MVAU, FINN_R, QNN_DESIGN, estimate_layer,
                             estimate_network)
from hwgen.folding import Folding
from hwgen.infrastructure import stream_resources
from hwgen.layerspec import LayerSpec, lfc_specs
from hwgen.logic_model import (FF_PER_DATAPATH_LUT, accumulator_bits, dsp_mvau, ff_design,
                               ff_registers, lut_design, lut_finn_r, lut_mvau, product_bits,
                               threshold_bits, threshold_luts)
from hwgen.published import design_figures
from hwgen.reports import RESOURCE_KEYS, parse_csynth_xml

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def spec(mw, mh, simd, pe, w_bits=1, in_bits=1, a_bits=1):
    """A middle layer (no AXI padding), so WMEM = (mw / simd) * (mh / pe)."""
    return LayerSpec(Folding(mw, mh, simd, pe), w_bits=w_bits, in_bits=in_bits, a_bits=a_bits,
                     xnor=False)


# --- BRAM --------------------------------------------------------------------------------

def test_finn_r_bram_lfc_w1a1_is_208():
    # P * ceil(WMEM / 512) * ceil(SIMD * W / 36)
    expected = [32 * 1 * 2,   # L0: WMEM 416, 64 bits -> 2 RAMB18 wide
                64 * 1 * 1,   # L1: WMEM 512, 32 bits
                32 * 1 * 2,   # L2: WMEM 512, 64 bits
                16 * 1 * 1]   # L3: WMEM 512, 8 bits
    assert expected == [64, 64, 64, 16]
    assert [bram18_finn_r(s) for s in lfc_specs('W1A1')] == expected
    mvau_only = estimate_network(lfc_specs('W1A1'), lut_model=FINN_MVAU)
    assert mvau_only['resources']['BRAM_18K'] == 208
    # the whole design adds the two 1024 x 64-bit I/O FIFOs: 2 x 2 RAMB18 deep x 2 wide
    assert estimate_network(lfc_specs('W1A1'))['resources']['BRAM_18K'] == 208 + 8


def test_finn_r_bram_depends_only_on_weights():
    assert [bram18_finn_r(s) for s in lfc_specs('W1A2')] == [64, 64, 64, 16]


def test_finn_r_bram_deep_and_wide():
    # WMEM 1024 -> 2 deep, SIMD 16 * W 4 = 64 bits -> 2 wide, 4 PEs
    assert bram18_finn_r(spec(16 * 64, 4 * 16, simd=16, pe=4, w_bits=4)) == 4 * 2 * 2


def test_mvau_bram_lfc():
    # mw = P * Q * W = 2048, 2048, 2048, 128; no layer has WMEM > 512
    expected = [1 * 57, 1 * 57, 1 * 57, 1 * 4]   # ceil(WMEM/512) * ceil(mw/36)
    assert [bram18_mvau(s) for s in lfc_specs('W1A1')] == expected
    network = estimate_network(lfc_specs('W1A1'), bram_model=FINN_MVAU, lut_model=FINN_MVAU)
    assert network['resources']['BRAM_18K'] == 175
    assert network['model']['BRAM_18K'] == FINN_MVAU


@pytest.mark.parametrize('layer, expected', [
    (spec(200, 200, simd=1, pe=1), 3),                 # mw 1: ceil(40000 / 16384)
    (spec(400, 100, simd=2, pe=1), 3),                 # mw 2: ceil(20000 / 8192)
    (spec(600, 100, simd=3, pe=1), 5 * 1),             # mw 3: ceil(20000/4096) * ceil(3/4)
    (spec(2048, 16, simd=2, pe=2), 2 * 1),             # mw 4: ceil(8192/4096) * 1
    (spec(400, 60, simd=4, pe=2), 2 * 1),              # mw 8: ceil(3000/2048) * ceil(8/9)
    (spec(900, 30, simd=9, pe=1), 2 * 1),              # mw 9: ceil(3000/2048) * ceil(9/9)
    (spec(900, 40, simd=9, pe=2), 2 * 1),              # mw 18: ceil(2000/1024) * 1
    (spec(1280, 64, simd=64, pe=1), 2 * 4),            # mw 64, WMEM 1280 > 512: 1024-deep
    (spec(1024, 64, simd=64, pe=2), 1 * 4),            # mw 128, WMEM 512: ceil(128/36) = 4
])
def test_mvau_bram_table_branches(layer, expected):
    assert bram18_mvau(layer) == expected


def test_mvau_bram_mw_10_hand_computed():
    # P 2 * Q 5 * W 1 = 10 -> "<= 18" branch: ceil(omega/1024) * ceil(10/18)
    layer = spec(200, 100, simd=5, pe=2)
    assert layer.folding.wmem == 40 * 50 == 2000
    assert bram18_mvau(layer) == 2 * 1


def test_deep_narrow_layer_36_vs_18_branch():
    # the same mw 64 at WMEM 512 uses 512x36 blocks: ceil(512/512) * ceil(64/36) = 2
    assert bram18_mvau(spec(512, 64, simd=64, pe=1)) == 2


def test_small_embedded_weights_go_to_lutram():
    layer = spec(128, 64, simd=8, pe=8)               # WMEM 16 * 8 = 128
    assert layer.folding.wmem == 128
    assert weight_memory(layer) == 'lutram'
    assert bram18_mvau(layer) == 0 and bram18_finn_r(layer) == 0
    # forced to BRAM: mw 64, WMEM 128 -> ceil(128/512) * ceil(64/36) = 2; old: 8 * 1 * 1
    assert bram18_mvau(layer, 'bram') == 2
    assert bram18_finn_r(layer, 'bram') == 8
    deeper = spec(128, 72, simd=8, pe=8)              # WMEM 144
    assert weight_memory(deeper) == 'bram'


@pytest.mark.parametrize('storage', ['lutram', 'external'])
def test_no_bram_for_weights_elsewhere(storage):
    for layer in lfc_specs('W1A1'):
        assert bram18_finn_r(layer, storage) == 0
        assert bram18_mvau(layer, storage) == 0


def test_unknown_storage_is_rejected():
    with pytest.raises(ValueError, match="weight_storage must be one of .* got 'dram'"):
        weight_memory(lfc_specs('W1A1')[0], 'dram')


# --- LUT ---------------------------------------------------------------------------------

def test_finn_r_lut_lfc():
    # int(300 + 1.1 * P * Q * W * A)
    w1a1 = [int(300 + 1.1 * 32 * 64), int(300 + 1.1 * 64 * 32), int(300 + 1.1 * 32 * 64),
            int(300 + 1.1 * 16 * 8)]
    assert w1a1 == [2552, 2552, 2552, 440]
    assert [lut_finn_r(s) for s in lfc_specs('W1A1')] == w1a1
    # W1A2: layers 1-3 read 2-bit inputs
    assert [lut_finn_r(s) for s in lfc_specs('W1A2')] == [2552, 4805, 4805, 581]
    network = estimate_network(lfc_specs('W1A1'), lut_model=FINN_R)
    assert network['resources']['LUT'] == 8096
    assert network['model']['LUT'] == FINN_R


def test_finn_r_lut_truncates():
    assert lut_finn_r(spec(5, 1, simd=5, pe=1)) == 305          # 300 + 5.5
    assert lut_finn_r(spec(10, 1, simd=10, pe=1)) == 311        # 300 + 11


def test_mvau_lut_lfc_w1a1_layer0():
    # P 32, Q 64, W 1, A 1, B 1, MW 832, TMEM 32, WMEM 416 (BRAM, so c2 = 0)
    mult = 64 * (2 * 1 - 1) * 2            # Q * (2 ceil((W+A)/6) - 1) * (W+A) = 128
    adder = 2 * (2 * 64 - 1)               # (W+A)(2Q-1) = 254
    acc = 1 + 1 + 10                       # W + A + ceil(log2 832) = 12
    thr = (2 ** 1 - 1) * acc * 1           # (2^B - 1) * acc * ceil(32/64) = 12
    comp = (2 ** 1 - 1) * acc              # 12
    expected = int(300 + 1.1 * 32 * (mult + adder + acc + thr + comp))
    assert expected == 15013
    layer = lfc_specs('W1A1')[0]
    assert accumulator_bits(layer) == 12
    assert lut_mvau(layer) == expected


def test_mvau_lut_lfc_w1a2_layer1():
    # P 64, Q 32, W 1, A 2 (W+A = 3), B 2, MW 1024, TMEM 16
    mult = 32 * (2 * 1 - 1) * 3            # 96
    adder = 3 * (2 * 32 - 1)               # 189
    acc = 1 + 2 + 10                       # 13
    thr = 3 * acc * 1                      # 39
    comp = 3 * acc                         # 39
    expected = int(300 + 1.1 * 64 * (mult + adder + acc + thr + comp))
    assert expected == 26770
    assert lut_mvau(lfc_specs('W1A2')[1]) == expected


def test_mvau_lut_lfc_totals():
    assert [lut_mvau(s) for s in lfc_specs('W1A1')] == [15013, 16210, 15013, 1743]
    assert estimate_network(lfc_specs('W1A1'), lut_model=FINN_MVAU)['resources']['LUT'] == 47979


def test_mvau_lut_wide_operands_and_accumulator_cap():
    # W 4, A 4: ceil(8/6) = 2 -> mult = Q * 3 * 8; acc = min(16, 8 + ceil(log2 4096) = 20) = 16
    layer = spec(4096, 8, simd=8, pe=2, w_bits=4, in_bits=4, a_bits=4)
    assert accumulator_bits(layer) == 16
    mult, adder, acc = 8 * 3 * 8, 8 * 15, 16
    thr = 15 * acc * 1                     # TMEM 4
    comp = 15 * acc
    assert lut_mvau(layer) == 300 + (11 * 2 * (mult + adder + acc + thr + comp)) // 10


def test_mvau_lut_lutram_weights_term():
    layer = spec(128, 64, simd=8, pe=8)   # WMEM 128: embedded -> LUTRAM
    acc = 1 + 1 + 7                        # ceil(log2 128) = 7
    core = 8 * (8 * 1 * 2 + 2 * 15 + acc + acc * 1 + acc)
    c2 = 8 * 8 * 1 * 2                     # P * Q * W * ceil(128 / 64)
    assert lut_mvau(layer) == 300 + (11 * core) // 10 + c2
    assert lut_mvau(layer, 'bram') == 300 + (11 * core) // 10


def test_dsp_products():
    layer = lfc_specs('W1A1')[0]
    assert dsp_mvau(layer) == 0
    assert dsp_mvau(layer, 'dsp') == 32 * 64 * 1
    wide = spec(64, 64, simd=4, pe=2, w_bits=30, in_bits=20)
    assert dsp_mvau(wide, 'dsp') == 2 * 4 * 2   # ceil(50 / 48) = 2
    # with DSP products the LUT model drops the multiplier term (128 per PE in layer 0)
    assert lut_mvau(layer) - lut_mvau(layer, mult_style='dsp') == \
        int(300 + 1.1 * 32 * 418) - int(300 + 1.1 * 32 * 290)
    with pytest.raises(ValueError, match='mult_style'):
        dsp_mvau(layer, 'bram')


# --- the whole-design model ('qnn-design') ------------------------------------------------

def test_product_bits():
    w1a1, w1a2 = lfc_specs('W1A1'), lfc_specs('W1A2')
    assert [product_bits(s) for s in w1a1] == [1, 1, 1, 1]          # XNOR
    assert [product_bits(s) for s in w1a2] == [1, 3, 3, 3]          # +-1 x +-1, then 1 x 2 bits
    assert product_bits(spec(64, 64, 8, 8, w_bits=4, in_bits=3)) == 7


def test_threshold_storage_matches_the_lutram_of_the_lfc_reports():
    # one 16-bit, 32- / 16- / 32- / 4-deep memory per PE and threshold: 16 LUTs each
    assert [threshold_bits(s) for s in lfc_specs('W1A1')] == [16] * 4
    assert sum(threshold_luts(s) for s in lfc_specs('W1A1')) == (32 + 64 + 32 + 16) * 16
    assert sum(threshold_luts(s) for s in lfc_specs('W1A2')) == (32 + 64 + 32) * 2 * 16 + 16 * 16
    # the Vivado reports' "LUT as distributed RAM" holds these and a few LUTs more
    for variant, storage in (('W1A1', 2304), ('W1A2', 4352)):
        lutram = design_figures('bnn-pynq-lfc-' + variant)['details']['LUT as distributed RAM']
        assert 0 <= lutram - storage <= 20


def test_lut_design_hand_computed():
    layer = lfc_specs('W1A2')[1]          # P 64, Q 32, W 1, A 2, 2 thresholds, TMEM 16
    mult, adder, acc = 32 * 1 * 3, 3 * 63, 1 + 2 + 10
    datapath = 64 * (mult + adder + acc + 2 * acc)
    assert lut_design(layer) == 300 + (11 * datapath) // 10 + 64 * 2 * 16 * 1
    assert ff_design(layer) == int(FF_PER_DATAPATH_LUT * datapath)
    # a thresholded 8-bit layer compares against its 2^(8-1) thresholds, not FINN's 255
    wide = spec(64, 64, 8, 8, w_bits=2, in_bits=8, a_bits=8)
    assert wide.n_thresholds == 128
    assert threshold_luts(wide) == 8 * 128 * 16 * 1


def test_ff_constant_is_the_fit_to_lfc_w1a1():
    specs = lfc_specs('W1A1')
    datapath = sum(s.folding.pe * (s.folding.simd * 2 + 2 * (2 * s.folding.simd - 1) +
                                   2 * accumulator_bits(s)) for s in specs)
    assert datapath == 40800
    measured = design_figures('bnn-pynq-lfc-W1A1')['resources']['FF']
    assert round(measured / datapath, 2) == FF_PER_DATAPATH_LUT


def test_streams_are_in_the_whole_design_only():
    specs = lfc_specs('W1A1')
    whole = estimate_network(specs)
    layers_only = sum(lut_design(s) for s in specs)
    assert whole['resources']['LUT'] == layers_only + stream_resources(specs)['LUT']
    assert estimate_network(specs, lut_model=FINN_MVAU)['streams'] == {'LUT': 0, 'BRAM_18K': 0}


# --- FF, cycles --------------------------------------------------------------------------

def test_ff_is_none_on_request_and_rough_on_request():
    default = estimate_layer(lfc_specs('W1A1')[0], ff_model=None)
    assert default['resources']['FF'] is None and default['model']['FF'] is None
    assert any(note.startswith('FF:') for note in default['notes'])
    rough = estimate_layer(lfc_specs('W1A1')[0], ff_model=FF_REGISTERS)
    # P * (Q * (W + A) + acc + B) + Q * A
    assert rough['resources']['FF'] == 32 * (64 * 2 + 12 + 1) + 64 * 1 == 4576
    assert rough['model']['FF'] == FF_REGISTERS
    assert not any(note.startswith('FF:') for note in rough['notes'])
    assert ff_registers(lfc_specs('W1A1')[0]) == 4576


def test_cycles_and_ii():
    specs = lfc_specs('W1A1')
    assert [s.folding.cycles for s in specs] == [13 * 32, 32 * 16, 16 * 32, 128 * 4]
    network = estimate_network(specs)
    assert network['cycles'] == [416, 512, 512, 512]
    assert network['ii_cycles'] == 512
    assert network['sum_cycles'] == 1952
    assert images_per_second(network['ii_cycles']) == 100e6 / 512 == 195312.5
    assert images_per_second(512, clock_mhz=200) == 390625.0
    with pytest.raises(ValueError):
        images_per_second(0)


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
    layer = spec(128, 64, simd=8, pe=8)
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
        bram18_finn_r(spec(64, 64, 8, 8, w_bits=0))     # refused when the record is built
    with pytest.raises(ValueError, match='at least one layer'):
        estimate_network([])


# --- device and fit ----------------------------------------------------------------------

def test_z7020_capacity():
    assert Z7020.part == 'xc7z020clg400-1'
    assert capacity(Z7020) == {'BRAM_18K': 280, 'DSP': 220, 'FF': 106400, 'LUT': 53200,
                               'URAM': 0}


def test_fits_at_the_z7020_limits():
    assert fits({'BRAM_18K': 280, 'LUT': 53200, 'FF': 106400, 'DSP': 220, 'URAM': 0})
    assert not fits({'BRAM_18K': 281})
    assert not fits({'LUT': 53201})
    assert not fits({'FF': 106401})
    assert not fits({'DSP': 221})
    assert not fits({'URAM': 1})


def test_fits_study_table2():
    # Table 2 best / worst of the 64 networks: neither fits the Z7020 (53 336 > 53 200 LUT)
    assert not fits({'BRAM_18K': 224, 'FF': 31954, 'LUT': 53336})
    assert fits({'BRAM_18K': 224, 'FF': 31954})
    assert not fits({'BRAM_18K': 1643, 'FF': 226282, 'LUT': 223910})


def test_fits_lfc_estimates():
    assert fits(estimate_network(lfc_specs('W1A1')))            # 208 BRAM, 47 979 LUT
    assert not fits(estimate_network(lfc_specs('W1A2')))        # LUT over 53 200
    assert fits(estimate_network(lfc_specs('W1A2')), keys=['BRAM_18K'])


def test_fits_unknown_resources():
    assert fits({'FF': None, 'LUT': 1})
    with pytest.raises(ValueError, match='cannot check FF'):
        fits({'FF': None, 'LUT': 1}, keys=['FF', 'LUT'])
    with pytest.raises(ValueError, match='cannot check LUT'):
        fits({'LUT': 1}, device={'FF': 10}, keys=['LUT'])


def test_fits_against_a_report():
    report = parse_csynth_xml(os.path.join(DATA, 'BlackBoxJam_csynth.xml'))
    assert fits(report)
    assert fits(report['resources'], report['available'])
    small = Device('tiny', BRAM_18K=100, DSP=10, FF=1000, LUT=1000, URAM=0)
    assert not fits(report, small)


def test_utilization():
    used = utilization({'BRAM_18K': 208, 'LUT': 26600, 'URAM': 0, 'FF': None})
    assert used['BRAM_18K'] == 208 / 280
    assert used['LUT'] == 0.5
    assert used['URAM'] == 0.0
    assert used['FF'] is None and used['DSP'] is None
    assert utilization({'URAM': 2})['URAM'] == float('inf')
