"""The foldings under which the estimates best reproduce the paper's BRAM extremes.

The paper gives BRAM for its 64 networks (W, A in 1..8) but not the folding it used. Its
best and worst BRAM (Table 2: 224 and 1 643 RAMB18) pin it down better than its LUT or FF
figures do: in the FINN-R model BRAM depends only on the weights' width and the folding.
:func:`best_bram_folding` searches every *balanced* folding of 784-1024x3-10 -- power-of-two
SIMD and PE, hidden layers unpadded, every layer taking between T/2 and T cycles per image for
one T -- applied to all 64 networks, and returns those whose estimated BRAM extremes are
closest to the paper's (sum of the two relative errors). Packing and stream-width rules are
not imposed: the paper's generator is not known to share them.

The closest is not unique: six foldings tie exactly (SIMD 32,32,32,4 or 32,32,32,8 with
PE 64, 32 or 16 in each hidden layer: 512, 1 024 or 2 048 cycles per image; BRAM 232 or 216
and 1 576 against 224 and 1 643, the same error). BRAM does not tell them apart, though their
LUT and FF figures differ by a factor of four. The tie-break is the enumeration order: fewest
cycles per image first (512, LFC's throughput), then smaller SIMD and PE, layer by layer.

The search adds each layer's weight BRAM (at W = 1 and W = 8) and the BRAM of its output
FIFO (at A = 1 and A = 8) -- BRAM grows with both -- to the I/O FIFOs; the result is
recomputed with :func:`hwgen.estimate.models.estimate_network` over the whole grid.
"""
from __future__ import absolute_import, division, print_function

import itertools

from hwgen.estimate.bram import bram18_finn_r
from hwgen.estimate.infrastructure import network_streams
from hwgen.estimate.published import paper_table2
from hwgen.folding.base import LFC_SIZES, Folding
from hwgen.layerspec import LayerSpec

__all__ = ['GRID_BITS', 'balanced_foldings', 'best_bram_folding']

#: The paper's precisions: W and A in 1..8.
GRID_BITS = tuple(range(1, 9))

#: Errors this close are a tie (232/224 - 1 and 1 - 216/224 differ only by rounding).
_TIE = 1e-12


def _powers_of_two(limit):
    value = 1
    while value <= limit:
        yield value
        value *= 2


def _layer_options(sizes, index, cycles):
    """Foldings of layer ``index`` with power-of-two SIMD and PE taking (cycles/2, cycles]."""
    n_layers = len(sizes) - 1
    first, last = index == 0, index == n_layers - 1
    options = []
    for simd in _powers_of_two(sizes[index] if not first else 1024):
        for pe in _powers_of_two(sizes[index + 1] if not last else 1024):
            folding = Folding(sizes[index], sizes[index + 1], simd, pe, first=first, last=last)
            if folding.padded_mw % simd or folding.padded_mh % pe:
                continue
            if (not last and folding.n_pad_rows) or (not first and folding.n_pad_cols):
                continue
            if cycles // 2 < folding.cycles <= cycles:
                options.append(folding)
    return options


def balanced_foldings(sizes=LFC_SIZES, max_cycles=1 << 16):
    """Every balanced folding of ``sizes`` (see the module docstring), T up to ``max_cycles``."""
    n_layers = len(sizes) - 1
    for cycles in _powers_of_two(max_cycles):
        per_layer = [_layer_options(sizes, index, cycles) for index in range(n_layers)]
        for chain in itertools.product(*per_layer):
            yield list(chain)


def _stream_bram(folding, a_bits, kind):
    """BRAM of the ``kind`` streams of a two-layer probe whose first layer is ``folding``.

    ``'fifo'``: the FIFO a hidden layer writes (the depth rule of the generated top.cpp);
    ``'io fifo'``: the two FIFOs at the network's ends.
    """
    probe = [LayerSpec(folding, a_bits=a_bits), LayerSpec(folding, a_bits=1)]
    return sum(s['BRAM_18K'] for s in network_streams(probe) if s['kind'] == kind)


def _layer_bram_bounds(folding, cache):
    """(BRAM at W = 1, A = 1; BRAM at W = 8, A = 8) of one layer and its output FIFO."""
    key = tuple(folding)
    if key not in cache:
        low_w, high_w = min(GRID_BITS), max(GRID_BITS)
        fifo = (lambda a: 0) if folding.last else (lambda a: _stream_bram(folding, a, 'fifo'))
        cache[key] = (bram18_finn_r(LayerSpec(folding, w_bits=low_w)) + fifo(min(GRID_BITS)),
                      bram18_finn_r(LayerSpec(folding, w_bits=high_w)) + fifo(max(GRID_BITS)))
    return cache[key]


def best_bram_folding(sizes=LFC_SIZES, target=None):
    """The balanced foldings whose estimated BRAM best/worst are closest to ``target``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, default LFC's 784-1024x3-10.
    target : (int, int), optional
        Best and worst BRAM_18K; default the paper's Table 2.

    Returns
    -------
    dict
        ``folding`` (list of Folding), ``bram`` (estimated best, worst), ``target``,
        ``error`` (sum of the two relative errors), ``candidates`` (how many were tried) and
        ``ties`` (every folding with the same error, ``folding`` first). ``folding`` is the
        first of the ties in enumeration order (see the module docstring).
    """
    target = tuple(paper_table2()['BRAM_18K']) if target is None else tuple(target)
    cache, best, count = {}, None, 0
    io_bram = None
    for chain in balanced_foldings(sizes):
        count += 1
        if io_bram is None:
            io_bram = _stream_bram(chain[0], 1, 'io fifo')
        bounds = [_layer_bram_bounds(folding, cache) for folding in chain]
        low = io_bram + sum(b[0] for b in bounds)
        high = io_bram + sum(b[1] for b in bounds)
        error = abs(low / target[0] - 1) + abs(high / target[1] - 1)
        if best is None or error < best['error'] - _TIE:
            best = {'folding': chain, 'bram': (low, high), 'target': target, 'error': error,
                    'ties': [chain]}
        elif error <= best['error'] + _TIE:
            best['ties'].append(chain)
    best['candidates'] = count
    return best
