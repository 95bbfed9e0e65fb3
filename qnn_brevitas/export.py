"""QONNX export of a trained Brevitas run, and a check of the exported graph against PyTorch.

The exported graph (``brevitas.export.export_qonnx``, PyTorch's dynamo exporter) has one
``Quant`` (or ``BipolarQuant``) node per weight tensor and per activation, ``Gemm``,
``BatchNormalization`` and, for the paper's hard tanh, a ``Clip`` before each activation
quantizer. Two details:

* Brevitas writes every weight ``Quant`` node with ``rounding_mode='ROUND'`` (half to even) on
  the latent float weights. The paper's quantizer rounds ties up, so :func:`freeze_weights`
  replaces the latent weights by their quantized values before the export: the quantizers map
  grid values to themselves under any rounding mode, and the graph then computes exactly the
  weights the model trained with.
* The graph has the fixed batch size of the sample input; :func:`check_export` runs it on
  chunks of that size (the last one padded).

:func:`check_export` runs the graph with qonnx's executor and compares with PyTorch: the
quantized hidden activations (grid values, so they must be identical), the class scores (equal
up to float rounding, since ONNX Runtime sums the matrix products in another order) and the
predicted classes.
"""
from __future__ import absolute_import, division, print_function

import copy
import logging
import os

import numpy as np
import torch
from brevitas.nn import QuantLinear
from brevitas.nn.quant_layer import QuantNonLinearActLayer
from qnn import runs
from qnn.fileio import atomic_path

from .model import N_INPUTS
from .train import load_model

__all__ = ['freeze_weights', 'export_model', 'export_run', 'check_export', 'QONNX_FILE',
           'CHECK_FILE']

log = logging.getLogger(__name__)

#: The exported graph, inside the run folder.
QONNX_FILE = 'model.qonnx.onnx'
#: The result of :func:`check_export`, inside the run folder.
CHECK_FILE = 'qonnx_check.json'
#: Quantizer node types of the QONNX dialect.
QUANT_OPS = ('Quant', 'BipolarQuant')


def freeze_weights(model):
    """A copy of ``model`` whose latent weights are replaced by their quantized values."""
    frozen = copy.deepcopy(model).eval()
    with torch.no_grad():
        for layer in frozen.modules():
            if isinstance(layer, QuantLinear):
                layer.weight.copy_(layer.quant_weight().value)
    return frozen


def export_model(model, path, batch_size=500):
    """Export ``model`` (frozen, see :func:`freeze_weights`) to QONNX at ``path``, atomically.

    Parameters
    ----------
    model : torch.nn.Module
        Takes (batch, 784) inputs.
    path : str
        The ``.onnx`` file to write.
    batch_size : int
        The graph's (fixed) batch size.

    Returns
    -------
    str
        ``path``.
    """
    from brevitas.export import export_qonnx
    with atomic_path(path) as tmp:
        sample = torch.zeros(batch_size, N_INPUTS)
        export_qonnx(freeze_weights(model), sample, tmp, dynamo=True)
    return path


def _activation_outputs(model, X):
    """PyTorch's class scores, and the inputs and outputs of its quantized hidden activations
    (in layer order), for ``X``."""
    inputs, outputs = [], []

    def capture(_, layer_input, layer_output):
        inputs.append(layer_input[0].detach().numpy())
        outputs.append(layer_output.detach().numpy())

    hooks = [layer.register_forward_hook(capture)
             for layer in model.modules() if isinstance(layer, QuantNonLinearActLayer)]
    try:
        model.eval()
        with torch.no_grad():
            scores = model(torch.from_numpy(np.ascontiguousarray(X)))
    finally:
        for hook in hooks:
            hook.remove()
    return scores.numpy(), inputs, outputs


def _activation_quant_nodes(wrapper):
    """Output names of the graph's activation quantizers (quantizers not fed by a weight)."""
    initializers = {init.name for init in wrapper.graph.initializer}
    return [node.output[0] for node in wrapper.graph.node
            if node.op_type in QUANT_OPS and node.input[0] not in initializers]


def _run_graph(wrapper, X, batch_size):
    """The graph's outputs and activation-quantizer outputs for ``X``, chunk by chunk."""
    from qonnx.core.onnx_exec import execute_onnx
    input_name, output_name = wrapper.graph.input[0].name, wrapper.graph.output[0].name
    act_names = _activation_quant_nodes(wrapper)
    scores, acts = [], [[] for _ in act_names]
    for start in range(0, len(X), batch_size):
        chunk = X[start:start + batch_size]
        padded = np.zeros((batch_size,) + X.shape[1:], dtype=np.float32)
        padded[:len(chunk)] = chunk
        context = execute_onnx(wrapper, {input_name: padded}, return_full_exec_context=True)
        scores.append(context[output_name][:len(chunk)])
        for values, name in zip(acts, act_names):
            values.append(context[name][:len(chunk)])
    return np.concatenate(scores), [np.concatenate(values) for values in acts]


def _mismatch_margin(pre_activations, graph_acts, torch_acts):
    """Largest distance from a rounding midpoint of a differing activation's input, at the
    first layer where each image differs; and the number of images that differ anywhere.

    Both sides round to the nearest level, so an activation can only differ where its input
    lies at a rounding midpoint up to the float noise of the preceding layers; once one
    activation differs, the next layers' inputs differ by a whole level, so only the first
    differing layer of an image says something. A large margin there would mean a real
    difference of quantizer semantics.
    """
    margin, clean = 0.0, None
    for pre, graph, ours in zip(pre_activations, graph_acts, torch_acts):
        differ = graph != ours
        images = differ.reshape(len(differ), -1).any(axis=1)
        clean = np.ones(len(differ), dtype=bool) if clean is None else clean
        first = differ & (images & clean).reshape((-1,) + (1,) * (differ.ndim - 1))
        if np.any(first):
            midpoints = (graph[first].astype(np.float64) + ours[first]) / 2
            margin = max(margin, float(np.max(np.abs(pre[first] - midpoints))))
        clean &= ~images
    return margin, 0 if clean is None else int(np.sum(~clean))


def check_export(model, onnx_path, X, tie_tolerance=1e-4, min_agreement=0.999):
    """Compare the QONNX graph at ``onnx_path`` with ``model`` on the inputs ``X``.

    The graph's float arithmetic (ONNX Runtime's Gemm and BatchNormalization) differs from
    PyTorch's in the last bits, so an activation whose input lies within that noise of a
    rounding midpoint may land on the neighbouring level; every other activation must be
    identical.

    Parameters
    ----------
    model : torch.nn.Module
    onnx_path : str
    X : array_like
        (N, 784) inputs.
    tie_tolerance : float
        Largest distance from a rounding midpoint allowed for a differing activation.
    min_agreement : float
        Smallest fraction of equal predicted classes for ``ok``.

    Returns
    -------
    dict
        ``images``; ``activation_values`` and ``activation_mismatches`` (hidden quantized
        activations compared, and how many differ); ``images_with_mismatch``;
        ``max_mismatch_margin`` (see :func:`_mismatch_margin`); ``max_abs_score_diff``;
        ``scores_equal_fraction``; ``classes_agree_fraction``; ``ok``.
    """
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.infer_shapes import InferShapes
    wrapper = ModelWrapper(onnx_path).transform(InferShapes())
    batch_size = wrapper.get_tensor_shape(wrapper.graph.input[0].name)[0]
    X = np.asarray(X, dtype=np.float32)
    graph_scores, graph_acts = _run_graph(wrapper, X, batch_size)
    torch_scores, pre_activations, torch_acts = _activation_outputs(model, X)
    if len(graph_acts) != len(torch_acts):
        raise ValueError('the graph has %d activation quantizers, the model %d'
                         % (len(graph_acts), len(torch_acts)))
    mismatches = int(sum(np.sum(g != t) for g, t in zip(graph_acts, torch_acts)))
    margin, images = _mismatch_margin(pre_activations, graph_acts, torch_acts)
    agree = float(np.mean(graph_scores.argmax(1) == torch_scores.argmax(1)))
    return {'images': int(len(X)), 'activation_values': int(sum(t.size for t in torch_acts)),
            'activation_mismatches': mismatches, 'images_with_mismatch': images,
            'max_mismatch_margin': margin,
            'max_abs_score_diff': float(np.max(np.abs(graph_scores - torch_scores))),
            'scores_equal_fraction': float(np.mean(graph_scores == torch_scores)),
            'classes_agree_fraction': agree,
            'ok': margin <= tie_tolerance and agree >= min_agreement}


def export_run(run_dir, data=None, data_dir=None, images=10000, batch_size=500):
    """Export a finished run's best-validation model to ``<run>/model.qonnx.onnx`` and check it
    on the first ``images`` test images; the check is also written to ``qonnx_check.json``.

    Returns
    -------
    (str, dict)
        The graph's path and the result of :func:`check_export`.
    """
    model, config = load_model(run_dir)
    path = export_model(model, runs.run_file(run_dir, QONNX_FILE), batch_size)
    if data is None:
        from qnn.data.mnist import load_mnist
        data = load_mnist(data_dir, binarize=config['binarize_input'])
    result = check_export(model, path, data.test.X[:images])
    result.update(run=os.path.basename(os.path.normpath(run_dir)), qonnx=QONNX_FILE)
    runs.write_json(runs.run_file(run_dir, CHECK_FILE), result)
    log.info('%s: %s', path, result)
    return path, result
