"""``qnn hwgen qonnx``: the QONNX graph of a run classifies every MNIST test image as the
integer model does.

The graph is run by :mod:`hwgen.qonnx.execute` (numpy, written from the QONNX op definitions)
on all 10 000 test images, and by qonnx's own executor (``scripts/qonnx_execute.py`` in
``.venv-qonnx``, ``make qonnx-env``) when that environment is found; the four full trained
networks are checked by ``make check-qonnx`` (``benchmarks/bench_qonnx.py``). Runs here have
random weights, BatchNorm statistics measured on data, and gammas of both signs and zero
(:func:`synthetic_runs.synthetic_run`).
"""
from __future__ import absolute_import, division, print_function

import logging
import os
import subprocess
import sys

import numpy as np
import pytest

from hwgen.trained.network import from_run
from qnn import cli, runs
from qnn.data import mnist
from synthetic_runs import synthetic_run

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
EXECUTE_SCRIPT = os.path.join(ROOT, 'scripts', 'qonnx_execute.py')

#: (wbits, abits, activation, binarize_input): the four precisions of the full check.
CASES = [
    (1, 1, 'hard_tanh', True),
    (2, 2, 'hard_tanh', False),
    (4, 3, 'tanh', True),
    (8, 8, 'hard_tanh', False),
    (1, 2, 'hard_tanh', True),      # bipolar inputs with 2-bit codes: pad offset in hardware
]


def case_id(case):
    return 'W%dA%d-%s-%s' % (case[0], case[1], case[2], 'bin' if case[3] else 'pix')


def needs_onnx():
    return pytest.importorskip('onnx', reason='onnx is installed in the modern stack only')


@pytest.fixture(scope='module')
def data(mnist_dir):
    images, labels = mnist.load_subset('test', mnist_dir)
    return {'images': images, 'labels': labels,
            'train': dict((binarize, mnist.load_mnist(mnist_dir, binarize=binarize))
                          for binarize in (False, True))}


@pytest.fixture(scope='module')
def run_dirs(data, tmpdir_factory):
    base = tmpdir_factory.mktemp('qonnx-runs')
    return dict((case, synthetic_run(str(base.join(case_id(case))), data, case[0], case[1],
                                     case[2], case[3], 64, seed=3))
                for case in CASES)


def pixels(images):
    return images.reshape(len(images), -1).astype(np.float32)


@pytest.mark.parametrize('case', CASES, ids=[case_id(case) for case in CASES])
def test_graph_scores_equal_the_integer_model_on_every_test_image(case, run_dirs, data):
    needs_onnx()
    from hwgen.qonnx.export import qonnx_model
    from hwgen.qonnx.execute import run_graph
    network = from_run(run_dirs[case])
    images = data['images']
    model = qonnx_model(network, batch_size=len(images))
    outputs = run_graph(model, {'pixels': pixels(images)})
    accumulators = network.integer_model().run(network.input_fields(images)).accumulators
    expected_scores = network.scores.scores(accumulators)
    assert outputs['scores'].dtype == np.float64
    assert np.array_equal(outputs['scores'], expected_scores)          # bit for bit
    assert np.array_equal(outputs['label'], network.classify(images))
    assert len(np.unique(outputs['label'])) >= 5                          # not constant


def node_by_name(model, name):
    return [node for node in model.graph.node if node.output[0] == name][0]


def initializer(model, name):
    from onnx import numpy_helper
    return numpy_helper.to_array([init for init in model.graph.initializer
                                  if init.name == name][0])


def attributes(node):
    from onnx import helper
    return dict((a.name, helper.get_attribute_value(a)) for a in node.attribute)


def test_graph_layout_w4a3_binarised(run_dirs):
    """Ops, the n-bit grids as scale / zero-point, thresholds and annotations, by hand."""
    needs_onnx()
    from hwgen.qonnx.export import QONNX_DOMAIN, qonnx_model
    from hwgen.qonnx.execute import quant
    model = qonnx_model(from_run(run_dirs[(4, 3, 'tanh', True)]))
    ops = [node.op_type for node in model.graph.node]
    hidden = ['Quant', 'MatMul', 'MultiThreshold', 'Mul']
    assert ops == ['MultiThreshold'] + hidden * 2 + \
        ['Quant', 'MatMul', 'Cast', 'Mul', 'Add', 'Mul', 'Add', 'ArgMax']
    assert dict((o.domain, o.version) for o in model.opset_import) == {'': 13, QONNX_DOMAIN: 1}
    # binarised input: pixel >= 128 -> 2 * 1 - 1 = +1, else -1
    binarise = model.graph.node[0]
    assert binarise.domain == QONNX_DOMAIN
    assert initializer(model, binarise.input[1]).tolist() == [[128.0]]
    assert attributes(binarise) == {'out_dtype': b'BIPOLAR', 'out_scale': 2.0,
                                    'out_bias': -1.0}
    # 4-bit weights: narrow signed INT4 (codes -7..7) with scale 2^-(4-2) = 0.25
    weight_quant = node_by_name(model, 'dense1.Wq')
    scale, zeropt, bitwidth = [initializer(model, name) for name in weight_quant.input[1:]]
    assert (float(scale), float(zeropt), float(bitwidth)) == (0.25, 0.0, 4.0)
    assert attributes(weight_quant) == {'signed': 1, 'narrow': 1, 'rounding_mode': b'ROUND'}
    weights = initializer(model, weight_quant.input[0])
    assert weights.shape == (64, 64)
    assert np.array_equal(weights * 4, np.round(weights * 4)) and np.abs(weights).max() <= 1.75
    assert np.array_equal(quant(weights, 0.25, 0.0, 4), weights)         # Quant is exact
    # 3-bit activation: codes -2..2 = -2 + (0..4 thresholds passed), value code * 0.5
    threshold = node_by_name(model, 'act1.code')
    assert attributes(threshold) == {'out_dtype': b'INT3', 'out_scale': 1.0, 'out_bias': -2.0}
    thresholds = initializer(model, threshold.input[1])
    assert thresholds.shape == (64, 4) and (np.diff(thresholds, axis=1) >= 0).all()
    assert float(initializer(model, node_by_name(model, 'act1').input[1])) == 0.5
    # thresholds are integers in units of weight step * input step = 0.25 * 0.5
    assert np.array_equal(thresholds * 8, np.round(thresholds * 8))
    annotations = dict((a.tensor_name, a.quant_parameter_tensor_names[0].value)
                       for a in model.graph.quantization_annotation)
    assert annotations == {'pixels': 'UINT8', 'input.bipolar': 'BIPOLAR', 'act0.code': 'INT3',
                           'act1.code': 'INT3'}
    assert [(o.name, [d.dim_value for d in o.type.tensor_type.shape.dim])
            for o in model.graph.output] == [('scores', [1, 10]), ('label', [1])]


def test_cli_writes_the_model(run_dirs, tmpdir, capsys):
    onnx = needs_onnx()
    out = str(tmpdir.join('w2a2.onnx'))
    assert cli.main(['hwgen', 'qonnx', run_dirs[(2, 2, 'hard_tanh', False)], '--out', out]) == 0
    assert out in capsys.readouterr().out
    model = onnx.load(out)
    onnx.checker.check_model(model)
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_value == 1
    assert dict((p.key, p.value) for p in model.metadata_props)['input'] == '8-bit pixels'
    assert not [name for name in os.listdir(str(tmpdir)) if name.endswith('.tmp')]


def test_without_onnx_a_one_line_error_and_no_file(run_dirs, tmpdir, capsys, monkeypatch):
    """The paper stack has no onnx: exit status 2, one line, nothing written."""
    monkeypatch.setitem(sys.modules, 'onnx', None)                # import onnx -> ImportError
    out = str(tmpdir.join('none.onnx'))
    assert cli.main(['hwgen', 'qonnx', run_dirs[(1, 1, 'hard_tanh', True)], '--out', out]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and 'onnx package' in error and 'modern stack' in error
    assert os.listdir(str(tmpdir)) == []


def test_bad_batch_size_is_refused(run_dirs, tmpdir, capsys):
    needs_onnx()
    out = str(tmpdir.join('bad.onnx'))
    args = ['hwgen', 'qonnx', run_dirs[(1, 1, 'hard_tanh', True)], '--out', out,
            '--batch-size', '0']
    assert cli.main(args) == 2
    assert 'batch size' in capsys.readouterr().err and not os.path.exists(out)


def test_float32_exactness_bound(run_dirs, tmpdir, caplog):
    """No warning for runs on the grid's range; a warning where sums can reach 2^24."""
    needs_onnx()
    from hwgen.qonnx.export import qonnx_model
    source = run_dirs[(8, 8, 'hard_tanh', False)]
    with caplog.at_level(logging.WARNING, logger='hwgen.qonnx.export'):
        qonnx_model(from_run(source))
    assert not caplog.records
    run_dir = str(tmpdir.join('extreme'))
    os.makedirs(run_dir)
    runs.write_json(runs.run_file(run_dir, runs.CONFIG), runs.read_config(source))
    arrays = runs.load_arrays(runs.run_file(source, runs.PARAMS))
    arrays['dense0.W'] = np.full_like(arrays['dense0.W'], 1.984375)    # code 127 everywhere
    runs.save_arrays(runs.run_file(run_dir, runs.PARAMS), arrays)
    with caplog.at_level(logging.WARNING, logger='hwgen.qonnx.export'):
        qonnx_model(from_run(run_dir))
    messages = [record.getMessage() for record in caplog.records]
    assert messages and all(message.startswith('layer 0:') for message in messages)
    assert str(784 * 127 * 255) in messages[0]                       # the bound, by hand


def qonnx_python():
    """The QONNX environment's Python: $QNN_QONNX_PYTHON or .venv-qonnx/bin/python."""
    path = os.environ.get('QNN_QONNX_PYTHON') or os.path.join(ROOT, '.venv-qonnx', 'bin',
                                                             'python')
    if not os.path.isfile(path):
        pytest.skip('QONNX environment not found: run `make qonnx-env` or set QNN_QONNX_PYTHON')
    return path


@pytest.mark.parametrize('case', [CASES[1], CASES[2]], ids=[case_id(c) for c in CASES[1:3]])
def test_qonnx_executor_agrees_with_the_integer_model(case, run_dirs, data, tmpdir):
    python = qonnx_python()
    needs_onnx()
    from hwgen.qonnx.export import export_qonnx
    network = from_run(run_dirs[case])
    images = data['images'][:600]
    model_path, images_path, out_path = [str(tmpdir.join(name)) for name in
                                         ('model.onnx', 'images.npz', 'out.npz')]
    export_qonnx(run_dirs[case], model_path)
    np.savez(images_path, pixels=images.reshape(len(images), -1))
    subprocess.check_call([python, EXECUTE_SCRIPT, model_path, images_path, out_path,
                           '--batch', '300'])
    result = np.load(out_path)
    accumulators = network.integer_model().run(network.input_fields(images)).accumulators
    assert np.array_equal(result['scores'], network.scores.scores(accumulators))
    assert np.array_equal(result['label'], network.classify(images))
