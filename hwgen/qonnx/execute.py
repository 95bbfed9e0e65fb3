"""A small numpy executor for the ops of qnn's QONNX graphs, written from the op definitions.

It runs a graph node by node with numpy, independently of :mod:`hwgen.qonnx.export` and of
the integer model, so a test can check an exported file without QONNX installed (qonnx's own
executor is run by ``scripts/qonnx_execute.py`` in ``.venv-qonnx``). Supported ops: the
standard ``MatMul``, ``Mul``, ``Add``, ``Cast`` and ``ArgMax``, and QONNX's ``Quant``,
``BipolarQuant`` and ``MultiThreshold`` with these semantics (QONNX's operator docs):

* ``Quant(x, scale, zeropt, bitwidth)``: ``q = clip(round(x / scale + zeropt), min, max)``,
  ``y = (q - zeropt) * scale``, ``min``/``max`` of the (narrow) signed or unsigned integer;
* ``BipolarQuant(x, scale)``: ``(+1 if x >= 0 else -1) * scale``;
* ``MultiThreshold(x, T)``: ``out_scale * #{i : x[n, c] >= T[c, i]} + out_bias`` (one
  threshold row for every channel, or one row for all).
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from hwgen.datatype import INT, UINT
from hwgen.errors import HwgenError
from hwgen.qonnx.export import import_onnx

__all__ = ['run_graph', 'quant', 'bipolar_quant', 'multithreshold', 'load_model']

_ROUNDING = {'ROUND': np.round, 'HALF_EVEN': np.round, 'FLOOR': np.floor, 'CEIL': np.ceil}


def quant(x, scale, zeropt, bitwidth, signed=1, narrow=1, rounding_mode='ROUND'):
    """QONNX ``Quant``.

    Examples
    --------
    >>> quant(np.array([-3.0, -0.3, 0.2, 0.37, 9.0]), 0.25, 0.0, 3).tolist()  # INT3 narrow
    [-0.75, -0.25, 0.25, 0.25, 0.75]
    """
    field = INT(int(bitwidth)) if signed else UINT(int(bitwidth))
    # a narrow range drops the most negative signed value, or the largest unsigned one
    low = field.min + 1 if narrow and signed else field.min
    high = field.max - 1 if narrow and not signed else field.max
    try:
        rounding = _ROUNDING[str(rounding_mode).upper()]
    except KeyError:
        raise HwgenError('unsupported rounding_mode %r' % (rounding_mode,))
    codes = np.clip(rounding(np.asarray(x) / scale + zeropt), low, high)
    return (codes - zeropt) * scale


def bipolar_quant(x, scale):
    """QONNX ``BipolarQuant``.

    Examples
    --------
    >>> bipolar_quant(np.array([-0.5, 0.0, 2.0]), 1.0).tolist()
    [-1.0, 1.0, 1.0]
    """
    return np.where(np.asarray(x) >= 0, 1.0, -1.0) * scale


def multithreshold(x, thresholds, out_scale=1.0, out_bias=0.0):
    """QONNX ``MultiThreshold`` on (N, C) inputs.

    Examples
    --------
    >>> multithreshold(np.array([[0.5, 1.0, 3.0]]), np.array([[1.0, 2.0]])).tolist()
    [[0.0, 1.0, 2.0]]
    >>> multithreshold(np.array([[0.5, 1.0]]), np.array([[1.0], [0.0]]), 2.0, -1.0).tolist()
    [[-1.0, 1.0]]
    """
    x, thresholds = np.asarray(x), np.asarray(thresholds)
    if x.ndim != 2 or thresholds.shape[0] not in (1, x.shape[1]):
        raise HwgenError('MultiThreshold on shape %s with thresholds %s is not supported'
                         % (x.shape, thresholds.shape))
    counts = (x[:, :, None] >= thresholds[None, :, :]).sum(axis=2)
    return (out_scale * counts + out_bias).astype(x.dtype)


def _attributes(onnx, node):
    return dict((attribute.name, onnx.helper.get_attribute_value(attribute))
                for attribute in node.attribute)


def _as_text(value):
    return value.decode('ascii') if isinstance(value, bytes) else value


def _run_node(onnx, node, values):
    inputs = [values[name] for name in node.input]
    attributes = _attributes(onnx, node)
    op = node.op_type
    if op == 'MatMul':
        return np.matmul(inputs[0], inputs[1])
    if op == 'Mul':
        return inputs[0] * inputs[1].astype(inputs[0].dtype)
    if op == 'Add':
        return inputs[0] + inputs[1].astype(inputs[0].dtype)
    if op == 'Cast':
        return inputs[0].astype(onnx.helper.tensor_dtype_to_np_dtype(attributes['to']))
    if op == 'ArgMax':
        if attributes.get('keepdims', 1) or attributes.get('select_last_index', 0):
            raise HwgenError('ArgMax is supported with keepdims=0 only')
        return np.argmax(inputs[0], axis=attributes.get('axis', 0)).astype(np.int64)
    if op == 'Quant':
        return quant(inputs[0], inputs[1], inputs[2], inputs[3], attributes.get('signed', 1),
                     attributes.get('narrow', 0),
                     _as_text(attributes.get('rounding_mode', 'ROUND'))).astype(inputs[0].dtype)
    if op == 'BipolarQuant':
        return bipolar_quant(inputs[0], inputs[1]).astype(inputs[0].dtype)
    if op == 'MultiThreshold':
        return multithreshold(inputs[0], inputs[1], attributes.get('out_scale', 1.0),
                              attributes.get('out_bias', 0.0))
    raise HwgenError('op %s (domain %r) is not supported by the numpy executor'
                     % (op, node.domain))


def load_model(path):
    """Read an ``.onnx`` file (``onnx.ModelProto``)."""
    onnx = import_onnx()
    return onnx.load(path)


def run_graph(model, inputs):
    """Run ``model`` (a ModelProto) on a dict of input arrays; return every graph output.

    Examples
    --------
    >>> from hwgen.trained.network import from_run
    >>> from hwgen.qonnx.export import qonnx_model
    >>> model = qonnx_model(from_run('runs/W2A2'), batch_size=len(images))  # doctest: +SKIP
    >>> run_graph(model, {'pixels': images.reshape(-1, 784).astype('float32')})['label']
    ... # doctest: +SKIP
    """
    onnx = import_onnx()
    values = dict((init.name, onnx.numpy_helper.to_array(init))
                  for init in model.graph.initializer)
    values.update(inputs)
    for node in model.graph.node:
        values[node.output[0]] = _run_node(onnx, node, values)
    return dict((output.name, values[output.name]) for output in model.graph.output)
