"""The hardware IR of trained runs against the Theano forward pass, on all MNIST test images."""
from __future__ import absolute_import, division, print_function

import json
import logging
import os

import numpy as np
import pytest

from hwgen.errors import FoldingError, HwgenError
from hwgen.finn.packing import decode_fields
from hwgen.finn.thresholds import step_points
from hwgen.folding.base import lfc_folding
from hwgen.folding.policy import default_folding
from hwgen.folding.resolve import parse_folding, resolve_folding
from hwgen.layerspec import lfc_specs
from hwgen.network import accumulator_bits, config_sizes, network_specs
from hwgen.trained.export import export
from hwgen.trained.network import ACT_BN_EXPLANATION, UnsupportedRunError, from_run
from hwgen.trained.readback import load_folder
from qnn import evaluate, runs
from qnn.data import mnist
from qnn.layers import lasagne
from qnn.quantization import T, quantization_for, theano
from qnn.train import train

from synthetic_runs import synthetic_run

#: (wbits, abits, activation, binarize_input, num_units) of the runs trained for one epoch.
TRAINED = [
    (1, 1, 'hard_tanh', True, 64),      # XNOR popcounts everywhere
    (1, 2, 'hard_tanh', True, 64),      # bipolar inputs with pad offset -48, as W1A2
    (2, 1, 'hard_tanh', False, 64),     # pixel input, 1-bit activations
    (3, 3, 'tanh', False, 64),
    (4, 8, 'hard_tanh', False, 64),     # 128 thresholds per neuron, wide accumulators
    (8, 3, 'tanh', True, 64),           # SIMD 8
    (2, 4, 'tanh', True, 64),
    (2, 2, 'hard_tanh', False, 1024),   # full width: SIMD capped to 32, PE 64 for 512 cycles
]
#: Random parameters with BN statistics from data and gamma < 0 / gamma == 0 neurons.
SYNTHETIC = [
    (1, 1, 'hard_tanh', True, 96),
    (8, 8, 'hard_tanh', False, 64),
    (2, 2, 'tanh', False, 64),
    (4, 1, 'tanh', True, 64),
]


@pytest.fixture(scope='module')
def data(mnist_dir):
    images, labels = mnist.load_subset('test', mnist_dir)
    return {'images': images, 'labels': labels,
            'train': {binarize: mnist.load_mnist(mnist_dir, binarize=binarize)
                      for binarize in (False, True)}}


def run_name(wbits, abits, activation, binarize, units):
    return 'W%dA%d-%s-%s-%d' % (wbits, abits, activation, 'bin' if binarize else 'pix', units)


def train_run(run_dir, data, wbits, abits, activation, binarize, units):
    train(run_dir, data=data['train'][binarize], progress=False, wbits=wbits, abits=abits,
          activation=activation, binarize_input=binarize, num_units=units, epochs=1,
          train_size=2000 if units < 1024 else 1000)
    return run_dir


def theano_outputs(run_dir, images, binarize, hidden=False):
    """Predicted classes (qnn.evaluate.compile_predict) and optionally hidden activations."""
    network, config = evaluate.load_run_network(run_dir)
    X = mnist.scale_pixels(images, binarize=binarize)
    predict = evaluate.compile_predict(network)
    classes = np.concatenate([predict(X[i:i + 2000]) for i in range(0, len(X), 2000)])
    if not hidden:
        return classes, None
    layers = [layer for layer in lasagne.layers.get_all_layers(network)
              if layer.name and layer.name.startswith('act')]
    inputs = T.matrix('X')
    activations = theano.function([inputs], [lasagne.layers.get_output(layer, inputs,
                                                                       deterministic=True)
                                             for layer in layers])(X)
    return classes, activations


def check_agreement(run_dir, data, tmpdir, hidden=False, trained=True):
    """Theano, the IR and the exported files classify all 10 000 test images the same."""
    network = from_run(run_dir)
    meta = network.metadata
    images = data['images']
    expected, activations = theano_outputs(run_dir, images, meta['binarize_input'], hidden)
    from_ir = network.classify(images)
    out = str(tmpdir.join(os.path.basename(run_dir) + '-out'))
    export(network, out)
    from_files = load_folder(out).classify(images)
    mismatches = np.flatnonzero(from_ir != expected)
    assert mismatches.size == 0, ('argmax differs from Theano on images %s' % mismatches[:20])
    assert (from_files == from_ir).all()
    if trained:                                               # a real, working network
        assert np.mean(expected == data['labels']) > 0.3
    assert len(np.unique(expected)) >= 5                      # not a constant prediction
    differing = []
    if hidden:
        differing = compare_hidden_codes(run_dir, network, images, activations)
    return network, differing


def compare_hidden_codes(run_dir, network, images, activations):
    """Hidden codes of the integer model vs Theano's activations.

    A wrong threshold would change the code of every image whose accumulator hits it; what
    may differ are the float32 near-ties of Theano (its pixels p / 127.5 - 1, dot products
    and BN are rounded): every first-layer difference must have an exact BN output within
    1e-4 (in z) of a step point; deeper layers may inherit them (on the same images) and add
    at most 1e-4 of their codes of their own.
    """
    meta = network.metadata
    step = 1.0 if meta['abits'] == 1 else 2.0 ** -(meta['abits'] - 2)
    trace = network.integer_model().trace(network.input_fields(images))
    differing = []
    inherited = np.zeros(len(images), dtype=bool)   # images that differ in an earlier layer
    for index, ((fields, _), spec) in enumerate(zip(trace, network.specs[:-1])):
        codes = decode_fields(fields[:, :spec.folding.mh], spec.a_bits)
        wrong = np.argwhere(codes != np.round(activations[index] / step))
        differing.append(len(wrong))
        # Differences of this layer on images that already differ upstream are inherited;
        # the others are this layer's own near-ties, at most 1e-4 of its codes.
        fresh = wrong[~inherited[wrong[:, 0]]]
        assert len(fresh) <= 1e-4 * codes.size, (index, len(fresh), len(wrong))
        inherited[wrong[:, 0]] = True
        if index == 0:
            # in units of the dense output z (Theano's float32 z is off by up to ~1e-4);
            # one accumulator step is >= 2^-6 / 127.5 = 1.2e-4 ... 2 in z
            distances = first_layer_tie_distances(run_dir, network, images, wrong)
            assert (distances < 1e-4).all(), distances
    logging.getLogger(__name__).info('%s: hidden codes differing from Theano per layer: %s',
                                     run_dir, differing)
    return differing


def first_layer_tie_distances(run_dir, network, images, cells):
    """|exact y - nearest step point| / |BN multiplier| for (image, neuron) cells of layer 0:
    how far the exact dense output z is from a step (float64, exact enough here)."""
    arrays = runs.load_arrays(runs.run_file(run_dir, runs.PARAMS))
    meta = network.metadata
    quantizer = quantization_for(meta['wbits'])
    weights = quantizer.quantize_weights_np(arrays['dense0.W']).astype(np.float64)
    x = images.reshape(len(images), -1)[cells[:, 0]].astype(np.float64)
    x = np.where(x >= 128, 1.0, -1.0) if meta['binarize_input'] else (x - 127.5) / 127.5
    neurons = cells[:, 1]
    z = (x * weights[:, neurons].T).sum(axis=1) + arrays['dense0.b'][neurons]
    multiplier = (arrays['bn0.gamma'] * arrays['bn0.inv_std'])[neurons].astype(np.float64)
    y = (z - arrays['bn0.mean'][neurons]) * multiplier + arrays['bn0.beta'][neurons]
    points = step_points(meta['activation'], meta['abits'], 'float32')
    return np.abs(y[:, None] - points[None, :]).min(axis=1) / np.abs(multiplier)



@pytest.mark.parametrize('wbits, abits, activation, binarize, units', TRAINED,
                         ids=[run_name(*c) for c in TRAINED])
def test_trained_runs_agree_with_theano_on_every_test_image(wbits, abits, activation, binarize,
                                                             units, data, tmpdir):
    run_dir = train_run(str(tmpdir.join('run')), data, wbits, abits, activation, binarize,
                        units)
    network, _ = check_agreement(run_dir, data, tmpdir, hidden=abits >= 3)
    assert [s.w_bits for s in network.specs] == [wbits] * len(network.specs)
    assert network.specs[0].in_bits == (1 if binarize else 8)
    if units == 1024:
        assert [(s.folding.simd, s.folding.pe) for s in network.specs] == \
            [(32, 64), (32, 64), (32, 64), (32, 4)]
    assert [s.folding for s in network.specs] == \
        default_folding(network.metadata['sizes'], wbits, abits, 1 if binarize else 8)


@pytest.mark.parametrize('wbits, abits, activation, binarize, units', SYNTHETIC,
                         ids=[run_name(*c) for c in SYNTHETIC])
def test_negative_and_zero_gammas_agree_with_theano(wbits, abits, activation, binarize, units,
                                                    data, tmpdir):
    run_dir = synthetic_run(str(tmpdir.join('run')), data, wbits, abits, activation, binarize,
                            units, seed=wbits * 10 + abits)
    network, _ = check_agreement(run_dir, data, tmpdir, hidden=True, trained=False)
    arrays = runs.load_arrays(runs.run_file(run_dir, runs.PARAMS))
    for index, layer in enumerate(network.layers):
        gamma = arrays['bn%d.gamma' % index]
        assert layer.flip.tolist() == np.where(gamma < 0, -1, 1).tolist()
        # hardware weights = flip * the training quantizer's codes
        quantized = quantization_for(wbits).quantize_weights_np(arrays['dense%d.W' % index])
        step = 1.0 if wbits == 1 else 2.0 ** -(wbits - 2)
        assert (layer.weights * layer.flip[:, None] == np.round(quantized.T / step)).all()
    # a zero-gamma neuron outputs one constant code for every image
    trace = network.integer_model().trace(network.input_fields(data['images'][:500]))
    zero = np.flatnonzero(arrays['bn0.gamma'] == 0)
    assert zero.size and all(len(np.unique(trace[0][0][:, n])) == 1 for n in zero)
    assert len(np.unique(trace[0][0][:, 1])) > 1


def test_w1a1_full_width_is_bnn_pynq_lfc(data, tmpdir):
    run_dir = synthetic_run(str(tmpdir.join('run')), data, 1, 1, 'hard_tanh', True, 1024,
                            n_hidden=3)
    network, _ = check_agreement(run_dir, data, tmpdir, trained=False)
    assert network.specs == lfc_specs('W1A1')        # XNOR, 1 threshold, ap_int<16>, LFC folding


# --- refusals ---------------------------------------------------------------------------------

def test_act_bn_runs_are_refused_with_an_explanation(data, tmpdir):
    run_dir = synthetic_run(str(tmpdir.join('run')), data, 2, 2, 'hard_tanh', False, 64,
                            layer_order='act_bn')
    with pytest.raises(UnsupportedRunError) as info:
        from_run(run_dir)
    message = str(info.value)
    assert "'act_bn'" in message and 'bn_act' in message and ACT_BN_EXPLANATION in message


def test_missing_run_is_a_run_error(tmpdir):
    with pytest.raises(runs.RunError) as info:
        from_run(str(tmpdir.join('nothing')))
    assert 'nothing' in str(info.value)


# --- folding ------------------------------------------------------------------------------------

def test_default_folding():
    lfc = [784, 1024, 1024, 1024, 10]
    assert default_folding(lfc, 1, 1) == lfc_folding()
    assert default_folding(lfc, 1, 2, 1) == lfc_folding()
    w4 = default_folding(lfc, 4, 4)
    assert [(f.simd, f.pe) for f in w4] == [(16, 128), (16, 128), (16, 128), (16, 8)]
    # 512 cycles from the fewest SIMD x PE + PE, SIMD <= 8: 832 / 8 x 96 / 24 = 416;
    # 96 x 96 / 18 lanes (6 x 3: 21) = 512; 96 x 64 / 12 lanes (6 x 2: 14) = 512; PE 24 and 3
    # divide the next SIMD 6 (any A)
    small = default_folding([784, 96, 96, 10], 8, 8)
    assert [(f.simd, f.pe) for f in small] == [(8, 24), (6, 3), (6, 2)]
    assert [f.cycles for f in small] == [416, 512, 512]
    assert [(f.padded_mw, f.padded_mh) for f in small] == [(832, 96), (96, 96), (96, 64)]
    odd = default_folding([784, 75, 10], 1, 1, 1)
    assert [(f.simd, f.pe) for f in odd] == [(32, 5), (5, 2)]
    assert resolve_folding(None, lfc, 1, 2, 1) == lfc_folding()


def test_default_folding_of_every_precision_can_be_built():
    """The default folding obeys the packing and finn-hlslib's stream rules for every W and A
    (3-bit activations and LFC's layer 3 were the trouble: 32 PE x 3 bits into SIMD 8)."""
    from hwgen.hls.layers import HlsNetwork
    for sizes in ([784, 1024, 1024, 1024, 10], [784, 100, 100, 10], [784, 32, 32, 10]):
        for w_bits in range(1, 9):
            for a_bits in range(1, 9):
                foldings = resolve_folding(None, sizes, w_bits, a_bits, 8)
                HlsNetwork(network_specs(sizes, w_bits, a_bits, False, folding=foldings))


def test_folding_strings_and_files(tmpdir):
    sizes = [784, 1024, 1024, 1024, 10]
    assert parse_folding('64, 32,64,8:32,64,32,16') == ([64, 32, 64, 8], [32, 64, 32, 16])
    assert resolve_folding('64,32,64,8:32,64,32,16', sizes, 1) == lfc_folding()
    path = str(tmpdir.join('folding.json'))
    with open(path, 'w') as handle:
        json.dump({'simd': [32, 32, 32, 8], 'pe': [16, 16, 16, 16]}, handle)
    assert [(f.simd, f.pe) for f in resolve_folding(path, sizes, 2)] == [(32, 16), (32, 16),
                                                                         (32, 16), (8, 16)]
    with open(path, 'w') as handle:
        json.dump([{'simd': 64, 'pe': 32}] * 3 + [{'simd': 8, 'pe': 16}], handle)
    assert [f.simd for f in resolve_folding(path, sizes, 1)] == [64, 64, 64, 8]


@pytest.mark.parametrize('folding, w_bits, a_bits, quoted', [
    ('48,32,64,8:32,64,32,16', 1, None, 'SIMD 48'),               # does not divide 832
    ('64,32,64,8:32,64,32,16', 2, None, '64 * 2 = 128'),          # weight word > 64 bits
    ('64,32,64,8:32,64,32,24', 1, None, 'PE 24'),                 # 64 % 24
    ('64,32,64:32,64,32', 1, None, '3 SIMD and 3 PE values'),
    ('64,32,64,8', 1, None, 'SIMD,...:PE,...'),
    ('64,32,x,8:32,64,32,16', 1, None, "'x'"),
    ('64,32,64,8:32,48,32,16', 1, None, 'streams 1056'),          # 1056 outputs, 1024 inputs
    ('64,32,48,8:32,48,32,16', 1, None, 'pad the hidden size 1024'),   # consistent, but padded
    ('64,32,64,8:32,64,32,16', 1, 3, None),     # LFC W1A3 streams too (at SIMD x 3 bits)
    ('64,32,64,8:32,64,32,16', 1, 2, None),                       # LFC W1A2 is fine
    ('64,32,64,8:32,48,32,16', 1, 2, 'streams 1056'),             # packing is checked first
    ('52,32,64,8:32,64,32,16', 1, 1, 'layer 0: its 64-bit input stream cannot be width-'
     'converted to SIMD x in_bits = 52 x 1 = 52 bits'),           # 52 divides 832
])
def test_bad_foldings_are_refused_with_the_values(folding, w_bits, a_bits, quoted):
    sizes = [784, 1024, 1024, 1024, 10]
    if quoted is None:
        assert resolve_folding(folding, sizes, w_bits, a_bits) == lfc_folding()
        return
    with pytest.raises(FoldingError) as info:
        resolve_folding(folding, sizes, w_bits, a_bits)
    assert quoted in str(info.value)
    assert isinstance(info.value, HwgenError) and isinstance(info.value, ValueError)


def test_bad_folding_file(tmpdir):
    path = str(tmpdir.join('bad.json'))
    with open(path, 'w') as handle:
        handle.write('{"simd": [64]')
    with pytest.raises(FoldingError) as info:
        resolve_folding(path, [784, 10], 1)
    assert 'not valid JSON' in str(info.value)


# --- accumulators -------------------------------------------------------------------------------

def test_accumulator_width_holds_the_worst_case(data, tmpdir, caplog):
    run_dir = synthetic_run(str(tmpdir.join('run')), data, 8, 8, 'hard_tanh', False, 64)
    network = from_run(run_dir)
    # the specs are the builder's for the run's sizes, narrowed to what the weights need
    built = network_specs(config_sizes(runs.read_config(run_dir)), 8, 8, False)
    assert [s._replace(acc_bits=0) for s in network.specs] == \
        [s._replace(acc_bits=0) for s in built]
    assert all(s.acc_bits <= b.acc_bits for s, b in zip(network.specs, built))
    for index, layer in enumerate(network.layers):
        spec = layer.spec
        if index == 0:
            in_low, in_high = 0, 255                            # 8-bit pixels
        else:
            in_low, in_high = -64, 64                           # 8-bit codes within +-1
        worst = np.maximum(layer.weights * in_low, layer.weights * in_high).sum(axis=1)
        least = np.minimum(layer.weights * in_low, layer.weights * in_high).sum(axis=1)
        needed = accumulator_bits(int(least.min()), int(worst.max()))
        assert spec.acc_bits == needed
        assert (layer.thresholds >= least[:, None] - 1).all()
        assert (layer.thresholds <= worst[:, None]).all()
    assert network.specs[0].acc_bits > 16                      # 784 * 255 * 127 needs 26
    # no accumulator wraps on real images
    with caplog.at_level(logging.WARNING, logger='hwgen.intmodel'):
        network.integer_model().trace(network.input_fields(data['images'][:2000]))
    assert 'overflowed' not in caplog.text
