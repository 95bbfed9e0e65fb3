"""``qnn hwgen RUN_DIR --out OUT`` and ``qnn hwgen eval DIR`` through ``qnn.cli.main``."""
from __future__ import absolute_import, division, print_function

import json
import os
import re

import numpy as np
import pytest

from hwgen.trained.export import read_manifest
from hwgen.trained.network import from_run
from hwgen.trained.readback import evaluate_folder, load_folder
from qnn import cli, runs
from qnn.data.mnist import load_subset


def make_run(run_dir, wbits=2, abits=2, layer_order='bn_act', units=32, seed=0):
    """A run folder with random parameters (784-units-units-10)."""
    rng = np.random.RandomState(seed)
    os.makedirs(run_dir)
    runs.write_json(runs.run_file(run_dir, runs.CONFIG),
                    {'wbits': wbits, 'abits': abits, 'activation': 'hard_tanh',
                     'binarize_input': False, 'layer_order': layer_order, 'num_units': units,
                     'n_hidden_layers': 2})
    sizes, arrays = [784, units, units, 10], {}
    for index in range(3):
        fan_in, fan_out = sizes[index:index + 2]
        arrays['dense%d.W' % index] = rng.uniform(-1, 1, (fan_in, fan_out)).astype('float32')
        arrays['dense%d.b' % index] = np.zeros(fan_out, dtype='float32')
        arrays['bn%d.mean' % index] = rng.normal(0, 3, fan_out).astype('float32')
        arrays['bn%d.inv_std' % index] = np.full(fan_out, 0.5 / np.sqrt(fan_in), 'float32')
        arrays['bn%d.gamma' % index] = rng.normal(0, 1, fan_out).astype('float32')
        arrays['bn%d.beta' % index] = rng.normal(0, 0.3, fan_out).astype('float32')
    runs.save_arrays(runs.run_file(run_dir, runs.PARAMS), arrays)
    return run_dir


@pytest.fixture
def run_dir(tmpdir):
    return make_run(str(tmpdir.join('run')))


def test_export_default_form(run_dir, tmpdir, capsys):
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out]) == 0
    manifest = read_manifest(out)
    assert manifest['network']['sizes'] == [784, 32, 32, 10]
    # the least hardware for 512 cycles per image; layer 1 reads 2-bit codes from 2 PEs
    assert manifest['folding'] == '32,2,4:2,1,1'
    printed = capsys.readouterr().out
    assert '%d files' % len(manifest['files']) in printed and out in printed
    assert '512 cycles per image' in printed and 'qnn hwgen csim' in printed
    assert os.path.isfile(os.path.join(out, 'params', '2-0-thres.bin'))
    for name in ('config.h', 'top.cpp', 'tb.cpp', 'hls_config.tcl', 'hwgen.json'):
        assert 'hw/' + name in manifest['files']
        assert os.path.isfile(os.path.join(out, 'hw', name))
    assert manifest['hw_dir'] == 'hw'


def test_export_explicit_form_with_folding(run_dir, tmpdir):
    out = str(tmpdir.join('out'))
    folding = str(tmpdir.join('folding.json'))
    with open(folding, 'w') as handle:
        json.dump({'simd': [16, 8, 8], 'pe': [8, 4, 16]}, handle)
    assert cli.main(['hwgen', 'export', '--folding', folding, run_dir, '--out', out]) == 0
    assert read_manifest(out)['folding'] == '16,8,8:8,4,16'
    assert cli.main(['hwgen', '--out', str(tmpdir.join('b')), run_dir, '--folding',
                     '32,32,32:32,32,64']) == 0                      # options first


def test_eval_of_an_export(run_dir, tmpdir, mnist_dir, capsys):
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out]) == 0
    capsys.readouterr()
    assert cli.main(['hwgen', 'eval', out, '--data-dir', mnist_dir]) == 0
    printed = capsys.readouterr().out
    accuracy, _ = evaluate_folder(out, data_dir=mnist_dir)
    assert 'accuracy %.2f%%' % (100 * accuracy) in printed and '10000' in printed
    assert cli.main(['hwgen', 'eval', out, '--wbits', '2', '--abits', '2', '--pixel-input',
                     '--data-dir', mnist_dir]) == 0


def test_eval_of_the_golden_bnn_pynq_folder(lfc_w1a1_dir, mnist_dir, capsys):
    assert cli.main(['hwgen', 'eval', lfc_w1a1_dir, '--wbits', '1', '--abits', '1',
                     '--data-dir', mnist_dir]) == 0
    printed = capsys.readouterr().out
    accuracy = float(re.search(r'accuracy ([0-9.]+)%', printed).group(1))
    assert 98.0 < accuracy < 99.0


# --- errors: exit code 2 and a message, no traceback ------------------------------------------

def run_failing(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 2 and 'Traceback' not in captured.err
    assert captured.err.startswith('qnn hwgen: error: ')
    return captured.err


def test_act_bn_run_is_refused(tmpdir, capsys):
    run_dir = make_run(str(tmpdir.join('run')), layer_order='act_bn')
    message = run_failing(['hwgen', run_dir, '--out', str(tmpdir.join('out'))], capsys)
    assert "'act_bn'" in message and "'bn_act'" in message and 'thresholds' in message
    assert not os.path.exists(str(tmpdir.join('out', 'manifest.json')))


def test_bad_folding_is_refused(run_dir, tmpdir, capsys):
    message = run_failing(['hwgen', run_dir, '--out', str(tmpdir.join('out')), '--folding',
                           '64,32,32:32,32,64'], capsys)
    assert '64,32,32:32,32,64' in message and '64 * 2 = 128' in message
    message = run_failing(['hwgen', run_dir, '--out', str(tmpdir.join('out')), '--folding',
                           '32,32:32,32'], capsys)
    assert '2 SIMD and 2 PE values' in message


def test_folding_finn_hlslib_cannot_stream_is_refused(tmpdir, capsys):
    """32 PEs into 48 SIMD lanes: neither 32 x 3 nor 48 x 3 bits divides the other."""
    run_dir = make_run(str(tmpdir.join('run')), wbits=1, abits=3, units=96)
    out = str(tmpdir.join('out'))
    message = run_failing(['hwgen', run_dir, '--out', out, '--folding', '32,48,16:32,16,16'],
                          capsys)
    assert 'folding 32,48,16:32,16,16 does not fit the network [784, 96, 96, 10] with 1-bit ' \
        'weights and 3-bit activations: layer 1: its 96-bit input stream cannot be ' \
        'width-converted to SIMD x in_bits = 48 x 3 = 144 bits' in message
    assert not os.path.exists(out)
    # 96-bit words from 32 PEs do not divide 96 x 3 bits: declared at 16 SIMD x 3 bits
    assert cli.main(['hwgen', run_dir, '--out', out, '--folding', '32,16,16:32,16,16']) == 0


@pytest.mark.parametrize('cycles', [32, 128, 4096])
def test_export_cycles_sets_the_default_folding_throughput(tmpdir, capsys, cycles):
    """784-64-64-10, W2: a hidden layer takes 64 x 64 / (SIMD x PE) cycles, a power of two, so
    the cheapest folding within N = 32, 128, 4096 cycles takes exactly N."""
    run_dir = make_run(str(tmpdir.join('run')), wbits=2, abits=3, units=64)
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out, '--cycles', str(cycles)]) == 0
    manifest = read_manifest(out)
    assert max(layer['cycles'] for layer in manifest['layers']) == cycles
    assert '%d cycles per image' % cycles in capsys.readouterr().out


def test_unreachable_cycles_are_refused(run_dir, tmpdir, capsys):
    out = str(tmpdir.join('out'))
    # 784-32-32-10 at W2: SIMD <= 32; layer 0 takes at least 832 / 32 = 26 cycles
    message = run_failing(['hwgen', run_dir, '--out', out, '--cycles', '20'], capsys)
    assert message == 'qnn hwgen: error: no folding of 784-32-32-10 with 2-bit weights ' \
        'reaches 20 cycles per image; the fastest takes 26\n'
    assert not os.path.exists(out)
    message = run_failing(['hwgen', run_dir, '--out', out, '--cycles', '0'], capsys)
    assert 'the target cycles per image must be a positive integer, got 0' in message
    with pytest.raises(SystemExit):
        cli.main(['hwgen', run_dir, '--out', out, '--cycles', '64', '--folding', '32,2,4:2,1,1'])


def test_missing_run_and_existing_output(run_dir, tmpdir, capsys):
    missing = str(tmpdir.join('nothing'))
    message = run_failing(['hwgen', missing, '--out', str(tmpdir.join('out'))], capsys)
    assert missing in message and 'does not exist' in message
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out]) == 0
    message = run_failing(['hwgen', run_dir, '--out', out], capsys)
    assert '--force' in message
    assert cli.main(['hwgen', run_dir, '--out', out, '--force']) == 0


def test_eval_errors(run_dir, tmpdir, mnist_dir, capsys):
    bare = str(tmpdir.mkdir('bare'))
    message = run_failing(['hwgen', 'eval', bare, '--data-dir', mnist_dir], capsys)
    assert '--wbits' in message
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out]) == 0
    message = run_failing(['hwgen', 'eval', out, '--wbits', '1', '--data-dir', mnist_dir],
                          capsys)
    assert 'wbits=1' in message
    message = run_failing(['hwgen', 'eval', str(tmpdir.join('nowhere'))], capsys)
    assert 'nowhere' in message


def test_cli_export_equals_the_library(run_dir, tmpdir, mnist_dir):
    out = str(tmpdir.join('out'))
    assert cli.main(['hwgen', run_dir, '--out', out]) == 0
    images = load_subset('test', mnist_dir)[0][:1000]
    assert (load_folder(out).classify(images) == from_run(run_dir).classify(images)).all()
