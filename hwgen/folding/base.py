"""Folding of fully-connected layers onto SIMD lanes and PEs: padding and packing rules.

A FINN ``StreamingFCLayer`` computes an (MH x MW) matrix-vector product with ``PE`` processing
elements (one output row each per step) of ``SIMD`` lanes (input columns per step). The matrix
is padded so that both divide it, following BNN-PYNQ's ``finnthesizer``:

* columns are padded to a multiple of SIMD; the *first* layer pads to a multiple of
  ``max(SIMD, 64)`` because its input arrives in 64-bit AXI words (784 -> 832 for MNIST);
* rows are padded to a multiple of PE; the *last* layer pads to a multiple of
  ``max(PE, 64)`` because its output leaves in 64-bit words (10 -> 64).

With the padded sizes, ``SF = MW / SIMD`` (folds per row), ``NF = MH / PE`` (rows per PE),
``WMEM = SF * NF`` (weight words per PE) and ``TMEM = NF`` (threshold entries per PE). One
image takes ``WMEM`` cycles in the layer.

The packing rules (:func:`validate_folding`, :func:`validate_chain`): SIMD and PE divide the
padded matrix, ``SIMD * w_bits <= 64`` (one weight word), and each layer reads as many values
as the previous one writes. finn-hlslib's stream rules and the whole-network check are in
:mod:`hwgen.folding.streams`; which folding a network gets, in :mod:`hwgen.folding.policy`.

Examples
--------
>>> layers = lfc_folding()
>>> [(f.padded_mw, f.padded_mh, f.wmem, f.tmem) for f in layers]
[(832, 1024, 416, 32), (1024, 1024, 512, 16), (1024, 1024, 512, 32), (1024, 64, 512, 4)]
"""
from __future__ import absolute_import, division, print_function

import collections
import numbers

__all__ = ['AXI_WORD_BITS', 'LFC_SIZES', 'LFC_SIMD', 'LFC_PE', 'LFC_CYCLES', 'Folding',
           'pad_to', 'validate_folding', 'validate_chain', 'network_folding', 'lfc_folding']

#: Width of the AXI words the first layer reads and the last layer writes; also the largest
#: weight word (SIMD * W) the parameter files can hold.
AXI_WORD_BITS = 64

#: Layer sizes of the paper's / BNN-PYNQ's LFC network, input included.
LFC_SIZES = (784, 1024, 1024, 1024, 10)
#: BNN-PYNQ's LFC folding (W1A1 and W1A2), layer by layer.
LFC_SIMD = (64, 32, 64, 8)
LFC_PE = (32, 64, 32, 16)
#: Cycles per image of the LFC folding's slowest layer (1024 x 1024 / (32 x 64)): the
#: throughput :func:`hwgen.folding.policy.default_folding` aims at, about 195k images/s at
#: 100 MHz.
LFC_CYCLES = 512


def pad_to(value, multiple):
    """The smallest multiple of ``multiple`` that is >= ``value``.

    Examples
    --------
    >>> pad_to(784, 64), pad_to(10, 64), pad_to(1024, 32)
    (832, 64, 1024)
    """
    remainder = value % multiple
    return value if remainder == 0 else value + multiple - remainder


class Folding(collections.namedtuple('Folding', ['mw', 'mh', 'simd', 'pe', 'first', 'last'])):
    """Folding of one fully-connected layer.

    Parameters
    ----------
    mw, mh : int
        Unpadded matrix width (inputs, fan-in) and height (outputs, neurons).
    simd, pe : int
        Input lanes and processing elements.
    first, last : bool
        Whether this is the network's first / last layer (they have extra AXI padding).

    Attributes
    ----------
    padded_mw, padded_mh : int
        Matrix size after padding (``MW`` and ``MH`` of the hardware's ``config.h``).
    n_pad_cols, n_pad_rows : int
        Padded columns (synapses) and rows (neurons).
    sf, nf, wmem, tmem : int
        Folds per row, rows per PE, weight words per PE, threshold entries per PE.
    cycles : int
        Cycles per image (= WMEM).

    Examples
    --------
    >>> f = Folding(784, 1024, simd=64, pe=32, first=True)
    >>> f.padded_mw, f.n_pad_cols, f.sf, f.nf, f.wmem, f.tmem
    (832, 48, 13, 32, 416, 32)
    """
    __slots__ = ()

    def __new__(cls, mw, mh, simd, pe, first=False, last=False):
        return super(Folding, cls).__new__(cls, mw, mh, simd, pe, bool(first), bool(last))

    @property
    def col_multiple(self):
        """Columns are padded to a multiple of this."""
        return max(self.simd, AXI_WORD_BITS) if self.first else self.simd

    @property
    def row_multiple(self):
        """Rows are padded to a multiple of this."""
        return max(self.pe, AXI_WORD_BITS) if self.last else self.pe

    @property
    def padded_mw(self):
        return pad_to(self.mw, self.col_multiple)

    @property
    def padded_mh(self):
        return pad_to(self.mh, self.row_multiple)

    @property
    def n_pad_cols(self):
        return self.padded_mw - self.mw

    @property
    def n_pad_rows(self):
        return self.padded_mh - self.mh

    @property
    def sf(self):
        return self.padded_mw // self.simd

    @property
    def nf(self):
        return self.padded_mh // self.pe

    @property
    def wmem(self):
        return self.sf * self.nf

    @property
    def tmem(self):
        return self.nf

    @property
    def cycles(self):
        return self.wmem


def _check_positive_int(name, value, layer):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError('layer %s: %s must be a positive integer, got %r' % (layer, name, value))


def validate_folding(folding, w_bits=1, layer='?'):
    """Check that ``folding`` can be packed for ``w_bits``-bit weights.

    Parameters
    ----------
    folding : Folding
        The layer's folding.
    w_bits : int
        Weight bits; a weight word holds SIMD * w_bits <= 64 bits.
    layer : str or int
        Used in error messages.

    Returns
    -------
    Folding
        ``folding`` itself.

    Raises
    ------
    ValueError
        A size is not a positive integer, SIMD or PE does not divide the padded matrix (this
        happens when the AXI padding of the first or last layer is not a multiple of SIMD or
        PE, e.g. SIMD 48 on 832 columns), or SIMD * w_bits > 64.

    Examples
    --------
    >>> validate_folding(Folding(784, 1024, 48, 32, first=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: layer ?: SIMD 48 does not divide the padded width 832 (MW 784 padded to ...
    """
    for name in ('mw', 'mh', 'simd', 'pe'):
        _check_positive_int(name, getattr(folding, name), layer)
    _check_positive_int('w_bits', w_bits, layer)
    if folding.padded_mw % folding.simd:
        raise ValueError('layer %s: SIMD %d does not divide the padded width %d (MW %d padded '
                         'to a multiple of %d)' % (layer, folding.simd, folding.padded_mw,
                                                    folding.mw, folding.col_multiple))
    if folding.padded_mh % folding.pe:
        raise ValueError('layer %s: PE %d does not divide the padded height %d (MH %d padded '
                         'to a multiple of %d)' % (layer, folding.pe, folding.padded_mh,
                                                    folding.mh, folding.row_multiple))
    if folding.simd * w_bits > AXI_WORD_BITS:
        raise ValueError('layer %s: SIMD * w_bits = %d * %d = %d exceeds the %d-bit weight word'
                         % (layer, folding.simd, w_bits, folding.simd * w_bits, AXI_WORD_BITS))
    return folding


def validate_chain(foldings, w_bits=None):
    """Check a whole network's folding, layer by layer and between layers.

    Parameters
    ----------
    foldings : sequence of Folding
        Layers in order.
    w_bits : sequence of int, optional
        Weight bits per layer (default all 1).

    Returns
    -------
    list of Folding

    Raises
    ------
    ValueError
        See :func:`validate_folding`; also when only the first layer is not ``first``, only
        the last is not ``last``, or a layer's padded output count differs from the next
        layer's padded input count (the hardware streams padded vectors between layers).
    """
    foldings = list(foldings)
    if not foldings:
        raise ValueError('a network needs at least one layer, got %r' % (foldings,))
    w_bits = [1] * len(foldings) if w_bits is None else list(w_bits)
    if len(w_bits) != len(foldings):
        raise ValueError('%d w_bits for %d layers: %r' % (len(w_bits), len(foldings), w_bits))
    last = len(foldings) - 1
    for index, (folding, bits) in enumerate(zip(foldings, w_bits)):
        validate_folding(folding, bits, layer=index)
        if folding.first != (index == 0) or folding.last != (index == last):
            raise ValueError('layer %d of %d: first=%r, last=%r, expected first=%r, last=%r'
                             % (index, len(foldings), folding.first, folding.last,
                                index == 0, index == last))
    for index in range(last):
        produced, consumed = foldings[index].padded_mh, foldings[index + 1].padded_mw
        if produced != consumed:
            raise ValueError('layer %d streams %d outputs (MH %d padded) but layer %d reads %d '
                             'inputs (MW %d padded)' % (index, produced, foldings[index].mh,
                                                        index + 1, consumed,
                                                        foldings[index + 1].mw))
    return foldings


def network_folding(sizes, simd, pe):
    """Fold a chain of fully-connected layers.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths including the input, e.g. ``(784, 1024, 1024, 1024, 10)``.
    simd, pe : sequence of int
        SIMD and PE per layer (``len(sizes) - 1`` each).

    Returns
    -------
    list of Folding
        With ``first`` and ``last`` set; not validated (see :func:`validate_chain`).
    """
    sizes, simd, pe = list(sizes), list(simd), list(pe)
    n_layers = len(sizes) - 1
    if n_layers < 1 or len(simd) != n_layers or len(pe) != n_layers:
        raise ValueError('need len(sizes) - 1 == len(simd) == len(pe) >= 1, got sizes %r, '
                         'simd %r, pe %r' % (sizes, simd, pe))
    return [Folding(sizes[i], sizes[i + 1], simd[i], pe[i], first=(i == 0),
                    last=(i == n_layers - 1)) for i in range(n_layers)]


def lfc_folding(n_inputs=784, hidden=1024, n_classes=10, simd=LFC_SIMD, pe=LFC_PE):
    """BNN-PYNQ's LFC folding: 3 hidden layers, SIMD 64/32/64/8, PE 32/64/32/16.

    Returns
    -------
    list of Folding
        Four layers, validated for binary weights.
    """
    sizes = [n_inputs, hidden, hidden, hidden, n_classes]
    return validate_chain(network_folding(sizes, simd, pe))
