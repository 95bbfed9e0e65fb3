"""QONNX export of trained runs: the graph computes what the PyTorch model computes."""
import os

import numpy as np
import pytest

torch = pytest.importorskip('torch')
pytest.importorskip('brevitas')
onnx = pytest.importorskip('onnx')
pytest.importorskip('qonnx')

from qnn import runs  # noqa: E402

from qnn_brevitas.export import (CHECK_FILE, QONNX_FILE, check_export, export_run,  # noqa: E402
                                 freeze_weights)
from qnn_brevitas.train import load_model, train  # noqa: E402

CASES = [  # (wbits, abits, weight/act quantizer setting, activation)
    (1, 1, 'paper', 'hard_tanh'),
    (2, 2, 'paper', 'hard_tanh'),
    (4, 3, 'paper', 'hard_tanh'),
    (3, 4, 'brevitas', 'hard_tanh'),
    (2, 3, 'paper', 'tanh'),
]


@pytest.fixture(scope='module')
def trained(tmp_path_factory, mnist):
    """One small trained run per case."""
    folders = {}
    for wbits, abits, setting, activation in CASES:
        run_dir = str(tmp_path_factory.mktemp('run') / 'run')
        train(run_dir, data=mnist, progress=False, num_units=48, train_size=500, epochs=1,
              wbits=wbits, abits=abits, weight_quant=setting, activation=activation)
        folders[(wbits, abits, setting, activation)] = run_dir
    return folders


@pytest.mark.parametrize('case', CASES, ids=['W%dA%d-%s-%s' % case for case in CASES])
def test_exported_graph_matches_pytorch_on_test_images(trained, mnist, case):
    path, result = export_run(trained[case], data=mnist, images=1000)
    assert os.path.basename(path) == QONNX_FILE
    assert result['ok'], result
    assert result['classes_agree_fraction'] == 1.0
    # activations may only differ at rounding midpoints, within float noise
    assert result['max_mismatch_margin'] < 1e-5
    assert result['images_with_mismatch'] <= 2
    assert result['max_abs_score_diff'] < 1e-4 or result['images_with_mismatch'] > 0
    assert runs.read_json(os.path.join(trained[case], CHECK_FILE))['ok']


def _nodes(path):
    model = onnx.load(path)
    attributes = [{a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
                  for node in model.graph.node]
    return [node.op_type for node in model.graph.node], attributes


def test_paper_graph_has_clip_and_half_up_activation_quantizers(trained, mnist):
    path, _ = export_run(trained[(2, 2, 'paper', 'hard_tanh')], data=mnist, images=100)
    ops, attributes = _nodes(path)
    assert ops.count('Gemm') == 4 and ops.count('BatchNormalization') == 4
    assert ops.count('Clip') == 3 and ops.count('Quant') == 4 + 3
    modes = [a['rounding_mode'] for op, a in zip(ops, attributes) if op == 'Quant']
    assert modes.count(b'HALF_UP') == 3
    assert all(a['signed'] == 0 and a['narrow'] == 1
               for op, a in zip(ops, attributes) if op == 'Quant')


def test_binary_graph_uses_bipolar_quantizers(trained, mnist):
    path, _ = export_run(trained[(1, 1, 'paper', 'hard_tanh')], data=mnist, images=100)
    ops, _ = _nodes(path)
    assert ops.count('BipolarQuant') == 4 + 3 and 'Quant' not in ops


def test_frozen_weights_are_the_quantized_weights(trained):
    model, _ = load_model(trained[(4, 3, 'paper', 'hard_tanh')])
    frozen = freeze_weights(model)
    np.testing.assert_array_equal(frozen.dense1.weight.detach().numpy(),
                                  model.dense1.quant_weight().value.detach().numpy())
    np.testing.assert_array_equal(frozen.dense1.quant_weight().value.detach().numpy(),
                                  model.dense1.quant_weight().value.detach().numpy())


def test_check_detects_a_different_graph(trained, mnist, tmp_path):
    path, _ = export_run(trained[(2, 2, 'paper', 'hard_tanh')], data=mnist, images=10)
    other, _ = load_model(trained[(2, 3, 'paper', 'tanh')])
    result = check_export(other, path, mnist.test.X[:500])
    assert not result['ok'] and result['max_mismatch_margin'] > 1e-3


def test_train_and_export_commands(tmp_path, mnist_dir, capsys):
    from qnn_brevitas.cli import main
    run_dir = str(tmp_path / 'run')
    assert main(['train', '--wbits', '3', '--abits', '2', '--epochs', '1', '--num-units', '16',
                 '--train-size', '200', '--weight-quant', 'brevitas', '--no-progress',
                 '--data-dir', mnist_dir, '--out', run_dir]) == 0
    assert 'test error' in capsys.readouterr().out
    assert runs.read_config(run_dir)['weight_quant'] == 'brevitas'
    assert main(['export', run_dir, '--images', '300', '--data-dir', mnist_dir]) == 0
    assert capsys.readouterr().out.rstrip().endswith('OK')
    assert main(['train', '--wbits', '9', '--abits', '2', '--epochs', '1',
                 '--out', str(tmp_path / 'bad')]) == 2
    assert 'wbits must be an integer in 1..8' in capsys.readouterr().err
