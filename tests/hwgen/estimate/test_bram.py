"""hwgen.estimate.bram checked against hand-computed values and the LFC figures (LFC folding:
SIMD 64/32/64/8, PE 32/64/32/16, padded MW 832/1024/1024/1024, WMEM 416/512/512/512)."""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.estimate.bram import bram18_finn_r, bram18_mvau, weight_memory
from hwgen.estimate.models import FINN_MVAU, estimate_network
from hwgen.layerspec import lfc_specs

from layer_specs import middle_spec


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
    assert bram18_finn_r(middle_spec(16 * 64, 4 * 16, simd=16, pe=4, w_bits=4)) == 4 * 2 * 2


def test_mvau_bram_lfc():
    # mw = P * Q * W = 2048, 2048, 2048, 128; no layer has WMEM > 512
    expected = [1 * 57, 1 * 57, 1 * 57, 1 * 4]   # ceil(WMEM/512) * ceil(mw/36)
    assert [bram18_mvau(s) for s in lfc_specs('W1A1')] == expected
    network = estimate_network(lfc_specs('W1A1'), bram_model=FINN_MVAU, lut_model=FINN_MVAU)
    assert network['resources']['BRAM_18K'] == 175
    assert network['model']['BRAM_18K'] == FINN_MVAU


@pytest.mark.parametrize('layer, expected', [
    (middle_spec(200, 200, simd=1, pe=1), 3),                 # mw 1: ceil(40000 / 16384)
    (middle_spec(400, 100, simd=2, pe=1), 3),                 # mw 2: ceil(20000 / 8192)
    (middle_spec(600, 100, simd=3, pe=1), 5 * 1),             # mw 3: ceil(20000/4096) * ceil(3/4)
    (middle_spec(2048, 16, simd=2, pe=2), 2 * 1),             # mw 4: ceil(8192/4096) * 1
    (middle_spec(400, 60, simd=4, pe=2), 2 * 1),              # mw 8: ceil(3000/2048) * ceil(8/9)
    (middle_spec(900, 30, simd=9, pe=1), 2 * 1),              # mw 9: ceil(3000/2048) * ceil(9/9)
    (middle_spec(900, 40, simd=9, pe=2), 2 * 1),              # mw 18: ceil(2000/1024) * 1
    (middle_spec(1280, 64, simd=64, pe=1), 2 * 4),            # mw 64, WMEM 1280 > 512: 1024-deep
    (middle_spec(1024, 64, simd=64, pe=2), 1 * 4),            # mw 128, WMEM 512: ceil(128/36) = 4
])
def test_mvau_bram_table_branches(layer, expected):
    assert bram18_mvau(layer) == expected


def test_mvau_bram_mw_10_hand_computed():
    # P 2 * Q 5 * W 1 = 10 -> "<= 18" branch: ceil(omega/1024) * ceil(10/18)
    layer = middle_spec(200, 100, simd=5, pe=2)
    assert layer.folding.wmem == 40 * 50 == 2000
    assert bram18_mvau(layer) == 2 * 1


def test_deep_narrow_layer_36_vs_18_branch():
    # the same mw 64 at WMEM 512 uses 512x36 blocks: ceil(512/512) * ceil(64/36) = 2
    assert bram18_mvau(middle_spec(512, 64, simd=64, pe=1)) == 2


def test_small_embedded_weights_go_to_lutram():
    layer = middle_spec(128, 64, simd=8, pe=8)               # WMEM 16 * 8 = 128
    assert layer.folding.wmem == 128
    assert weight_memory(layer) == 'lutram'
    assert bram18_mvau(layer) == 0 and bram18_finn_r(layer) == 0
    # forced to BRAM: mw 64, WMEM 128 -> ceil(128/512) * ceil(64/36) = 2; old: 8 * 1 * 1
    assert bram18_mvau(layer, 'bram') == 2
    assert bram18_finn_r(layer, 'bram') == 8
    deeper = middle_spec(128, 72, simd=8, pe=8)              # WMEM 144
    assert weight_memory(deeper) == 'bram'


@pytest.mark.parametrize('storage', ['lutram', 'external'])
def test_no_bram_for_weights_elsewhere(storage):
    for layer in lfc_specs('W1A1'):
        assert bram18_finn_r(layer, storage) == 0
        assert bram18_mvau(layer, storage) == 0


def test_unknown_storage_is_rejected():
    with pytest.raises(ValueError, match="weight_storage must be one of .* got 'dram'"):
        weight_memory(lfc_specs('W1A1')[0], 'dram')
