"""Synthesis of hwgen's Verilog with Yosys for the Z7020's 7-series fabric.

* :mod:`hwgen.synth.yosys` -- :func:`synthesize`: Yosys ``synth_xilinx`` (xc7, out of
  context) on Verilog files, as resource counts labelled ``yosys-xc7``;
* :mod:`hwgen.synth.stat` -- reads Yosys ``stat -json`` output;
* :mod:`hwgen.synth.cells` -- what each 7-series cell costs in LUT, LUTRAM, FF, BRAM_18K and
  DSP (the one place that maps cell names);
* :mod:`hwgen.synth.compose` -- a whole design from per-module counts times instances;
* :mod:`hwgen.synth.errors` -- what fails (Yosys runs through :func:`hwgen.tools.run_command`).

Which Yosys and why: ``docs/synthesis.md``; installed by ``make synth-tools``.
"""
from __future__ import absolute_import

from hwgen.synth.cells import RESOURCES, count_resources
from hwgen.synth.compose import compose
from hwgen.synth.errors import SynthesisError, YosysNotFound
from hwgen.synth.stat import stat_resources
from hwgen.synth.yosys import SOURCE, find_yosys, synthesize, yosys_version

__all__ = ['RESOURCES', 'SOURCE', 'SynthesisError', 'YosysNotFound', 'compose',
           'count_resources', 'find_yosys', 'stat_resources', 'synthesize', 'yosys_version']
