"""hwgen.hls: the generated config.h / top.cpp / testbench / Vivado settings, checked as text.

The golden LFC networks are compared with BNN-PYNQ's own ``lfcW1A1``/``lfcW1A2`` sources
(commit d39c1c7): the template arguments below are theirs with the ``Lx_`` macros resolved
through their ``config.h``.
"""
from __future__ import absolute_import, division, print_function

import json
import os
import re

import numpy as np
import pytest

from hwgen.finn.files import LayerParams
from hwgen.folding.base import network_folding
from hwgen.folding.streams import with_stream_widths
from hwgen.hls.layers import HlsNetwork
from hwgen.hls.project import read_hls_project, write_hls_project, write_hw
from hwgen.hls.render import fill_template, render_params_h
from hwgen.layerspec import LayerSpec, lfc_specs, validate_network, with_last_layer


# --- helpers ---------------------------------------------------------------------------------

def read(path):
    with open(str(path)) as handle:
        return handle.read()


def defines(config_h):
    """``#define NAME value`` lines of a config.h as a dict of ints."""
    return dict((name, int(value)) for name, value in
                re.findall(r'^#define (\w+) (-?\d+)\s*$', config_h, flags=re.M))


def resolve(text, macros):
    """Replace every ``Lx_NAME`` / ``HW_NAME`` macro of ``text`` by its value."""
    return re.sub(r'\b((?:L\d+|HW)_[A-Z]+)\b', lambda m: str(macros[m.group(1)]), text)


def template_args(top_cpp, function):
    """The resolved template argument lists of every call of ``function``, in order."""
    return re.findall(r'%s<(.*?)>\s*\(' % function, top_cpp)


def declared_types(top_cpp):
    """``{variable: type}`` of the ``static`` memory declarations."""
    return dict((name, kind) for kind, name in
                re.findall(r'^static (\S+) (\w+)(?: =|;)', top_cpp, flags=re.M))


def project(tmp_path, specs, **kwargs):
    """Write a project; return (config.h text, resolved top.cpp text, defines)."""
    hw_dir = str(tmp_path / 'hw')
    paths = write_hls_project(specs, hw_dir, **kwargs)
    config, top = read(paths['config.h']), read(paths['top.cpp'])
    macros = defines(config)
    return config, resolve(top, macros), macros


def multibit_specs(w_bits=4, a_bits=3, in_bits=8, acc_bits=24):
    """784-256-256-10, 8-bit unsigned pixels in, SIMD 16, PE 16/16/8, 2^(A-1) thresholds."""
    foldings = network_folding([784, 256, 256, 10], [16, 16, 16], [16, 16, 8])
    specs = [LayerSpec(f, w_bits=w_bits, in_bits=in_bits if i == 0 else a_bits,
                       a_bits=a_bits, in_signed=i > 0, acc_bits=acc_bits,
                       n_thresholds=2 ** (a_bits - 1), act_val=-2 ** (a_bits - 2))
             for i, f in enumerate(foldings)]
    return validate_network(specs)


# --- BNN-PYNQ's LFC networks -------------------------------------------------------------------

#: BNN-PYNQ lfcW1A1/hw/config.h, per layer: SIMD, PE, WMEM, TMEM, MW, MH, WPI, API, WPF, APF.
LFC_CONFIG = [(64, 32, 416, 32, 832, 1024, 1, 1, 0, 0), (32, 64, 512, 16, 1024, 1024, 1, 1, 0, 0),
              (64, 32, 512, 32, 1024, 1024, 1, 1, 0, 0), (8, 16, 512, 4, 1024, 64, 1, 1, 0, 0)]
LFC_FIELDS = ('SIMD', 'PE', 'WMEM', 'TMEM', 'MW', 'MH', 'WPI', 'API', 'WPF', 'APF')

#: BNN-PYNQ lfcW1A1/hw/top.cpp, macros resolved.
LFC_W1A1_CALLS = ['%d, %d, %d, %d, Recast<XnorMul>, Slice<ap_uint<1>>' % (mw, mh, simd, pe)
                  for simd, pe, _, _, mw, mh, _, _, _, _ in LFC_CONFIG]
LFC_W1A1_TYPES = {
    'weights0': 'BinaryWeights<64,32,416>', 'weights1': 'BinaryWeights<32,64,512>',
    'weights2': 'BinaryWeights<64,32,512>', 'weights3': 'BinaryWeights<8,16,512>',
    'threshs0': 'ThresholdsActivation<32,32,1,ap_int<16>,ap_uint<1>>',
    'threshs1': 'ThresholdsActivation<16,64,1,ap_int<16>,ap_uint<1>>',
    'threshs2': 'ThresholdsActivation<32,32,1,ap_int<16>,ap_uint<1>>',
    'threshs3': 'ThresholdsActivation<4,16,1,ap_int<16>,ap_uint<1>>'}

#: BNN-PYNQ lfcW1A2/hw/top.cpp, macros resolved, except the last layer's 1-bit output:
#: BNN-PYNQ writes ap_int<1>, hwgen ap_uint<1> for every 1-bit output (the same stored bit,
#: and the count 1 that ap_int<1> cannot hold; test_csim.py's
#: test_one_bit_output_types_store_the_same_bit runs both through finn-hlslib).
LFC_W1A2_CALLS = [
    '832, 1024, 64, 32, Recast<Binary>, Slice<ap_int<2>>, Recast<Binary>',
    '1024, 1024, 32, 64, Slice<ap_int<2>>, Slice<ap_int<2>>, Recast<Binary>',
    '1024, 1024, 64, 32, Slice<ap_int<2>>, Slice<ap_int<2>>, Recast<Binary>',
    '1024, 64, 8, 16, Slice<ap_int<2>>, Slice<ap_uint<1>>, Recast<Binary>']
LFC_W1A2_THRESHOLDS = {
    'threshs0': 'ThresholdsActivation<32,32,2,ap_int<16>,ap_int<2>,-1>',
    'threshs1': 'ThresholdsActivation<16,64,2,ap_int<16>,ap_int<2>,-1>',
    'threshs2': 'ThresholdsActivation<32,32,2,ap_int<16>,ap_int<2>,-1>',
    'threshs3': 'ThresholdsActivation<4,16,1,ap_int<16>,ap_uint<1>>'}


def test_lfc_w1a1_config_h_matches_bnn_pynq(tmp_path):
    config, _, macros = project(tmp_path, lfc_specs('W1A1'), name='lfcW1A1')
    for layer, row in enumerate(LFC_CONFIG):
        for field, value in zip(LFC_FIELDS, row):
            assert macros['L%d_%s' % (layer, field)] == value, (layer, field)
        assert macros['L%d_NTH' % layer] == 1 and macros['L%d_ACC' % layer] == 16
    # finnthesizer's comment block, character for character
    assert ' *     MatW =   832 MatH =  1024\n' in config
    assert ' *     SIMD =    64  PE  =    32\n' in config
    assert ' *     WMEM =   416 TMEM =    32\n' in config
    assert ' *     #Ops  = 1703936   Ext Latency  =   416\n' in config
    assert ' *     #Ops  = 131072   Ext Latency  =   512\n' in config
    assert (macros['HW_IN_WORDS'], macros['HW_OUT_WORDS'], macros['HW_LAYERS']) == (13, 1, 4)
    assert 'AP_INT_MAX_W' not in config


def test_lfc_w1a1_top_cpp_matches_bnn_pynq(tmp_path):
    _, top, _ = project(tmp_path, lfc_specs('W1A1'))
    assert template_args(top, 'StreamingFCLayer_Batch') == LFC_W1A1_CALLS
    assert declared_types(top) == LFC_W1A1_TYPES
    assert template_args(top, 'Mem2Stream_Batch') == ['64, inBytesPadded']
    assert 'inBytesPadded = 104;' in top and 'outBytesPadded = 8;' in top
    assert template_args(top, 'Stream2Mem_Batch') == ['64, outBytesPadded']
    chain = re.findall(r'\((\w+), (\w+), (weights\d), (threshs\d), numReps, '
                       r'ap_resource_lut\(\)\);', top)
    assert chain == [('memInStrm', 'inter0', 'weights0', 'threshs0'),
                     ('inter0', 'inter1', 'weights1', 'threshs1'),
                     ('inter1', 'inter2', 'weights2', 'threshs2'),
                     ('inter2', 'memOutStrm', 'weights3', 'threshs3')]
    # DoMemInit: case 2l writes weights l, case 2l+1 thresholds l
    cases = re.findall(r'case (\d+):\n\s+(\w+)\.(m_\w+)\[targetMem\]\[targetInd\]', top)
    assert cases == [(str(2 * l + k), ('threshs%d' if k else 'weights%d') % l,
                      'm_thresholds' if k else 'm_weights') for l in range(4) for k in (0, 1)]
    assert re.findall(r'depth=(\d+) variable=inter\d', top) == ['16', '8', '16']
    partitions = re.findall(r'ARRAY_PARTITION variable=(\w+)\.\w+ complete dim=(\d)', top)
    assert partitions == [(n % l, '1') for l in range(4) for n in ('weights%d', 'threshs%d')]
    for pragma in ('s_axilite port=return bundle=control', 's_axilite port=numReps',
                   'm_axi offset=slave port=in bundle=hostmem depth=256', '#pragma HLS DATAFLOW'):
        assert pragma in top
    assert ('void BlackBoxJam(ap_uint<64> *in, ap_uint<64> *out, bool doInit,' in top)
    for header in ('config.h', 'bnn-library.h', 'dma.h', 'fclayer.h', 'weights.hpp',
                   'activations.hpp', 'interpret.hpp'):
        assert '#include "%s"' % header in top


def test_lfc_w1a2_top_cpp_matches_bnn_pynq(tmp_path):
    config, top, macros = project(tmp_path, lfc_specs('W1A2'))
    assert template_args(top, 'StreamingFCLayer_Batch') == LFC_W1A2_CALLS
    types = declared_types(top)
    assert dict((k, v) for k, v in types.items() if k.startswith('thr')) == LFC_W1A2_THRESHOLDS
    assert [macros['L%d_API' % l] for l in range(4)] == [2, 2, 2, 1]
    dim3 = re.findall(r'variable=(threshs\d)\.m_thresholds complete dim=3', top)
    assert dim3 == ['threshs0', 'threshs1', 'threshs2']
    assert 'hls::stream<ap_uint<64 * (2 + 0)>>  inter1' in top


# --- multi-bit networks and the scores option --------------------------------------------------

def test_multibit_fixed_point_weights_and_8bit_input(tmp_path):
    specs = multibit_specs(w_bits=4, a_bits=4, in_bits=8)
    config, top, macros = project(tmp_path, specs)
    types = declared_types(top)
    assert types['weights0'] == 'FixedPointWeights<16,ap_int<4>,16,832>'
    assert types['threshs0'] == 'ThresholdsActivation<16,16,8,ap_int<24>,ap_int<4>,-4>'
    calls = template_args(top, 'StreamingFCLayer_Batch')
    assert calls[0] == '832, 256, 16, 16, Slice<ap_uint<8>>, Slice<ap_int<4>>, Identity'
    assert calls[1] == '256, 256, 16, 16, Slice<ap_int<4>>, Slice<ap_int<4>>, Identity'
    assert 'inBytesPadded = 832;' in top and 'outBytesPadded = 32;' in top
    assert (macros['HW_IN_BITS'], macros['HW_IN_WORDS'], macros['HW_OUT_WORDS']) == (8, 104, 4)
    assert macros['L0_IPI'] == 8 and macros['L0_WPI'] == 4 and macros['L2_API'] == 4


def test_w2a2_binary_input_uses_recast_binary(tmp_path):
    foldings = network_folding([784, 1024, 1024, 1024, 10], [32, 32, 32, 8], [32, 64, 32, 16])
    specs = [LayerSpec(f, w_bits=2, in_bits=1 if i == 0 else 2, a_bits=2) for i, f in
             enumerate(foldings)]
    _, top, _ = project(tmp_path, specs)
    calls = template_args(top, 'StreamingFCLayer_Batch')
    assert calls[0] == '832, 1024, 32, 32, Recast<Binary>, Slice<ap_int<2>>, Identity'
    assert calls[3] == '1024, 64, 8, 16, Slice<ap_int<2>>, Slice<ap_int<2>>, Identity'


def test_scores_last_layer_passes_the_accumulator_through(tmp_path):
    # 24-bit accumulators leave as 32-bit scores (8 PE x 24 bits would not fill 64-bit words)
    config, top, macros = project(tmp_path, multibit_specs(), last_layer='scores')
    types = declared_types(top)
    assert types['passthrough2'] == 'PassThroughActivation<ap_int<32>>'
    assert 'threshs2' not in types
    assert template_args(top, 'StreamingFCLayer_Batch')[2] == \
        '256, 64, 16, 8, Slice<ap_int<3>>, Slice<ap_int<32>>, Identity'
    assert 'case 5:' not in top and 'case 4:' in top          # no thresholds to load
    assert 'passthrough2.m_thresholds' not in top
    assert (macros['L2_NTH'], macros['L2_ACC'], macros['L2_API'], macros['HW_OUT_BITS'],
            macros['HW_OUT_SIGNED'], macros['HW_OUT_WORDS']) == (0, 24, 32, 32, 1, 32)
    assert 'outBytesPadded = 256;' in top
    assert '{8, 128, 8, 0},  // layer 2' in read(tmp_path / 'hw' / 'tb.cpp')


def test_wide_streams_raise_ap_int_max_w(tmp_path):
    foldings = network_folding([784, 1024, 10], [64, 64], [64, 64])
    specs = [LayerSpec(f, w_bits=1, in_bits=1, a_bits=1, acc_bits=32) for f in foldings]
    config, _, _ = project(tmp_path, specs, last_layer='scores')   # 64 PE x 32 bits
    assert '#define AP_INT_MAX_W 2048' in config
    assert config.index('AP_INT_MAX_W') < config.index('#define L0_SIMD')


def test_unconvertible_streams_are_rejected():
    # 48 PE x 1 bit into 32 SIMD x 1 bit: neither width divides the other
    foldings = network_folding([784, 768, 10], [64, 32], [48, 16])
    with pytest.raises(ValueError) as info:
        HlsNetwork([LayerSpec(f) for f in foldings])
    assert 'layer 1: its 48-bit input stream cannot be width-converted to SIMD x in_bits = ' \
        '32 x 1 = 32 bits' in str(info.value)


def test_odd_width_thresholded_last_layer_is_rejected():
    with pytest.raises(ValueError) as info:
        HlsNetwork(multibit_specs(a_bits=3))          # last layer: 8 PE x 3 bits
    assert 'layer 2: PE x output bits = 8 x 3 = 24 bits cannot be width-converted to the ' \
        '64-bit output stream' in str(info.value)
    HlsNetwork(multibit_specs(a_bits=3), last_layer='scores')


def test_stream_not_dividing_the_padded_width_is_declared_at_the_consumer_width(tmp_path):
    # layer 0 writes 64 PE x 3 bits = 192-bit words; 1024 inputs are not a whole number of them,
    # so layer 1 could not count them: the stream is 16 SIMD x 3 bits, layer 0 converts
    foldings = network_folding([784, 1024, 10], [64, 16], [64, 16])
    specs = [LayerSpec(f, w_bits=1, in_bits=1 if i == 0 else 3, a_bits=3)
             for i, f in enumerate(foldings)]
    network = HlsNetwork(specs, last_layer='scores')
    assert [(l.in_stream_bits, l.out_stream_bits) for l in network.layers] == [(64, 48),
                                                                               (48, 64)]
    _, top, _ = project(tmp_path, specs, last_layer='scores')
    assert 'hls::stream<ap_uint<16 * 3>>  inter0' in top
    assert 'depth=32 variable=inter0' in top                 # 512 bits / 16 lanes
    # BNN-PYNQ's producer width where it divides the padded width: 64 PE x 2 bits = 128
    specs = [LayerSpec(f, w_bits=1, in_bits=1 if i == 0 else 2, a_bits=2)
             for i, f in enumerate(foldings)]
    _, top, _ = project(tmp_path, specs, last_layer='scores')
    assert 'hls::stream<ap_uint<64 * (2 + 0)>>  inter0' in top
    assert 'depth=8 variable=inter0' in top


@pytest.mark.parametrize('kwargs, message', [
    ({'last_layer': 'softmax'}, "last_layer must be one of"),
    ({'clock_ns': 0}, 'clock_ns must be a positive number, got 0'),
    ({'part': 'xc7z020 clg400'}, "part must be a non-empty word"),
    ({'resource': 'bram'}, "resource must be one of"),
    ({'bake_params': True}, 'bake_params needs params or params_dir'),
])
def test_bad_options_raise(tmp_path, kwargs, message):
    with pytest.raises(ValueError) as info:
        write_hls_project(lfc_specs('W1A1'), str(tmp_path / 'hw'), **kwargs)
    assert message in str(info.value)


def test_fill_template_reports_missing_and_unused_markers():
    assert fill_template('a @X@ b', {'X': 1}) == 'a 1 b'
    with pytest.raises(ValueError) as info:
        fill_template('@A@ @B@', {'A': 1, 'C': 2}, 'demo')
    assert "markers without a value ['B'], values without a marker ['C']" in str(info.value)


# --- project files -------------------------------------------------------------------------------

def test_project_files_and_round_trip(tmp_path):
    specs = multibit_specs()
    params_dir = tmp_path / 'params'
    paths = write_hls_project(specs, str(tmp_path / 'hw'), params_dir=str(params_dir),
                              last_layer='scores', name='W4A3', clock_ns=10,
                              part='xczu3eg-sbva484-1-i')
    assert sorted(paths) == ['config.h', 'hls_config.tcl', 'hwgen.json', 'tb.cpp', 'top.cpp']
    network, record = read_hls_project(str(tmp_path / 'hw'))
    assert network.specs == with_stream_widths(with_last_layer(specs, 'scores'))
    assert network.last_layer == 'scores' and network.name == 'W4A3'
    assert record['params_dir'] == os.path.join('..', 'params')
    assert record['io']['out_words'] == 32 and record['io']['in_words'] == 104
    tcl = read(tmp_path / 'hw' / 'hls_config.tcl')
    for line in ('set hwgen(project)       W4A3', 'set hwgen(part)          xczu3eg-sbva484-1-i',
                 'set hwgen(clock_ns)      10', 'set hwgen(params_dir)    {../params}',
                 'set hwgen(in_words)      104', 'set hwgen(baked_params)  0'):
        assert line in tcl
    with pytest.raises(ValueError):
        read_hls_project(str(tmp_path))


def test_baked_params_header(tmp_path, lfc_w1a1_dir):
    hw_dir = str(tmp_path / 'hw')
    paths = write_hls_project(lfc_specs('W1A1'), hw_dir, params_dir=lfc_w1a1_dir,
                              bake_params=True)
    top, params_h = read(paths['top.cpp']), read(paths['params.h'])
    assert '#include "params.h"' in top and 'static BinaryWeights' not in top
    assert params_h.count('static ') == 8
    first_pe = params_h.split('static BinaryWeights<L0_SIMD,L0_PE,L0_WMEM> weights0 = {{\n')[1]
    assert first_pe.startswith('  {0x31045f37f9987386ULL, ')          # 0-0-weights.bin word 0
    assert '0xffffffffffffaf49ULL' in first_pe.split('}')[0]              # word 12 of PE 0
    assert 'threshs0 = {{\n  {{376}, {386}, ' in params_h
    assert 'threshs3 = {{\n  {{664}, {32767}, {32767}, {32767}}' in params_h
    assert json.loads(read(paths['hwgen.json']))['baked_params'] is True
    # writing again without baking removes the stale header
    write_hls_project(lfc_specs('W1A1'), hw_dir)
    assert not os.path.exists(os.path.join(hw_dir, 'params.h'))


def test_write_hw_export_hook(tmp_path):
    class Network(object):
        specs = multibit_specs(a_bits=3)
        metadata = {'wbits': 4, 'abits': 3}
    paths = write_hw(Network(), str(tmp_path), clock_ns=4)
    assert [os.path.basename(p) for p in paths] == ['config.h', 'hls_config.tcl', 'hwgen.json',
                                                    'tb.cpp', 'top.cpp']
    network, record = read_hls_project(str(tmp_path / 'hw'))
    assert (record['name'], record['last_layer'], record['params_dir'], record['clock_ns']) == \
        ('W4A3', 'scores', os.path.join('..', 'params'), 4)


def test_params_header_checks_shapes():
    network = HlsNetwork(lfc_specs('W1A1'))
    params = [LayerParams(np.zeros((l.spec.folding.pe, 3), np.uint64),
                          np.zeros((l.spec.folding.pe, l.spec.folding.tmem, 1), np.int64))
              for l in network.layers]
    with pytest.raises(ValueError) as info:
        render_params_h(network, params)
    assert 'layer 0: weight memories have shape (32, 3), expected (PE, WMEM) = (32, 416)' \
        in str(info.value)


# --- one set of stream rules; the module split ---------------------------------------------

def test_hls_network_applies_the_folding_stream_rules():
    """HlsNetwork refuses exactly what hwgen.folding.base refuses, with the same message."""
    from hwgen.folding.base import LFC_SIZES, lfc_folding
    from hwgen.folding.streams import validate_network_folding
    from hwgen.network import network_specs
    odd = network_folding([784, 768, 10], [64, 32], [48, 16])
    specs = network_specs([784, 768, 10], 1, 3, True, folding=odd, rules=None)
    with pytest.raises(ValueError) as from_folding:
        validate_network_folding(odd, 1, a_bits=3, in_bits=1)
    with pytest.raises(ValueError) as from_hls:
        HlsNetwork(specs)
    assert str(from_hls.value) == str(from_folding.value) == (
        'layer 1: its 144-bit input stream cannot be width-converted to SIMD x in_bits = '
        '32 x 3 = 96 bits (one must divide the other); change SIMD or the previous PE')
    network = HlsNetwork(network_specs(LFC_SIZES, 1, 2, True))
    assert [l.in_stream_bits for l in network.layers] == [64, 64, 128, 64]
    assert network.layers[-1].out_stream_bits == 64 and network.widest_stream == 128
    # A = 3: 32 x 3 and 64 x 3 bits do not divide 1024, the consumer's SIMD x 3 is declared
    network = HlsNetwork(network_specs(LFC_SIZES, 1, 3, True, folding=lfc_folding()))
    assert [l.in_stream_bits for l in network.layers] == [64, 96, 192, 24]
    assert [l.out_stream_bits for l in network.layers] == [96, 192, 24, 64]
