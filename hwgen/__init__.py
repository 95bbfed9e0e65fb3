"""hwgen: a FINN-style hardware generator for the quantized MLPs trained with :mod:`qnn`.

Pure numpy, no Theano. The modules follow the parameter flow of the original BNN-PYNQ
``finnthesizer``, one concept each:

* :mod:`hwgen.folding` -- per-layer SIMD/PE folding, padding, SF/NF/WMEM/TMEM and the
  packing rules; :mod:`hwgen.streams` -- finn-hlslib's stream rules and the whole-network
  folding check.
* :mod:`hwgen.folding_policy` -- the default folding (LFC throughput, least hardware);
  :mod:`hwgen.folding_resolve` -- foldings given by the user, checked against those rules.
* :mod:`hwgen.datatype` -- BIPOLAR, INT(n), UINT(n) and the paper's grid: ranges, encodings,
  C++ types.
* :mod:`hwgen.layerspec` -- the layer IR (datatypes, ActVal, folding, output mode), serialised
  by ``to_dict``/``from_dict``.
* :mod:`hwgen.packing` -- integer matrices <-> per-PE 64-bit weight words and thresholds.
* :mod:`hwgen.finn_files` -- the ``<layer>-<pe>-weights.bin`` / ``-thres.bin`` files.
* :mod:`hwgen.intmodel` -- a bit-exact integer model of the FINN dataflow.
* :mod:`hwgen.thresholds` -- BatchNorm + quantized activation folded into integer thresholds.
* :mod:`hwgen.network` -- the hardware description (IR) of a trained run.
* :mod:`hwgen.export` -- writing ``OUT/params``, ``OUT/hw`` and ``OUT/manifest.json``.
* :mod:`hwgen.hls` -- how the layers map onto finn-hlslib; :mod:`hwgen.hls_project` writes and
  reads the HLS project (config.h, top.cpp, testbench, TCL, hwgen.json);
  :mod:`hwgen.hls_render` fills the templates.
* :mod:`hwgen.errors` -- ``HwgenError`` and ``FoldingError``.
* :mod:`hwgen.csim` -- C simulation against finn-hlslib, checked against intmodel;
  :mod:`hwgen.toolchain` finds the headers and runs g++ and the testbench.
* :mod:`hwgen.reports` -- Vivado HLS synthesis reports (``csynth.xml``) as plain dicts.
* :mod:`hwgen.estimates` -- analytical LUT/FF/BRAM/DSP/cycle estimates of a layer and a
  network (FINN-R models and the whole-design 'qnn-design' model), from
  :mod:`hwgen.bram_model` (where weights live, BRAM) and :mod:`hwgen.logic_model` (LUT, FF,
  DSP), in the exact integer arithmetic of :mod:`hwgen.intmath`; :mod:`hwgen.infrastructure`
  -- stream width converters and FIFOs; :mod:`hwgen.device` -- device capacities,
  utilisation, fit and throughput.
* :mod:`hwgen.published` -- published Vivado figures and device capacities
  (``data/published.json``); :mod:`hwgen.scoring` -- the estimates scored against them;
  :mod:`hwgen.folding_search` -- the foldings (six tie) that best reproduce the paper's BRAM
  extremes.
* :mod:`hwgen.qonnx_export` -- a run as a QONNX model (Quant, MatMul, MultiThreshold) that
  computes the integer model; :mod:`hwgen.qonnx_numpy` runs such a graph with numpy.
"""
from __future__ import absolute_import
