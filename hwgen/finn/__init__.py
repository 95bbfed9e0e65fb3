"""FINN's parameter side: integer thresholds, packed words and the BNN-PYNQ parameter files.

* :mod:`~hwgen.finn.thresholds` -- BatchNorm + quantized activation folded into integer
  thresholds, exactly;
* :mod:`~hwgen.finn.packing` -- integer matrices <-> per-PE 64-bit weight words and threshold
  memories;
* :mod:`~hwgen.finn.files` -- the ``<layer>-<pe>-weights.bin`` / ``-thres.bin`` files.
"""
from __future__ import absolute_import
