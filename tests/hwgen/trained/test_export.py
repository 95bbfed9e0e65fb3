"""OUT/params and OUT/manifest.json: contents, hashes, reading back, overwriting, the hook."""
from __future__ import absolute_import, division, print_function

import hashlib
import json
import os
import shutil

import numpy as np
import pytest

from hwgen.finn.files import read_classes, read_params
from hwgen.finn.packing import unpack_thresholds, unpack_weights
from hwgen.folding.streams import with_stream_widths
from hwgen.hls import csim, toolchain
from hwgen.hls.project import read_hls_project, write_hw
from hwgen.intmodel import classify_like_host
from hwgen.layerspec import lfc_specs, with_last_layer
from hwgen.trained.export import (ARTIFACT_WRITERS, ExportError, export, export_run, read_manifest,
                                  write_parameters)
from hwgen.trained.network import from_run
from hwgen.trained.readback import csim_project, evaluate_folder, load_folder
from qnn import runs
from qnn.data import mnist


def random_run(run_dir, wbits, abits, binarize, units=64, n_hidden=2, seed=0,
               activation='hard_tanh'):
    """A run folder with random parameters (no Theano needed): BN statistics are chosen so
    that the hidden pre-activations of MNIST images spread over the activation's range."""
    rng = np.random.RandomState(seed)
    os.makedirs(run_dir)
    config = {'wbits': wbits, 'abits': abits, 'activation': activation,
              'binarize_input': binarize, 'layer_order': 'bn_act', 'num_units': units,
              'n_hidden_layers': n_hidden, 'software': {'floatX': 'float32'}}
    runs.write_json(runs.run_file(run_dir, runs.CONFIG), config)
    sizes, arrays = [784] + [units] * n_hidden + [10], {}
    for index in range(n_hidden + 1):
        fan_in, fan_out = sizes[index:index + 2]
        arrays['dense%d.W' % index] = rng.uniform(-1, 1, (fan_in, fan_out)).astype('float32')
        arrays['dense%d.b' % index] = rng.normal(0, 0.1, fan_out).astype('float32')
        spread = np.sqrt(fan_in) * (3 if index == 0 else 1)
        params = {'mean': rng.normal(0, 0.1 * spread, fan_out),
                  'inv_std': rng.uniform(0.5, 1.5, fan_out) / spread,
                  'gamma': rng.choice([-1, 1], fan_out) * rng.uniform(0.5, 1.5, fan_out),
                  'beta': rng.normal(0, 0.3, fan_out)}
        arrays.update(('bn%d.%s' % (index, key), value.astype('float32'))
                      for key, value in params.items())
    runs.save_arrays(runs.run_file(run_dir, runs.PARAMS), arrays)
    return run_dir


@pytest.fixture(scope='module')
def test_images(mnist_dir):
    return mnist.load_subset('test', mnist_dir)


#: What ``OUT/hw`` holds (:func:`hwgen.hls.project.write_hw`).
HW_FILES = ['config.h', 'hls_config.tcl', 'hwgen.json', 'tb.cpp', 'top.cpp']


@pytest.fixture(scope='module')
def exported(tmpdir_factory):
    """A W2A3 pixel-input network with 96 units and its export (default folding
    32,6,12:6,3,1: an 18-bit stream from PE 6 into SIMD 6, then 9-bit words from PE 3 that
    do not divide 96 x 3 bits, so a stream at SIMD 12 x 3 = 36 bits)."""
    root = tmpdir_factory.mktemp('export')
    run_dir = random_run(str(root.join('run')), 2, 3, False, units=96)
    network = from_run(run_dir)
    out = str(root.join('out'))
    return network, out, export(network, out)


def test_files_and_manifest(exported):
    network, out, manifest = exported
    params = os.path.join(out, 'params')
    n_pe = sum(spec.folding.pe for spec in network.specs)
    names = sorted(os.listdir(params))
    assert len(names) == 2 * n_pe + 2 and 'classes.txt' in names and 'scores.json' in names
    assert sorted(os.listdir(out)) == ['hw', 'manifest.json', 'params']
    assert sorted(os.listdir(os.path.join(out, 'hw'))) == HW_FILES
    assert read_manifest(out) == manifest
    assert sorted(manifest['files']) == sorted(['params/' + name for name in names] +
                                               ['hw/' + name for name in HW_FILES])
    assert manifest['hw_dir'] == 'hw' and manifest['params_dir'] == 'params'
    for relative, digest in manifest['files'].items():
        with open(os.path.join(out, relative), 'rb') as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == digest
    assert manifest['network']['sizes'] == [784, 96, 96, 10]
    assert (manifest['network']['wbits'], manifest['network']['abits']) == (2, 3)
    assert manifest['input']['bits'] == 8 and not manifest['input']['signed']
    assert manifest['folding'] == ','.join(str(s.folding.simd) for s in network.specs) + ':' \
        + ','.join(str(s.folding.pe) for s in network.specs)
    for entry, layer in zip(manifest['layers'], network.layers):
        spec = layer.spec
        assert (entry['simd'], entry['pe'], entry['wmem'], entry['tmem']) == \
            (spec.folding.simd, spec.folding.pe, spec.folding.wmem, spec.folding.tmem)
        assert (entry['a_bits'], entry['n_thresholds'], entry['act_val'], entry['acc_bits']) == \
            (spec.a_bits, spec.n_thresholds, spec.act_val, spec.acc_bits)
        assert entry['negated_neurons'] == int((layer.flip < 0).sum()) > 0
    assert [(e['a_bits'], e['n_thresholds'], e['act_val']) for e in manifest['layers']] == \
        [(3, 4, -2), (3, 4, -2), (1, 1, 0)]
    config = runs.read_config(network.metadata['run_dir'])
    assert manifest['source_run']['config'] == config
    assert read_classes(params) == [str(c) for c in range(10)]


def test_parameter_files_hold_the_ir(exported):
    network, out, _ = exported
    params = read_params(os.path.join(out, 'params'), network.specs)
    for layer, packed in zip(network.layers, params):
        f = layer.spec.folding
        assert (unpack_weights(packed.weights, f, layer.spec.w_bits) == layer.weights).all()
        assert (unpack_thresholds(packed.thresholds, f) == layer.thresholds).all()
        padded = unpack_thresholds(packed.thresholds, f, padded=True)
        assert (padded[f.mh:] == 2 ** (layer.spec.acc_bits - 1) - 1).all()   # pad neurons
    with open(os.path.join(out, 'params', 'scores.json')) as handle:
        scores = json.load(handle)
    assert scores['scale'] == network.scores.scale.tolist()             # exact float64
    assert scores['offset'] == network.scores.offset.tolist()


def test_files_alone_reproduce_the_ir(exported, test_images):
    network, out, _ = exported
    images = test_images[0]
    loaded = load_folder(out)
    assert loaded.model.specs == network.specs
    predicted = loaded.classify(images)
    assert (predicted == network.classify(images)).all()
    assert len(np.unique(predicted)) >= 3
    assert (load_folder(os.path.join(out, 'params')).classify(images[:500]) ==
            predicted[:500]).all()


def test_finn_last_layer_is_the_sign_of_the_scores(exported, test_images):
    """The 1-bit FINN output of class c is [BN output c >= 0], for the host's decoding."""
    network, out, _ = exported
    loaded = load_folder(out)
    result = loaded.model.run(network.input_fields(test_images[0][:3000]))
    scores = network.scores.scores(result.accumulators)
    assert (result.fields == (scores >= 0)).all()
    assert 0 < result.fields.mean() < 1
    one_hot = result.fields.sum(axis=1) == 1
    assert (classify_like_host(result.fields)[one_hot] == scores.argmax(axis=1)[one_hot]).all()


def test_w1a1_lfc_export_reads_as_a_bnn_pynq_folder(tmpdir, test_images):
    run_dir = random_run(str(tmpdir.join('run')), 1, 1, True, units=1024, n_hidden=3)
    network = from_run(run_dir)
    assert network.specs == lfc_specs('W1A1')
    out = str(tmpdir.join('out'))
    export(network, out)
    bnn_pynq = str(tmpdir.mkdir('lfcW1A1'))           # the .bin files and classes.txt only
    for name in os.listdir(os.path.join(out, 'params')):
        if name != 'scores.json':
            shutil.copy(os.path.join(out, 'params', name), bnn_pynq)
    bare = load_folder(bnn_pynq, wbits=1, abits=1)
    assert bare.scores is None and bare.binarize_input
    ours = load_folder(out)
    images = test_images[0][:2000]
    fields = network.input_fields(images)
    assert (bare.model.run(fields).fields == ours.model.run(fields).fields).all()


def test_tampered_files_are_detected(exported, tmpdir):
    network, _, _ = exported
    out = str(tmpdir.join('out'))
    export(network, out)
    path = os.path.join(out, 'params', '1-0-thres.bin')
    with open(path, 'r+b') as handle:
        handle.write(b'\x01')
    with pytest.raises(ExportError) as info:
        load_folder(out)
    assert '1-0-thres.bin' in str(info.value)
    load_folder(out, verify=False)


def test_existing_exports_are_kept_unless_forced(exported, tmpdir):
    network, _, _ = exported
    out = str(tmpdir.join('out'))
    first = export(network, out)
    with pytest.raises(ExportError) as info:
        export(network, out)
    assert 'force' in str(info.value) and 'manifest.json, params/, hw/' in str(info.value)
    # results of `qnn hwgen csim OUT` belong to the export they checked
    results = os.path.join(out, 'hw', 'csim')
    os.makedirs(results)
    for name in ('input.bin', 'report.json'):
        with open(os.path.join(results, name), 'w') as handle:
            handle.write('old')
    other = from_run(network.metadata['run_dir'], folding='8,8,8:8,8,16')
    second = export(other, out, overwrite=True)
    assert second['folding'] == '8,8,8:8,8,16' and second['files'] != first['files']
    assert sorted('params/' + n for n in os.listdir(os.path.join(out, 'params'))) == \
        sorted(name for name in second['files'] if name.startswith('params/'))
    assert sorted(os.listdir(os.path.join(out, 'hw'))) == HW_FILES      # csim/ removed
    assert read_hls_project(os.path.join(out, 'hw'))[0].layers[0].spec.folding.pe == 8
    load_folder(out)
    for folder, name in (('params', 'notes.txt'), ('hw', 'my_tb.cpp')):
        stranger = os.path.join(out, folder, name)
        with open(stranger, 'w') as handle:
            handle.write('mine')
        with pytest.raises(ExportError) as info:
            export(network, out, overwrite=True)
        assert name in str(info.value) and os.path.exists(stranger)
        os.remove(stranger)
        export(network, out, overwrite=True)
    hw_only = str(tmpdir.join('hw-only'))
    export(network, hw_only, writers=[write_hw])
    os.remove(os.path.join(hw_only, 'manifest.json'))
    with pytest.raises(ExportError) as info:                        # hw/ alone is occupied
        export(network, hw_only, writers=[write_hw])
    assert 'already holds an export (hw/)' in str(info.value)


def test_artifact_writers_hook(exported, tmpdir):
    network, _, _ = exported
    calls = []

    def fake_bitstream_writer(net, out_dir):
        calls.append(net)
        folder = os.path.join(out_dir, 'bitstream')
        os.makedirs(folder)
        path = os.path.join(folder, 'notes.txt')
        with open(path, 'w') as handle:
            handle.write('// %d layers\n' % len(net.layers))
        return [path]

    assert ARTIFACT_WRITERS == [write_parameters, write_hw]
    out = str(tmpdir.join('out'))
    manifest = export(network, out, writers=ARTIFACT_WRITERS + [fake_bitstream_writer])
    assert calls == [network]
    assert {'bitstream/notes.txt', 'hw/top.cpp', 'hw/config.h', 'params/0-0-weights.bin'} <= \
        set(manifest['files'])
    load_folder(out)                                     # hashes of all artifacts verified
    with open(os.path.join(out, 'hw', 'top.cpp'), 'a') as handle:
        handle.write('// edited\n')
    with pytest.raises(ExportError) as info:
        load_folder(out)
    assert 'top.cpp' in str(info.value)
    only_params = export(network, str(tmpdir.join('params-only')), writers=[write_parameters])
    assert only_params['hw_dir'] is None
    assert not any(name.startswith('hw/') for name in only_params['files'])


def test_hw_project_matches_the_ir(exported):
    """OUT/hw describes the exported network: its specs, W<w>A<a>, class scores, ../params."""
    network, out, _ = exported
    hls_network, project = read_hls_project(os.path.join(out, 'hw'))
    assert hls_network.specs == with_stream_widths(with_last_layer(network.specs, 'scores'))
    assert (project['name'], project['last_layer'], project['params_dir']) == \
        ('W2A3', 'scores', os.path.join('..', 'params'))
    assert [l.spec.folding.pe for l in hls_network.layers] == [6, 3, 1]
    assert [l.in_stream_bits for l in hls_network.layers] == [64, 18, 36]


def test_hw_project_c_simulation(exported, mnist_dir, tmpdir):
    """``qnn hwgen csim OUT`` on the export: non-power-of-two PE/SIMD (6, 3, 12), 3-bit codes
    and a stream at the consumer's width, bit-exact against the integer model. Needs g++, finn-hlslib and ap_types."""
    network, out, _ = exported
    if toolchain.find_finn_hlslib() is None or toolchain.find_ap_types() is None:
        pytest.skip('finn-hlslib (8b7f5f5) or the ap_types headers not found: set '
                    '$QNN_FINN_HLSLIB and $QNN_AP_TYPES (or `make ap-types`)')
    copy = str(tmpdir.join('out'))
    shutil.copytree(out, copy)
    report = csim_project(copy, n_images=10, data_dir=mnist_dir)
    assert report['passed'] and report['n_images'] == 10
    assert os.path.isfile(os.path.join(copy, 'hw', 'csim', 'report.json'))


def test_manifest_and_precision_mismatches(exported, tmpdir):
    _, out, _ = exported
    with pytest.raises(ExportError) as info:
        load_folder(out, wbits=1)
    assert 'wbits=1' in str(info.value) and '2' in str(info.value)
    empty = str(tmpdir.mkdir('bare'))
    with pytest.raises(ExportError) as info:
        load_folder(empty)
    assert '--wbits' in str(info.value)
    with pytest.raises(ExportError) as info:
        load_folder(empty, wbits=1, abits=1)
    assert '0-0-thres.bin' in str(info.value)


def test_export_run_and_evaluate(tmpdir, mnist_dir):
    run_dir = random_run(str(tmpdir.join('run')), 4, 2, True, units=32, seed=3)
    out = str(tmpdir.join('out'))
    manifest = export_run(run_dir, out, folding='16,16,16:8,8,8')
    assert manifest['folding'] == '16,16,16:8,8,8'
    accuracy, count = evaluate_folder(out, data_dir=mnist_dir)
    images, labels = mnist.load_subset('test', mnist_dir)
    assert count == 10000
    assert accuracy == np.mean(from_run(run_dir).classify(images) == labels)


def test_golden_bnn_pynq_folder_accuracy(lfc_w1a1_dir, mnist_dir):
    accuracy, count = evaluate_folder(lfc_w1a1_dir, data_dir=mnist_dir, wbits=1, abits=1)
    assert count == 10000 and accuracy > 0.98
