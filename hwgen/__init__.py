"""hwgen: a FINN-style hardware generator for the quantized MLPs trained with :mod:`qnn`.

Pure numpy, no Theano. A trained run becomes a list of layer specs, integer thresholds and
packed parameters, then C++ for finn-hlslib, a QONNX graph or resource estimates. The parts,
in the order they build on one another (``tests/hwgen/test_layout.py`` enforces it):

* :mod:`hwgen.folding` -- each layer's SIMD/PE folding, its padding and packing rules,
  finn-hlslib's stream rules, the default folding and user foldings;
* :mod:`hwgen.datatype` -- BIPOLAR, INT(n), UINT(n) and the paper's grid: ranges, encodings,
  C++ types (the only module that spells a C++ type or a ``2**bits`` range);
* :mod:`hwgen.layerspec` -- the layer IR (datatypes, ActVal, folding, accumulator, output
  mode), serialised by ``to_dict``/``from_dict``;
* :mod:`hwgen.network` -- the one builder of a network's specs, for a run and for a study,
  and the input encoding;
* :mod:`hwgen.finn` -- integer thresholds, packed words and the BNN-PYNQ parameter files;
* :mod:`hwgen.intmodel` -- a bit-exact integer model of the FINN dataflow;
* :mod:`hwgen.estimate` -- analytical LUT/FF/BRAM/DSP estimates, devices, published figures
  and the scores of the estimates against them (under the foldings, six tie, that best
  reproduce the paper's BRAM extremes);
* :mod:`hwgen.hls` -- the finn-hlslib mapping, the HLS project, its g++ C simulation and the
  Vivado HLS reports;
* :mod:`hwgen.trained` -- a trained run as hardware, its export folder and reading it back;
* :mod:`hwgen.qonnx` -- a trained run as a QONNX graph, and that graph run with numpy;
* :mod:`hwgen.rtl` -- synthesisable Verilog from the same specs, simulated with Verilator;
* :mod:`hwgen.synth` -- Yosys synthesis of Verilog modules for 7-series cell counts;
* :mod:`hwgen.errors` -- ``HwgenError`` and ``FoldingError``; :mod:`hwgen.cli` -- ``qnn hwgen``.
"""
from __future__ import absolute_import
