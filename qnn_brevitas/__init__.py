"""qnn_brevitas: the paper's quantized MLP trained with Brevitas, for comparison with qnn.

It runs in its own environment (``make brevitas-env``: Python 3.11, PyTorch, Brevitas, numpy 2),
reuses qnn's Theano-free parts (:mod:`qnn.data.mnist`, :mod:`qnn.runs`, :mod:`qnn.config`,
:mod:`qnn.schedule`, :mod:`qnn.study`, :mod:`qnn.compare`, :mod:`qnn.training_loop`,
:mod:`qnn.options`, :mod:`qnn.sweep`) and never imports Theano. Runs are written in qnn's run-folder format under
``<study>/runs-brevitas/``, so the two flows exchange data only through files.

* :mod:`qnn_brevitas.quantizers`: the paper's grid as Brevitas quantizers, and Brevitas' own
  bnn_pynq defaults;
* :mod:`qnn_brevitas.model`, :mod:`qnn_brevitas.optim`, :mod:`qnn_brevitas.train`: the MLP
  and qnn's training recipe;
* :mod:`qnn_brevitas.sweep`: the Brevitas back end of qnn's sweep engine (:mod:`qnn.sweep`),
  a grid of runs beside the Theano runs of a study;
* :mod:`qnn.compare`: the side-by-side comparison with those Theano runs (needs no torch);
* :mod:`qnn_brevitas.export`: QONNX export and its check;
* :mod:`qnn_brevitas.cli`: ``python -m qnn_brevitas train|sweep|compare|export``.

Importing this package imports neither torch nor Brevitas.
"""
from __future__ import absolute_import

__version__ = '0.1.0'
