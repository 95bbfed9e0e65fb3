"""hwgen.network: the one builder of a network's layer specs, and the input encoding."""
from __future__ import absolute_import, division, print_function

import numpy as np
import pytest

from hwgen.errors import FoldingError
from hwgen.folding.base import LFC_SIZES, lfc_folding, network_folding
from hwgen.layerspec import THRESHOLD_BITS, lfc_specs
from hwgen.network import (PIXEL_BITS, config_sizes, encode_input, layer_sources,
                           network_specs, widest_accumulator)
from qnn.config import DEFAULTS


def worst_case_bits(max_sum):
    """Two's complement bits holding -(max_sum + 1) .. max_sum, at least 16 (by hand)."""
    bits = THRESHOLD_BITS
    while 2 ** (bits - 1) < max_sum + 1:
        bits += 1
    return bits


@pytest.mark.parametrize('w_bits, a_bits, binarize', [(8, 8, True), (8, 8, False),
                                                      (3, 5, False), (2, 2, True)])
def test_accumulators_hold_the_worst_weights_of_the_grid(w_bits, a_bits, binarize):
    """LFC sizes, no pad columns with 0 pad weights: max |sum| = MW * max |w| * max |x|."""
    specs = network_specs(LFC_SIZES, w_bits, a_bits, binarize)
    w_max = 2 ** (w_bits - 1) - 1                              # narrow: +-(2^(W-1) - 1)
    x_max = [1 if binarize else 255] + [2 ** (a_bits - 2)] * 3  # codes within +-1
    expected = [worst_case_bits(mw * w_max * x) for mw, x in zip(LFC_SIZES, x_max)]
    assert [s.acc_bits for s in specs] == expected
    if (w_bits, a_bits, binarize) == (8, 8, True):
        assert expected == [18, 24, 24, 24]                     # docs/fidelity.md


def test_bnn_pynq_networks_keep_16_bit_accumulators():
    assert network_specs(LFC_SIZES, 1, 1, True) == lfc_specs('W1A1')
    assert network_specs(LFC_SIZES, 1, 2, True) == lfc_specs('W1A2')


def test_a_run_and_a_study_give_the_same_specs():
    """A run's config.json and a study's settings hold the same keys: one call for both."""
    settings = dict(DEFAULTS, num_units=64, n_hidden_layers=2)
    assert config_sizes(settings) == [784, 64, 64, 10]
    specs = network_specs(config_sizes(settings), 2, 3, False)
    assert [s.folding.mw for s in specs] == [784, 64, 64]
    assert [(s.in_bits, s.a_bits) for s in specs] == [(PIXEL_BITS, 3), (3, 3), (3, 1)]
    assert [s.acc_bits for s in specs] == [widest_accumulator(s, source) for s, source in
                                           zip(specs, layer_sources(3, 3, False))]


def test_folding_rules():
    wide = network_folding(LFC_SIZES, [64, 64, 64, 64], [32, 64, 32, 16])   # SIMD 64 x 2 bits
    with pytest.raises(FoldingError) as info:
        network_specs(LFC_SIZES, 2, 2, True, folding=wide, rules='packing')
    assert 'exceeds the 64-bit weight word' in str(info.value)
    specs = network_specs(LFC_SIZES, 2, 2, True, folding=wide, rules=None)   # estimates only
    assert [s.folding for s in specs] == wide
    odd = network_folding([784, 768, 10], [64, 32], [48, 16])                # streams fail
    assert len(network_specs([784, 768, 10], 1, 3, True, folding=odd, rules='packing')) == 2
    with pytest.raises(FoldingError):
        network_specs([784, 768, 10], 1, 3, True, folding=odd)
    with pytest.raises(ValueError):
        network_specs(LFC_SIZES, 1, 1, True, folding=lfc_folding(), rules='hls')


def test_layer_sources():
    pixels, hidden = layer_sources(2, 3, False)
    assert (pixels.bits, pixels.signed, pixels.low, pixels.high, pixels.pixels) == \
        (8, False, 0, 255, True)
    assert (hidden.bits, hidden.signed, hidden.low, hidden.high, hidden.inv_step) == \
        (3, True, -2, 2, 2.0)
    bits = layer_sources(1, 1, True)[0]
    assert (bits.bits, bits.signed, bits.low, bits.high, bits.pixels) == (1, True, -1, 1, False)


def test_encode_input():
    images = np.array([[[0, 127], [128, 255]]], dtype=np.uint8)
    assert encode_input(images, True).tolist() == [[0, 0, 1, 1]]
    assert encode_input(images, False).tolist() == [[0, 127, 128, 255]]
    with pytest.raises(ValueError) as info:
        encode_input(np.array([[0.5]]), False)
    assert 'float' in str(info.value)
    with pytest.raises(ValueError) as info:
        encode_input(np.array([[0, 256]]), False)
    assert 'got values 0..256' in str(info.value)
