from __future__ import absolute_import, division, print_function

import logging

import numpy as np
import pytest

from hwgen.finn.files import read_params
from hwgen.finn.packing import (decode_fields, deinterleave_rows, encode_fields, interleave_rows,
                                pack_thresholds, pack_weights, pack_words, unpack_thresholds,
                                unpack_weights, unpack_words, value_range)
from hwgen.folding.base import Folding, lfc_folding
from hwgen.layerspec import lfc_specs


def hexes(words):
    return [hex(int(w)).rstrip('L') for w in np.asarray(words).ravel()]


# --- fields ---------------------------------------------------------------------------------

def test_twos_complement_fields():
    values = np.arange(-4, 4)
    fields = encode_fields(values, 3)
    assert fields.dtype == np.uint64
    assert fields.tolist() == [4, 5, 6, 7, 0, 1, 2, 3]
    assert decode_fields(fields, 3).tolist() == values.tolist()


def test_binary_fields_are_bipolar_bit_one_is_plus_one():
    assert encode_fields([[-1, 1], [1, -1]], 1).tolist() == [[0, 1], [1, 0]]
    assert decode_fields([0, 1], 1).tolist() == [-1, 1]


def test_unsigned_fields():
    assert encode_fields([0, 5, 7], 3, signed=False).tolist() == [0, 5, 7]
    assert decode_fields([0, 5, 7], 3, signed=False).tolist() == [0, 5, 7]
    assert decode_fields([0, 1], 1, signed=False).tolist() == [0, 1]
    assert value_range(4, signed=False) == (0, 15)


def test_decode_ignores_higher_bits():
    assert decode_fields([0xF7], 3).tolist() == [-1]


@pytest.mark.parametrize('values, bits, signed, quoted', [
    ([0, 4], 3, True, '4'), ([-5], 3, True, '-5'), ([0, 1, 0], 1, True, '0 at flat index 0'),
    ([8], 3, False, '8'), ([-1], 2, False, '-1')])
def test_out_of_range_values_are_refused_with_the_value(values, bits, signed, quoted):
    with pytest.raises(ValueError) as info:
        encode_fields(values, bits, signed)
    assert quoted in str(info.value)


def test_non_integer_values_are_refused():
    with pytest.raises(ValueError) as info:
        encode_fields([1.0, 0.5], 3)
    assert '0.5' in str(info.value)
    assert encode_fields(np.array([1.0, -1.0]), 1).tolist() == [1, 0]


# --- words ----------------------------------------------------------------------------------

def test_pack_words_lsb_first():
    assert hexes(pack_words([1, 2, 3], 4)) == ['0x321']
    bits = np.zeros(64, dtype=np.uint64)
    bits[[0, 63]] = 1
    assert hexes(pack_words(bits, 1)) == ['0x8000000000000001']
    assert unpack_words(pack_words(bits, 1), 1, 64).tolist() == bits.tolist()


def test_pack_words_refuses_more_than_64_bits():
    with pytest.raises(ValueError) as info:
        pack_words(np.zeros(33, dtype=np.uint64), 2)
    assert '66 bits' in str(info.value)


def test_row_interleaving():
    rows = np.arange(6)
    per_pe = interleave_rows(rows, 3)
    assert per_pe.tolist() == [[0, 3], [1, 4], [2, 5]]      # row r -> PE r % 3, slot r // 3
    assert deinterleave_rows(per_pe).tolist() == rows.tolist()


# --- weights: hand-computed cases -----------------------------------------------------------

def test_binary_weights_hand_computed():
    # padded 4 x 8, SIMD 4, PE 2: SF = 2, NF = 2, WMEM = 4; pad weights are bit 1
    f = Folding(mw=5, mh=3, simd=4, pe=2)
    weights = [[+1, -1, -1, +1, +1],
               [-1, -1, -1, -1, -1],
               [+1, +1, -1, -1, +1]]
    words = pack_weights(weights, f, w_bits=1)
    assert words.shape == (2, 4) and words.dtype == np.uint64
    # PE 0 holds rows 0 and 2, PE 1 rows 1 and the pad row 3; address = (r // PE) * SF + s
    assert hexes(words[0]) == ['0x9', '0xf', '0x3', '0xf']
    assert hexes(words[1]) == ['0x0', '0xe', '0xf', '0xf']
    assert unpack_weights(words, f, 1).tolist() == weights
    padded = unpack_weights(words, f, 1, padded=True)
    assert padded.shape == (4, 8)
    assert (padded[:, 5:] == 1).all() and (padded[3] == 1).all()


def test_three_bit_weights_hand_computed():
    # padded 2 x 4, SIMD 2, PE 1; pad weights are 0
    f = Folding(mw=3, mh=2, simd=2, pe=1)
    weights = [[-1, 2, -4],      # fields 7, 2, 4 (+ pad 0): words 7 | 2 << 3 = 0x17, 0x4
               [3, 0, 1]]        # fields 3, 0, 1 (+ pad 0): words 0x3, 0x1
    words = pack_weights(weights, f, w_bits=3)
    assert hexes(words) == ['0x17', '0x4', '0x3', '0x1']
    assert unpack_weights(words, f, 3).tolist() == weights


def test_eight_bit_weights_fill_the_whole_word():
    f = Folding(mw=8, mh=1, simd=8, pe=1)
    words = pack_weights([[-128, 127, -1, 0, 1, 2, 3, 4]], f, w_bits=8)
    assert hexes(words) == ['0x403020100ff7f80']
    assert unpack_weights(words, f, 8).tolist() == [[-128, 127, -1, 0, 1, 2, 3, 4]]


def test_pack_weights_refuses_wrong_shape_and_values():
    f = Folding(mw=3, mh=2, simd=2, pe=1)
    with pytest.raises(ValueError) as info:
        pack_weights(np.zeros((3, 3), dtype=int), f, 2)
    assert '(3, 3)' in str(info.value)
    with pytest.raises(ValueError) as info:
        pack_weights([[0, 1, 1], [1, 1, 1]], f, 1)       # 0 is not a binary weight
    assert 'bipolar' in str(info.value)
    with pytest.raises(ValueError):
        unpack_weights(np.zeros((2, 4), dtype=np.uint64), f, 2)


@pytest.mark.parametrize('w_bits', [1, 2, 3, 4, 8])
@pytest.mark.parametrize('first, last', [(False, False), (True, True)])
def test_weights_round_trip(w_bits, first, last):
    rng = np.random.RandomState(w_bits)
    simd = 64 // w_bits if w_bits in (1, 2, 4, 8) else 16
    f = Folding(mw=100, mh=37, simd=simd, pe=4 if not last else 8, first=first, last=last)
    if w_bits == 1:
        weights = rng.choice([-1, 1], size=(f.mh, f.mw))
    else:
        weights = rng.randint(-2 ** (w_bits - 1), 2 ** (w_bits - 1), size=(f.mh, f.mw))
    words = pack_weights(weights, f, w_bits)
    assert words.shape == (f.pe, f.wmem)
    assert (unpack_weights(words, f, w_bits) == weights).all()
    padded = unpack_weights(words, f, w_bits, padded=True)
    assert (pack_weights(padded, f, w_bits) == words).all()


# --- thresholds -----------------------------------------------------------------------------

def test_thresholds_hand_computed():
    f = Folding(mw=4, mh=3, simd=4, pe=2)
    memories = pack_thresholds([[1, 2], [3, 4], [5, 6]], f)
    assert memories.shape == (2, 2, 2) and memories.dtype == np.int64
    # pad neuron 3: 65535 saturated to int16 -> 32767
    assert memories.tolist() == [[[1, 2], [5, 6]], [[3, 4], [32767, 32767]]]
    assert unpack_thresholds(memories, f).tolist() == [[1, 2], [3, 4], [5, 6]]
    assert unpack_thresholds(memories, f, padded=True)[3].tolist() == [32767, 32767]


def test_last_layer_thresholds_pad_to_64_neurons():
    f = Folding(mw=1024, mh=10, simd=8, pe=16, last=True)
    memories = pack_thresholds(np.arange(10) + 600, f)   # 1-D: one threshold per neuron
    assert memories.shape == (16, 4, 1)
    assert memories[0, :, 0].tolist() == [600, 32767, 32767, 32767]
    assert memories[9, 0, 0] == 609 and memories[10, 0, 0] == 32767


def test_threshold_saturation_is_logged(caplog):
    f = Folding(mw=4, mh=2, simd=4, pe=2)
    with caplog.at_level(logging.WARNING, logger='hwgen.finn.packing'):
        memories = pack_thresholds([[-40000], [40000]], f)
    assert memories.ravel().tolist() == [-32768, 32767]
    assert '2 thresholds' in caplog.text
    assert pack_thresholds([[-40000], [0]], f, acc_bits=24).ravel().tolist() == [-40000, 0]


def test_thresholds_refuse_wrong_shape():
    f = Folding(mw=4, mh=3, simd=4, pe=2)
    with pytest.raises(ValueError) as info:
        pack_thresholds(np.zeros((5, 1), dtype=int), f)
    assert '(5, 1)' in str(info.value)
    with pytest.raises(ValueError):
        unpack_thresholds(np.zeros((2, 3, 1), dtype=np.int64), f)


# --- the golden BNN-PYNQ files --------------------------------------------------------------

@pytest.fixture(scope='module')
def golden_params(lfc_w1a1_dir):
    return read_params(lfc_w1a1_dir, lfc_specs('W1A1'))


def test_golden_first_layer_words(golden_params):
    f = lfc_folding()[0]
    words = golden_params[0].weights
    assert hexes(words[0, [0, 12]]) == ['0x31045f37f9987386', '0xffffffffffffaf49']
    weights = unpack_weights(words, f, 1, padded=True)
    # neuron 0, pixel j is bit j of word 0 (1 = +1)
    assert weights[0, :64].tolist() == [1 if (0x31045f37f9987386 >> j) & 1 else -1
                                        for j in range(64)]
    assert (weights[:, 784:] == 1).all()                  # 48 pad columns of ones


def test_golden_padding_and_repacking(golden_params):
    for f, params in zip(lfc_folding(), golden_params):
        weights = unpack_weights(params.weights, f, 1, padded=True)
        thresholds = unpack_thresholds(params.thresholds, f, padded=True)
        assert (weights[f.mh:] == 1).all() and (weights[:, f.mw:] == 1).all()
        assert (thresholds[f.mh:] == 32767).all() and (thresholds[:f.mh] < 32767).all()
        assert (pack_weights(weights, f, 1) == params.weights).all()
        assert (pack_weights(weights[:f.mh, :f.mw], f, 1) == params.weights).all()
        assert (pack_thresholds(thresholds[:f.mh], f) == params.thresholds).all()
