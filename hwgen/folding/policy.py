"""Which folding a network gets by default: the least hardware at a target throughput.

:func:`default_folding` chooses, for layer sizes and precisions, the folding with the least
hardware (SIMD x PE lanes plus PEs) whose slowest layer takes at most a target number of
cycles per image (BNN-PYNQ LFC's :data:`~hwgen.folding.base.LFC_CYCLES` = 512 by default) under
every rule of :func:`hwgen.folding.streams.validate_network_folding` -- packing and finn-hlslib's
streams -- and refuses a target no folding meets; at LFC sizes it is BNN-PYNQ's LFC folding
whenever that obeys the rules and is as fast (every W1 network at 512 cycles, in particular
W1A1 and W1A2). The stream rules do not depend on the activation width, so every network of
a study gets the same throughput. Foldings given by the user are read and checked in
:mod:`hwgen.folding.resolve`.

Examples
--------
>>> from hwgen.folding.resolve import describe_folding
>>> describe_folding(default_folding(LFC_SIZES, w_bits=1, a_bits=3))
'64,32,64,8:32,64,32,16'
>>> describe_folding(default_folding(LFC_SIZES, w_bits=8, a_bits=7))
'8,8,8,8:256,256,256,16'
"""
from __future__ import absolute_import, division, print_function

import math
import numbers

from hwgen.errors import FoldingError
from hwgen.folding.base import (AXI_WORD_BITS, LFC_CYCLES, LFC_PE, LFC_SIMD, LFC_SIZES, Folding,
                                network_folding, pad_to)
from hwgen.folding.streams import (AP_INT_LIMIT, INPUT_BITS, input_stream_error,
                                   output_stream_error, validate_network_folding, widths_divide)

__all__ = ['default_folding']


# ---------------------------------------------------------------------------------------------
# The default folding.

def _divisors(value):
    small = [d for d in range(1, int(math.sqrt(value)) + 1) if value % d == 0]
    return sorted(set(small + [value // d for d in small]))


def _is_positive_int(value):
    return not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= 1


def _log2_distance(value, reference):
    return abs(math.log(value / reference, 2))


def _layer_options(sizes, index, w_bits, reference):
    """Every folding of layer ``index`` that leaves hidden layers unpadded, with its cost.

    Cost, compared in this order: ``SIMD x PE + PE`` (a multiply-accumulate per lane and an
    accumulator with its threshold comparators per PE), the log2 distance to the reference
    folding (LFC's, in thousandths) and -SIMD (wider weight words, fewer PEs).
    """
    n_layers = len(sizes) - 1
    first, last = index == 0, index == n_layers - 1
    mw, mh = sizes[index], sizes[index + 1]
    options = []
    for simd in _divisors(pad_to(mw, AXI_WORD_BITS) if first else mw):
        if simd * w_bits > AXI_WORD_BITS:
            break
        for pe in _divisors(pad_to(mh, AXI_WORD_BITS) if last else mh):
            f = Folding(mw, mh, simd, pe, first=first, last=last)
            if f.padded_mw % simd or f.padded_mh % pe or \
                    (not last and f.n_pad_rows) or (not first and f.n_pad_cols):
                continue
            distance = 0
            if reference is not None:
                distance = int(round(1000 * (_log2_distance(simd, reference[0][index]) +
                                             _log2_distance(pe, reference[1][index]))))
            options.append((f, (simd * pe + pe, distance, -simd)))
    return options


class _Streams(object):
    """Memoised stream rules for every activation and input width a folding must serve."""

    def __init__(self, a_options, in_options):
        self.a_options, self.in_options = tuple(a_options), tuple(in_options)

    def first_ok(self, f):
        return all(input_stream_error(0, f, AXI_WORD_BITS, bits) is None and
                   f.simd * bits <= AP_INT_LIMIT for bits in self.in_options)

    def last_ok(self, f):
        return output_stream_error(0, f, 1) is None

    def link_ok(self, previous_pe, f):
        """PE and the next SIMD divide one another (see
        :func:`~hwgen.folding.streams.link_stream_error`; the rule holds for every activation
        width alike) and the streams fit ap_int."""
        widest = max(previous_pe, f.simd) * max(self.a_options or (1,))
        return widths_divide(previous_pe, f.simd) and widest <= AP_INT_LIMIT


def _add(cost, other):
    return tuple(a + b for a, b in zip(cost, other))


def _cheapest_chain(options, bound, streams):
    """The cheapest chain whose layers all take <= ``bound`` cycles, or None.

    Dynamic programming over the layers; the stream rules only couple a layer's PE with the
    next layer's SIMD, so the state is the PE of the layer before.
    """
    best = {}            # PE of the last chosen layer -> (cost, foldings)
    n_layers = len(options)
    for index, layer_options in enumerate(options):
        chosen = {}
        for f, cost in layer_options:
            if f.cycles > bound or (index == n_layers - 1 and not streams.last_ok(f)):
                continue
            if index == 0:
                if not streams.first_ok(f):
                    continue
                candidate = (cost, [f])
            else:
                previous = [best[pe] for pe in best if streams.link_ok(pe, f)]
                if not previous:
                    continue
                before = min(previous, key=_chain_key)
                candidate = (_add(before[0], cost), before[1] + [f])
            if f.pe not in chosen or _chain_key(candidate) < _chain_key(chosen[f.pe]):
                chosen[f.pe] = candidate
        best = chosen
        if not best:
            return None
    return min(best.values(), key=_chain_key)[1]


def _chain_key(candidate):
    cost, foldings = candidate
    return cost, [(f.simd, f.pe) for f in foldings]


def default_folding(sizes, w_bits, a_bits=None, in_bits=None, target_cycles=LFC_CYCLES):
    """The folding policy: one throughput for every precision, from the least hardware.

    Among the foldings that obey every rule of :func:`validate_network_folding` (SIMD and PE
    any divisors of the layer sizes, hidden layers unpadded) and whose slowest layer needs at
    most ``target_cycles`` cycles per image, the one with the smallest sum of
    ``SIMD x PE + PE`` (lanes plus PEs, a proxy for LUTs); ties go to the folding closest (log2
    of SIMD and PE) to LFC's when ``sizes`` are LFC's, then to larger SIMD. At LFC sizes,
    BNN-PYNQ's LFC folding replaces it whenever that obeys the rules and is as fast. The
    stream rules do not depend on the activation width
    (:func:`hwgen.folding.streams.link_stream_bits`), so every network of a study runs at the
    same cycles per image; what this gives at LFC sizes is in the README, "Hardware
    generation".

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes including the input, e.g. ``(784, 1024, 1024, 1024, 10)``.
    w_bits : int
        Weight bits.
    a_bits : int, optional
        Activation bits of the hidden layers; only the ap_int width limit of the streams
        depends on it. None: that limit is checked for 1-bit codes.
    in_bits : int, optional
        Bits of an input element (1 or 8). None: valid for both.
    target_cycles : int
        Cycles per image the slowest layer may take (default :data:`LFC_CYCLES`); lower means
        faster and larger.

    Returns
    -------
    list of Folding

    Raises
    ------
    FoldingError
        No folding obeys the rules within ``target_cycles`` (the message gives the fewest
        cycles per image any folding reaches), or none obeys them at all.

    Examples
    --------
    >>> from hwgen.folding.resolve import describe_folding
    >>> describe_folding(default_folding(LFC_SIZES, 1, a_bits=2))
    '64,32,64,8:32,64,32,16'
    >>> describe_folding(default_folding(LFC_SIZES, 2, a_bits=2))
    '32,32,32,32:64,64,64,4'
    >>> describe_folding(default_folding([784, 64, 64, 10], 1, a_bits=1, in_bits=1))
    '64,8,8:2,1,1'
    """
    sizes = [int(size) for size in sizes]
    for name, value in (('w_bits', w_bits), ('a_bits', a_bits), ('in_bits', in_bits)):
        if value is not None and not _is_positive_int(value):
            raise ValueError('%s must be a positive integer, got %r' % (name, value))
    if not _is_positive_int(target_cycles):
        raise FoldingError('the target cycles per image must be a positive integer, got %r'
                           % (target_cycles,))
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError('sizes must be >= 2 positive layer sizes, got %r' % (sizes,))
    if w_bits > AXI_WORD_BITS:
        raise ValueError('w_bits=%d does not fit the %d-bit weight word'
                         % (w_bits, AXI_WORD_BITS))
    reference = (LFC_SIMD, LFC_PE) if tuple(sizes) == LFC_SIZES else None
    options = [_layer_options(sizes, index, w_bits, reference)
               for index in range(len(sizes) - 1)]
    streams = _Streams(() if a_bits is None else (a_bits,),
                       INPUT_BITS if in_bits is None else (in_bits,))
    chain = _cheapest_chain(options, target_cycles, streams)
    if chain is None:
        fastest = _fewest_cycles(options, streams)
        if fastest is None:
            raise FoldingError('no folding of %s with %d-bit weights satisfies the packing and '
                               'stream rules' % ('-'.join(map(str, sizes)), w_bits))
        raise FoldingError('no folding of %s with %d-bit weights reaches %d cycles per image; '
                           'the fastest takes %d' % ('-'.join(map(str, sizes)), w_bits,
                                                     target_cycles, fastest))
    lfc = _lfc_if_valid(sizes, w_bits, a_bits, in_bits)
    if lfc is not None and _cycles(lfc) == _cycles(chain):
        return lfc
    return chain


def _cycles(foldings):
    return max(f.cycles for f in foldings)


def _lfc_if_valid(sizes, w_bits, a_bits, in_bits):
    """BNN-PYNQ's LFC folding when ``sizes`` are LFC's and it obeys every rule, else None."""
    if tuple(sizes) != LFC_SIZES or w_bits * max(LFC_SIMD) > AXI_WORD_BITS:
        return None
    lfc = network_folding(sizes, LFC_SIMD, LFC_PE)
    try:
        for bits in INPUT_BITS if in_bits is None else (in_bits,):
            validate_network_folding(lfc, w_bits, a_bits, bits)
    except ValueError:
        return None
    return lfc


def _fewest_cycles(options, streams):
    """The fewest cycles per image any folding obeying the rules reaches, or None."""
    bounds = sorted(set(f.cycles for layer in options for f, _ in layer))
    if not bounds or _cheapest_chain(options, bounds[-1], streams) is None:
        return None
    low, high = 0, len(bounds) - 1
    while low < high:
        middle = (low + high) // 2
        if _cheapest_chain(options, bounds[middle], streams) is None:
            low = middle + 1
        else:
            high = middle
    return bounds[low]
