"""The hardware parameters of the generated Verilog, derived from the layer IR alone.

:class:`RtlLayer` turns one :class:`~hwgen.layerspec.LayerSpec` (and its thresholds, for
their width) into the parameters of the Verilog modules: the stream widths around the layer,
counter and address widths, the lane encodings and the threshold unit's shape.
:class:`RtlNetwork` chains the layers and checks what the streams need: every width
converter joins two widths one of which divides the other.

Streams (all LSB first, as the FINN host packs them):

* layer 0 reads the 64-bit input words and converts them to ``SIMD * in_bits``;
* layer ``i > 0`` reads the ``PE * a_bits`` words of layer ``i - 1`` and converts them;
* the last layer's ``PE * out_bits`` words are converted to 64-bit output words.

Threshold units (:data:`THRESHOLD_UNITS`): ``'parallel'`` compares each accumulator with all
thresholds of its neuron in one cycle (finn-hlslib's ``ThresholdsActivation``);
``'search'`` finds the same count by a pipelined binary search over the sorted thresholds,
``ceil(log2(NumTH + 1))`` comparisons per PE (:attr:`RtlLayer.search_stages`).

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> network = RtlNetwork(lfc_specs('W1A1'))
>>> [(l.in_stream_bits, l.simd_bits, l.out_stream_bits, l.fifo_depth) for l in network.layers]
[(64, 64, 32, 16), (32, 32, 64, 32), (64, 64, 32, 16), (32, 8, 16, 32)]
>>> network.in_words, network.out_words, network.layers[0].search_stages
(13, 1, 1)
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from hwgen.rtl.ir import AXI_WORD_BITS, HwgenError, NetworkStreams, smallest_fitting, \
    validate_network, with_last_layer

__all__ = ['THRESHOLD_UNITS', 'STREAM_BITS', 'RtlLayer', 'RtlNetwork', 'address_bits',
           'fifo_depth']

#: ``'parallel'``: all thresholds at once; ``'search'``: binary search, one comparison a stage.
THRESHOLD_UNITS = ('parallel', 'search')
#: Width of the network's input and output streams (the host's 64-bit words).
STREAM_BITS = AXI_WORD_BITS


def address_bits(depth):
    """Bits of an address or counter of ``depth`` values (at least 1).

    Examples
    --------
    >>> [address_bits(d) for d in (1, 2, 3, 512, 513)]
    [1, 1, 2, 9, 10]
    """
    return max(1, (int(depth) - 1).bit_length())


def fifo_depth(words):
    """FIFO depth holding ``words`` words: the next power of two, at least 2.

    Examples
    --------
    >>> [fifo_depth(w) for w in (1, 2, 13, 32)]
    [2, 2, 16, 32]
    """
    return max(2, 2 ** address_bits(words))


def _divides(a, b):
    return max(a, b) % min(a, b) == 0


class RtlLayer(object):
    """The Verilog parameters of one layer.

    Parameters
    ----------
    index : int
    spec : LayerSpec
        With its network's last-layer mode set.
    in_stream_bits : int
        Width of the stream the layer reads.
    in_stream_words : int
        Words of that stream per image (the depth of the layer's input FIFO).
    thresholds : numpy.ndarray of int, shape (padded MH, NumTH), optional
        The layer's thresholds (for their width); ignored for a scores layer.
    threshold_unit : {'parallel', 'search'}

    Raises
    ------
    HwgenError
        The input stream cannot be converted to ``SIMD * in_bits``, or an unknown unit.
    """

    def __init__(self, index, spec, in_stream_bits, in_stream_words, thresholds=None,
                 threshold_unit='parallel'):
        if threshold_unit not in THRESHOLD_UNITS:
            raise HwgenError('threshold_unit must be one of %s, got %r'
                             % (', '.join(THRESHOLD_UNITS), threshold_unit))
        self.index, self.spec, self.folding = index, spec, spec.folding
        self.in_stream_bits, self.in_stream_words = in_stream_bits, in_stream_words
        self.threshold_unit = threshold_unit
        if not _divides(in_stream_bits, self.simd_bits):
            raise HwgenError('layer %d: its %d-bit input stream cannot be converted to SIMD x '
                             'in_bits = %d x %d = %d bits (one must divide the other)'
                             % (index, in_stream_bits, self.folding.simd, spec.in_bits,
                                self.simd_bits))
        self.th_bits = self._threshold_bits(thresholds)

    def _threshold_bits(self, thresholds):
        """Signed width holding the thresholds and every accumulator (0 for scores)."""
        if self.spec.scores:
            return 0
        acc = self.spec.acc_type
        if thresholds is None or np.size(thresholds) == 0:
            return acc.bits
        return smallest_fitting(min(acc.min, int(np.min(thresholds))),
                                max(acc.max, int(np.max(thresholds))), signed=True).bits

    @property
    def module(self):
        return 'layer%d' % self.index

    @property
    def simd_bits(self):
        return self.folding.simd * self.spec.in_bits

    @property
    def out_stream_bits(self):
        return self.folding.pe * self.spec.out_bits

    @property
    def fifo_depth(self):
        return fifo_depth(self.in_stream_words)

    @property
    def weight_word_bits(self):
        return self.folding.pe * self.folding.simd * self.spec.w_bits

    @property
    def in_mode(self):
        """The MVAU's input decoding: 2 bipolar, 1 two's complement, 0 unsigned."""
        if self.spec.in_type.bipolar:
            return 2
        return 1 if self.spec.in_signed else 0

    @property
    def search_stages(self):
        """Comparisons of the search unit: ``ceil(log2(NumTH + 1))``."""
        return int(self.spec.n_thresholds).bit_length()

    @property
    def activation(self):
        """``'scores'``, or the threshold unit."""
        return 'scores' if self.spec.scores else self.threshold_unit

    def describe(self):
        """One line: sizes, folding, encodings."""
        f, s = self.folding, self.spec
        kind = 'XNOR popcount' if s.xnor else '%s x %s' % (s.weight_type, s.in_type)
        out = 'class scores %s' % s.out_type if s.scores else \
            '%d thresholds -> %s' % (s.n_thresholds, s.out_type)
        return ('%d x %d (padded %d x %d), SIMD %d, PE %d, %d cycles per image; %s, '
                'INT%d accumulator, %s' % (f.mw, f.mh, f.padded_mw, f.padded_mh, f.simd, f.pe,
                                           f.wmem, kind, s.acc_bits, out))


class RtlNetwork(NetworkStreams):
    """The layers of one generated network.

    Parameters
    ----------
    specs : sequence of LayerSpec
    thresholds : sequence of array_like, optional
        Per layer, its (padded MH, NumTH) thresholds (their width sizes the comparators).
    last_layer : {'thresholds', 'scores'}
    threshold_unit : {'parallel', 'search'}
    name : str
        The top module's name (a Verilog identifier).

    Raises
    ------
    HwgenError
        An invalid network, name or stream (see :class:`RtlLayer`), or a last layer whose
        ``PE * out_bits`` and 64 do not divide one another.
    """

    def __init__(self, specs, thresholds=None, last_layer='thresholds',
                 threshold_unit='parallel', name='qnn'):
        if not (name[:1].isalpha() and name.replace('_', 'a').isalnum()) or \
                name.startswith('qnn_') or name.startswith('layer'):
            raise HwgenError('the network name %r must be a Verilog identifier (letters, '
                             'digits, _) not starting with qnn_ or layer' % (name,))
        try:
            specs = validate_network(with_last_layer(specs, last_layer))
        except ValueError as error:
            raise HwgenError(str(error))
        thresholds = [None] * len(specs) if thresholds is None else list(thresholds)
        self.name, self.last_layer, self.threshold_unit = name, last_layer, threshold_unit
        self.layers = []
        bits, words = STREAM_BITS, specs[0].folding.padded_mw * specs[0].in_bits // STREAM_BITS
        for index, (spec, layer_thresholds) in enumerate(zip(specs, thresholds)):
            layer = RtlLayer(index, spec, bits, words, layer_thresholds, threshold_unit)
            self.layers.append(layer)
            bits, words = layer.out_stream_bits, spec.folding.nf
        if not _divides(self.layers[-1].out_stream_bits, STREAM_BITS):
            raise HwgenError('layer %d: its PE x out_bits = %d-bit output cannot be converted '
                             'to %d-bit words' % (len(specs) - 1,
                                                  self.layers[-1].out_stream_bits,
                                                  STREAM_BITS))

    @property
    def specs(self):
        return [layer.spec for layer in self.layers]

    @property
    def out_signed(self):
        """Whether the output fields are signed (class scores)."""
        return self.layers[-1].spec.scores

    @property
    def out_fifo_depth(self):
        return fifo_depth(self.out_words)

    @property
    def cycles(self):
        """Cycles per image of the slowest layer (the expected initiation interval)."""
        return max(layer.folding.wmem for layer in self.layers)

    def io_dict(self):
        """The input and output layout (for the record and the testbench)."""
        return {'in_bits': self.in_bits, 'in_signed': self.in_signed,
                'in_padded': self.in_padded, 'in_words': self.in_words,
                'out_bits': self.out_bits, 'out_signed': self.out_signed,
                'out_padded': self.out_padded, 'out_words': self.out_words,
                'out_real': self.layers[-1].folding.mh}
