"""What the RTL path reads from the rest of :mod:`hwgen`: the one module importing it.

The Verilog writer, the memories and the simulation use the layer IR
(:class:`~hwgen.layerspec.LayerSpec` and its :class:`~hwgen.datatype.DataType` s), the integer
model they are checked against (:class:`~hwgen.intmodel.IntegerModel`), and the readers and
builders of a network's parameters (a FINN parameter folder, a trained run, MNIST pixels as
input fields, 64-bit stream words). Keeping every such import here keeps the RTL path's
dependencies on the rest of hwgen in one place.
"""
from __future__ import absolute_import, division, print_function

from hwgen.datatype import INT, UINT, smallest_fitting
from hwgen.errors import HwgenError
from hwgen.finn.packing import pack_fields, unpack_fields
from hwgen.folding.base import AXI_WORD_BITS, LFC_CYCLES
from hwgen.folding.resolve import add_folding_arguments
from hwgen.intmodel import ComparedToModel, IntegerModel
from hwgen.layerspec import LayerSpec, NetworkStreams, lfc_specs, validate_network, \
    with_last_layer
from hwgen.network import encode_input, pixel_fields
from hwgen.trained.network import from_run

__all__ = ['ComparedToModel', 'INT', 'UINT', 'smallest_fitting', 'HwgenError', 'AXI_WORD_BITS',
           'LFC_CYCLES', 'IntegerModel', 'LayerSpec', 'NetworkStreams', 'lfc_specs',
           'validate_network', 'with_last_layer', 'encode_input', 'from_run', 'pack_fields',
           'unpack_fields', 'images_to_fields', 'add_folding_arguments']


def images_to_fields(images, spec):
    """MNIST pixels -> the first layer's raw input fields for the input encoding of ``spec``
    (:func:`hwgen.network.pixel_fields`)."""
    return pixel_fields(images, spec.in_bits, spec.in_signed)
