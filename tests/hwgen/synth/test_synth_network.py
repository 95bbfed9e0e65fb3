"""A network synthesised module by module (hwgen.synth.network) against the whole design.

The composition's rules (PE lanes linear in PE, memories counted one by one) are checked by
synthesising a small two-layer network whole, with its hierarchy, and comparing: the whole is
the sum of its modules plus the layers' own glue (one enable LUT each).
"""
from __future__ import absolute_import, division

import json
import os

import numpy as np
import pytest

from hwgen.errors import HwgenError
from hwgen.folding.base import network_folding
from hwgen.intmodel import IntegerLayer, IntegerModel
from hwgen.layerspec import lfc_specs
from hwgen.network import network_specs
from hwgen.rtl.writer import write_rtl
from hwgen.synth import SynthesisError, synthesize
from hwgen.synth.network import _sample_indices, plan_network, synthesize_network
from qnn.cli import main

SIZES = [64, 32, 16]


def _random_model(specs, seed=0):
    rng = np.random.RandomState(seed)
    layers = []
    for spec in specs:
        f = spec.folding
        weights = spec.weight_type.decode(
            rng.randint(0, 2 ** spec.w_bits, size=(f.padded_mh, f.padded_mw)))
        thresholds = np.sort(rng.randint(-40, 40, size=(f.padded_mh, spec.n_thresholds)),
                             axis=1)
        layers.append(IntegerLayer(spec, weights, thresholds))
    return IntegerModel(layers)


def _small_specs():
    return network_specs(SIZES, 2, 2, True, folding=network_folding(SIZES, [8, 8], [4, 2]))


@pytest.fixture(scope='module')
def unit_cache(tmpdir_factory):
    """One cache of module counts for the tests below (each module synthesised once)."""
    return str(tmpdir_factory.mktemp('units'))


@pytest.fixture(scope='module')
def small_rtl(tmpdir_factory):
    folder = str(tmpdir_factory.mktemp('small') / 'rtl')
    write_rtl(_random_model(_small_specs()), folder, name='small')
    return folder


def test_sample_indices_spread_over_the_memories():
    assert _sample_indices(3, 4) == [0, 1, 2]
    assert _sample_indices(64, 4) == [0, 21, 42, 63]
    assert _sample_indices(10, 2) == [0, 9]
    assert _sample_indices(10, 1) == [0]
    assert _sample_indices(5, 0) == [0, 1, 2, 3, 4]


def test_plan_of_lfc_has_lanes_memories_and_stream_parts(tmpdir):
    folder = str(tmpdir / 'rtl')
    write_rtl(_random_model(lfc_specs('W1A1')), folder)
    _, parts = plan_network(folder)
    kinds = [part.kind for part in parts]
    # per layer: FIFO, converter (single), MVAU and threshold unit (lanes), weights and
    # thresholds (memories); then the top's output converter and FIFO
    assert kinds.count('lanes') == 8 and kinds.count('memories') == 8
    assert kinds.count('single') == 4 * 2 + 2
    lanes = [part for part in parts if part.kind == 'lanes']
    assert [part.instances for part in lanes] == [32, 32, 64, 64, 32, 32, 16, 16]
    assert all([u.parameters['PE'] for u in part.units] == [1, 2] for part in lanes)
    memories = [part for part in parts if part.kind == 'memories']
    assert [len(part.units) for part in memories] == [32, 32, 64, 64, 32, 32, 16, 16]
    assert memories[0].label == 'layer0 weights (32 memories of 416 x 64 bits)'


def test_plan_refuses_a_folder_without_record(tmpdir):
    with pytest.raises(HwgenError) as info:
        plan_network(str(tmpdir))
    assert 'is not an RTL folder written by hwgen.rtl' in str(info.value)


def test_missing_memory_file_is_named(tmpdir):
    folder = str(tmpdir / 'rtl')
    write_rtl(_random_model(_small_specs()), folder, name='small')
    os.remove(os.path.join(folder, 'layer1_weights_pe1.mem'))
    with pytest.raises(SynthesisError) as info:
        plan_network(folder)
    assert 'layer1_weights_pe1.mem is missing' in str(info.value)


def test_bad_samples_are_refused(small_rtl):
    with pytest.raises(SynthesisError):
        synthesize_network(small_rtl, samples=-1)


def test_composition_is_the_whole_design(yosys, small_rtl, unit_cache):
    composed = synthesize_network(small_rtl, cache_dir=unit_cache, samples=0, yosys=yosys,
                                  jobs=2)
    with open(os.path.join(small_rtl, 'rtl.json')) as handle:
        record = json.load(handle)
    memories = [os.path.join(small_rtl, name) for name in record['memories']]
    whole = synthesize([os.path.join(small_rtl, name) for name in record['verilog']], 'small',
                       yosys=yosys, dsp=False, data_files=memories)['resources']
    total = composed['total']
    for key in total:
        if key == 'LUT':  # each layer module's own enable: one LUT, or merged into another
            assert 0 <= whole[key] - total[key] <= len(SIZES) - 1, (key, whole, total)
        else:
            assert whole[key] == total[key], (key, whole, total)
    assert composed['yosys_runs'] > 0 and composed['source'] == 'yosys-xc7'
    again = synthesize_network(small_rtl, cache_dir=unit_cache, samples=0, yosys=yosys)
    assert again['yosys_runs'] == 0 and again['total'] == total


def test_cli_synthesises_an_rtl_folder(yosys, small_rtl, unit_cache, tmpdir, capsys,
                                       monkeypatch):
    monkeypatch.setenv('QNN_YOSYS', yosys)
    out = str(tmpdir / 'synth')
    assert main(['hwgen', 'synth', small_rtl, '--out', out, '--samples', '1',
                 '--cache', unit_cache]) == 0
    printed = capsys.readouterr().out
    with open(os.path.join(out, 'synth.json')) as handle:
        result = json.load(handle)
    assert 'total' in printed and str(result['total']['LUT']) in printed
    assert result['samples'] == 1 and result['rtl']['top'] == 'small'


def test_cli_refuses_lfc_with_a_folding(tmpdir, capsys):
    assert main(['hwgen', 'synth', str(tmpdir), '--lfc', 'W1A1', '--cycles', '64',
                 '--out', str(tmpdir / 'out')]) == 2
    assert 'give no --folding or --cycles' in capsys.readouterr().err
