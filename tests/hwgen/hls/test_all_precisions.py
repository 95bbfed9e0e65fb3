"""Every W1..8 x A1..8 LFC network (784-1024-1024-1024-10) gets a folding finn-hlslib can build.

For all 64 precisions and both input encodings (binarized and 8-bit pixels): the default
folding obeys the packing and stream rules, :class:`~hwgen.hls.layers.HlsNetwork` accepts the layer
specs, and :func:`~hwgen.hls.project.write_hls_project` writes a ``config.h`` / ``top.cpp`` whose
numbers are checked here against finn-hlslib 8b7f5f5's own arithmetic (re-implemented below,
independently of :mod:`hwgen.folding.base`). No training and no compiler: fast.

A representative subset is then C-simulated with g++ (random parameters, ``csim_images`` MNIST
test images, bit for bit against the integer model, see :mod:`test_csim`) when finn-hlslib and
the ap_types headers are found; otherwise those tests are skipped with the reason.
"""
from __future__ import absolute_import, division, print_function

import re

import numpy as np
import pytest

from hwgen.finn.packing import value_range
from hwgen.folding.base import LFC_SIZES, lfc_folding
from hwgen.folding.policy import default_folding
from hwgen.folding.streams import validate_network_folding
from hwgen.hls import csim
from hwgen.hls.layers import HlsNetwork
from hwgen.hls.project import write_hls_project
from hwgen.layerspec import score_bits
from hwgen.network import accumulator_bits, network_specs
from random_networks import assert_bit_exact, build_random_network

PRECISIONS = [(w, a) for w in range(1, 9) for a in range(1, 9)]
#: (wbits, abits, binarize_input, last_layer) C-simulated with g++: with test_csim.py, at least
#: one network per activation width 1..8.
CSIM_SUBSET = [(1, 1, True, 'thresholds'), (2, 3, False, 'scores'), (3, 5, True, 'scores'),
               (2, 6, True, 'thresholds'), (8, 8, False, 'scores'), (4, 7, False, 'thresholds')]


def ids(cases):
    return ['W%dA%d-%s' % (case[0], case[1], 'bin' if case[2] else 'pix') for case in cases]


def lfc_specs_for(w_bits, a_bits, binarize):
    """Layer specs as ``qnn hwgen`` lays out an LFC run, with worst-case accumulator widths."""
    in_bits = 1 if binarize else 8
    foldings = default_folding(LFC_SIZES, w_bits, a_bits, in_bits)
    w_max = 1 if w_bits == 1 else max(abs(v) for v in value_range(w_bits))
    x_max = [1 if binarize else 255] + [1 if a_bits == 1 else 2 ** (a_bits - 2)] * 3
    acc_bits = [accumulator_bits(-f.padded_mw * w_max * x, f.padded_mw * w_max * x)
                for f, x in zip(foldings, x_max)]
    return network_specs(LFC_SIZES, w_bits, a_bits, binarize, folding=foldings,
                         acc_bits=acc_bits)


def defines(text):
    return dict((name, int(value)) for name, value in
                re.findall(r'^#define (\w+) (-?\d+)\s*$', text, flags=re.M))


def resolve(text, macros):
    return re.sub(r'\b((?:L\d+|HW)_[A-Z]+)\b', lambda m: str(macros[m.group(1)]), text)


def finn_hlslib_input_words(mw, stream_bits, in_bits):
    """``InpPerImage`` of StreamingFCLayer_Batch: ``MatrixW / InStreamW * TSrcI::width``."""
    return mw // stream_bits * in_bits


def check_width_converter(in_width, out_width, words, what):
    """StreamingDataWidthConverter_Batch's CASSERTs, and that whole words come out."""
    if in_width == out_width:
        return
    assert max(in_width, out_width) % min(in_width, out_width) == 0, what
    assert (words * in_width) % out_width == 0, what


@pytest.mark.parametrize('binarize', [True, False], ids=['bin', 'pix'])
@pytest.mark.parametrize('w_bits, a_bits', PRECISIONS,
                         ids=['W%dA%d' % case for case in PRECISIONS])
def test_default_folding_builds(tmp_path, w_bits, a_bits, binarize):
    in_bits = 1 if binarize else 8
    specs = lfc_specs_for(w_bits, a_bits, binarize)
    foldings = [spec.folding for spec in specs]
    validate_network_folding(foldings, w_bits, a_bits, in_bits)
    if w_bits == 1 and a_bits in (1, 2):
        assert foldings == lfc_folding()                  # BNN-PYNQ's LFC, golden compatible
    for last_layer in ('thresholds', 'scores'):
        HlsNetwork(specs, last_layer=last_layer)
    paths = write_hls_project(specs, str(tmp_path / 'hw'), last_layer='scores',
                              name='W%dA%d' % (w_bits, a_bits))
    with open(paths['config.h']) as handle:
        config = handle.read()
    with open(paths['top.cpp']) as handle:
        top = handle.read()
    macros = defines(config)
    top = resolve(top, macros)

    # config.h: the folding and the encodings, layer by layer
    out_bits = [a_bits] * 3 + [score_bits(specs[-1].acc_bits)]
    for index, (spec, f) in enumerate(zip(specs, foldings)):
        expected = {'SIMD': f.simd, 'PE': f.pe, 'MW': f.padded_mw, 'MH': f.padded_mh,
                    'WMEM': f.wmem, 'TMEM': f.tmem, 'WPI': w_bits, 'IPI': spec.in_bits,
                    'API': out_bits[index], 'ACC': spec.acc_bits}
        assert dict((k, macros['L%d_%s' % (index, k)]) for k in expected) == expected, index
        assert f.simd * w_bits <= 64
    assert macros['HW_IN_WORDS'] == 832 * in_bits // 64 and macros['HW_LAYERS'] == 4

    # top.cpp: memories and the StreamingFCLayer_Batch chain
    calls = re.findall(r'StreamingFCLayer_Batch<(.*?)>\s*\((\w+), (\w+),', top)
    assert [(src, dst) for _, src, dst in calls] == [
        ('memInStrm', 'inter0'), ('inter0', 'inter1'), ('inter1', 'inter2'),
        ('inter2', 'memOutStrm')]
    for index, (args, _, _) in enumerate(calls):
        f = foldings[index]
        assert args.startswith('%d, %d, %d, %d, ' % (f.padded_mw, f.padded_mh, f.simd, f.pe))
        if index > 0:
            assert ('Recast<XnorMul>' if w_bits == 1 and a_bits == 1 else
                    'Recast<Binary>' if a_bits == 1 else
                    'Slice<ap_int<%d>>' % a_bits) in args.split(', ')[4]
    weights = re.findall(r'^static (\w+)<([^>]*(?:<\d+>)?[^>]*)> weights\d;', top, flags=re.M)
    assert len(weights) == 4
    for (kind, args), f in zip(weights, foldings):
        if w_bits == 1:
            assert (kind, args) == ('BinaryWeights', '%d,%d,%d' % (f.simd, f.pe, f.wmem))
        else:
            assert (kind, args) == ('FixedPointWeights', '%d,ap_int<%d>,%d,%d'
                                    % (f.simd, w_bits, f.pe, f.wmem))

    # the streams, with finn-hlslib's integer arithmetic: each layer converts its input
    # stream to SIMD x bits (InpPerImage = MW / stream width x bits words) and its PE x bits
    # words to its output stream (OutPerImage = MH / PE words)
    declared = re.findall(r'hls::stream<ap_uint<([\d *()+]+)>>\s+inter(\d)', top)
    assert [int(index) for _, index in declared] == [0, 1, 2]
    inter = [product(expression) for expression, _ in declared]
    streams = [64] + inter + [64]
    for index, f in enumerate(foldings):
        bits_in = in_bits if index == 0 else a_bits
        stream_in, stream_out = streams[index], streams[index + 1]
        if stream_in != f.simd * bits_in:     # else WidthAdjustedInputStream<W, W, N>: no DWC
            words = finn_hlslib_input_words(f.padded_mw, stream_in, bits_in)
            assert words * stream_in == f.padded_mw * bits_in, \
                'layer %d reads %d %d-bit words, not the %d bits of an image' % (
                    index, words, stream_in, f.padded_mw * bits_in)
            check_width_converter(stream_in, f.simd * bits_in, words, 'layer %d input' % index)
        check_width_converter(f.pe * out_bits[index], stream_out, f.padded_mh // f.pe,
                              'layer %d output' % index)


def product(expression):
    """The value of ``'a * (b + c)'`` or ``'a * b'`` (non-negative integers)."""
    factors = re.findall(r'\d+|\([\d +]+\)', expression)
    value = 1
    for factor in factors:
        value *= sum(int(term) for term in factor.strip('()').split('+'))
    return value


def test_every_default_folding_takes_lfc_cycles_per_image():
    """One throughput for the whole grid: 512 cycles per image (LFC's 1024 x 1024 /
    (32 x 64)), about 195k images/s at 100 MHz, for every W, A and input encoding."""
    for w_bits, a_bits in PRECISIONS:
        for in_bits in (1, 8):
            foldings = default_folding(LFC_SIZES, w_bits, a_bits, in_bits)
            assert max(f.cycles for f in foldings) == 512, (w_bits, a_bits, in_bits)
            assert default_folding(LFC_SIZES, w_bits, None, in_bits) == foldings


@pytest.mark.parametrize('w_bits, a_bits, binarize, last_layer', CSIM_SUBSET,
                         ids=ids(CSIM_SUBSET))
def test_c_simulation_of_default_foldings(tmp_path, csim_toolchain, csim_mnist, w_bits,
                                          a_bits, binarize, last_layer):
    """g++ C simulation against finn-hlslib 8b7f5f5: random parameters, bit-exact outputs,
    at LFC's 512 cycles per image (A = 3, 5, 6, 7 included: streams at the consumer's width)."""
    specs = lfc_specs_for(w_bits, a_bits, binarize)
    assert max(spec.folding.cycles for spec in specs) == 512
    images = csim_mnist[0]
    hw_dir, _ = build_random_network(tmp_path, specs, images, last_layer=last_layer,
                                     seed=w_bits * 10 + a_bits,
                                     name='W%dA%d' % (w_bits, a_bits))
    result = csim.run_csim(hw_dir, finn_hlslib=csim_toolchain[0],
                           ap_types=csim_toolchain[1], images=images)
    assert_bit_exact(result, len(images))
    assert len(np.unique(result.outputs[:, :10])) > 1

