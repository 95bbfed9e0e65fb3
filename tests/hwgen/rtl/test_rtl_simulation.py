"""Verilator simulations of generated Verilog, image by image against the integer model.

BNN-PYNQ's golden LFC W1A1 network at its own folding, and W2A2, W4A3 and W8A8 networks
trained as the hwgen tests train them (random weights, BatchNorm statistics measured on MNIST,
:func:`synthetic_runs.synthetic_run`), each with both threshold units. One Verilator build per
design; ``$QNN_RTL_IMAGES`` images each (see ``rtl_settings.py``).
"""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import pytest

from hwgen.intmodel import IntegerLayer, IntegerModel, classify_like_host
from hwgen.trained.network import from_run
from hwgen.folding.base import network_folding
from hwgen.layerspec import LayerSpec
from hwgen.rtl.ir import images_to_fields
from hwgen.rtl.simulate import simulate
from hwgen.rtl.verilator import build_simulation
from hwgen.rtl.writer import write_rtl

from synthetic_runs import synthetic_run

#: (name, W, A, binarized input, folding, last layer): small networks, a few hundred cycles
#: per image, with the first layer's input arriving one 64-bit word per step.
TRAINED = [
    ('W2A2', 2, 2, True, '16,16,16:16,16,16', 'thresholds'),
    ('W4A3', 4, 3, False, '8,16,16:16,16,16', 'scores'),
    ('W8A8', 8, 8, False, '8,8,8:16,4,4', 'thresholds'),
]


def assert_bit_exact(result, n_images):
    assert result.n_images == n_images
    assert result.outputs.shape == result.expected.shape
    assert result.n_mismatches == 0, 'images %s differ' % result.mismatched_images[:10]
    assert np.array_equal(result.outputs, result.expected)


def test_golden_lfc_w1a1(tmp_path, verilator, golden_model, golden_image, rtl_mnist):
    """BNN-PYNQ's published network at its folding: 512 cycles per image."""
    images = np.concatenate([golden_image, rtl_mnist[0]])
    folder = str(tmp_path / 'rtl')
    write_rtl(golden_model, folder, name='lfc')
    result = simulate(folder, golden_model, images=images, verilator=verilator)
    assert_bit_exact(result, len(images))
    assert result.outputs[0].tolist() == [0, 0, 0, 1] + [0] * 60          # the 3 image: class 3
    predicted = classify_like_host(result.outputs[1:, :10])
    assert np.mean(predicted == rtl_mnist[1]) >= 0.9      # BNN-PYNQ: 98.35 % on all 10 000
    assert result.interval == 512
    # 4 layers of 416-512 cycles, overlapped: an image's class leaves within 4 x 512 cycles
    assert 512 < result.latency < 4 * 512


@pytest.fixture(scope='module')
def trained(tmpdir_factory, training_data):
    """name -> (IntegerModel, last layer) of the TRAINED networks."""
    networks = {}
    for name, w_bits, a_bits, binarize, folding, last_layer in TRAINED:
        run_dir = str(tmpdir_factory.mktemp(name) / 'run')
        synthetic_run(run_dir, training_data, w_bits, a_bits, 'hard_tanh', binarize, 64,
                      seed=10 * w_bits + a_bits)
        networks[name] = (from_run(run_dir, folding=folding).integer_model(), last_layer)
    return networks


@pytest.mark.parametrize('unit', ['parallel', 'search'])
@pytest.mark.parametrize('name', [case[0] for case in TRAINED])
def test_trained_networks(tmp_path, verilator, trained, rtl_mnist, name, unit):
    model, last_layer = trained[name]
    folder = str(tmp_path / 'rtl')
    record = write_rtl(model, folder, last_layer=last_layer, threshold_unit=unit, name='net')
    images = rtl_mnist[0]
    result = simulate(folder, model, images=images, verilator=verilator)
    assert_bit_exact(result, len(images))
    real = result.outputs[:, :10]
    if last_layer == 'scores':
        assert len(np.unique(real)) > 100                # class scores, not codes
    else:
        assert 0 < real.mean() < 1                       # both output bits occur
    # the hidden layers' codes take more than two levels on these images
    hidden = model.trace(images_to_fields(images, model.specs[0]))[0][0]
    assert len(np.unique(hidden)) > 2
    assert result.interval == record['cycles']
    assert record['cycles'] < result.latency < 4 * record['cycles']


def _random_model(rng, in_fields, layers, simd, pe, shift=0):
    """A network of random weights on bipolar input bits; ``layers`` gives per layer its size,
    weight and activation bits; its thresholds lie among the accumulators of ``in_fields``
    (plus ``shift`` on the last layer's first one)."""
    sizes = [in_fields.shape[1]] + [size for size, _, _ in layers]
    foldings = network_folding(sizes, simd, pe)
    in_bits = [1] + [a_bits for _, _, a_bits in layers[:-1]]
    specs = [LayerSpec(f, w_bits=w_bits, in_bits=bits, a_bits=a_bits, xnor=False)
             for f, (_, w_bits, a_bits), bits in zip(foldings, layers, in_bits)]
    model_layers, fields = [], in_fields
    for spec in specs:
        f = spec.folding
        low = -1 if spec.w_bits == 1 else -2 ** (spec.w_bits - 1)
        weights = rng.randint(low, -low, size=(f.padded_mh, f.padded_mw))
        if spec.w_bits == 1:
            weights = np.where(weights < 0, -1, 1)
        zeros = np.zeros((f.padded_mh, spec.n_thresholds), np.int64)
        acc = IntegerLayer(spec, weights, zeros).accumulate(fields)
        levels = np.sort(rng.uniform(2, 98, size=(f.padded_mh, spec.n_thresholds)), axis=1)
        thresholds = np.array([np.percentile(acc[:, r], levels[r]) for r in range(f.padded_mh)])
        model_layers.append(IntegerLayer(spec, weights, np.floor(thresholds).astype(np.int64)))
        fields = model_layers[-1].forward(fields)[0]
    model_layers[-1].thresholds[0, 0] += shift
    return IntegerModel(model_layers)


#: 64-32-10, 2-bit weights and activations.
SMALL = ([(32, 2, 2), (10, 2, 1)], [16, 8], [8, 8])
#: A = 4, 5, 6, 7 in one network, binary weights on multi-bit inputs in its third layer.
MIXED = ([(32, 1, 4), (32, 3, 5), (32, 1, 6), (32, 5, 7), (10, 2, 1)], [16, 8, 8, 8, 8],
         [8, 8, 8, 8, 8])


@pytest.mark.parametrize('unit', ['parallel', 'search'])
def test_activations_of_4_to_7_bits(tmp_path, verilator, unit):
    """The threshold units at the activation widths the trained networks leave out."""
    in_fields = np.random.RandomState(5).randint(0, 2, size=(300, 64))
    model = _random_model(np.random.RandomState(6), in_fields, *MIXED)
    folder = str(tmp_path / 'rtl')
    write_rtl(model, folder, threshold_unit=unit, name='net')
    result = simulate(folder, model, in_fields=in_fields, verilator=verilator)
    assert_bit_exact(result, 300)
    trace = model.trace(in_fields)
    for (fields, _), (_, _, a_bits) in zip(trace[:-1], MIXED[0]):
        assert len(np.unique(fields)) > 2 ** (a_bits - 2)     # most output levels occur
    assert result.interval == 32


def test_a_different_model_is_caught(tmp_path, verilator, monkeypatch):
    """The comparison can fail: the design of one model against another that differs in one
    threshold of one output neuron; exactly the images where the models differ are reported.
    The build is cached: the same Verilog is not compiled again."""
    monkeypatch.setenv('QNN_RTL_CACHE', str(tmp_path / 'cache'))
    in_fields = np.random.RandomState(1).randint(0, 2, size=(300, 64))
    model = _random_model(np.random.RandomState(2), in_fields, *SMALL)
    other = _random_model(np.random.RandomState(2), in_fields, *SMALL, shift=3)
    folder = str(tmp_path / 'rtl')
    write_rtl(model, folder, name='net')
    result = simulate(folder, model, in_fields=in_fields, verilator=verilator)
    assert_bit_exact(result, 300)
    wrong = simulate(folder, other, in_fields=in_fields, binary=result.binary)
    differ = np.flatnonzero(model.run(in_fields).fields[:, 0] != other.run(in_fields).fields[:, 0])
    assert differ.size and np.array_equal(wrong.mismatched_images, differ)
    assert result.interval == 32                      # layer 1: SF 32 / 8 x NF 64 / 8
    assert os.listdir(str(tmp_path / 'cache')) == [os.path.basename(os.path.dirname(
        result.binary))]
    built = os.path.getmtime(result.binary)
    write_rtl(other, str(tmp_path / 'other'), name='net')      # other memories, same Verilog
    assert build_simulation(str(tmp_path / 'other'), 'net', verilator) == result.binary
    assert os.path.getmtime(result.binary) == built
