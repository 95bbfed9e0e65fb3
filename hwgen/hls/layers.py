"""How a network of :class:`~hwgen.layerspec.LayerSpec` s maps onto finn-hlslib (commit 8b7f5f5).

:class:`HlsNetwork` checks that finn-hlslib can build the network; :class:`HlsLayer` knows
how one layer maps onto finn-hlslib: its weight memory (``BinaryWeights`` for 1-bit,
``FixedPointWeights`` for multi-bit weights), its activation (``ThresholdsActivation`` or,
for a last layer that emits class scores, ``PassThroughActivation``) and the interpretation
types of ``StreamingFCLayer_Batch``:

==========================================  ===================  ====================
layer                                        input (TSrcI)        weights (TWeightI)
==========================================  ===================  ====================
XNOR popcount (W = I = A = 1)                ``Recast<XnorMul>``  (Identity)
binary weights, bipolar 1-bit input          ``Recast<Binary>``   ``Recast<Binary>``
binary weights, n-bit input                  ``Slice<ap_int<n>>``  ``Recast<Binary>``
multi-bit weights                            as above             ``Identity``
==========================================  ===================  ====================

Every C++ type is the C++ type of a :class:`~hwgen.datatype.DataType` of the spec (weights,
input, output, accumulator). The output (TDstI) is ``Slice<T>`` of the activation's output
type ``T``, the spec's :attr:`~hwgen.layerspec.LayerSpec.out_type`: ``ap_uint<1>`` for every
1-bit output (a bipolar bit: the threshold unit counts 0 or 1 exceeded thresholds, a count
``ap_int<1>`` cannot hold; BNN-PYNQ's W1A2 writes ``ap_int<1>`` for its last layer, which
stores the same bit), ``ap_int<A>`` when ActVal < 0, else ``ap_uint<A>``; for a scores layer
``ap_int<S>``, its accumulator type, with ``S`` = ``acc_bits`` rounded up to 8, 16, 32 or 64
(:func:`~hwgen.layerspec.score_bits`).

Its streams obey finn-hlslib's width converters (:func:`hwgen.folding.streams.check_streams`);
each layer's stream widths are set on its spec (:func:`hwgen.folding.streams.with_stream_widths`).
The project files are written by :mod:`hwgen.hls.project`, the C++ snippets filled in by
:mod:`hwgen.hls.render`.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> net = HlsNetwork(lfc_specs('W1A1'))
>>> net.layers[0].call_template_args
'L0_MW, L0_MH, L0_SIMD, L0_PE, Recast<XnorMul>, Slice<ap_uint<1>>'
>>> net.in_words, net.out_words
(13, 1)
"""
from __future__ import absolute_import, division, print_function

from hwgen.folding.base import AXI_WORD_BITS
from hwgen.folding.streams import with_stream_widths
from hwgen.layerspec import LayerSpec, NetworkStreams, validate_network, with_last_layer

__all__ = ['HlsLayer', 'HlsNetwork']


class HlsLayer(object):
    """How one :class:`~hwgen.layerspec.LayerSpec` maps onto finn-hlslib; its C++ snippets.

    Parameters
    ----------
    index : int
        Layer number (the ``Lx_`` prefix).
    spec : LayerSpec
        A spec with ``scores`` emits the accumulator (``PassThroughActivation``, outputs of
        :func:`~hwgen.layerspec.score_bits` ``(acc_bits)`` bits) instead of thresholding it.
        Its stream widths (:func:`hwgen.folding.streams.with_stream_widths`) are the stage's;
        a spec without them reads a 64-bit stream and writes its matrix-vector unit's width.
    """

    def __init__(self, index, spec):
        self.index = index
        self.spec = spec
        self.in_stream_bits = spec.in_stream_bits or AXI_WORD_BITS
        self.out_stream_bits = spec.out_stream_bits or self.mvau_out_bits

    def macro(self, name):
        """``'L<index>_<name>'``."""
        return 'L%d_%s' % (self.index, name)

    @property
    def scores(self):
        return self.spec.scores

    @property
    def n_thresholds(self):
        return self.spec.hw_thresholds

    @property
    def out_bits(self):
        return self.spec.out_bits

    @property
    def out_signed(self):
        """Whether the output fields are two's complement (``ap_int``)."""
        out_type = self.spec.out_type
        return out_type.signed and not out_type.bipolar

    @property
    def mvau_in_bits(self):
        """Width of one input word of the matrix-vector unit (SIMD input elements)."""
        return self.spec.folding.simd * self.spec.in_bits

    @property
    def mvau_out_bits(self):
        """Width of one output word of the matrix-vector unit (PE output elements)."""
        return self.spec.folding.pe * self.out_bits

    @property
    def in_interpretation(self):
        spec = self.spec
        if spec.xnor:
            return 'Recast<XnorMul>'
        if spec.in_type.bipolar:
            return 'Recast<Binary>'
        return 'Slice<%s>' % spec.in_type.cpp_type

    @property
    def out_interpretation(self):
        return 'Slice<%s>' % self.spec.out_type.cpp_type

    @property
    def weight_interpretation(self):
        """``None`` for XNOR layers (finn-hlslib's default Identity, as BNN-PYNQ writes it)."""
        if self.spec.xnor:
            return None
        return 'Recast<Binary>' if self.spec.w_bits == 1 else 'Identity'

    @property
    def weights_name(self):
        return 'weights%d' % self.index

    @property
    def activation_name(self):
        return ('passthrough%d' if self.scores else 'threshs%d') % self.index

    @property
    def weights_type(self):
        m = self.macro
        if self.spec.w_bits == 1:
            return 'BinaryWeights<%s,%s,%s>' % (m('SIMD'), m('PE'), m('WMEM'))
        return 'FixedPointWeights<%s,%s,%s,%s>' % (
            m('SIMD'), self.spec.weight_type.cpp_type_for(m('WPI')), m('PE'), m('WMEM'))

    @property
    def activation_type(self):
        m, spec = self.macro, self.spec
        out_type = spec.out_type.cpp_type_for(m('API'))
        if self.scores:
            return 'PassThroughActivation<%s>' % out_type
        args = [m('TMEM'), m('PE'), m('NTH'), spec.acc_type.cpp_type_for(m('ACC')), out_type]
        if self.spec.act_val != 0:
            args.append(m('ACTVAL'))
        return 'ThresholdsActivation<%s>' % ','.join(args)

    @property
    def call_template_args(self):
        """Template arguments of this layer's ``StreamingFCLayer_Batch`` call."""
        m = self.macro
        args = [m('MW'), m('MH'), m('SIMD'), m('PE'), self.in_interpretation,
                self.out_interpretation]
        if self.weight_interpretation is not None:
            args.append(self.weight_interpretation)
        return ', '.join(args)


class HlsNetwork(NetworkStreams):
    """The layers of one accelerator, checked against finn-hlslib's stream constraints.

    Parameters
    ----------
    specs : sequence of LayerSpec
        A valid network (:func:`~hwgen.layerspec.validate_network`).
    last_layer : {'thresholds', 'scores'}
        The output mode of the last layer (:func:`~hwgen.layerspec.with_last_layer`).
    name : str
        Network name, used in comments and as the Vivado HLS project name.

    Raises
    ------
    ValueError
        Bad specs, an unknown ``last_layer``, or streams finn-hlslib cannot convert
        (:func:`hwgen.folding.streams.check_streams`): a layer whose ``PE * A`` and the next
        layer's ``SIMD * A`` do not divide one another, a last layer whose
        ``PE * output bits`` and 64 do not, or a stream wider than 32768 bits.
    """

    def __init__(self, specs, last_layer='thresholds', name='qnn'):
        specs = with_stream_widths(validate_network(with_last_layer(specs, last_layer)))
        self.name, self.last_layer = name, last_layer
        self.layers = [HlsLayer(index, spec) for index, spec in enumerate(specs)]
        self.widest_stream = max(max(l.in_stream_bits, l.mvau_in_bits, l.mvau_out_bits,
                                     l.out_stream_bits) for l in self.layers)

    @property
    def specs(self):
        return [layer.spec for layer in self.layers]

    @property
    def out_signed(self):
        return self.layers[-1].out_signed

    def io_dict(self):
        first, last = self.layers[0].spec.folding, self.layers[-1].spec.folding
        return {'in_bits': self.in_bits, 'in_signed': self.in_signed, 'in_elements': first.mw,
                'in_padded': self.in_padded, 'in_words': self.in_words,
                'out_bits': self.out_bits, 'out_signed': self.out_signed,
                'out_elements': last.mh, 'out_padded': self.out_padded,
                'out_words': self.out_words}

    @classmethod
    def from_dict(cls, layers, last_layer, name):
        """Rebuild from the ``layers`` records of :meth:`~hwgen.layerspec.LayerSpec.to_dict`."""
        specs = [LayerSpec.from_dict(record, index, len(layers))
                 for index, record in enumerate(layers)]
        return cls(specs, last_layer=last_layer, name=name)
