"""Folding: how each layer is spread over SIMD lanes and PEs, and the rules it must obey.

* :mod:`~hwgen.folding.base` -- the :class:`~hwgen.folding.base.Folding` of one layer: padding,
  SF/NF/WMEM/TMEM, and the packing rules of the parameter files;
* :mod:`~hwgen.folding.streams` -- finn-hlslib's stream rules and the whole-network check;
* :mod:`~hwgen.folding.policy` -- the default folding (a target throughput, least hardware);
* :mod:`~hwgen.folding.resolve` -- a folding given by the user, read and checked.

Nothing here knows datatypes, files or C++: the folders above build on it.
"""
from __future__ import absolute_import
