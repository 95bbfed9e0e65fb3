"""Resources without synthesis: analytical estimates, devices and published figures.

* :mod:`~hwgen.estimate.models` -- one estimate per layer and network from the models of
  :mod:`~hwgen.estimate.bram` (where weights live, BRAM), :mod:`~hwgen.estimate.logic`
  (LUT, FF, DSP) and :mod:`~hwgen.estimate.infrastructure` (stream width converters, FIFOs),
  in the integer arithmetic of :mod:`~hwgen.estimate.intmath`;
* :mod:`~hwgen.estimate.device` -- device capacities, fit and throughput;
* :mod:`~hwgen.estimate.published` -- published Vivado figures (``data/published.json``);
  :mod:`~hwgen.estimate.scoring` scores the estimates against them, with the folding of
  :mod:`~hwgen.estimate.folding_search`.

The models read :class:`~hwgen.layerspec.LayerSpec` s only: no parameter, file or C++.
"""
from __future__ import absolute_import
