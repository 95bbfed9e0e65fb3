"""Folding of fully-connected layers onto SIMD lanes and PEs: padding, rules, default policy.

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

A folding of a whole network must obey three sets of rules, all checked by
:func:`validate_network_folding` (and so by :func:`resolve_folding`):

* **packing** (:func:`validate_folding`, :func:`validate_chain`): SIMD and PE divide the padded
  matrix, ``SIMD * w_bits <= 64`` (one weight word), each layer reads as many values as the
  previous one writes, and hidden layers are not padded;
* **streams** (:func:`check_streams`), the limits of finn-hlslib 8b7f5f5's
  ``StreamingFCLayer_Batch``: layer 0 reads 64-bit words and converts them to ``SIMD * I``
  bits; between layers, the producer writes ``PE * A``-bit words and the consumer reads
  ``SIMD * A``-bit words, and one width converter (``StreamingDataWidthConverter_Batch``)
  joins them, so ``PE`` of a layer and ``SIMD`` of the next must divide one another. The
  converter sits in the consumer when the stream is declared at the producer's width (as
  BNN-PYNQ does), but the consumer then counts ``MW / stream width * A`` input words with
  integer division, which is only right when ``PE * A`` divides ``MW`` (never for A = 3, 5, 6,
  7 and ``MW = 1024``); otherwise the stream is declared at the consumer's ``SIMD * A`` width
  and the converter sits in the producer, which counts whole ``PE * A`` words
  (:func:`link_stream_bits`). Either way the rule does not depend on A, so a folding that
  suits one activation width suits all. The last layer's ``PE * output bits`` and the 64-bit
  output words must divide one another;
* streams of at most :data:`AP_INT_LIMIT` bits.

Which folding a network gets -- the default policy and foldings given by the user -- is
decided in :mod:`hwgen.folding_policy` by these rules.

Examples
--------
>>> layers = lfc_folding()
>>> [(f.padded_mw, f.padded_mh, f.wmem, f.tmem) for f in layers]
[(832, 1024, 416, 32), (1024, 1024, 512, 16), (1024, 1024, 512, 32), (1024, 64, 512, 4)]
>>> link_stream_bits(layers[2], layers[3], 2), link_stream_bits(layers[2], layers[3], 3)
(64, 24)
"""
from __future__ import absolute_import, division, print_function

import collections
import numbers

__all__ = ['AXI_WORD_BITS', 'AP_INT_LIMIT', 'LFC_SIZES', 'LFC_SIMD', 'LFC_PE', 'LFC_CYCLES',
           'INPUT_BITS', 'Folding', 'pad_to', 'validate_folding',
           'validate_chain', 'network_folding', 'lfc_folding', 'input_stream_error',
           'output_stream_error', 'link_stream_error', 'link_stream_bits',
           'check_streams', 'validate_network_folding']

#: Width of the AXI words the first layer reads and the last layer writes; also the largest
#: weight word (SIMD * W) the parameter files can hold.
AXI_WORD_BITS = 64

#: The widest ``ap_uint`` stream the ap_types accept (``AP_INT_MAX_W``).
AP_INT_LIMIT = 32768

#: Layer sizes of the paper's / BNN-PYNQ's LFC network, input included.
LFC_SIZES = (784, 1024, 1024, 1024, 10)
#: BNN-PYNQ's LFC folding (W1A1 and W1A2), layer by layer.
LFC_SIMD = (64, 32, 64, 8)
LFC_PE = (32, 64, 32, 16)
#: Cycles per image of the LFC folding's slowest layer (1024 x 1024 / (32 x 64)): the
#: throughput :func:`hwgen.folding_policy.default_folding` aims at, about 195k images/s at
#: 100 MHz.
LFC_CYCLES = 512
#: Input element widths of the first layer: binarized pixels and 8-bit pixels.
INPUT_BITS = (1, 8)


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


# ---------------------------------------------------------------------------------------------
# finn-hlslib's stream rules.

def _divisible(a, b):
    return max(a, b) % min(a, b) == 0


def input_stream_error(index, folding, stream_bits, in_bits):
    """Why finn-hlslib cannot feed layer ``index`` from a ``stream_bits`` stream, or None.

    ``StreamingFCLayer_Batch`` (finn-hlslib 8b7f5f5, ``fclayer.h``) width-converts its input
    stream to ``SIMD * in_bits`` bits with ``StreamingDataWidthConverter_Batch`` unless the
    widths are equal; the converter needs one width to divide the other, and the layer counts
    ``MW / stream_bits * in_bits`` input words, which is only right when ``stream_bits``
    divides the padded width ``MW``.

    Parameters
    ----------
    index : int
        Layer number, for the message.
    folding : Folding
    stream_bits : int
        Width of the stream the layer reads: 64 for the first layer, else the previous
        layer's ``PE * output bits``.
    in_bits : int
        Bits of one input element.

    Returns
    -------
    str or None

    Examples
    --------
    >>> print(input_stream_error(1, Folding(1024, 1024, 16, 16), 64 * 3, 3))
    layer 1: the padded width 1024 is not a multiple of the 192-bit input stream \
(StreamingFCLayer_Batch counts MW / stream width words); change the previous PE
    >>> input_stream_error(1, Folding(1024, 1024, 64, 16), 64 * 3, 3) is None   # equal widths
    True
    """
    mvau_bits = folding.simd * in_bits
    if stream_bits == mvau_bits:
        return None
    if not _divisible(stream_bits, mvau_bits):
        return ('layer %d: its %d-bit input stream cannot be width-converted to SIMD x in_bits '
                '= %d x %d = %d bits (one must divide the other); change SIMD or the previous '
                'PE' % (index, stream_bits, folding.simd, in_bits, mvau_bits))
    if folding.padded_mw % stream_bits:
        return ('layer %d: the padded width %d is not a multiple of the %d-bit input stream '
                '(StreamingFCLayer_Batch counts MW / stream width words); change the previous '
                'PE' % (index, folding.padded_mw, stream_bits))
    return None


def output_stream_error(index, folding, out_bits, stream_bits=AXI_WORD_BITS):
    """Why finn-hlslib cannot convert the last layer's output words, or None.

    The last layer writes ``PE * out_bits``-bit words that are converted to the 64-bit output
    words; one width must divide the other. For ``out_bits = 1`` this holds iff PE divides 64
    or 64 divides PE, and then it holds for every power-of-two ``out_bits`` as well.

    Examples
    --------
    >>> print(output_stream_error(2, Folding(256, 10, 16, 8, last=True), 3))
    layer 2: PE x output bits = 8 x 3 = 24 bits cannot be width-converted to the 64-bit output \
stream
    """
    words = folding.pe * out_bits
    if _divisible(words, stream_bits):
        return None
    return ('layer %d: PE x output bits = %d x %d = %d bits cannot be width-converted to the '
            '%d-bit output stream' % (index, folding.pe, out_bits, words, stream_bits))


def link_stream_error(index, producer, consumer, bits):
    """Why finn-hlslib cannot stream ``bits``-bit codes from ``producer`` to layer ``index``.

    The producer writes ``PE * bits``-bit words, the consumer reads ``SIMD * bits``-bit words;
    one ``StreamingDataWidthConverter_Batch`` joins them, which needs one width to divide the
    other (:func:`link_stream_bits` places it where it counts whole words).

    Returns
    -------
    str or None

    Examples
    --------
    >>> print(link_stream_error(1, Folding(784, 768, 64, 48, first=True), Folding(768, 10, 32,
    ...                         16, last=True), 1))  # doctest: +NORMALIZE_WHITESPACE
    layer 1: its 48-bit input stream cannot be width-converted to SIMD x in_bits = 32 x 1 = 32
    bits (one must divide the other); change SIMD or the previous PE
    """
    produced = producer.pe * bits
    if _divisible(produced, consumer.simd * bits):
        return None
    return input_stream_error(index, consumer, produced, bits)


def link_stream_bits(producer, consumer, bits):
    """Width of the stream from ``producer`` to ``consumer`` carrying ``bits``-bit codes.

    The producer's ``PE * bits`` (BNN-PYNQ's choice; the consumer converts) when the consumer
    can count its words (:func:`input_stream_error`), else the consumer's ``SIMD * bits`` (the
    producer converts, counting ``MH / PE`` whole words). Assumes :func:`link_stream_error`
    found nothing.

    Examples
    --------
    >>> layer0, layer1 = lfc_folding()[:2]        # PE 32 -> SIMD 32
    >>> link_stream_bits(layer0, layer1, 2), link_stream_bits(layer0, layer1, 3)
    (64, 96)
    >>> link_stream_bits(Folding(784, 1024, 64, 64, first=True), Folding(1024, 10, 16, 16,
    ...                  last=True), 3)          # 192 does not divide 1024: 16 x 3
    48
    """
    produced = producer.pe * bits
    if input_stream_error(1, consumer, produced, bits) is None:
        return produced
    return consumer.simd * bits


def check_streams(foldings, in_bits, out_bits):
    """Check a network's streams against finn-hlslib (see the module docstring).

    Parameters
    ----------
    foldings : sequence of Folding
    in_bits, out_bits : sequence of int
        Per layer, the bits of one input element and of one output element (a hidden layer's
        activation bits; for the last layer the bits it emits).

    Returns
    -------
    list of int
        The width of the stream each layer reads.

    Raises
    ------
    ValueError
        A stream cannot be converted (:func:`input_stream_error`, :func:`link_stream_error`,
        :func:`output_stream_error`) or is wider than :data:`AP_INT_LIMIT` bits.
    """
    foldings, in_bits, out_bits = list(foldings), list(in_bits), list(out_bits)
    if not len(foldings) == len(in_bits) == len(out_bits):
        raise ValueError('%d foldings, %d in_bits and %d out_bits' % (len(foldings),
                                                                     len(in_bits),
                                                                     len(out_bits)))
    widths = []
    for index, (folding, bits_in, bits_out) in enumerate(zip(foldings, in_bits, out_bits)):
        if index == 0:
            stream_bits = AXI_WORD_BITS
            errors = [input_stream_error(index, folding, stream_bits, bits_in)]
        else:
            previous = foldings[index - 1]
            errors = [link_stream_error(index, previous, folding, bits_in)]
            stream_bits = link_stream_bits(previous, folding, bits_in)
        if index == len(foldings) - 1:
            errors.append(output_stream_error(index, folding, bits_out))
        widest = max(stream_bits, folding.simd * bits_in, folding.pe * bits_out)
        if widest > AP_INT_LIMIT:
            errors.append('layer %d: a stream of %d bits exceeds the %d-bit limit of ap_int'
                          % (index, widest, AP_INT_LIMIT))
        for error in errors:
            if error is not None:
                raise ValueError(error)
        widths.append(stream_bits)
    return widths


def _network_bits(n_layers, a_bits, in_bits):
    """Per layer input and output element bits of a generated network (last layer: 1 bit)."""
    layer_in = [in_bits] + [a_bits] * (n_layers - 1)
    layer_out = [a_bits] * (n_layers - 1) + [1]
    return layer_in, layer_out


def validate_network_folding(foldings, w_bits=1, a_bits=None, in_bits=None):
    """Every rule a generated network's folding must obey (see the module docstring).

    Parameters
    ----------
    foldings : sequence of Folding
    w_bits : int
        Weight bits.
    a_bits : int, optional
        Activation bits of the hidden layers (the last layer emits 1 bit, or class scores of a
        power-of-two width, which the same rule admits). None skips the stream rules.
    in_bits : int, optional
        Bits of an input element: 1 (binarized pixels) or 8 (pixels); default 1.

    Returns
    -------
    list of Folding

    Raises
    ------
    ValueError
        See :func:`validate_chain` and :func:`check_streams`; also when a hidden layer is
        padded (pad neurons would feed the next layer's pad columns).

    Examples
    --------
    >>> validate_network_folding(lfc_folding(), 1, a_bits=3) == lfc_folding()
    True
    >>> validate_network_folding(network_folding([784, 768, 10], [64, 32], [48, 16]), 1,
    ...                          a_bits=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: layer 1: its 96-bit input stream cannot be width-converted to SIMD x in_bits ...
    """
    foldings = validate_chain(foldings, [w_bits] * len(list(foldings)))
    for index, f in enumerate(foldings):
        if (not f.last and f.n_pad_rows) or (not f.first and f.n_pad_cols):
            raise ValueError('layer %d: SIMD %d / PE %d pad the hidden size %d (to %d x %d); '
                             'choose SIMD and PE that divide the hidden layer sizes'
                             % (index, f.simd, f.pe, f.mh if f.n_pad_rows else f.mw,
                                f.padded_mh, f.padded_mw))
    if a_bits is not None:
        layer_in, layer_out = _network_bits(len(foldings), a_bits,
                                            1 if in_bits is None else in_bits)
        check_streams(foldings, layer_in, layer_out)
    return foldings
