from __future__ import absolute_import, division, print_function

import logging

import numpy as np
import pytest

from hwgen.finn.files import LayerParams, read_params
from hwgen.finn.packing import pack_thresholds, pack_weights
from hwgen.folding.base import Folding
from hwgen.intmodel import (IntegerLayer, IntegerModel, classify_by_margin, classify_like_host,
                            count_above)
from hwgen.intmodel import _count_above_loop, _count_above_sorted
from hwgen.layerspec import LayerSpec, lfc_specs
from hwgen.network import encode_input


# --- an independent, literal emulation of Matrix_Vector_Activate_Batch ----------------------

def binarize(images):
    """Input bits of the W1A1 net: 1 (+1) iff pixel >= 128."""
    return encode_input(images, binarize_input=True)


def _signed(field, bits):
    return field - (1 << bits) if field >> (bits - 1) else field


def _weight_value(field, w_bits):
    if w_bits == 1:
        return 1 if field else -1
    return _signed(field, w_bits)


def _input_value(field, spec):
    if spec.in_bits == 1:
        return (1 if field else -1) if spec.in_signed else field
    return _signed(field, spec.in_bits) if spec.in_signed else field


def reference_layer(spec, params, in_fields):
    """One image through one layer, straight from the PE memories, with Python ints."""
    f = spec.folding
    simd_mask = (1 << f.simd) - 1
    w_mask = (1 << spec.w_bits) - 1
    in_fields = [int(v) for v in in_fields] + [0] * (f.padded_mw - len(in_fields))
    in_words = [sum(in_fields[s * f.simd + i] << i for i in range(f.simd))
                for s in range(f.sf)]
    out, accs = [0] * f.padded_mh, [0] * f.padded_mh
    for nf in range(f.nf):
        for pe in range(f.pe):
            acc = 0
            for s in range(f.sf):
                word = int(params.weights[pe, nf * f.sf + s])
                if spec.xnor:   # XnorMul: count lanes where weight bit == input bit
                    acc += bin(~(word ^ in_words[s]) & simd_mask).count('1')
                    continue
                for i in range(f.simd):
                    weight = _weight_value((word >> (i * spec.w_bits)) & w_mask, spec.w_bits)
                    acc += weight * _input_value(in_fields[s * f.simd + i], spec)
            acc = _signed(acc & ((1 << spec.acc_bits) - 1), spec.acc_bits)   # ap_int<16>
            level = sum(1 for t in params.thresholds[pe, nf] if int(t) < acc)
            row = nf * f.pe + pe
            accs[row] = acc
            out[row] = (spec.act_val + level) & ((1 << spec.a_bits) - 1)
    return out, accs


def reference_network(specs, params, in_fields):
    trace = []
    fields = in_fields
    for spec, layer_params in zip(specs, params):
        fields, accs = reference_layer(spec, layer_params, fields)
        trace.append((fields, accs))
    return trace


def assert_trace_matches(model, specs, params, inputs):
    traces = model.trace(inputs)
    for image, in_fields in enumerate(inputs):
        expected = reference_network(specs, params, in_fields)
        for layer, (fields, accs) in enumerate(expected):
            assert traces[layer][1][image].tolist() == accs, (image, layer)
            assert traces[layer][0][image].tolist() == fields, (image, layer)


# --- a random multi-bit network -------------------------------------------------------------

def random_params(rng, spec, spread=1.0):
    f = spec.folding
    if spec.w_bits == 1:
        weights = rng.choice([-1, 1], size=(f.mh, f.mw))
    else:
        weights = rng.randint(-2 ** (spec.w_bits - 1), 2 ** (spec.w_bits - 1),
                              size=(f.mh, f.mw))
    scale = spread * np.sqrt(f.mw) * 2 ** (spec.w_bits + spec.in_bits - 2)
    thresholds = np.round(rng.randn(f.mh, spec.n_thresholds) * scale).astype(np.int64)
    return LayerParams(pack_weights(weights, f, spec.w_bits),
                       pack_thresholds(thresholds, f, spec.acc_bits))


def multibit_specs(acc_bits=16):
    return [
        # unsigned 2-bit inputs, 3-bit weights, ternary outputs (ActVal -1, 2 thresholds)
        LayerSpec(Folding(20, 12, simd=4, pe=4, first=True), w_bits=3, in_bits=2,
                  in_signed=False, a_bits=2, acc_bits=acc_bits),
        # Slice<ap_int<2>> inputs, 4-bit weights, 4-bit outputs with 14 thresholds
        LayerSpec(Folding(12, 10, simd=6, pe=5), w_bits=4, in_bits=2, a_bits=4,
                  acc_bits=acc_bits),
        # Slice<ap_int<4>> inputs, binary weights (Recast<Binary>), 1-bit outputs
        LayerSpec(Folding(10, 3, simd=5, pe=4, last=True), w_bits=1, in_bits=4, a_bits=1,
                  acc_bits=acc_bits),
    ]


def test_multibit_network_matches_the_literal_emulation():
    rng = np.random.RandomState(1)
    specs = multibit_specs()
    params = [random_params(rng, s) for s in specs]
    model = IntegerModel.from_packed(specs, params)
    inputs = rng.randint(0, 4, size=(25, 20))
    assert_trace_matches(model, specs, params, inputs)
    outputs = model.trace(inputs)
    assert len(np.unique(outputs[1][0])) > 5            # the 14-threshold layer is exercised
    result = model.run(inputs, batch_size=7)
    assert result.fields.shape == (25, 3) and result.accumulators.shape == (25, 3)
    assert (result.fields == outputs[-1][0][:, :3]).all()


def test_accumulator_wraps_like_ap_int(caplog):
    rng = np.random.RandomState(2)
    specs = multibit_specs(acc_bits=6)
    params = [random_params(rng, s, spread=0.2) for s in specs]
    model = IntegerModel.from_packed(specs, params)
    inputs = rng.randint(0, 4, size=(10, 20))
    with caplog.at_level(logging.WARNING, logger='hwgen.intmodel'):
        assert_trace_matches(model, specs, params, inputs)
    assert 'overflowed 6 bits' in caplog.text


def test_binary_layers_xnor_and_signed_sum_agree_with_the_pad_offset():
    rng = np.random.RandomState(3)
    f = Folding(50, 8, simd=16, pe=4, first=True, last=True)       # 50 -> 64, 14 pad columns
    weights = rng.choice([-1, 1], size=(f.mh, f.mw))
    words = pack_weights(weights, f, 1)
    thresholds = pack_thresholds(np.zeros((f.mh, 1), dtype=int), f)
    bits = rng.randint(0, 2, size=(6, f.mw))
    xnor = IntegerModel.from_packed([LayerSpec(f)], [LayerParams(words, thresholds)])
    plain_spec = LayerSpec(f, xnor=False)
    plain = IntegerModel.from_packed([plain_spec], [LayerParams(words, thresholds)])
    popcount = xnor.trace(bits)[0][1][:, :f.mh]
    signed_sum = plain.trace(bits)[0][1][:, :f.mh]
    unpadded = (2 * bits - 1).dot(weights.T)
    assert (popcount == (unpadded + f.mw) // 2).all()        # pads never match: transparent
    assert (signed_sum == unpadded + plain_spec.pad_offset).all()
    assert plain_spec.pad_offset == -14


# --- the golden LFC W1A1 network ------------------------------------------------------------

def test_golden_image_is_a_three(golden_model, golden_image):
    bits = binarize(golden_image)
    result = golden_model.run(bits)
    assert result.fields.tolist() == [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]    # C-sim: 0x008
    assert golden_model.classify(bits).tolist() == [3]
    assert golden_model.classify(bits, rule='host').tolist() == [3]


def test_golden_network_matches_the_literal_emulation(golden_model, lfc_w1a1_dir, golden_image,
                                                      mnist_test):
    params = read_params(lfc_w1a1_dir, lfc_specs('W1A1'))
    images = np.concatenate([golden_image, mnist_test[0][:2]])
    assert_trace_matches(golden_model, golden_model.specs, params, binarize(images))


def test_golden_network_accuracy_on_mnist(golden_model, mnist_test):
    images, labels = mnist_test
    bits = binarize(images)
    result = golden_model.run(bits)
    by_margin = classify_by_margin(golden_model.margins(result.accumulators))
    by_host = classify_like_host(result.fields)
    margin_accuracy = np.mean(by_margin == labels)
    host_accuracy = np.mean(by_host == labels)
    logging.getLogger(__name__).info('accuracy %.4f (margin), %.4f (host)',
                                     margin_accuracy, host_accuracy)
    assert margin_accuracy >= 0.98 and host_accuracy >= 0.98
    one_hot = result.fields.sum(axis=1) == 1          # both rules agree when one class fires
    assert one_hot.mean() > 0.99
    assert (by_margin[one_hot] == by_host[one_hot]).all()


# --- pieces ---------------------------------------------------------------------------------

def test_count_above_paths_agree_including_ties_and_any_order():
    rng = np.random.RandomState(4)
    acc = rng.randint(-20, 20, size=(30, 7))
    thresholds = rng.randint(-20, 20, size=(7, 12))            # unsorted, with ties
    expected = (acc[:, :, None] > thresholds[None]).sum(axis=2)
    assert (_count_above_loop(acc, thresholds) == expected).all()
    assert (_count_above_sorted(acc, thresholds) == expected).all()
    assert (count_above(acc, thresholds) == expected).all()
    few = thresholds[:, :3]
    assert (count_above(acc, few) == (acc[:, :, None] > few[None]).sum(axis=2)).all()


def test_strict_comparison():
    assert count_above(np.array([[4, 5, 6]]), np.array([[5], [5], [5]])).tolist() == [[0, 0, 1]]


def test_classification_rules():
    assert classify_by_margin(np.array([[-3, 5, 5], [0, -1, -2]])).tolist() == [1, 0]
    bits = np.array([[0, 0, 1, 0], [0, 0, 0, 0], [1, 0, 0, 1], [0, 1, 1, 0]])
    assert classify_like_host(bits).tolist() == [2, 0, 3, 3]


def test_model_input_checks():
    f = Folding(10, 4, simd=2, pe=2, first=True, last=True)
    layer = IntegerLayer(LayerSpec(f), np.ones((f.padded_mh, f.padded_mw), dtype=int),
                         np.zeros((f.padded_mh, 1), dtype=int))
    model = IntegerModel([layer])
    with pytest.raises(ValueError) as info:
        model.run(np.zeros((3, 11), dtype=np.uint8))
    assert '(3, 11)' in str(info.value)
    with pytest.raises(ValueError) as info:
        model.run(np.full((3, 10), 2, dtype=np.uint8))
    assert '0..1' in str(info.value)
    with pytest.raises(ValueError) as info:
        IntegerLayer(LayerSpec(f), np.ones((4, 10), dtype=int), np.zeros((64, 1), dtype=int))
    assert '(4, 10)' in str(info.value)
    with pytest.raises(ValueError):
        model.classify(np.zeros((1, 10), dtype=np.uint8), rule='vote')
