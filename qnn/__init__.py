"""qnn: quantized neural networks in Theano/Lasagne, from training to FPGA parameter files."""
from __future__ import absolute_import

__version__ = '0.1.0'
