"""hwgen.estimate.logic: LUT, FF and DSP models checked against hand-computed values and the LFC
reports (LFC folding: SIMD 64/32/64/8, PE 32/64/32/16, TMEM 32/16/32/4)."""
from __future__ import absolute_import, division, print_function

import os

import pytest

from hwgen.estimate.device import images_per_second
from hwgen.estimate.infrastructure import stream_resources
from hwgen.estimate.logic import (FF_PER_DATAPATH_LUT, mvau_accumulator_bits, dsp_mvau, ff_design,
                                  ff_registers, lut_design, lut_finn_r, lut_mvau, product_bits,
                                  threshold_bits, threshold_luts)
from hwgen.estimate.models import FF_REGISTERS, FINN_MVAU, FINN_R, estimate_layer, estimate_network
from hwgen.estimate.published import design_figures
from hwgen.layerspec import lfc_specs

from layer_specs import middle_spec

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data')


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
    assert lut_finn_r(middle_spec(5, 1, simd=5, pe=1)) == 305          # 300 + 5.5
    assert lut_finn_r(middle_spec(10, 1, simd=10, pe=1)) == 311        # 300 + 11


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
    assert mvau_accumulator_bits(layer) == 12
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
    layer = middle_spec(4096, 8, simd=8, pe=2, w_bits=4, in_bits=4, a_bits=4)
    assert mvau_accumulator_bits(layer) == 16
    mult, adder, acc = 8 * 3 * 8, 8 * 15, 16
    thr = 15 * acc * 1                     # TMEM 4
    comp = 15 * acc
    assert lut_mvau(layer) == 300 + (11 * 2 * (mult + adder + acc + thr + comp)) // 10


def test_mvau_lut_lutram_weights_term():
    layer = middle_spec(128, 64, simd=8, pe=8)   # WMEM 128: embedded -> LUTRAM
    acc = 1 + 1 + 7                        # ceil(log2 128) = 7
    core = 8 * (8 * 1 * 2 + 2 * 15 + acc + acc * 1 + acc)
    c2 = 8 * 8 * 1 * 2                     # P * Q * W * ceil(128 / 64)
    assert lut_mvau(layer) == 300 + (11 * core) // 10 + c2
    assert lut_mvau(layer, 'bram') == 300 + (11 * core) // 10


def test_dsp_products():
    layer = lfc_specs('W1A1')[0]
    assert dsp_mvau(layer) == 0
    assert dsp_mvau(layer, 'dsp') == 32 * 64 * 1
    wide = middle_spec(64, 64, simd=4, pe=2, w_bits=30, in_bits=20)
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
    assert product_bits(middle_spec(64, 64, 8, 8, w_bits=4, in_bits=3)) == 7


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
    wide = middle_spec(64, 64, 8, 8, w_bits=2, in_bits=8, a_bits=8)
    assert wide.n_thresholds == 128
    assert threshold_luts(wide) == 8 * 128 * 16 * 1


def test_ff_constant_is_the_fit_to_lfc_w1a1():
    specs = lfc_specs('W1A1')
    datapath = sum(s.folding.pe * (s.folding.simd * 2 + 2 * (2 * s.folding.simd - 1) +
                                   2 * mvau_accumulator_bits(s)) for s in specs)
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
