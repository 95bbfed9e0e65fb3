from __future__ import absolute_import, division, print_function

import pickle

import pytest

from hwgen.folding.base import Folding, lfc_folding
from hwgen.folding.streams import with_stream_widths
from hwgen.layerspec import (LayerSpec, default_act_val, default_n_thresholds, lfc_specs,
                             validate_network, validate_spec, with_last_layer)


def test_w1a1_layers_are_xnor_popcounts_with_one_threshold():
    for spec in lfc_specs('W1A1'):
        assert (spec.w_bits, spec.in_bits, spec.a_bits) == (1, 1, 1)
        assert spec.xnor and spec.n_thresholds == 1 and spec.act_val == 0
        assert spec.acc_bits == 16 and spec.pad_offset == 0


def test_w1a2_layers_follow_bnn_pynq_top_cpp():
    specs = lfc_specs('W1A2')
    assert [s.in_bits for s in specs] == [1, 2, 2, 2]
    assert [s.a_bits for s in specs] == [2, 2, 2, 1]
    assert [s.n_thresholds for s in specs] == [2, 2, 2, 1]
    assert [s.act_val for s in specs] == [-1, -1, -1, 0]
    assert not any(s.xnor for s in specs)
    assert specs[0].in_signed and specs[0].in_pad_value == -1   # Recast<Binary> pixels
    # finnthesizer's AccuOffset: 48 pad columns, input bit 0 (-1) times weight bit 1 (+1)
    assert [s.pad_offset for s in specs] == [-48, 0, 0, 0]


def test_pad_values():
    f = Folding(10, 4, simd=4, pe=2)            # 2 pad columns
    assert LayerSpec(f).pad_offset == 0          # XNOR: bit 0 vs bit 1 never counts
    assert LayerSpec(f, xnor=False).pad_offset == -2
    assert LayerSpec(f, w_bits=3, in_bits=1).pad_offset == 0     # pad weight 0
    assert LayerSpec(f, w_bits=1, in_bits=2).pad_offset == 0     # pad input 0
    assert LayerSpec(f, in_bits=1, in_signed=False, xnor=False).in_pad_value == 0


def test_defaults():
    # Our activations clip to [-1, 1]: codes -2^(A-2)..2^(A-2), hence 2^(A-1) thresholds.
    assert [default_n_thresholds(a) for a in (1, 2, 3, 4, 8)] == [1, 2, 4, 8, 128]
    assert [default_act_val(a) for a in (1, 2, 3, 4)] == [0, -1, -2, -4]
    with pytest.raises(ValueError):
        default_n_thresholds(0)


def test_spec_is_a_plain_picklable_record():
    spec = lfc_specs('W1A2')[1]
    assert pickle.loads(pickle.dumps(spec)) == spec
    assert spec._replace(a_bits=3).a_bits == 3


def test_validate_spec_refuses_bad_combinations():
    f = Folding(64, 64, 8, 8)
    with pytest.raises(ValueError) as info:
        validate_spec(LayerSpec(f, w_bits=2, xnor=True))
    assert 'w_bits=2' in str(info.value)
    with pytest.raises(ValueError) as info:
        validate_spec(LayerSpec(f, a_bits=2, n_thresholds=4))
    assert '4 thresholds' in str(info.value)
    with pytest.raises(ValueError) as info:
        validate_spec(LayerSpec(f, w_bits=16))          # 8 * 16 > 64
    assert '128' in str(info.value)
    with pytest.raises(ValueError):
        validate_spec(LayerSpec(f, acc_bits=1))
    with pytest.raises(ValueError):
        validate_spec(LayerSpec(f, act_val=0.5))


def test_validate_network_checks_bit_widths_between_layers():
    folds = lfc_folding()
    specs = [LayerSpec(f, in_bits=1 if i == 0 else 2, a_bits=2) for i, f in enumerate(folds)]
    assert validate_network(specs) == specs
    specs[2] = specs[2]._replace(in_bits=3)
    with pytest.raises(ValueError) as info:
        validate_network(specs)
    assert 'layer 2 reads 3-bit' in str(info.value)


def test_unknown_lfc_variant():
    with pytest.raises(ValueError) as info:
        lfc_specs('W2A2')
    assert 'W2A2' in str(info.value)


def test_a_spec_refuses_a_bad_encoding_when_built():
    f = Folding(64, 64, 32, 16)
    with pytest.raises(ValueError) as info:
        LayerSpec(f, w_bits=2, xnor=True)
    assert 'xnor needs binary weights' in str(info.value)
    with pytest.raises(ValueError) as info:
        LayerSpec(f, a_bits=2, scores=True)                # not a last layer
    assert 'only the last layer' in str(info.value)
    wide = LayerSpec(f, w_bits=4)                          # 32 * 4 bits: modelled, not packed
    with pytest.raises(ValueError) as info:
        validate_spec(wide)
    assert '128' in str(info.value)


def test_record_round_trip_and_output_mode():
    specs = with_last_layer(lfc_specs('W1A2'), 'scores')
    assert [s.scores for s in specs] == [False, False, False, True]
    records = [spec.to_dict() for spec in specs]
    assert records[0] == {'mw': 784, 'mh': 1024, 'simd': 64, 'pe': 32, 'w_bits': 1,
                          'in_bits': 1, 'a_bits': 2, 'in_signed': True, 'n_thresholds': 2,
                          'act_val': -1, 'xnor': False, 'acc_bits': 16, 'scores': False}
    back = [LayerSpec.from_dict(r, i, len(records)) for i, r in enumerate(records)]
    assert back == specs
    last = specs[-1]
    assert (last.out_bits, last.hw_thresholds, last.out_type.name) == (16, 0, 'INT16')
    assert with_last_layer(specs, 'thresholds')[-1] == lfc_specs('W1A2')[-1]
    del records[-1]['scores']                              # a record without the mode
    assert not LayerSpec.from_dict(records[-1], 3, 4).scores
    with pytest.raises(ValueError):
        with_last_layer(specs, 'bits')


@pytest.mark.parametrize('variant, links', [
    ('W1A1', [32, 64, 32]),          # BNN-PYNQ lfc top.cpp: stream<ap_uint<Lx_PE>> interX
    ('W1A2', [64, 128, 64]),         # stream<ap_uint<Lx_PE * Lx_A>> interX
])
def test_stream_widths_are_set_once_and_recorded(variant, links):
    specs = with_stream_widths(lfc_specs(variant))
    assert [s.in_stream_bits for s in specs] == [64] + links
    assert [s.out_stream_bits for s in specs] == links + [64]
    records = [spec.to_dict() for spec in specs]
    assert (records[1]['in_stream_bits'], records[1]['out_stream_bits']) == (links[0], links[1])
    assert [LayerSpec.from_dict(r, i, 4) for i, r in enumerate(records)] == specs
    old = dict(records[1])                                 # a record from before the widths
    del old['in_stream_bits'], old['out_stream_bits']
    back = LayerSpec.from_dict(old, 1, 4)
    assert (back.in_stream_bits, back.out_stream_bits) == (None, None)
    assert 'in_stream_bits' not in back.to_dict()
    with pytest.raises(ValueError):
        LayerSpec(specs[0].folding, in_stream_bits=0)
