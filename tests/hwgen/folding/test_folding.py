"""hwgen.folding.base: the per-layer folding, its padding and memory depths, and its checks."""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.folding.base import (LFC_PE, LFC_SIMD, Folding, lfc_folding, network_folding, pad_to,
                                validate_chain, validate_folding)


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
