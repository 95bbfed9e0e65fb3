"""The finn-hlslib HLS back end: C++ for Vivado HLS, its C simulation and its reports.

* :mod:`~hwgen.hls.layers` -- how each :class:`~hwgen.layerspec.LayerSpec` maps onto
  finn-hlslib (:class:`~hwgen.hls.layers.HlsLayer`, :class:`~hwgen.hls.layers.HlsNetwork`);
* :mod:`~hwgen.hls.render` -- the template files of ``templates/`` filled in;
* :mod:`~hwgen.hls.project` -- the project folder (config.h, top.cpp, testbench, TCL,
  hwgen.json) written and read back;
* :mod:`~hwgen.hls.toolchain` and :mod:`~hwgen.hls.csim` -- g++ C simulation against
  finn-hlslib, bit for bit against :mod:`hwgen.intmodel`;
* :mod:`~hwgen.hls.reports` -- Vivado HLS synthesis reports as plain dicts.
"""
from __future__ import absolute_import
