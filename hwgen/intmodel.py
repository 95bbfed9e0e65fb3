"""A bit-exact integer model of the FINN fully-connected dataflow, run from parameter files.

Each layer does what ``Matrix_Vector_Activate_Batch`` does, vectorised over images:

1. read the previous layer's raw output fields (the first layer's input is padded with 0
   fields up to the padded width, as the host does with its 64-bit words);
2. interpret them per :class:`~hwgen.layerspec.LayerSpec` (bipolar, signed or unsigned);
3. accumulate over the *padded* matrix: the sum of weight * input, or for ``xnor`` layers the
   XNOR popcount ``(sum of +-1 products + padded MW) / 2``; pad lanes contribute exactly what
   they contribute in hardware (0 for XNOR, :attr:`LayerSpec.pad_offset` otherwise);
4. wrap the accumulator to ``acc_bits`` two's complement (``ap_int<16>``);
5. output ``ActVal + sum_i [acc > T_i]`` and keep its low ``a_bits`` bits as the raw field.

Products are computed with float32 (float64) matrix products when every partial sum is an
integer below 2**24 (2**53), which makes them exact; otherwise with int64.

Classification of the golden LFC W1A1 net (:func:`classify_by_margin`): its last layer is
thresholded to 1 bit, so the files keep no class scores. finnthesizer folded the sign of the
BatchNorm scale into the weights, so for every class a larger popcount means a larger BN
output; the margin ``acc - T`` is, up to a positive per-class factor, the BN output. The rule
is ``argmax_c (acc_c - T_c)`` over the real (unpadded) classes, first index on ties.
:func:`classify_like_host` reproduces BNN-PYNQ's host decoding of the 1-bit outputs instead.
"""
from __future__ import absolute_import, division, print_function

import collections
import logging

import numpy as np

from hwgen.datatype import UINT
from hwgen.finn.files import read_params
from hwgen.finn.packing import unpack_thresholds, unpack_weights
from hwgen.layerspec import validate_network

__all__ = ['IntegerLayer', 'IntegerModel', 'RunResult', 'ComparedToModel', 'count_above',
           'classify_by_margin', 'classify_like_host']

log = logging.getLogger(__name__)

#: Largest |integer| every partial sum may reach for float32 / float64 products to be exact.
_EXACT_FLOAT32 = 2 ** 24
_EXACT_FLOAT64 = 2 ** 53
#: Above this many thresholds per neuron :func:`count_above` uses a sorted search.
_LOOP_THRESHOLDS = 8


class ComparedToModel(object):
    """A simulation's outcome against this integer model (a mixin of a namedtuple with
    ``mismatched_images``: the indices of the images whose outputs differ anywhere)."""
    __slots__ = ()

    @property
    def n_mismatches(self):
        return int(len(self.mismatched_images))

    @property
    def passed(self):
        return self.n_mismatches == 0


class RunResult(collections.namedtuple('RunResult', ['fields', 'accumulators'])):
    """Last-layer result of :meth:`IntegerModel.run`, real (unpadded) neurons only.

    Attributes
    ----------
    fields : numpy.ndarray, shape (N, MH)
        Raw output fields (``a_bits`` bits each).
    accumulators : numpy.ndarray of int64, shape (N, MH)
        Wrapped accumulators.
    """
    __slots__ = ()


def count_above(acc, thresholds):
    """``sum_i [acc[n, m] > thresholds[m, i]]`` for every image ``n`` and neuron ``m``.

    Parameters
    ----------
    acc : numpy.ndarray of int64, shape (N, M)
    thresholds : numpy.ndarray of int64, shape (M, NumTH)
        Any order: the count does not depend on it.

    Returns
    -------
    numpy.ndarray of int64, shape (N, M)
    """
    if thresholds.shape[1] <= _LOOP_THRESHOLDS:
        return _count_above_loop(acc, thresholds)
    return _count_above_sorted(acc, thresholds)


def _count_above_loop(acc, thresholds):
    count = np.zeros(acc.shape, dtype=np.int64)
    for column in thresholds.T:
        count += acc > column
    return count


def _count_above_sorted(acc, thresholds):
    """One ``searchsorted`` over all neurons: neuron ``m``'s keys live in ``[m*span, ...)``."""
    n_neurons, n_thresholds = thresholds.shape
    low = min(acc.min(), thresholds.min())
    span = max(acc.max(), thresholds.max()) - low + 1
    offsets = np.arange(n_neurons, dtype=np.int64) * span
    keys = (np.sort(thresholds, axis=1) - low + offsets[:, None]).ravel()
    position = np.searchsorted(keys, acc - low + offsets, side='left')
    return position - np.arange(n_neurons, dtype=np.int64) * n_thresholds


class IntegerLayer(object):
    """One FC layer with its padded integer weights and thresholds.

    Parameters
    ----------
    spec : LayerSpec
    weights : array_like of int, shape (padded MH, padded MW)
        Weight values (+-1 for binary weights).
    thresholds : array_like of int, shape (padded MH, NumTH)
    """

    def __init__(self, spec, weights, thresholds):
        folding = spec.folding
        self.spec = spec
        self.weights = np.asarray(weights, dtype=np.int64)
        self.thresholds = np.asarray(thresholds, dtype=np.int64)
        if self.weights.shape != (folding.padded_mh, folding.padded_mw):
            raise ValueError('weights have shape %s, expected padded (MH, MW) = %s'
                             % (self.weights.shape, (folding.padded_mh, folding.padded_mw)))
        if self.thresholds.shape != (folding.padded_mh, spec.n_thresholds):
            raise ValueError('thresholds have shape %s, expected (padded MH, NumTH) = %s'
                             % (self.thresholds.shape, (folding.padded_mh, spec.n_thresholds)))
        self._dtype = self._product_dtype()
        self._input_table = None
        self._weights_t = np.ascontiguousarray(self.weights.T.astype(self._dtype))

    @classmethod
    def from_packed(cls, spec, params):
        """Build from packed :class:`~hwgen.finn.files.LayerParams` (PE memories)."""
        weights = unpack_weights(params.weights, spec.folding, spec.w_bits, padded=True)
        thresholds = unpack_thresholds(params.thresholds, spec.folding, padded=True)
        return cls(spec, weights, thresholds)

    def _product_dtype(self):
        in_type = self.spec.in_type
        largest_input = max(abs(in_type.min), abs(in_type.max))
        largest_weight = int(np.abs(self.weights).max()) if self.weights.size else 0
        bound = self.spec.folding.padded_mw * largest_input * largest_weight
        if bound < _EXACT_FLOAT32:
            return np.float32
        return np.float64 if bound < _EXACT_FLOAT64 else np.int64

    def _input_values(self, in_fields):
        """Input fields -> values in the product dtype (a lookup table up to 16 bits)."""
        if self.spec.in_bits > 16:
            return self.spec.in_type.decode(in_fields).astype(self._dtype)
        if self._input_table is None:
            in_type = self.spec.in_type
            self._input_table = in_type.decode(in_type.all_fields()).astype(self._dtype)
        return self._input_table[in_fields]

    def accumulate(self, in_fields):
        """Wrapped accumulators (N, padded MH) for raw input fields (N, padded MW)."""
        products = self._input_values(in_fields).dot(self._weights_t)
        if self.spec.xnor:  # popcount = (sum of +-1 products + padded MW) / 2, an integer
            products += self.spec.folding.padded_mw
            if self._dtype == np.int64:
                products //= 2
            else:
                products *= 0.5
        acc = products.astype(np.int64)
        acc_type = self.spec.acc_type
        if acc.size and (acc.min() < acc_type.min or acc.max() > acc_type.max):
            n_overflow = int(np.count_nonzero(~acc_type.allowed(acc)))
            log.warning('%d accumulators overflowed %d bits and wrapped', n_overflow,
                        self.spec.acc_bits)
            acc = acc_type.wrap(acc)
        return acc

    def activate(self, acc):
        """Output values ``ActVal + sum_i [acc > T_i]`` (N, padded MH), int64."""
        return self.spec.act_val + count_above(acc, self.thresholds)

    def to_fields(self, values):
        """The low ``a_bits`` bits of output values (the stream's raw fields)."""
        mask = self.spec.out_type.mask
        return (values & mask).astype(np.min_scalar_type(mask))

    def forward(self, in_fields):
        """``(out_fields, acc)`` for raw input fields (N, padded MW)."""
        acc = self.accumulate(in_fields)
        return self.to_fields(self.activate(acc)), acc


class IntegerModel(object):
    """A chain of :class:`IntegerLayer` s, as the FINN accelerator computes it.

    Parameters
    ----------
    layers : sequence of IntegerLayer
        Their specs must form a valid network (:func:`~hwgen.layerspec.validate_network`).

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> model = IntegerModel.from_folder('lfcW1A1', lfc_specs('W1A1'))  # doctest: +SKIP
    >>> model.classify(encode_input(images, True))                     # doctest: +SKIP
    """

    def __init__(self, layers):
        self.layers = list(layers)
        self.specs = validate_network([layer.spec for layer in self.layers])

    @classmethod
    def from_packed(cls, specs, params):
        """Build from layer specs and packed parameters (one LayerParams per layer)."""
        specs, params = list(specs), list(params)
        if len(specs) != len(params):
            raise ValueError('%d layer specs but %d parameter sets' % (len(specs), len(params)))
        return cls([IntegerLayer.from_packed(s, p) for s, p in zip(specs, params)])

    @classmethod
    def from_folder(cls, folder, specs):
        """Build from a BNN-PYNQ parameter folder (see :func:`~hwgen.finn.files.read_params`)."""
        specs = validate_network(specs)
        params = read_params(folder, specs)
        return cls.from_packed(specs, params)

    def pad_input(self, in_fields):
        """Pad raw input fields (N, MW) with 0 fields to the first layer's padded width."""
        in_fields = np.asarray(in_fields)
        folding = self.specs[0].folding
        if in_fields.ndim != 2 or in_fields.shape[1] not in (folding.mw, folding.padded_mw):
            raise ValueError('input fields have shape %s, expected (N, %d) or (N, %d)'
                             % (in_fields.shape, folding.mw, folding.padded_mw))
        in_bits = self.specs[0].in_bits
        fields = UINT(in_bits)
        if in_fields.size and not fields.allowed(in_fields).all():
            raise ValueError('input fields must lie in 0..%d for %d-bit inputs, found %d..%d'
                             % (fields.max, in_bits, in_fields.min(), in_fields.max()))
        width = folding.padded_mw - in_fields.shape[1]
        return np.pad(in_fields, ((0, 0), (0, width)), 'constant', constant_values=0)

    def trace(self, in_fields):
        """Every layer's ``(out_fields, acc)`` (padded) for one batch of raw input fields."""
        fields = self.pad_input(in_fields)
        outputs = []
        for layer in self.layers:
            fields, acc = layer.forward(fields)
            outputs.append((fields, acc))
        return outputs

    def run(self, in_fields, batch_size=1000):
        """Last-layer raw fields and accumulators of the real neurons, batch by batch.

        Parameters
        ----------
        in_fields : array_like, shape (N, MW)
            Raw input fields of the first layer (bits for the W1A1 net).
        batch_size : int
            Images per batch (memory only; results do not depend on it).

        Returns
        -------
        RunResult
        """
        in_fields = np.asarray(in_fields)
        n_real = self.specs[-1].folding.mh
        fields, accumulators = [], []
        for start in range(0, len(in_fields), batch_size):
            out_fields, acc = self.trace(in_fields[start:start + batch_size])[-1]
            fields.append(out_fields[:, :n_real])
            accumulators.append(acc[:, :n_real])
        if not fields:
            raise ValueError('no input images (shape %s)' % (in_fields.shape,))
        return RunResult(np.concatenate(fields), np.concatenate(accumulators))

    def margins(self, accumulators):
        """``acc - T_0`` per real output neuron: distance above its lowest threshold."""
        last = self.layers[-1]
        return accumulators - last.thresholds[:last.spec.folding.mh, 0]

    def classify(self, in_fields, rule='margin', batch_size=1000):
        """Predicted class per image.

        Parameters
        ----------
        in_fields : array_like, shape (N, MW)
        rule : {'margin', 'host'}
            ``'margin'``: :func:`classify_by_margin`; ``'host'``: :func:`classify_like_host`.

        Returns
        -------
        numpy.ndarray of int64, shape (N,)
        """
        result = self.run(in_fields, batch_size)
        if rule == 'margin':
            return classify_by_margin(self.margins(result.accumulators))
        if rule == 'host':
            return classify_like_host(result.fields)
        raise ValueError("rule must be 'margin' or 'host', got %r" % (rule,))


def classify_by_margin(margins):
    """``argmax_c margins[:, c]`` (first class on ties); see the module docstring.

    Examples
    --------
    >>> classify_by_margin(np.array([[-3, 5, 5], [0, -1, -2]])).tolist()
    [1, 0]
    """
    return np.argmax(margins, axis=1).astype(np.int64)


def classify_like_host(out_bits):
    """BNN-PYNQ's host decoding: ``round(log2(word))`` of the output bits, 0 for no bit set.

    The word has bit ``c`` set when class ``c`` fired. With exactly one bit set this is that
    class; with none it is 0; with several it is about the highest one, and may even be a
    class that did not fire (bits 1 and 2: log2(6) = 2.58 -> 3).

    Examples
    --------
    >>> classify_like_host(np.array([[0, 0, 0, 1], [0, 0, 0, 0], [0, 1, 1, 0]])).tolist()
    [3, 0, 3]
    """
    out_bits = np.asarray(out_bits).astype(np.int64) & 1
    words = (out_bits << np.arange(out_bits.shape[1], dtype=np.int64)).sum(axis=1)
    classes = np.floor(np.log2(np.maximum(words, 1)) + 0.5)
    return classes.astype(np.int64)
