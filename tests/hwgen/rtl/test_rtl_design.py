"""hwgen.rtl without a simulator: stream widths, memory layouts, the record, the templates.

Memory contents are checked against what is independent of hwgen.rtl: BNN-PYNQ's packed
parameter files (the weight and threshold words of every PE) and the integer model's
threshold count (the binary search run over the written search memories).
"""
from __future__ import absolute_import, division, print_function

import os

import numpy as np
import pytest

from hwgen.finn.files import read_words, thresholds_path, weights_path, read_thresholds_file
from hwgen.folding.base import network_folding
from hwgen.intmodel import IntegerLayer, IntegerModel, count_above
from hwgen.layerspec import LayerSpec, lfc_specs
from hwgen.rtl.design import RtlLayer, RtlNetwork
from hwgen.rtl.ir import HwgenError
from hwgen.rtl.memories import hex_lines, search_threshold_words, search_tree
from hwgen.rtl.render import fill_template
from hwgen.rtl.writer import read_rtl, write_rtl


def _slice(line, index, bits):
    """Field ``index`` of ``bits`` bits of a hex memory line."""
    return (int(line, 16) >> (index * bits)) & (2 ** bits - 1)


def _read_lines(folder, name):
    with open(os.path.join(folder, name)) as handle:
        return handle.read().split()


@pytest.fixture(scope='module')
def golden_rtl(tmpdir_factory, golden_model):
    folder = str(tmpdir_factory.mktemp('golden') / 'rtl')
    write_rtl(golden_model, folder, name='lfc')
    return folder


def test_lfc_stream_widths_and_depths():
    network = RtlNetwork(lfc_specs('W1A1'))
    assert [layer.folding.wmem for layer in network.layers] == [416, 512, 512, 512]
    assert network.cycles == 512 and network.in_words == 13 and network.out_words == 1
    assert [layer.weight_word_bits for layer in network.layers] == [2048, 2048, 2048, 128]


@pytest.mark.parametrize('a_bits', range(1, 9))
def test_search_unit_has_a_comparators_per_pe(a_bits):
    spec = LayerSpec(network_folding([64, 10], [16], [16])[0], w_bits=2, in_bits=2,
                     a_bits=a_bits, xnor=False)
    assert RtlLayer(0, spec, 64, 13, threshold_unit='search').search_stages == a_bits


def test_stream_that_cannot_be_converted_is_refused():
    foldings = network_folding([784, 96, 10], [16, 32], [48, 16])
    specs = [LayerSpec(f) for f in foldings]
    with pytest.raises(HwgenError) as info:
        RtlNetwork(specs)
    assert 'layer 1: its 48-bit input stream cannot be converted to SIMD x in_bits = 32 x 1' \
        in str(info.value)


@pytest.mark.parametrize('name', ['', '1net', 'my-net', 'qnn_top', 'layer0'])
def test_bad_names_are_refused(name):
    with pytest.raises(HwgenError):
        RtlNetwork(lfc_specs('W1A1'), name=name)


def test_unknown_threshold_unit_is_refused():
    with pytest.raises(HwgenError) as info:
        RtlNetwork(lfc_specs('W1A1'), threshold_unit='fast')
    assert "threshold_unit must be one of parallel, search, got 'fast'" in str(info.value)


def test_hex_lines_are_the_fields_lsb_first():
    rng = np.random.RandomState(0)
    fields = rng.randint(0, 2 ** 7, size=(5, 13))
    for row, line in zip(fields, hex_lines(fields, 7)):
        assert int(line, 16) == sum(int(v) << (7 * i) for i, v in enumerate(row))
        assert len(line) == (13 * 7 + 3) // 4


def test_golden_weight_memories_hold_the_finn_words(golden_rtl, lfc_w1a1_dir):
    for layer, spec in enumerate(lfc_specs('W1A1')):
        f = spec.folding
        for pe in (0, f.pe // 2, f.pe - 1):
            lines = _read_lines(golden_rtl, 'layer%d_weights_pe%d.mem' % (layer, pe))
            assert len(lines) == f.wmem
            words = read_words(weights_path(lfc_w1a1_dir, layer, pe))
            assert [int(line, 16) for line in lines] == [int(w) for w in words]


def test_golden_threshold_memories_hold_the_finn_thresholds(golden_rtl, lfc_w1a1_dir):
    for layer, spec in enumerate(lfc_specs('W1A1')):
        for pe in (0, spec.folding.pe - 1):
            lines = _read_lines(golden_rtl, 'layer%d_thresholds_pe%d.mem' % (layer, pe))
            values = read_thresholds_file(thresholds_path(lfc_w1a1_dir, layer, pe))
            assert [int(line, 16) for line in lines] == [int(v) & 0xffff for v in values]


def test_search_tree_pads_with_the_largest_value():
    assert search_tree(np.array([[3, -1, 2]]), 3, 8).tolist() == [[-1, 2, 3, 127, 127, 127, 127]]


@pytest.mark.parametrize('n_thresholds, a_bits', [(1, 1), (2, 2), (3, 2), (4, 3), (128, 8)])
def test_search_memories_give_the_integer_models_count(n_thresholds, a_bits):
    """Run the binary search of qnn_threshold_search.v over the written memories."""
    rng = np.random.RandomState(n_thresholds)
    folding = network_folding([32, 12], [8], [4])[0]
    spec = LayerSpec(folding, w_bits=2, in_bits=2, a_bits=a_bits, n_thresholds=n_thresholds,
                     act_val=0, xnor=False, acc_bits=10)
    thresholds = rng.randint(-512, 512, size=(folding.padded_mh, n_thresholds))
    thresholds[0] = 511                                # never exceeded
    thresholds[1] = -512                               # exceeded by all but -512
    acc = rng.randint(-512, 512, size=(300, folding.padded_mh))
    acc[:5] = [[-512], [511], [0], [-1], [1]]
    stages = n_thresholds.bit_length()
    memories = search_threshold_words(spec, thresholds, stages, 10)
    nf = np.arange(folding.padded_mh) // folding.pe
    pe = np.arange(folding.padded_mh) % folding.pe
    found = np.zeros(acc.shape, dtype=np.int64)
    for stage in range(stages):
        address = nf * 2 ** stage + found
        entries = np.array([[_signed(int(memories[stage][p][a], 16), 10) for p, a in
                             zip(pe, row)] for row in address])
        found = 2 * found + (acc > entries)
    assert np.array_equal(found, count_above(acc, thresholds))


def _signed(value, bits):
    return value - 2 ** bits if value >= 2 ** (bits - 1) else value


def test_threshold_width_covers_thresholds_beyond_the_accumulator():
    folding = network_folding([64, 8], [8], [8])[0]
    spec = LayerSpec(folding, w_bits=2, in_bits=2, a_bits=2, xnor=False, acc_bits=8)
    thresholds = np.array([[-300, 5]] * folding.padded_mh)
    assert RtlNetwork([spec], [thresholds]).layers[0].th_bits == 10
    assert RtlNetwork([spec], [np.zeros((folding.padded_mh, 2))]).layers[0].th_bits == 8


def test_record_round_trip_and_files(tmp_path, golden_model):
    folder = str(tmp_path / 'rtl')
    record = write_rtl(golden_model, folder, last_layer='scores', threshold_unit='search',
                       name='lfc')
    again, specs = read_rtl(folder)
    assert again == record and specs[-1].scores and not specs[0].scores
    assert [s.folding for s in specs] == [s.folding for s in lfc_specs('W1A1')]
    for name in record['verilog'] + record['memories']:
        assert os.path.isfile(os.path.join(folder, name))
    # a weight memory per PE (PE 32, 64, 32, 16); layers 0-2 search 1 threshold (1 stage) in
    # every PE; the scores layer has no thresholds
    assert len(record['memories']) == (32 + 64 + 32 + 16) + (32 + 64 + 32)
    assert record['io']['out_words'] == 16 and record['io']['out_signed']
    with open(os.path.join(folder, 'lfc.v')) as handle:
        top = handle.read()
    assert 'module lfc (' in top and '@' not in top.replace('@(posedge', '')


def test_rewriting_removes_the_memories_of_the_earlier_design(tmp_path, golden_model):
    folder = str(tmp_path / 'rtl')
    searched = write_rtl(golden_model, folder, threshold_unit='search', name='lfc')
    parallel = write_rtl(golden_model, folder, name='lfc')
    assert sorted(n for n in os.listdir(folder) if n.endswith('.mem')) == parallel['memories']
    # per PE (32, 64, 32, 16): a weight memory and a threshold memory (one search stage)
    assert len(searched['memories']) == len(parallel['memories']) == 2 * 144
    assert any('_search_' in name for name in searched['memories'])


def test_read_rtl_refuses_other_folders(tmp_path):
    with pytest.raises(HwgenError) as info:
        read_rtl(str(tmp_path))
    assert 'is not an RTL folder written by hwgen.rtl' in str(info.value)


def test_fill_template_refuses_missing_and_unused_values():
    with pytest.raises(ValueError) as info:
        fill_template('@A@ @B@', {'A': 1, 'C': 2}, 'x.v.in')
    assert "markers without a value ['B'], values without a marker ['C']" in str(info.value)


def test_memories_follow_the_integer_model_of_multibit_weights(tmp_path):
    """4-bit weights on unsigned 8-bit inputs: each weight field is the model's weight."""
    rng = np.random.RandomState(3)
    folding = network_folding([128, 64], [8], [4])[0]
    spec = LayerSpec(folding, w_bits=4, in_bits=8, a_bits=2, in_signed=False, xnor=False)
    weights = rng.randint(-8, 8, size=(64, 128))
    thresholds = np.sort(rng.randint(-900, 900, size=(64, 2)), axis=1)
    model = IntegerModel([IntegerLayer(spec, weights, thresholds)])
    folder = str(tmp_path / 'rtl')
    write_rtl(model, folder, name='net')
    for row, column in [(0, 0), (5, 77), (63, 127)]:
        lines = _read_lines(folder, 'layer0_weights_pe%d.mem' % (row % 4))
        address = (row // 4) * 16 + column // 8
        assert _signed(_slice(lines[address], column % 8, 4), 4) == weights[row, column]
