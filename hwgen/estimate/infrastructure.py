"""Resources outside the matrix-vector units: stream width converters and FIFOs.

A generated accelerator (``top.cpp``) streams 64-bit words from memory through
``Mem2Stream_Batch`` into the first layer, from each layer into the next, and out through
``Stream2Mem_Batch``. Each layer converts its input stream to ``SIMD * input bits`` per cycle
and each stream is a FIFO: 1024-deep 64-bit FIFOs at both ends, ``max(2, 512 / PE)``-deep
FIFOs between layers (BNN-PYNQ's depths, used by :mod:`hwgen.hls.render`). The cost models
follow FINN's ``StreamingDataWidthConverter`` and ``StreamingFIFO`` estimates:

* width converter from ``a`` to ``b`` bits: ``lcm(a, b)`` LUTs of shift register (when
  ``a != b``) plus a ``log2`` counter per side that differs from ``lcm``;
* FIFO of depth ``d`` and width ``w``: deeper than :data:`SRL_MAX_DEPTH` in RAMB18s,
  ``ceil(d / 512) * ceil(w / 36)`` of them, plus ``2 * ceil(log2 d)`` address LUTs; otherwise
  in shift-register LUTs, ``ceil(d / 32) * ceil(w / 2)`` of them.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> [stream['kind'] for stream in network_streams(lfc_specs('W1A1'))][:4]
['io fifo', 'converter', 'fifo', 'converter']
>>> stream_resources(lfc_specs('W1A1'))['BRAM_18K']  # two 1024 x 64-bit FIFOs, 4 RAMB18 each
8
"""
from __future__ import absolute_import, division, print_function

from hwgen.estimate.intmath import ceil_div, ceil_log2
from hwgen.folding.base import AXI_WORD_BITS
from hwgen.folding.streams import IO_FIFO_DEPTH, inter_fifo_depth

__all__ = ['SRL_MAX_DEPTH', 'converter_luts', 'fifo_resources', 'network_streams',
           'stream_resources']

#: FIFOs up to this depth are shift registers (SRL32) in LUTs; deeper ones use block RAM.
SRL_MAX_DEPTH = 256


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def converter_luts(in_bits, out_bits):
    """LUTs of a stream width converter from ``in_bits`` to ``out_bits`` per word.

    Examples
    --------
    >>> converter_luts(64, 64)
    0
    >>> converter_luts(64, 32)  # one 64-bit register, a 1-bit counter on the output side
    65
    >>> converter_luts(32, 48)  # up to lcm 96, then down: 96 + 2 + 96 + 1
    195
    """
    if in_bits == out_bits:
        return 0
    common = in_bits * out_bits // _gcd(in_bits, out_bits)
    luts = 0
    for side in (in_bits, out_bits):
        if side != common:
            luts += common + ceil_log2(common // side)
    return luts


def fifo_resources(depth, width):
    """``{'LUT': ..., 'BRAM_18K': ...}`` of one FIFO.

    Examples
    --------
    >>> sorted(fifo_resources(1024, 64).items())
    [('BRAM_18K', 4), ('LUT', 20)]
    >>> sorted(fifo_resources(16, 32).items())   # an SRL FIFO: one 32-deep column per 2 bits
    [('BRAM_18K', 0), ('LUT', 24)]
    """
    address = 2 * ceil_log2(depth)
    if depth > SRL_MAX_DEPTH:
        return {'LUT': address, 'BRAM_18K': ceil_div(depth, 512) * ceil_div(width, 36)}
    return {'LUT': address + ceil_div(depth, 32) * ceil_div(width, 2), 'BRAM_18K': 0}


def network_streams(specs):
    """Every stream element of a chain of layers, in order, with its resources.

    Returns
    -------
    list of dict
        ``kind`` ('io fifo', 'converter' or 'fifo'), ``layer`` (the layer it feeds or
        leaves), ``in_bits``/``out_bits`` (converters) or ``depth``/``width`` (FIFOs), and
        ``LUT`` and ``BRAM_18K``.
    """
    streams = []

    def fifo(kind, layer, depth, width):
        entry = {'kind': kind, 'layer': layer, 'depth': depth, 'width': width}
        entry.update(fifo_resources(depth, width))
        streams.append(entry)

    def converter(layer, in_bits, out_bits):
        streams.append({'kind': 'converter', 'layer': layer, 'in_bits': in_bits,
                        'out_bits': out_bits, 'LUT': converter_luts(in_bits, out_bits),
                        'BRAM_18K': 0})

    fifo('io fifo', 0, IO_FIFO_DEPTH, AXI_WORD_BITS)
    width = AXI_WORD_BITS
    for index, spec in enumerate(specs):
        folding = spec.folding
        converter(index, width, folding.simd * spec.in_bits)
        width = folding.pe * spec.a_bits
        if index < len(specs) - 1:
            fifo('fifo', index, inter_fifo_depth(folding.pe), width)
    converter(len(specs) - 1, width, AXI_WORD_BITS)
    fifo('io fifo', len(specs) - 1, IO_FIFO_DEPTH, AXI_WORD_BITS)
    return streams


def stream_resources(specs):
    """Total ``LUT`` and ``BRAM_18K`` of :func:`network_streams`."""
    streams = network_streams(specs)
    return {'LUT': sum(s['LUT'] for s in streams),
            'BRAM_18K': sum(s['BRAM_18K'] for s in streams)}
