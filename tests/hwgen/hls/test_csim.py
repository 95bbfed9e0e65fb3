"""hwgen.hls.csim: g++ C simulation of generated projects, bit for bit against the integer model.

The g++ tests need finn-hlslib at commit 8b7f5f5 (``$QNN_FINN_HLSLIB``, the ``finn-hlslib``
submodule or ``../finn-hlslib``) and the hls4ml 1.3.0 ap_types (``make ap-types`` or
``$QNN_AP_TYPES``); without them they are skipped. One g++ build per network.
Each simulated network runs the first ``csim_images`` MNIST test images, image by image
against the integer model (``$QNN_CSIM_IMAGES``: a few hundred by default, ``all`` for the 10 000
of ``make test-csim-full``; see ``conftest.py``).
"""
from __future__ import absolute_import, division, print_function

import json
import os
import subprocess

import numpy as np
import pytest

from hwgen.finn import packing

from hwgen.folding.base import LFC_SIZES, lfc_folding
from hwgen.folding.resolve import describe_folding, resolve_folding
from hwgen.hls import csim, toolchain
from hwgen.hls.layers import HlsNetwork
from hwgen.hls.project import write_hls_project
from hwgen.layerspec import lfc_specs
from hwgen.network import network_specs
from hwgen.trained.readback import csim_project

from csim_settings import DEFAULT_CSIM_IMAGES, csim_image_count, missing_toolchain
from random_networks import assert_bit_exact, build_random_network, specs_of

#: Images of the run through ``qnn hwgen csim``'s code path, which also writes a report.
N_PROJECT_IMAGES = 20


# --- without a compiler ------------------------------------------------------------------------

@pytest.mark.parametrize('bits', [1, 2, 3, 8, 16, 24, 32])
def test_pack_unpack_round_trip(bits):
    rng = np.random.RandomState(bits)
    n_fields = 64 * 3 // np.gcd(64, bits) if hasattr(np, 'gcd') else 192
    fields = rng.randint(0, 2 ** bits, size=(4, n_fields)).astype(np.int64)
    words = packing.pack_fields(fields, bits)
    assert words.shape == (4, n_fields * bits // 64) and words.dtype == np.uint64
    assert np.array_equal(packing.unpack_fields(words, bits), fields)
    signed = packing.unpack_fields(words, bits, signed=True)
    assert np.array_equal(signed & (2 ** bits - 1), fields) and signed.min() >= -2 ** (bits - 1)


def test_pack_fields_is_one_lsb_first_bit_stream():
    fields = np.zeros((1, 64), np.int64)
    fields[0, 21] = 0b101              # 3-bit field 21 covers bits 63, 64, 65
    words = packing.pack_fields(fields, 3)
    assert [int(w) for w in words[0]] == [1 << 63, 0b10, 0]
    with pytest.raises(ValueError):
        packing.pack_fields(np.zeros((1, 10)), 3)


def test_encode_images():
    images = np.array([[[0, 127], [128, 255]]], np.uint8)
    binary = HlsNetwork(lfc_specs('W1A1'))
    assert csim.encode_images(images, binary).tolist() == [[0, 0, 1, 1]]
    eight = HlsNetwork(specs_of([784, 64, 64], [16, 16], [16, 16], 2, 2, in_bits=8,
                                in_signed=False))
    assert csim.encode_images(images, eight).tolist() == [[0, 127, 128, 255]]
    with pytest.raises(ValueError) as info:
        csim.encode_images(images, HlsNetwork(specs_of([784, 64, 64], [16, 16], [16, 16], 2, 2,
                                                       in_bits=2)))
    assert 'no pixel encoding for 2-bit signed inputs' in str(info.value)


def test_bad_header_folders_raise(tmp_path, monkeypatch):
    monkeypatch.setenv(toolchain.FINN_HLSLIB_ENV, str(tmp_path))
    with pytest.raises(ValueError) as info:
        toolchain.find_finn_hlslib()
    assert '$QNN_FINN_HLSLIB=%s lacks one of bnn-library.h' % tmp_path in str(info.value)
    with pytest.raises(ValueError):
        toolchain.find_ap_types(str(tmp_path))


def test_prepare_csim_writes_inputs_and_expected_outputs(tmp_path, lfc_w1a1_dir, golden_image,
                                                         golden_model):
    hw_dir = str(tmp_path / 'hw')
    write_hls_project(lfc_specs('W1A1'), hw_dir, params_dir=lfc_w1a1_dir)
    images = np.concatenate([golden_image, golden_image[:, ::-1]])
    prepared = csim.prepare_csim(hw_dir, images=images)
    assert prepared['n_images'] == 2 and prepared['params_dir'] == lfc_w1a1_dir
    words = np.fromfile(prepared['input'], '<u8').reshape(2, 13)
    bits = packing.unpack_fields(words, 1)
    assert np.array_equal(bits[:, :784], (images.reshape(2, 784) >= 128))
    assert not bits[:, 784:].any()
    expected = np.fromfile(prepared['expected'], '<u8')
    assert int(expected[0]) == 0x8                     # BNN-PYNQ: the 3 image gives class 3
    assert np.array_equal(prepared['expected_values'],
                          golden_model.trace(bits[:, :784])[-1][0])


@pytest.mark.parametrize('text, expected', [(None, DEFAULT_CSIM_IMAGES), ('', 200),
                                             (' 300 ', 300), ('ALL', 10000), ('10000', 10000)])
def test_csim_image_count(text, expected):
    assert csim_image_count(text) == expected


@pytest.mark.parametrize('text', ['0', '10001', '-5', 'many', '2.5'])
def test_csim_image_count_rejects(text):
    with pytest.raises(pytest.UsageError) as info:
        csim_image_count(text)
    assert '$QNN_CSIM_IMAGES=%s: expected 1..10000 or all' % text in str(info.value)


@pytest.mark.parametrize('required, outcome', [('', pytest.skip.Exception),
                                               ('0', pytest.skip.Exception),
                                               ('1', pytest.fail.Exception)])
def test_missing_toolchain_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setenv('QNN_CSIM_REQUIRED', required)
    with pytest.raises(outcome) as info:
        missing_toolchain('g++ not found')
    assert 'g++ not found' in str(info.value)


# --- g++ C simulation ----------------------------------------------------------------------------

def test_golden_lfc_w1a1(tmp_path, csim_toolchain, lfc_w1a1_dir, golden_image, golden_model,
                         csim_mnist):
    """BNN-PYNQ's published LFC W1A1 network: the 3 image and the first MNIST test images."""
    finn_hlslib, ap_types = csim_toolchain
    test_images, test_labels = csim_mnist
    n_images = len(test_images)
    images = np.concatenate([golden_image, test_images])
    hw_dir = str(tmp_path / 'hw')
    write_hls_project(lfc_specs('W1A1'), hw_dir, params_dir=lfc_w1a1_dir, name='lfcW1A1')
    result = csim.run_csim(hw_dir, finn_hlslib=finn_hlslib, ap_types=ap_types, images=images)
    assert_bit_exact(result, n_images + 1)
    assert result.outputs[0].tolist() == [0, 0, 0, 1] + [0] * 60          # class 3
    network = csim.read_hls_project(hw_dir)[0]
    predicted = csim.classify_outputs(network, result.outputs)
    assert predicted[0] == 3
    # BNN-PYNQ reports 98.35 % on the whole test set for these files
    assert np.mean(predicted[1:] == test_labels) >= 0.9
    # the expected values come from an integer model built independently from the files
    bits = csim.encode_images(images, network)
    assert np.array_equal(result.expected, golden_model.trace(bits)[-1][0])


def test_golden_lfc_w1a1_with_class_scores(tmp_path, csim_toolchain, lfc_w1a1_dir, golden_model,
                                           mnist_dir, mnist_test):
    """The scores option on the golden net, run as ``qnn hwgen csim OUT`` does: the last layer
    emits its XNOR popcounts."""
    out = tmp_path / 'out'
    hw_dir = str(out / 'hw')
    write_hls_project(lfc_specs('W1A1'), hw_dir, params_dir=lfc_w1a1_dir, last_layer='scores')
    report = csim_project(str(out), n_images=N_PROJECT_IMAGES, offset=7,
                               finn_hlslib=csim_toolchain[0], ap_types=csim_toolchain[1],
                               data_dir=mnist_dir)
    assert report['passed'] and report['n_mismatches'] == 0
    assert report['n_images'] == N_PROJECT_IMAGES and 0 <= report['accuracy'] <= 1
    with open(os.path.join(hw_dir, 'csim', 'report.json')) as handle:
        assert json.load(handle)['n_images'] == N_PROJECT_IMAGES
    words = np.fromfile(os.path.join(hw_dir, 'csim', 'output.bin'), '<u8')
    scores = packing.unpack_fields(words.reshape(N_PROJECT_IMAGES, 16), 16, signed=True)
    images = mnist_test[0][7:7 + N_PROJECT_IMAGES]
    run = golden_model.run(csim.encode_images(images, HlsNetwork(lfc_specs('W1A1'))))
    assert np.array_equal(scores[:, :10], run.accumulators)


@pytest.mark.parametrize('name', ['W1A2', 'W2A2'])
def test_lfc_sized_random_networks(tmp_path, csim_toolchain, csim_mnist, name):
    """784-1024-1024-1024-10: BNN-PYNQ's W1A2 specs (its last layer's 1-bit outputs in
    ``ap_uint<1>``), and 2-bit weights on binarised pixels."""
    if name == 'W1A2':
        specs = lfc_specs('W1A2')
    else:
        specs = specs_of([784, 1024, 1024, 1024, 10], [32, 32, 32, 8], [32, 64, 32, 16], 2, 2)
    images = csim_mnist[0]
    hw_dir, _ = build_random_network(tmp_path, specs, images, seed=1, name=name)
    result = csim.run_csim(hw_dir, finn_hlslib=csim_toolchain[0], ap_types=csim_toolchain[1],
                           images=images)
    assert_bit_exact(result, len(images))
    assert len(np.unique(result.outputs[:, :10])) == (2 if name == 'W1A2' else 3)


def test_w1a2_non_default_folding(tmp_path, csim_toolchain, csim_mnist):
    """LFC W1A2 folded otherwise than BNN-PYNQ (as ``qnn hwgen --folding`` does): another
    SIMD x PE per layer, 1024 cycles per image instead of 512."""
    folding = '32,64,32,16:64,32,32,8'
    foldings = resolve_folding(folding, LFC_SIZES, 1, a_bits=2, in_bits=1)
    assert describe_folding(foldings) != describe_folding(lfc_folding())
    images = csim_mnist[0]
    specs = network_specs(LFC_SIZES, 1, 2, True, folding=foldings)
    hw_dir, _ = build_random_network(tmp_path, specs, images, seed=4, name='W1A2-folded')
    with open(os.path.join(hw_dir, 'config.h')) as handle:
        config = handle.read()
    for layer, (simd, pe) in enumerate([(32, 64), (64, 32), (32, 32), (16, 8)]):
        assert '#define L%d_SIMD %d\n' % (layer, simd) in config
        assert '#define L%d_PE %d\n' % (layer, pe) in config
    result = csim.run_csim(hw_dir, finn_hlslib=csim_toolchain[0], ap_types=csim_toolchain[1],
                           images=images)
    assert_bit_exact(result, len(images))
    assert len(np.unique(result.outputs[:, :10])) == 2


def test_w4a3_8bit_pixels_with_scores(tmp_path, csim_toolchain, csim_mnist):
    """4-bit weights on 8-bit unsigned pixels, 3-bit activations, 24-bit accumulators read out
    as 32-bit class scores."""
    specs = specs_of([784, 256, 256, 10], [16, 16, 16], [16, 16, 8], 4, 3, in_bits=8,
                     in_signed=False, acc_bits=24)
    images = csim_mnist[0]
    hw_dir, params_dir = build_random_network(tmp_path, specs, images, last_layer='scores',
                                              seed=2)
    result = csim.run_csim(hw_dir, finn_hlslib=csim_toolchain[0], ap_types=csim_toolchain[1],
                           images=images)
    assert_bit_exact(result, len(images))
    assert np.abs(result.outputs).max() > 2 ** 15 or len(np.unique(result.outputs)) > 50
    # the testbench itself reports differences from expected.bin (exit status 1)
    work = os.path.join(hw_dir, 'csim')
    expected = np.fromfile(os.path.join(work, 'expected.bin'), '<u8')
    expected[5] ^= np.uint64(1)
    expected.tofile(os.path.join(work, 'expected.bin'))
    text = toolchain.run_testbench(result.binary, params_dir, os.path.join(work, 'input.bin'),
                              len(images), os.path.join(work, 'output.bin'),
                              os.path.join(work, 'expected.bin'))
    assert 'image 0 word 5' in text
    assert 'FAIL: 1 of %d output words differ' % expected.size in text


def test_w4a4_baked_parameters(tmp_path, csim_toolchain, csim_mnist):
    """A small W4A4 network with its parameters compiled into params.h (no doInit loading)."""
    specs = specs_of([784, 64, 64, 10], [16, 16, 16], [16, 16, 16], 4, 4)
    images = csim_mnist[0]
    hw_dir, _ = build_random_network(tmp_path, specs, images, seed=3, bake_params=True)
    result = csim.run_csim(hw_dir, finn_hlslib=csim_toolchain[0], ap_types=csim_toolchain[1],
                           images=images)
    assert_bit_exact(result, len(images))
    assert len(np.unique(result.outputs[:, :10])) > 4


#: finn-hlslib's threshold unit with one threshold T = 0 and ActVal 0, its output stored into
#: an output word as the MVAU stores it (``outElem(pe, mmv, 1) = activate(...)``), for both
#: 1-bit output types: ``<type> <acc> <value> <stored bit>`` per line.
ONE_BIT_OUTPUT_CPP = r'''
#include <cstdio>
#include "bnn-library.h"
#include "activations.hpp"
#include "interpret.hpp"

template<typename TR>
void run(char const *name) {
  ThresholdsActivation<1, 1, 1, ap_int<16>, TR> activation;
  activation.m_thresholds[0][0][0] = 0;
  for (int acc = -2; acc <= 2; acc++) {
    TR const value = activation.activate(0, 0, ap_int<16>(acc));
    auto word = Slice<TR>().template operator()<ap_uint<1> >();
    word(0, 0, true) = value;
    std::printf("%s %d %d %u\n", name, acc, (int) value, (unsigned) ap_uint<1>(word));
  }
}

int main() {
  run<ap_uint<1> >("ap_uint<1>");
  run<ap_int<1> >("ap_int<1>");
  return 0;
}
'''


def test_one_bit_output_types_store_the_same_bit(tmp_path, csim_toolchain):
    """Why every 1-bit output is ``ap_uint<1>`` (DataType BIPOLAR), not BNN-PYNQ's W1A2
    ``ap_int<1>``: both store bit [acc > T], but the threshold unit computes a count (ActVal +
    number of exceeded thresholds) and only ``ap_uint<1>`` holds the count 1."""
    finn_hlslib, ap_types = csim_toolchain
    source, binary = str(tmp_path / 'one_bit.cpp'), str(tmp_path / 'one_bit')
    with open(source, 'w') as handle:
        handle.write(ONE_BIT_OUTPUT_CPP)
    subprocess.check_call(['g++'] + list(toolchain.CXXFLAGS) +
                          ['-I' + ap_types, '-I' + finn_hlslib, source, '-o', binary])
    rows = [line.split() for line in
            subprocess.check_output([binary]).decode('ascii').splitlines()]
    results = dict(((name, int(acc)), (int(value), int(bit))) for name, acc, value, bit in rows)
    accs = range(-2, 3)
    count = [int(acc > 0) for acc in accs]                       # what the unit computes
    assert [results['ap_uint<1>', acc] for acc in accs] == list(zip(count, count))
    assert [results['ap_int<1>', acc][1] for acc in accs] == count   # the same stored bit
    assert [results['ap_int<1>', acc][0] for acc in accs] == [-c for c in count]
    assert HlsNetwork(lfc_specs('W1A2')).layers[-1].out_interpretation == 'Slice<ap_uint<1>>'
