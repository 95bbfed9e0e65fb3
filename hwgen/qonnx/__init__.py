"""QONNX export: a trained run as a QONNX graph that computes the integer model.

* :mod:`~hwgen.qonnx.export` -- the graph (Quant, MatMul, MultiThreshold) written with onnx;
* :mod:`~hwgen.qonnx.execute` -- such a graph run with numpy, without onnxruntime or qonnx.
"""
from __future__ import absolute_import
