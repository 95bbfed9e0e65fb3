from __future__ import absolute_import, division, print_function

import pytest

from hwgen.errors import FoldingError
from hwgen.folding import (LFC_PE, LFC_SIMD, LFC_SIZES, Folding, lfc_folding, network_folding,
                           pad_to, validate_chain, validate_folding)
from hwgen.folding_policy import default_folding
from hwgen.folding_resolve import describe_folding, resolve_folding
from hwgen.streams import (check_streams, input_stream_error, link_stream_bits, link_stream_error,
                           output_stream_error, validate_network_folding)


def test_pad_to():
    assert [pad_to(v, 64) for v in (1, 63, 64, 65, 784)] == [64, 64, 64, 128, 832]
    assert pad_to(1024, 32) == 1024


def test_lfc_folding_matches_the_finnthesizer_table():
    layers = lfc_folding()
    assert [(f.simd, f.pe) for f in layers] == list(zip(LFC_SIMD, LFC_PE))
    assert [(f.mw, f.mh) for f in layers] == [(784, 1024), (1024, 1024), (1024, 1024),
                                             (1024, 10)]
    assert [(f.padded_mw, f.padded_mh) for f in layers] == [(832, 1024), (1024, 1024),
                                                           (1024, 1024), (1024, 64)]
    assert [f.wmem for f in layers] == [416, 512, 512, 512]
    assert [f.tmem for f in layers] == [32, 16, 32, 4]
    assert [f.cycles for f in layers] == [416, 512, 512, 512]
    assert [(f.sf, f.nf) for f in layers] == [(13, 32), (32, 16), (16, 32), (128, 4)]
    assert [(f.first, f.last) for f in layers] == [(True, False), (False, False),
                                                  (False, False), (False, True)]
    assert layers[0].n_pad_cols == 48 and layers[3].n_pad_rows == 54


def test_first_layer_pads_columns_to_a_multiple_of_max_simd_64():
    assert Folding(784, 8, simd=16, pe=8, first=True).padded_mw == 832
    assert Folding(784, 8, simd=128, pe=8, first=True).padded_mw == 896
    assert Folding(784, 8, simd=16, pe=8).padded_mw == 784     # not first: SIMD only
    assert Folding(784, 8, simd=48, pe=8).padded_mw == 816


def test_last_layer_pads_rows_to_a_multiple_of_max_pe_64():
    assert Folding(1024, 10, simd=8, pe=16, last=True).padded_mh == 64
    assert Folding(1024, 10, simd=8, pe=128, last=True).padded_mh == 128
    assert Folding(1024, 70, simd=8, pe=2, last=True).padded_mh == 128
    assert Folding(1024, 10, simd=8, pe=16).padded_mh == 16     # not last: PE only


def test_wmem_and_tmem_formulas():
    f = Folding(100, 30, simd=10, pe=4)
    assert (f.padded_mw, f.padded_mh) == (100, 32)
    assert f.wmem == f.padded_mw * f.padded_mh // (f.simd * f.pe) == 80
    assert f.tmem == f.padded_mh // f.pe == 8


def test_validate_accepts_lfc_with_one_and_two_bit_weights():
    for folding in lfc_folding():
        assert validate_folding(folding, w_bits=1) is folding
    # SIMD 32 * 2 bits = 64 fits; SIMD 64 * 2 bits does not
    validate_folding(Folding(1024, 1024, 32, 64), w_bits=2)


def test_validate_refuses_simd_not_dividing_the_axi_padded_width():
    with pytest.raises(ValueError) as info:
        validate_folding(Folding(784, 1024, 48, 32, first=True), layer=0)
    assert 'SIMD 48' in str(info.value) and '832' in str(info.value)


def test_validate_refuses_pe_not_dividing_the_axi_padded_height():
    with pytest.raises(ValueError) as info:
        validate_folding(Folding(1024, 10, 8, 24, last=True), layer=3)
    assert 'PE 24' in str(info.value) and '64' in str(info.value)


def test_validate_refuses_too_wide_weight_words():
    with pytest.raises(ValueError) as info:
        validate_folding(Folding(832, 1024, 64, 32), w_bits=2)
    assert '64 * 2 = 128' in str(info.value)


@pytest.mark.parametrize('bad', [dict(mw=0), dict(mh=-1), dict(simd=2.5), dict(pe=True)])
def test_validate_refuses_non_positive_or_non_integer_sizes(bad):
    fields = dict(mw=16, mh=16, simd=4, pe=4)
    fields.update(bad)
    with pytest.raises(ValueError) as info:
        validate_folding(Folding(**fields))
    assert repr(list(bad.values())[0]) in str(info.value)


def test_validate_chain_checks_stream_widths_and_flags():
    good = network_folding([784, 100, 10], simd=[64, 10], pe=[10, 2])
    assert validate_chain(good) == good
    with pytest.raises(ValueError) as info:   # 100 rows padded to 104 for PE 8, next reads 100
        validate_chain(network_folding([784, 100, 10], simd=[64, 10], pe=[8, 2]))
    assert 'streams 104' in str(info.value)
    with pytest.raises(ValueError) as info:
        validate_chain([Folding(784, 64, 64, 8), Folding(64, 10, 8, 2, last=True)])
    assert 'first=False' in str(info.value)
    with pytest.raises(ValueError):
        validate_chain([])


def test_network_folding_checks_lengths():
    with pytest.raises(ValueError) as info:
        network_folding([784, 10], simd=[64, 8], pe=[16])
    assert '[64, 8]' in str(info.value)


# --- finn-hlslib's stream rules -------------------------------------------------------------------

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


# --- the default folding --------------------------------------------------------------------------

@pytest.mark.parametrize('a_bits', [1, 2, 4, 8])
def test_default_folding_is_lfc_for_binary_weights(a_bits):
    for in_bits in (1, 8, None):
        assert default_folding(LFC_SIZES, 1, a_bits, in_bits) == lfc_folding()


@pytest.mark.parametrize('a_bits', [3, 5, 6, 7])
def test_default_folding_odd_activations_keep_lfc_for_binary_weights(a_bits):
    """The odd-A streams are declared at the consumer's width: LFC's folding streams too."""
    for in_bits in (1, 8, None):
        foldings = default_folding(LFC_SIZES, 1, a_bits, in_bits)
        assert foldings == lfc_folding()
        assert [f.cycles for f in foldings] == [416, 512, 512, 512]


# Hand-computed: SIMD <= 64 / W; 1024 x 1024 / (SIMD x PE) = 512 needs SIMD x PE = 2048 on the
# hidden layers; layer 0 (832 x 1024) then takes 832 / SIMD x 1024 / PE = 416 cycles, the last
# layer (1024 x 64) 1024 / SIMD x 64 / PE = 512 with PE = 2048 / 16 / SIMD... = SIMD x PE 128.
@pytest.mark.parametrize('w_bits, expected', [
    (2, '32,32,32,32:64,64,64,4'),
    (3, '16,16,16,16:128,128,128,8'),
    (4, '16,16,16,16:128,128,128,8'),
    (5, '8,8,8,8:256,256,256,16'),
    (8, '8,8,8,8:256,256,256,16'),
])
@pytest.mark.parametrize('a_bits', [1, 2, 3, 5, 6, 7, 8])
def test_default_folding_of_multibit_networks_is_one_throughput(w_bits, a_bits, expected):
    foldings = default_folding(LFC_SIZES, w_bits, a_bits)
    assert describe_folding(foldings) == expected
    assert [f.cycles for f in foldings] == [416, 512, 512, 512]
    assert all(f.simd * w_bits <= 64 for f in foldings)


def test_default_folding_without_activation_bits_is_the_same_folding():
    """The stream rules do not depend on A: unknown A gives the folding of every A."""
    assert default_folding(LFC_SIZES, 1) == lfc_folding()
    for w_bits in range(1, 9):
        foldings = default_folding(LFC_SIZES, w_bits)
        assert resolve_folding(None, LFC_SIZES, w_bits) == foldings
        assert max(f.cycles for f in foldings) == 512
        for a_bits in range(1, 9):
            validate_network_folding(foldings, w_bits, a_bits)
            assert default_folding(LFC_SIZES, w_bits, a_bits) == foldings


def test_default_folding_target_cycles():
    fast = default_folding([784, 256, 256, 10], 1, 2, 1, target_cycles=64)
    slow = default_folding([784, 256, 256, 10], 1, 2, 1, target_cycles=4096)
    assert max(f.cycles for f in fast) <= 64 < max(f.cycles for f in slow) <= 4096
    assert sum(f.simd * f.pe for f in fast) > sum(f.simd * f.pe for f in slow)
    # LFC sizes: 1024 x 1024 / 1024 cycles = SIMD x PE 1024 on the hidden layers, whatever W
    for w_bits in (1, 4, 8):
        foldings = default_folding(LFC_SIZES, w_bits, 3, target_cycles=1024)
        assert max(f.cycles for f in foldings) == 1024
        assert [f.simd * f.pe for f in foldings[1:3]] == [1024, 1024]
    assert max(f.cycles for f in default_folding(LFC_SIZES, 1, 3, target_cycles=128)) == 128


@pytest.mark.parametrize('sizes, w_bits, target, message', [
    # 8-bit weights: SIMD <= 8, the last layer 1024 / 8 columns x 64 / 64 PE = 128 cycles
    (LFC_SIZES, 8, 64, 'no folding of 784-1024-1024-1024-10 with 8-bit weights reaches 64 '
                       'cycles per image; the fastest takes 128'),
    # 832 / 8 columns, one 64-neuron step
    ([784, 10], 8, 1, 'no folding of 784-10 with 8-bit weights reaches 1 cycles per image; '
                      'the fastest takes 104'),
    # binary weights: 832 / 64 columns x 1024 / 1024 PE
    (LFC_SIZES, 1, 8, 'no folding of 784-1024-1024-1024-10 with 1-bit weights reaches 8 '
                      'cycles per image; the fastest takes 16'),
])
def test_default_folding_refuses_an_unreachable_target(sizes, w_bits, target, message):
    with pytest.raises(FoldingError) as info:
        default_folding(sizes, w_bits, 2, target_cycles=target)
    assert str(info.value) == message
    with pytest.raises(FoldingError) as info:
        resolve_folding(None, sizes, w_bits, 2, target_cycles=target)
    assert str(info.value) == message


@pytest.mark.parametrize('sizes, w_bits, a_bits, in_bits, message', [
    ([784], 1, 1, 1, 'sizes must be >= 2 positive layer sizes'),
    ([784, 0, 10], 1, 1, 1, 'sizes must be >= 2 positive layer sizes'),
    ([784, 10], 0, 1, 1, 'w_bits must be a positive integer, got 0'),
    ([784, 10], 1, 1.5, 1, 'a_bits must be a positive integer, got 1.5'),
    ([784, 10], 65, 1, 1, 'w_bits=65 does not fit the 64-bit weight word'),
])
def test_default_folding_refuses_bad_arguments(sizes, w_bits, a_bits, in_bits, message):
    with pytest.raises(ValueError) as info:
        default_folding(sizes, w_bits, a_bits, in_bits)
    assert message in str(info.value)


def test_resolve_folding_names_the_rule():
    with pytest.raises(FoldingError) as info:
        resolve_folding('64,32:48,16', [784, 768, 10], 1, a_bits=6)
    assert str(info.value) == (
        'folding 64,32:48,16 does not fit the network [784, 768, 10] with 1-bit weights and '
        '6-bit activations: layer 1: its 288-bit input stream cannot be width-converted to '
        'SIMD x in_bits = 32 x 6 = 192 bits (one must divide the other); change SIMD or the '
        'previous PE')
    # without activation bits only the packing rules apply
    assert resolve_folding('64,32,64,8:32,64,32,16', LFC_SIZES, 1) == lfc_folding()
    with pytest.raises(FoldingError) as info:
        resolve_folding(lfc_folding()[:3], LFC_SIZES, 1)
    assert 'folding has 3 layers, the network has 4' in str(info.value)
