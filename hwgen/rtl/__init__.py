"""Synthesisable Verilog from the layer IR, simulated with Verilator against the integer model.

* :mod:`hwgen.rtl.ir` -- everything the RTL path uses from the rest of hwgen;
* :mod:`hwgen.rtl.design` -- the Verilog parameters of each layer and the stream widths;
* :mod:`hwgen.rtl.memories` -- weight and threshold memories as ``$readmemh`` text;
* :mod:`hwgen.rtl.render` -- the templates (``templates/``) filled for a network;
* :mod:`hwgen.rtl.writer` -- :func:`~hwgen.rtl.writer.write_rtl`, the one writer of a folder;
* :mod:`hwgen.rtl.verilator` -- building and running the Verilator testbench;
* :mod:`hwgen.rtl.simulate` -- simulation against the integer model, latency and interval;
* :mod:`hwgen.rtl.cli` -- ``qnn hwgen rtl``.

See ``docs/rtl.md``.
"""
