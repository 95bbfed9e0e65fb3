"""The per-layer description record of a FINN fully-connected layer (``LayerSpec``).

A :class:`LayerSpec` is plain data: how the weights, the input elements and the output
activations of one ``StreamingFCLayer_Batch`` are encoded, plus the layer's
:class:`~hwgen.folding.base.Folding`. The packer, the file reader, the integer model, the
HLS writer, the QONNX export and the estimates all read it; :func:`hwgen.network.network_specs`
builds the specs of a network.

Encodings (values are the integers the hardware computes with):

* ``w_bits == 1``: binary weights, bit 1 = +1 and bit 0 = -1 (``Recast<Binary>``);
  ``w_bits > 1``: ``w_bits``-bit two's complement (``FixedPointWeights``, ``ap_int<W>``).
* ``in_bits == 1`` and ``in_signed``: bipolar inputs, bit 1 = +1, bit 0 = -1
  (``Recast<Binary>`` or, with ``xnor``, ``Recast<XnorMul>``); ``in_bits == 1`` and not
  ``in_signed``: 0/1 (``Slice<ap_uint<1>>``); ``in_bits > 1``: ``Slice<ap_int<n>>`` if
  ``in_signed`` else ``Slice<ap_uint<n>>``.
* ``xnor``: the accumulator is the XNOR popcount (number of lanes where weight bit == input
  bit) instead of the sum of products. BNN-PYNQ uses it when W = A = I = 1.
* Output: ``act_val + sum_i [acc > T_i]`` over ``n_thresholds`` thresholds
  (``ThresholdsActivation``), stored in ``a_bits`` bits (two's complement wrap). A 1-bit
  output field is read by the next layer as bit 1 = +1.
* ``acc_bits``: width of the accumulator and the thresholds (``ap_int<16>`` in BNN-PYNQ).
* ``scores``: the output mode of a last layer. False: thresholded as above (FINN, BNN-PYNQ);
  true: it emits its accumulators as signed :func:`score_bits` ``(acc_bits)``-bit class
  scores. :func:`with_last_layer` makes this decision for a whole network.

A spec checks its encoding when built (:func:`check_encoding`) and is serialised by
:meth:`LayerSpec.to_dict` / :meth:`LayerSpec.from_dict`, the one layer schema of ``hwgen.json``
and ``manifest.json``.

Examples
--------
>>> specs = lfc_specs('W1A2')
>>> [(s.in_bits, s.a_bits, s.n_thresholds, s.act_val, s.xnor) for s in specs]
[(1, 2, 2, -1, False), (2, 2, 2, -1, False), (2, 2, 2, -1, False), (2, 1, 1, 0, False)]
>>> specs[0].pad_offset  # 48 pad columns, each -1 (input bit 0) * +1 (weight bit 1)
-48
"""
from __future__ import absolute_import, division, print_function

import collections
import numbers

from hwgen.datatype import BIPOLAR, INT, UINT, activation_range, field_type
from hwgen.folding.base import AXI_WORD_BITS, Folding, lfc_folding, validate_chain, \
    validate_folding

__all__ = ['LayerSpec', 'NetworkStreams', 'default_n_thresholds', 'default_act_val', 'score_bits',
           'check_encoding', 'validate_spec',
           'validate_network', 'with_last_layer', 'lfc_specs', 'THRESHOLD_BITS', 'MAX_ACC_BITS',
           'LAST_LAYER_MODES', 'STREAM_KEYS']

#: Accumulator and threshold width of BNN-PYNQ (``ap_int<16>``).
THRESHOLD_BITS = 16
#: Widest accumulator the integer model computes exactly (int64 with headroom).
MAX_ACC_BITS = 62
#: ``'thresholds'``: FINN-compatible thresholded last layer; ``'scores'``: it emits accumulators.
LAST_LAYER_MODES = ('thresholds', 'scores')


def default_n_thresholds(a_bits):
    """Thresholds of an ``a_bits`` activation clipped to [-1, 1]: 1 for binary, else 2^(A-1).

    The activations of :mod:`qnn.activations` (hard tanh, quantized tanh) output the levels of
    the narrow ``a_bits`` quantizer that lie in [-1, 1]: ``k * 2^-(A-2)`` for
    ``|k| <= 2^(A-2)``, i.e. 2^(A-1) + 1 levels and 2^(A-1) thresholds. This is also what
    BNN-PYNQ's finnthesizer writes. (The full narrow quantizer range, +-(2 - 2^-(A-2)), would
    need 2^A - 2.) The codes are :func:`~hwgen.datatype.activation_range`'s.

    Examples
    --------
    >>> [default_n_thresholds(a) for a in (1, 2, 3, 8)]
    [1, 2, 4, 128]
    """
    if isinstance(a_bits, bool) or not isinstance(a_bits, numbers.Integral) or a_bits < 1:
        raise ValueError('a_bits must be a positive integer, got %r' % (a_bits,))
    low, high = activation_range(a_bits)
    return 1 if a_bits == 1 else high - low


def default_act_val(a_bits):
    """ActVal of an ``a_bits`` activation clipped to [-1, 1]: 0 for binary, else -2^(A-2).

    The output is the integer code ``k = value / 2^-(A-2)`` in ``-2^(A-2) .. 2^(A-2)``, so the
    lowest code is ActVal and ``ActVal + sum_i [acc > T_i]`` counts up from it. A binary output
    is a bipolar bit (0 = -1, 1 = +1), hence ActVal 0.

    Examples
    --------
    >>> [default_act_val(a) for a in (1, 2, 3, 8)]
    [0, -1, -2, -64]
    """
    return 0 if a_bits == 1 else activation_range(a_bits)[0]


def score_bits(acc_bits):
    """Width of the class scores a scores layer emits: ``acc_bits`` rounded up to 8, 16, 32, 64.

    A power of two keeps ``PE * width`` and the 64-bit output words divisible. The layer
    accumulates in this width, so its scores equal the ``acc_bits`` accumulators of the integer
    model whenever those do not overflow.

    Examples
    --------
    >>> [score_bits(b) for b in (5, 16, 17, 24, 33)]
    [8, 16, 32, 32, 64]
    """
    width = 8
    while width < acc_bits:
        width *= 2
    return width


_ENCODING_FIELDS = ['folding', 'w_bits', 'in_bits', 'a_bits', 'in_signed', 'n_thresholds',
                    'act_val', 'xnor', 'acc_bits', 'scores']
#: Widths of the streams a layer reads and writes, set once its network is known.
STREAM_KEYS = ('in_stream_bits', 'out_stream_bits')
_FIELDS = _ENCODING_FIELDS + list(STREAM_KEYS)
#: The serialised encoding fields besides the folding's sizes (:meth:`LayerSpec.to_dict`).
_RECORD_KEYS = _ENCODING_FIELDS[1:]


class LayerSpec(collections.namedtuple('LayerSpec', _FIELDS)):
    """How one fully-connected layer is encoded in hardware (see the module docstring).

    Parameters
    ----------
    folding : Folding
        Sizes and SIMD/PE.
    w_bits, in_bits, a_bits : int
        Weight, input-element and output-activation bits.
    in_signed : bool
        Input interpretation (1 bit: bipolar if true, else 0/1).
    n_thresholds : int, optional
        Thresholds per neuron; default :func:`default_n_thresholds` of ``a_bits``.
    act_val : int, optional
        Output offset ActVal; default :func:`default_act_val` of ``a_bits``.
    xnor : bool, optional
        XNOR-popcount accumulation; default true iff W = I = A = 1 and the input is bipolar.
    acc_bits : int
        Accumulator and threshold width (16).
    scores : bool
        A last layer that emits class scores instead of thresholded outputs.
    in_stream_bits, out_stream_bits : int, optional
        Widths of the streams the layer reads and writes in its network; None until
        :func:`hwgen.folding.streams.with_stream_widths` sets them.

    Raises
    ------
    ValueError
        An invalid encoding (see :func:`check_encoding`).

    Attributes
    ----------
    weight_type, in_type, out_type, acc_type : hwgen.datatype.DataType
        The datatypes of a weight, an input field, an output field (BIPOLAR for one bit, else
        INT if ActVal < 0, else UINT; INT(:func:`score_bits`) for a scores layer) and the
        accumulator.
    out_bits : int
        Bits of one output element (``a_bits``, or :func:`score_bits` for a scores layer).
    hw_thresholds : int
        Thresholds per neuron in hardware: ``n_thresholds``, 0 for a scores layer.
    w_pad_value : int
        Value of a pad weight: +1 for binary (bit 1), 0 for multi-bit.
    in_pad_value : int
        Value of a pad input (raw field 0): -1 for bipolar, else 0.
    pad_offset : int
        What the pad columns add to the accumulator, ``n_pad_cols * w_pad * in_pad``; 0 for
        XNOR popcounts (bit 0 vs bit 1 never matches). Thresholds computed on the unpadded
        matrix must be shifted by this (BNN-PYNQ's ``AccuOffset``).
    """
    __slots__ = ()

    def __new__(cls, folding, w_bits=1, in_bits=1, a_bits=1, in_signed=True,
                n_thresholds=None, act_val=None, xnor=None, acc_bits=THRESHOLD_BITS,
                scores=False, in_stream_bits=None, out_stream_bits=None):
        if n_thresholds is None:
            n_thresholds = default_n_thresholds(a_bits)
        if act_val is None:
            act_val = default_act_val(a_bits)
        if xnor is None:
            xnor = w_bits == 1 and in_bits == 1 and a_bits == 1 and bool(in_signed)
        spec = super(LayerSpec, cls).__new__(cls, folding, w_bits, in_bits, a_bits,
                                             bool(in_signed), n_thresholds, act_val,
                                             bool(xnor), acc_bits, bool(scores),
                                             in_stream_bits, out_stream_bits)
        return check_encoding(spec)

    def to_dict(self):
        """The layer record of ``hwgen.json`` and ``manifest.json`` (JSON types only)."""
        f = self.folding
        record = {'mw': f.mw, 'mh': f.mh, 'simd': f.simd, 'pe': f.pe}
        record.update((key, getattr(self, key)) for key in _RECORD_KEYS)
        record.update((key, getattr(self, key)) for key in STREAM_KEYS
                      if getattr(self, key) is not None)
        return record

    @classmethod
    def from_dict(cls, record, index, n_layers):
        """The spec of layer ``index`` of ``n_layers`` from :meth:`to_dict`'s record.

        Records written before the output mode was recorded read as thresholded layers;
        records without stream widths leave them None.

        Raises
        ------
        KeyError
            A field is missing.
        ValueError
            An invalid layer.
        """
        folding = Folding(record['mw'], record['mh'], record['simd'], record['pe'],
                          first=index == 0, last=index == n_layers - 1)
        fields = {key: record[key] for key in _RECORD_KEYS if key != 'scores'}
        fields.update((key, record[key]) for key in STREAM_KEYS if key in record)
        return cls(folding, scores=bool(record.get('scores', False)), **fields)

    @property
    def out_bits(self):
        return score_bits(self.acc_bits) if self.scores else self.a_bits

    @property
    def hw_thresholds(self):
        return 0 if self.scores else self.n_thresholds

    @property
    def weight_type(self):
        return BIPOLAR if self.w_bits == 1 else INT(self.w_bits)

    @property
    def in_type(self):
        return field_type(self.in_bits, self.in_signed)

    @property
    def out_type(self):
        if self.scores:
            return INT(self.out_bits)
        if self.a_bits == 1:
            return BIPOLAR
        return INT(self.a_bits) if self.act_val < 0 else UINT(self.a_bits)

    @property
    def acc_type(self):
        return INT(self.acc_bits)

    @property
    def w_pad_value(self):
        return 1 if self.w_bits == 1 else 0

    @property
    def in_pad_value(self):
        return -1 if self.in_type.bipolar else 0

    @property
    def pad_offset(self):
        if self.xnor:
            return 0
        return self.folding.n_pad_cols * self.w_pad_value * self.in_pad_value


def _check_int(name, value, low, layer):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError('layer %s: %s must be an integer >= %d, got %r'
                         % (layer, name, low, value))


class NetworkStreams(object):
    """The input and output streams of a network, from its layer specs (``self.specs``): the
    fields of its first and last layer, their padding and 64-bit words per image.

    A mixin of the HLS and Verilog networks; each says itself which output fields are signed.
    """

    @property
    def in_bits(self):
        return self.specs[0].in_bits

    @property
    def in_signed(self):
        return self.specs[0].in_signed

    @property
    def in_padded(self):
        return self.specs[0].folding.padded_mw

    @property
    def in_words(self):
        """64-bit words per input image."""
        return self.in_padded * self.in_bits // AXI_WORD_BITS

    @property
    def out_bits(self):
        return self.specs[-1].out_bits

    @property
    def out_padded(self):
        return self.specs[-1].folding.padded_mh

    @property
    def out_words(self):
        """64-bit words per output image."""
        return self.out_padded * self.out_bits // AXI_WORD_BITS


def validate_spec(spec, layer='?'):
    """Check one :class:`LayerSpec` and that its folding packs into FINN's files; return it.

    Raises
    ------
    ValueError
        Bad folding (see :func:`~hwgen.folding.base.validate_folding`) or a bad encoding (see
        :func:`check_encoding`).
    """
    check_encoding(spec, layer)
    validate_folding(spec.folding, spec.w_bits, layer)
    return spec


def check_encoding(spec, layer='?'):
    """Check what every :class:`LayerSpec` checks when it is built; return it.

    The folding's packing into 64-bit weight words is left to :func:`validate_spec`: the
    estimates also model foldings that FINN's files cannot hold.

    Raises
    ------
    ValueError
        Non-positive bit widths, ``xnor`` without binary weights and bipolar 1-bit inputs,
        more output levels (``n_thresholds + 1``) than ``a_bits`` can hold, ``acc_bits``
        outside 2..62, or ``scores`` on a layer that is not last.
    """
    if not isinstance(spec.folding, Folding):
        raise ValueError('layer %s: folding must be a Folding, got %r' % (layer, spec.folding))
    for name in ('w_bits', 'in_bits', 'a_bits', 'n_thresholds'):
        _check_int(name, getattr(spec, name), 1, layer)
    _check_int('acc_bits', spec.acc_bits, 2, layer)
    for name in STREAM_KEYS:
        if getattr(spec, name) is not None:
            _check_int(name, getattr(spec, name), 1, layer)
    if isinstance(spec.act_val, bool) or not isinstance(spec.act_val, numbers.Integral):
        raise ValueError('layer %s: act_val must be an integer, got %r' % (layer, spec.act_val))
    if spec.xnor and not (spec.w_bits == 1 and spec.in_type.bipolar):
        raise ValueError('layer %s: xnor needs binary weights and bipolar 1-bit inputs, got '
                         'w_bits=%d in_bits=%d in_signed=%r'
                         % (layer, spec.w_bits, spec.in_bits, spec.in_signed))
    if spec.n_thresholds > UINT(spec.a_bits).max:  # ActVal + 0 .. NumTH in a_bits bits
        raise ValueError('layer %s: %d thresholds give %d output levels, more than a_bits=%d '
                         'can hold' % (layer, spec.n_thresholds, spec.n_thresholds + 1,
                                       spec.a_bits))
    if spec.acc_bits > MAX_ACC_BITS:
        raise ValueError('layer %s: acc_bits=%d, at most %d are supported'
                         % (layer, spec.acc_bits, MAX_ACC_BITS))
    if spec.scores and not spec.folding.last:
        raise ValueError('layer %s: only the last layer can emit class scores' % (layer,))
    return spec


def validate_network(specs):
    """Check every layer, the folding chain and that each layer reads what the last wrote.

    Returns
    -------
    list of LayerSpec

    Raises
    ------
    ValueError
        See :func:`validate_spec` and :func:`~hwgen.folding.base.validate_chain`; also when a
        layer's ``in_bits`` differs from the previous layer's ``a_bits``.
    """
    specs = list(specs)
    for index, spec in enumerate(specs):
        validate_spec(spec, index)
    validate_chain([s.folding for s in specs], [s.w_bits for s in specs])
    for index in range(1, len(specs)):
        if specs[index].in_bits != specs[index - 1].a_bits:
            raise ValueError('layer %d reads %d-bit inputs but layer %d writes %d-bit outputs'
                             % (index, specs[index].in_bits, index - 1,
                                specs[index - 1].a_bits))
    return specs


def with_last_layer(specs, last_layer):
    """The network's specs with the output mode ``last_layer`` set on its last layer.

    Parameters
    ----------
    specs : sequence of LayerSpec
    last_layer : {'thresholds', 'scores'}
        ``'thresholds'``: the last layer is thresholded like the others (FINN, BNN-PYNQ: one
        output bit per class). ``'scores'``: it emits its accumulators as class scores.

    Returns
    -------
    list of LayerSpec

    Examples
    --------
    >>> [s.scores for s in with_last_layer(lfc_specs('W1A1'), 'scores')]
    [False, False, False, True]
    """
    if last_layer not in LAST_LAYER_MODES:
        raise ValueError('last_layer must be one of %s, got %r' % (LAST_LAYER_MODES, last_layer))
    specs = list(specs)
    specs[-1] = specs[-1]._replace(scores=last_layer == 'scores')
    return specs


def lfc_specs(variant='W1A1', foldings=None):
    """The layer records of BNN-PYNQ's LFC networks.

    Parameters
    ----------
    variant : {'W1A1', 'W1A2'}
        W1A1: XNOR-popcount layers with 1 threshold. W1A2: binary weights, 2-bit activations
        (ActVal -1, values -1..1, 2 thresholds) in layers 0-2, the first reading binary pixels
        as +-1 (``Recast<Binary>``), and a 1-bit last layer.
    foldings : sequence of Folding, optional
        Default :func:`~hwgen.folding.base.lfc_folding`.

    Returns
    -------
    list of LayerSpec
    """
    foldings = lfc_folding() if foldings is None else list(foldings)
    if variant == 'W1A1':
        specs = [LayerSpec(f) for f in foldings]
    elif variant == 'W1A2':
        in_bits = [1] + [2] * (len(foldings) - 1)
        a_bits = [2] * (len(foldings) - 1) + [1]
        specs = [LayerSpec(f, w_bits=1, in_bits=i, a_bits=a, xnor=False)
                 for f, i, a in zip(foldings, in_bits, a_bits)]
    else:
        raise ValueError("variant must be 'W1A1' or 'W1A2', got %r" % (variant,))
    return validate_network(specs)
