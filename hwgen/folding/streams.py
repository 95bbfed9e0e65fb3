"""finn-hlslib's stream rules for a folded network, and the whole-network folding check.

Layers stream their values to one another; finn-hlslib 8b7f5f5's ``StreamingFCLayer_Batch``
limits which foldings (:mod:`hwgen.folding.base`) it can stream:

* layer 0 reads 64-bit words and converts them to ``SIMD * I`` bits;
* between layers, the producer writes ``PE * A``-bit words and the consumer reads
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
* streams are of at most :data:`AP_INT_LIMIT` bits.

:func:`validate_network_folding` checks these rules together with the packing rules of
:func:`hwgen.folding.base.validate_chain` and refuses padded hidden layers. Which folding a network
gets is decided in :mod:`hwgen.folding.policy` by these rules.

Examples
--------
>>> from hwgen.folding.base import lfc_folding
>>> layers = lfc_folding()
>>> link_stream_bits(layers[2], layers[3], 2), link_stream_bits(layers[2], layers[3], 3)
(64, 24)
"""
from __future__ import absolute_import, division, print_function

from hwgen.folding.base import AXI_WORD_BITS, validate_chain

__all__ = ['AP_INT_LIMIT', 'INPUT_BITS', 'IO_FIFO_DEPTH', 'INTER_FIFO_WORDS',
           'inter_fifo_depth', 'widths_divide', 'input_stream_error',
           'output_stream_error', 'link_stream_error', 'link_stream_bits', 'check_streams',
           'with_stream_widths', 'validate_network_folding']

#: The widest ``ap_uint`` stream the ap_types accept (``AP_INT_MAX_W``).
AP_INT_LIMIT = 32768

#: Input element widths of the first layer: binarized pixels and 8-bit pixels.
INPUT_BITS = (1, 8)

#: Depth of the input and output FIFOs (64-bit words), as BNN-PYNQ.
IO_FIFO_DEPTH = 1024
#: BNN-PYNQ's inter-layer FIFOs hold 512 / PE words of PE elements.
INTER_FIFO_WORDS = 512


def inter_fifo_depth(lanes):
    """Depth of the FIFO between two layers whose stream word holds ``lanes`` elements.

    Examples
    --------
    >>> inter_fifo_depth(32), inter_fifo_depth(1024)
    (16, 2)
    """
    return max(2, INTER_FIFO_WORDS // lanes)


def widths_divide(a, b):
    """Whether one of two stream widths divides the other (a width converter can join them).

    Examples
    --------
    >>> widths_divide(64, 32), widths_divide(32, 64), widths_divide(48, 32)
    (True, True, False)
    """
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
    >>> from hwgen.folding.base import Folding
    >>> print(input_stream_error(1, Folding(1024, 1024, 16, 16), 64 * 3, 3))
    layer 1: the padded width 1024 is not a multiple of the 192-bit input stream \
(StreamingFCLayer_Batch counts MW / stream width words); change the previous PE
    >>> input_stream_error(1, Folding(1024, 1024, 64, 16), 64 * 3, 3) is None   # equal widths
    True
    """
    mvau_bits = folding.simd * in_bits
    if stream_bits == mvau_bits:
        return None
    if not widths_divide(stream_bits, mvau_bits):
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
    >>> from hwgen.folding.base import Folding
    >>> print(output_stream_error(2, Folding(256, 10, 16, 8, last=True), 3))
    layer 2: PE x output bits = 8 x 3 = 24 bits cannot be width-converted to the 64-bit output \
stream
    """
    words = folding.pe * out_bits
    if widths_divide(words, stream_bits):
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
    >>> from hwgen.folding.base import Folding
    >>> print(link_stream_error(1, Folding(784, 768, 64, 48, first=True), Folding(768, 10, 32,
    ...                         16, last=True), 1))  # doctest: +NORMALIZE_WHITESPACE
    layer 1: its 48-bit input stream cannot be width-converted to SIMD x in_bits = 32 x 1 = 32
    bits (one must divide the other); change SIMD or the previous PE
    """
    produced = producer.pe * bits
    if widths_divide(produced, consumer.simd * bits):
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
    >>> from hwgen.folding.base import Folding, lfc_folding
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


def with_stream_widths(specs):
    """A network's specs with the widths of the streams each layer reads and writes set.

    Parameters
    ----------
    specs : sequence of hwgen.layerspec.LayerSpec
        A valid network whose last layer's output mode is set.

    Returns
    -------
    list of LayerSpec
        ``in_stream_bits`` from :func:`check_streams`; ``out_stream_bits`` the next layer's
        ``in_stream_bits``, 64 for the last layer.

    Raises
    ------
    ValueError
        See :func:`check_streams`.
    """
    specs = list(specs)
    in_streams = check_streams([s.folding for s in specs], [s.in_bits for s in specs],
                               [s.out_bits for s in specs])
    out_streams = in_streams[1:] + [AXI_WORD_BITS]
    return [spec._replace(in_stream_bits=bits_in, out_stream_bits=bits_out)
            for spec, bits_in, bits_out in zip(specs, in_streams, out_streams)]


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
    >>> from hwgen.folding.base import lfc_folding, network_folding
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
