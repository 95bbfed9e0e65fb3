"""hwgen: a FINN-style hardware generator for the quantized MLPs trained with :mod:`qnn`.

Pure numpy, no Theano. The modules follow the parameter flow of the original BNN-PYNQ
``finnthesizer``, one concept each:

* :mod:`hwgen.folding.base` -- per-layer SIMD/PE folding, padding, SF/NF/WMEM/TMEM and the
  packing rules; :mod:`hwgen.folding.streams` -- finn-hlslib's stream rules and the whole-network
  folding check.
* :mod:`hwgen.folding.policy` -- the default folding (LFC throughput, least hardware);
  :mod:`hwgen.folding.resolve` -- foldings given by the user, checked against those rules.
* :mod:`hwgen.datatype` -- BIPOLAR, INT(n), UINT(n) and the paper's grid: ranges, encodings,
  C++ types.
* :mod:`hwgen.layerspec` -- the layer IR (datatypes, ActVal, folding, output mode), serialised
  by ``to_dict``/``from_dict``.
* :mod:`hwgen.finn.packing` -- integer matrices <-> per-PE 64-bit weight words and thresholds.
* :mod:`hwgen.finn.files` -- the ``<layer>-<pe>-weights.bin`` / ``-thres.bin`` files.
* :mod:`hwgen.intmodel` -- a bit-exact integer model of the FINN dataflow.
* :mod:`hwgen.finn.thresholds` -- BatchNorm + quantized activation folded into integer thresholds.
* :mod:`hwgen.trained.network` -- the hardware description (IR) of a trained run.
* :mod:`hwgen.trained.export` -- writing ``OUT/params``, ``OUT/hw`` and ``OUT/manifest.json``.
* :mod:`hwgen.hls.layers` -- how the layers map onto finn-hlslib; :mod:`hwgen.hls.project` writes and
  reads the HLS project (config.h, top.cpp, testbench, TCL, hwgen.json);
  :mod:`hwgen.hls.render` fills the templates.
* :mod:`hwgen.errors` -- ``HwgenError`` and ``FoldingError``.
* :mod:`hwgen.hls.csim` -- C simulation against finn-hlslib, checked against intmodel;
  :mod:`hwgen.hls.toolchain` finds the headers and runs g++ and the testbench.
* :mod:`hwgen.hls.reports` -- Vivado HLS synthesis reports (``csynth.xml``) as plain dicts.
* :mod:`hwgen.estimate.models` -- analytical LUT/FF/BRAM/DSP/cycle estimates of a layer and a
  network (FINN-R models and the whole-design 'qnn-design' model), from
  :mod:`hwgen.estimate.bram` (where weights live, BRAM) and :mod:`hwgen.estimate.logic` (LUT, FF,
  DSP), in the exact integer arithmetic of :mod:`hwgen.estimate.intmath`; :mod:`hwgen.estimate.infrastructure`
  -- stream width converters and FIFOs; :mod:`hwgen.estimate.device` -- device capacities,
  utilisation, fit and throughput.
* :mod:`hwgen.estimate.published` -- published Vivado figures and device capacities
  (``data/published.json``); :mod:`hwgen.estimate.scoring` -- the estimates scored against them;
  :mod:`hwgen.estimate.folding_search` -- the folding that best reproduces the paper's BRAM extremes.
* :mod:`hwgen.qonnx.export` -- a run as a QONNX model (Quant, MatMul, MultiThreshold) that
  computes the integer model; :mod:`hwgen.qonnx.execute` runs such a graph with numpy.
"""
from __future__ import absolute_import
