"""Run a QONNX model written by ``qnn hwgen qonnx`` with qonnx's own executor.

    .venv-qonnx/bin/python scripts/qonnx_execute.py MODEL.onnx IMAGES.npz OUT.npz [--batch 500]

IMAGES.npz holds ``pixels`` (uint8, (N, 784)); OUT.npz receives ``scores`` (float64,
(N, classes)) and ``label`` (int64, (N,)), the graph's two outputs, as
``qonnx.core.onnx_exec.execute_onnx`` computes them after qonnx's ``cleanup_model`` and
``InferDataTypes`` (the first steps of FINN's flow; cleanup renames the tensors, so the
outputs are taken by position). Runs in the QONNX environment alone (numpy, onnx,
onnxruntime, qonnx; ``make qonnx-env``), so it imports nothing from this repository. The
model's fixed batch dimension is set to ``--batch`` in memory (the file is not changed).
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import sys
import tempfile

import numpy as np


def with_batch(model, batch):
    """The model with every graph input, output and intermediate shape's batch set."""
    for info in list(model.graph.input) + list(model.graph.output) + \
            list(model.graph.value_info):
        dims = info.type.tensor_type.shape.dim
        if len(dims) and info.name not in _weight_names(model):
            dims[0].dim_value = batch
    return model


def _weight_names(model):
    names = set(init.name for init in model.graph.initializer)
    names.update(node.output[0] for node in model.graph.node
                 if node.op_type in ('Quant', 'BipolarQuant'))
    return names


def execute(model_path, pixels, batch):
    """Labels and scores of every row of ``pixels`` through qonnx's executor."""
    import onnx
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_datatypes import InferDataTypes
    from qonnx.util.cleanup import cleanup_model
    outputs = {'scores': [], 'label': []}
    models = {}
    for start in range(0, len(pixels), batch):
        chunk = pixels[start:start + batch].astype(np.float32)
        if len(chunk) not in models:
            model = ModelWrapper(with_batch(onnx.load(model_path), len(chunk)))
            models[len(chunk)] = cleanup_model(model).transform(InferDataTypes())
        model = models[len(chunk)]
        result = execute_onnx(model, {model.graph.input[0].name: chunk})
        for name, output in zip(('scores', 'label'), model.graph.output):
            outputs[name].append(result[output.name])
        print('%d / %d images' % (min(start + batch, len(pixels)), len(pixels)),
              file=sys.stderr)
    return dict((name, np.concatenate(values)) for name, values in outputs.items())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('model')
    parser.add_argument('images', help='npz with pixels (uint8, (N, 784))')
    parser.add_argument('out', help='npz to write: label, scores')
    parser.add_argument('--batch', type=int, default=500)
    args = parser.parse_args(argv)
    pixels = np.load(args.images)['pixels']
    result = execute(args.model, pixels.reshape(len(pixels), -1), args.batch)
    directory = os.path.dirname(os.path.abspath(args.out))
    fd, tmp = tempfile.mkstemp(suffix='.npz', dir=directory)
    os.close(fd)
    np.savez(tmp, **result)
    os.replace(tmp, args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
