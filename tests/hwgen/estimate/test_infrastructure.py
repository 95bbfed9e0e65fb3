"""Stream width converters and FIFOs, hand-computed for BNN-PYNQ's LFC W1A1."""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.estimate.infrastructure import (converter_luts, fifo_resources, network_streams,
                                           stream_resources)
from hwgen.estimate.published import design_names, published
from hwgen.layerspec import lfc_specs


def test_lfc_w1a1_streams_by_hand():
    streams = network_streams(lfc_specs('W1A1'))
    converters = [(s['in_bits'], s['out_bits'], s['LUT']) for s in streams
                  if s['kind'] == 'converter']
    # 64 -> SIMD 64, PE 32 -> SIMD 32, PE 64 -> SIMD 64: nothing to convert;
    # 32 -> 8: a 32-bit register and a 2-bit counter; 16 -> 64: a 64-bit register, 2-bit counter
    assert converters == [(64, 64, 0), (32, 32, 0), (64, 64, 0), (32, 8, 34), (16, 64, 66)]
    fifos = [(s['depth'], s['width'], s['LUT'], s['BRAM_18K']) for s in streams
             if s['kind'] == 'fifo']
    # depth 512 / PE in SRLs: 2 log2(depth) address LUTs + ceil(depth / 32) * width / 2
    assert fifos == [(16, 32, 8 + 16, 0), (8, 64, 6 + 32, 0), (16, 32, 8 + 16, 0)]
    io = [(s['depth'], s['width'], s['LUT'], s['BRAM_18K']) for s in streams
          if s['kind'] == 'io fifo']
    # 1024 x 64 bits: 2 x 512-deep by 2 x 36-wide RAMB18s
    assert io == [(1024, 64, 20, 4)] * 2
    assert stream_resources(lfc_specs('W1A1')) == {'LUT': 100 + 86 + 40, 'BRAM_18K': 8}


def test_converter_both_ways_through_the_lcm():
    assert converter_luts(48, 32) == converter_luts(32, 48) == 96 + 1 + 96 + 2
    assert converter_luts(8, 8) == 0


@pytest.mark.parametrize('depth, width, expected', [
    (256, 4, {'LUT': 16 + 8 * 2, 'BRAM_18K': 0}),     # deepest SRL FIFO
    (257, 4, {'LUT': 18, 'BRAM_18K': 1}),             # one 512 x 36 RAMB18
    (2048, 72, {'LUT': 22, 'BRAM_18K': 4 * 2}),
])
def test_fifo_srl_or_bram(depth, width, expected):
    assert fifo_resources(depth, width) == expected


def test_unknown_published_design_names_the_known_ones():
    from hwgen.estimate.published import design_figures
    with pytest.raises(KeyError, match='bnn-pynq-lfc-W1A1'):
        design_figures('lfc-W9A9')
    assert design_names() == sorted(published()['designs'])
