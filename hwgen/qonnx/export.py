"""A trained run as a QONNX model: MatMul + Quant for the weights, MultiThreshold activations.

The graph computes what the integer model (:mod:`hwgen.intmodel`) computes, written with the
ops every QONNX tool knows (``docs/qonnx.md`` describes the mapping in full):

* input ``pixels`` (float32, shape (batch, 784), annotated ``UINT8``): the raw MNIST pixels.
  Binarised runs start with ``MultiThreshold(pixels >= 128)`` scaled to the bipolar +-1;
  8-bit pixel runs feed the pixels to the first MatMul as they are, the [-1, 1] scaling of
  training being folded into the first layer's thresholds (as ``qnn hwgen`` folds it);
* per layer ``Quant`` (``BipolarQuant`` for 1 bit) on the weight matrix: the paper's n-bit grid
  is QONNX's narrow signed n-bit integer with scale 2^-(n-2) and zero-point 0; the
  initializer holds the quantized values, so the Quant node is exact whatever the rounding;
* ``MatMul`` of the layer input with the quantized weights;
* hidden layers: ``MultiThreshold`` on the MatMul output, giving the integer output code
  (BatchNorm, bias and the quantized hard tanh / tanh folded into thresholds exactly as for
  the FINN hardware), then ``Mul`` by the activation's code value 2^-(A-2) for A >= 3;
  neurons whose BatchNorm multiplier is negative have their weight column negated, as FINN
  does, so every threshold set is increasing;
* last layer: the class scores of the integer model (float64, so that ties break as there)
  and ``ArgMax`` (``label``). These nodes are the host's part of the FINN flow.

Every tensor holds integers times powers of two, so float32 is exact while the integer sums
stay below 2^24 in magnitude; :func:`qonnx_model` warns when a neuron's bound (sum of its
|weight codes| times the largest input code) reaches it.

Needs the ``onnx`` package (modern stack); the paper stack (Python 2.7) refuses with
:class:`QonnxUnavailableError`.
"""
from __future__ import absolute_import, division, print_function

import logging

import numpy as np

from hwgen.datatype import field_type
from hwgen.errors import HwgenError
from hwgen.finn.thresholds import code_step, output_codes, sum_of_accumulator, sum_thresholds
from hwgen.network import BINARIZE_THRESHOLD
from hwgen.trained.network import from_run
from qnn.fileio import atomic_write
from qnn.naming import network_name

__all__ = ['QONNX_DOMAIN', 'INPUT', 'SCORES', 'LABEL', 'OPSET', 'QonnxUnavailableError',
           'import_onnx', 'qonnx_model', 'export_qonnx']

log = logging.getLogger(__name__)

#: Domain of QONNX's custom ops (Quant, BipolarQuant, MultiThreshold).
QONNX_DOMAIN = 'qonnx.custom_op.general'
#: Names of the graph's input and outputs.
INPUT, SCORES, LABEL = 'pixels', 'scores', 'label'
#: ONNX opset of the standard ops (MatMul, Mul, Add, Cast, ArgMax).
OPSET = 13
#: IR version written (ONNX 1.10+): readable by every current onnxruntime and FINN.
IR_VERSION = 8
#: Largest integer below which float32 sums of integers are exact.
_EXACT_FLOAT32 = 2 ** 24


class QonnxUnavailableError(HwgenError):
    """The ``onnx`` package is missing (the paper stack cannot export QONNX)."""


def import_onnx():
    """The ``onnx`` module, or :class:`QonnxUnavailableError` with a one-line reason."""
    try:
        import onnx
        from onnx import helper, numpy_helper  # noqa: F401 (submodules used through onnx)
    except ImportError:
        raise QonnxUnavailableError(
            'QONNX export needs the onnx package, which only the modern stack (Python 3.9-3.11, '
            'requirements/modern.txt) installs')
    return onnx


class _GraphBuilder(object):
    """Collects nodes, initializers, shapes and datatype annotations of one graph."""

    def __init__(self, onnx, batch_size):
        self.onnx = onnx
        self.batch_size = int(batch_size)
        self.nodes, self.initializers, self.value_info, self.datatypes = [], [], [], []

    def constant(self, name, values, dtype=np.float32):
        array = np.asarray(values, dtype=dtype)
        self.initializers.append(self.onnx.numpy_helper.from_array(array, name))
        return name

    def node(self, op_type, inputs, output, shape, elem_type=None, domain='', batched=True,
             **attributes):
        """Append one node and its output's shape (``batched``: the batch dimension first)."""
        self.nodes.append(self.onnx.helper.make_node(op_type, list(inputs), [output],
                                                     name=output, domain=domain,
                                                     **attributes))
        self.value_info.append(self.tensor_info(output, shape, elem_type, batched))
        return output

    def tensor_info(self, name, shape, elem_type=None, batched=True):
        elem_type = self.onnx.TensorProto.FLOAT if elem_type is None else elem_type
        shape = ([self.batch_size] if batched else []) + list(shape)
        return self.onnx.helper.make_tensor_value_info(name, elem_type, shape)

    def annotate(self, name, datatype):
        """QONNX datatype annotation (``finn_datatype``) of a tensor."""
        self.datatypes.append((name, datatype))

    def annotations(self):
        result = []
        for name, datatype in self.datatypes:
            annotation = self.onnx.TensorAnnotation()
            annotation.tensor_name = name
            entry = annotation.quant_parameter_tensor_names.add()
            entry.key, entry.value = 'finn_datatype', datatype
            result.append(annotation)
        return result


def _activation_datatype(a_bits):
    """QONNX datatype of an activation's integer code: BIPOLAR or INT<A>."""
    return field_type(a_bits).name


def _add_input(graph, network):
    """Graph input -> first layer input; returns (tensor, value of one input code)."""
    graph.annotate(INPUT, 'UINT8')
    if not network.metadata['binarize_input']:
        return INPUT, 1.0
    threshold = graph.constant('input.thresholds', [[BINARIZE_THRESHOLD]])
    graph.node('MultiThreshold', [INPUT, threshold], 'input.bipolar',
               [network.layers[0].spec.folding.mw], domain=QONNX_DOMAIN,
               out_dtype='BIPOLAR', out_scale=2.0, out_bias=-1.0)
    graph.annotate('input.bipolar', 'BIPOLAR')
    return 'input.bipolar', 1.0


def _add_weights(graph, index, record):
    """Quantized weight matrix (MW, MH) of layer ``index``: Quant / BipolarQuant."""
    w_bits, step = record.spec.w_bits, code_step(record.spec.w_bits)
    quantized = graph.constant('dense%d.W' % index, record.weights.T * step)
    scale = graph.constant('dense%d.W.scale' % index, step)
    shape = record.weights.T.shape
    if w_bits == 1:
        return graph.node('BipolarQuant', [quantized, scale], 'dense%d.Wq' % index, shape,
                          domain=QONNX_DOMAIN, batched=False)
    inputs = [quantized, scale, graph.constant('dense%d.W.zeropt' % index, 0.0),
              graph.constant('dense%d.W.bitwidth' % index, float(w_bits))]
    return graph.node('Quant', inputs, 'dense%d.Wq' % index, shape, domain=QONNX_DOMAIN,
                      batched=False, signed=1, narrow=1, rounding_mode='ROUND')


def _check_exact(index, record, in_code_max):
    """Warn when a float32 sum of this layer may exceed the exactly representable integers."""
    bound = int(np.abs(record.weights).sum(axis=1).max()) * in_code_max
    if bound >= _EXACT_FLOAT32:
        log.warning('layer %d: sums of weight codes times input codes can reach %d >= 2^24, '
                    'where float32 is no longer exact (images whose sums stay below are exact)',
                    index, bound)


def _add_hidden_activation(graph, index, record, matmul, unit):
    """MultiThreshold (+ Mul by the code value) after a hidden layer's MatMul."""
    spec = record.spec
    # sum > T <=> sum >= T + 1 for integer sums; MultiThreshold counts x >= threshold
    thresholds = (sum_thresholds(record.thresholds, spec) + 1) * unit
    threshold_tensor = graph.constant('dense%d.thresholds' % index, thresholds)
    if not np.array_equal(np.float32(thresholds).astype(np.float64), thresholds):
        log.warning('layer %d: some thresholds lie beyond 2^24 and are rounded in float32',
                    index)
    mh = spec.folding.mh
    if spec.a_bits == 1:
        codes = graph.node('MultiThreshold', [matmul, threshold_tensor], 'act%d' % index, [mh],
                           domain=QONNX_DOMAIN, out_dtype='BIPOLAR', out_scale=2.0,
                           out_bias=-1.0)
    else:
        codes = graph.node('MultiThreshold', [matmul, threshold_tensor], 'act%d.code' % index,
                           [mh], domain=QONNX_DOMAIN, out_dtype=_activation_datatype(spec.a_bits),
                           out_scale=1.0, out_bias=float(spec.act_val))
    graph.annotate(codes, _activation_datatype(spec.a_bits))
    step = code_step(spec.a_bits)
    if step == 1.0:
        return codes, 1.0
    scale = graph.constant('act%d.scale' % index, step)
    return graph.node('Mul', [codes, scale], 'act%d' % index, [mh]), step


def _add_scores(graph, index, record, scores, matmul, unit):
    """The integer model's float64 class scores and their ArgMax after the last MatMul."""
    onnx = graph.onnx
    n_classes = record.spec.folding.mh
    sum_unit, shift = sum_of_accumulator(record.spec)
    double = onnx.TensorProto.DOUBLE
    wide = graph.node('Cast', [matmul], 'dense%d.out64' % index, [n_classes], double,
                      to=double)
    # accumulator = (sum - shift) / sum_unit, sum = MatMul output / unit: exact in float64
    scaled = graph.node('Mul', [wide, graph.constant('accumulator.scale',
                                                     1.0 / (unit * sum_unit), np.float64)],
                        'accumulator.scaled', [n_classes], double)
    accumulator = graph.node('Add', [scaled, graph.constant('accumulator.offset',
                                                            -shift / sum_unit, np.float64)],
                             'accumulator', [n_classes], double)
    product = graph.node('Mul', [accumulator, graph.constant('scores.scale', scores.scale,
                                                             np.float64)],
                         'scores.scaled', [n_classes], double)
    graph.node('Add', [product, graph.constant('scores.offset', scores.offset, np.float64)],
               SCORES, [n_classes], double)
    graph.node('ArgMax', [SCORES], LABEL, [], onnx.TensorProto.INT64, axis=1, keepdims=0)


def qonnx_model(network, batch_size=1):
    """The QONNX model (``onnx.ModelProto``) of a :class:`~hwgen.trained.network.HardwareNetwork`.

    Parameters
    ----------
    network : HardwareNetwork
        From :func:`hwgen.trained.network.from_run`.
    batch_size : int
        Fixed first dimension of every tensor (FINN's flow expects 1).

    Returns
    -------
    onnx.ModelProto
        Input :data:`INPUT` (float32 pixels 0..255, (batch, 784)); outputs :data:`SCORES`
        (float64, (batch, classes)) and :data:`LABEL` (int64, (batch,)).
    """
    onnx = import_onnx()
    if int(batch_size) < 1:
        raise HwgenError('batch size must be >= 1, got %r' % (batch_size,))
    graph = _GraphBuilder(onnx, batch_size)
    tensor, in_step = _add_input(graph, network)
    in_code_max = 255 if not network.metadata['binarize_input'] else 1
    for index, record in enumerate(network.layers):
        _check_exact(index, record, in_code_max)
        weights = _add_weights(graph, index, record)
        unit = code_step(record.spec.w_bits) * in_step     # value of one unit of the sum
        matmul = graph.node('MatMul', [tensor, weights], 'dense%d.out' % index,
                            [record.spec.folding.mh])
        if record.spec.folding.last:
            _add_scores(graph, index, record, network.scores, matmul, unit)
        else:
            tensor, in_step = _add_hidden_activation(graph, index, record, matmul, unit)
            in_code_max = int(output_codes(record.spec.a_bits)[-1])
    return _assemble(onnx, graph, network)


def _assemble(onnx, graph, network):
    outputs = [info for info in graph.value_info if info.name in (SCORES, LABEL)]
    inner = [info for info in graph.value_info if info.name not in (SCORES, LABEL)]
    meta = network.metadata
    graph_proto = onnx.helper.make_graph(
        graph.nodes, 'qnn_' + network_name(meta['wbits'], meta['abits']),
        [graph.tensor_info(INPUT, [network.layers[0].spec.folding.mw])], outputs,
        initializer=graph.initializers, value_info=inner)
    graph_proto.quantization_annotation.extend(graph.annotations())
    model = onnx.helper.make_model(
        graph_proto, producer_name='qnn',
        opset_imports=[onnx.helper.make_opsetid('', OPSET),
                       onnx.helper.make_opsetid(QONNX_DOMAIN, 1)])
    model.ir_version = IR_VERSION
    properties = {'wbits': meta['wbits'], 'abits': meta['abits'],
                  'activation': meta['activation'],
                  'input': 'binarised' if meta['binarize_input'] else '8-bit pixels',
                  'sizes': '-'.join(str(size) for size in meta['sizes'])}
    onnx.helper.set_model_props(model, dict((key, str(value))
                                            for key, value in properties.items()))
    onnx.checker.check_model(model)
    return model


def export_qonnx(run_dir, out_path, batch_size=1):
    """Write the QONNX model of a trained run (atomically).

    Parameters
    ----------
    run_dir : str
        A run folder (``config.json``, ``params.npz``) trained with ``layer_order='bn_act'``.
    out_path : str
        The ``.onnx`` file to write.
    batch_size : int
        See :func:`qonnx_model`.

    Returns
    -------
    onnx.ModelProto
    """
    import_onnx()
    model = qonnx_model(from_run(run_dir), batch_size)
    with atomic_write(out_path, 'wb') as handle:
        handle.write(model.SerializeToString())
    return model
