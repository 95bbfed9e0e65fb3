"""hwgen: a FINN-style hardware generator for the quantized MLPs trained with :mod:`qnn`.

Pure numpy, no Theano. The modules follow the parameter flow of the original BNN-PYNQ
``finnthesizer``, one concept each:

* :mod:`hwgen.folding` -- per-layer SIMD/PE folding, padding, SF/NF/WMEM/TMEM.
* :mod:`hwgen.layerspec` -- the per-layer description record (bit widths, ActVal, folding).
* :mod:`hwgen.packing` -- integer matrices <-> per-PE 64-bit weight words and thresholds.
* :mod:`hwgen.finn_files` -- the ``<layer>-<pe>-weights.bin`` / ``-thres.bin`` files.
* :mod:`hwgen.intmodel` -- a bit-exact integer model of the FINN dataflow.
* :mod:`hwgen.reports` -- Vivado HLS synthesis reports (``csynth.xml``) as plain dicts.
* :mod:`hwgen.estimates` -- FINN-R style analytical LUT/BRAM/DSP/cycle estimates.
"""
from __future__ import absolute_import
