"""hwgen.folding.streams: finn-hlslib's stream-width rules between layers."""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.folding.base import Folding, lfc_folding, network_folding, validate_chain
from hwgen.folding.streams import (check_streams, input_stream_error, link_stream_bits,
                                   link_stream_error, output_stream_error,
                                   validate_network_folding)


def test_input_stream_rules():
    hidden = Folding(1024, 1024, 16, 16)
    assert input_stream_error(1, hidden, 16 * 3, 3) is None              # same width: no converter
    assert input_stream_error(1, hidden, 64 * 2, 2) is None     # 128 -> 32 bits, 1024 % 128
    assert 'padded width 1024 is not a multiple of the 192-bit input stream' in \
        input_stream_error(1, hidden, 64 * 3, 3)
    assert 'its 48-bit input stream cannot be width-converted to SIMD x in_bits = 32 x 1 = 32 ' \
        'bits' in input_stream_error(1, Folding(1024, 1024, 32, 16), 48, 1)
    first = Folding(784, 1024, 64, 32, first=True)
    assert input_stream_error(0, first, 64, 1) is None and input_stream_error(0, first, 64, 8) \
        is None                                                            # 64 -> 512 bits


def test_output_stream_rules():
    last = Folding(1024, 10, 8, 16, last=True)
    assert output_stream_error(3, last, 1) is None and output_stream_error(3, last, 32) is None
    assert output_stream_error(3, last, 3) == 'layer 3: PE x output bits = 16 x 3 = 48 bits ' \
        'cannot be width-converted to the 64-bit output stream'


def test_link_stream_rules():
    """PE of a layer and SIMD of the next must divide one another, whatever A."""
    producer = Folding(784, 1024, 64, 32, first=True)
    for bits in range(1, 9):
        assert link_stream_error(1, producer, Folding(1024, 1024, 8, 16), bits) is None
        assert link_stream_error(1, producer, Folding(1024, 1024, 64, 16), bits) is None
        assert 'cannot be width-converted' in link_stream_error(
            1, producer, Folding(1024, 1024, 48, 16), bits)       # 32 vs 48 lanes
    odd = Folding(784, 768, 64, 48, first=True)
    assert link_stream_error(1, odd, Folding(768, 10, 32, 16, last=True), 2) == (
        'layer 1: its 96-bit input stream cannot be width-converted to SIMD x in_bits = 32 x 2 '
        '= 64 bits (one must divide the other); change SIMD or the previous PE')


def test_link_stream_bits_at_the_producer_where_finn_hlslib_counts_its_words():
    producer, consumer = Folding(784, 1024, 64, 32, first=True), Folding(1024, 64, 8, 16,
                                                                         last=True)
    # 32 PE x A bits divides 1024 for A = 1, 2, 4, 8 (BNN-PYNQ's stream), not for 3, 5, 6, 7
    assert [link_stream_bits(producer, consumer, a) for a in range(1, 9)] == \
        [32, 64, 3 * 8, 128, 5 * 8, 6 * 8, 7 * 8, 256]


def test_check_streams_returns_the_input_stream_widths():
    assert check_streams(lfc_folding(), [1, 2, 2, 2], [2, 2, 2, 1]) == [64, 64, 128, 64]
    # A = 3: 96 and 192 bits do not divide 1024; declared at the consumer's SIMD x 3
    assert check_streams(lfc_folding(), [1, 3, 3, 3], [3, 3, 3, 1]) == [64, 96, 192, 24]
    with pytest.raises(ValueError) as info:
        check_streams(network_folding([784, 768, 10], [64, 32], [48, 16]), [1, 1], [1, 1])
    assert str(info.value).startswith('layer 1: its 48-bit input stream cannot be '
                                      'width-converted')
    wide = network_folding([784, 8192, 10], [64, 4096], [8192, 2])
    with pytest.raises(ValueError) as info:
        check_streams(wide, [1, 8], [8, 1])
    assert 'a stream of 65536 bits exceeds the 32768-bit limit' in str(info.value)
    with pytest.raises(ValueError):
        check_streams(lfc_folding(), [1], [1])


def test_validate_network_folding_refuses_padded_hidden_layers_and_bad_streams():
    padded = network_folding([784, 100, 10], simd=[64, 10], pe=[10, 2])
    assert validate_chain(padded) == padded                       # the chain itself is fine
    assert validate_network_folding(padded, 1) == padded
    with pytest.raises(ValueError) as info:
        validate_network_folding(network_folding([784, 100, 10], [64, 8], [8, 2]), 1)
    assert 'pad the hidden size 100' in str(info.value)
    for a_bits in range(1, 9):
        assert validate_network_folding(lfc_folding(), 1, a_bits, in_bits=8) == lfc_folding()
    with pytest.raises(ValueError) as info:
        validate_network_folding(network_folding([784, 768, 10], [64, 32], [48, 16]), 1, 5)
    assert '240-bit input stream cannot be width-converted' in str(info.value)
