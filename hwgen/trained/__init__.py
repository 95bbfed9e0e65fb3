"""A trained run as hardware: its integer layers, the export folder and reading it back.

* :mod:`~hwgen.trained.network` -- a run folder -> :class:`~hwgen.trained.network.HardwareNetwork`
  (integer weights, thresholds, the layer specs of :mod:`hwgen.network`, the score map);
* :mod:`~hwgen.trained.export` -- ``OUT/params``, ``OUT/hw`` and ``OUT/manifest.json``;
* :mod:`~hwgen.trained.readback` -- an export (or a bare BNN-PYNQ parameter folder) as an
  integer classifier: its accuracy and its C simulation.
"""
from __future__ import absolute_import
