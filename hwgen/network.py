"""A network's layer specs: the one description every back end reads.

:func:`network_specs` turns layer sizes, precisions, the input encoding and a folding choice
into one :class:`~hwgen.layerspec.LayerSpec` per layer. A trained run
(:func:`hwgen.trained.network.from_run`, sizes from its ``params.npz``) and a study's settings
(:func:`config_sizes`, sizes from ``num_units`` and ``n_hidden_layers``) both go through it;
the HLS writer, the parameter files, the integer model, the QONNX export and the estimates all
read the specs it returns.

Input encoding of the first layer (MNIST pixels ``p``, uint8):

* ``binarize_input``: one bipolar bit, 1 (+1) iff ``p >= 128``, as in training;
* otherwise the raw 8-bit unsigned pixel. Training saw ``x = p / 127.5 - 1 =
  (p - 127.5) / 127.5``; the scale ``1 / 127.5`` and the offset ``-127.5 * sum(w)`` of each
  neuron are folded into its thresholds and score.

Every hidden layer outputs the integer code of its activation (``value / 2^-(A-2)``, or a
bipolar bit for A = 1), which is what the next layer multiplies.

Accumulator widths: without trained weights a layer gets the width that any weights of its
grid need (:func:`widest_accumulator`); a trained run narrows it to what its own weights need
(:func:`hwgen.trained.network.from_run`). Both are at least BNN-PYNQ's 16 bits.

Examples
--------
>>> specs = network_specs([784, 64, 10], w_bits=2, a_bits=2, binarize_input=False)
>>> [(s.in_bits, s.in_signed, s.a_bits, s.acc_bits) for s in specs]
[(8, False, 2, 19), (2, True, 1, 16)]
"""
from __future__ import absolute_import, division, print_function

import collections

import numpy as np

from hwgen.datatype import UINT, activation_range, smallest_fitting
from hwgen.errors import HwgenError
from hwgen.folding.base import LFC_CYCLES, LFC_SIZES
from hwgen.folding.resolve import resolve_folding
from hwgen.layerspec import THRESHOLD_BITS, LayerSpec
from qnn import numeric

__all__ = ['PIXEL_BITS', 'PIXEL_OFFSET', 'BINARIZE_THRESHOLD', 'Source', 'encode_input',
           'layer_sources', 'config_sizes', 'accumulator_bits', 'hardware_range',
           'widest_accumulator', 'FOLDING_RULES', 'network_specs']

#: Bits of a raw MNIST pixel, the first layer's input when the input is not binarized.
PIXEL_BITS = 8
#: Training scales pixels to ``(p - PIXEL_OFFSET) / PIXEL_OFFSET``.
PIXEL_OFFSET = 127.5
#: Binarized input: bit 1 (+1) iff ``p >= BINARIZE_THRESHOLD``.
BINARIZE_THRESHOLD = 128


class Source(collections.namedtuple('Source', ['bits', 'signed', 'low', 'high', 'inv_step',
                                               'pixels'])):
    """What a layer reads: field bits, signedness, code range, 1 / value of a code, pixels."""
    __slots__ = ()


def encode_input(images, binarize_input):
    """MNIST pixels -> the first layer's raw input fields.

    Parameters
    ----------
    images : array_like of integers 0..255, shape (N, 28, 28) or (N, 784)
    binarize_input : bool
        One bit per pixel (1 iff ``p >= 128``) instead of the 8-bit pixel.

    Returns
    -------
    numpy.ndarray of uint8, shape (N, 784)

    Examples
    --------
    >>> encode_input([[0, 127, 128, 255]], True).tolist(), encode_input([[0, 255]], False).tolist()
    ([[0, 0, 1, 1]], [[0, 255]])
    """
    images = np.asarray(images)
    pixel = UINT(PIXEL_BITS)
    if images.dtype.kind not in 'iu':
        raise HwgenError('images must be integer pixels %d..%d, got dtype %s'
                         % (pixel.min, pixel.max, images.dtype))
    if images.size and not pixel.allowed(images).all():
        raise HwgenError('images must be pixels %d..%d, got values %d..%d'
                         % (pixel.min, pixel.max, images.min(), images.max()))
    flat = images.reshape(len(images), -1)
    if binarize_input:
        return (flat >= BINARIZE_THRESHOLD).astype(np.uint8)
    return flat.astype(np.uint8)


def pixel_fields(images, in_bits, in_signed):
    """MNIST pixels -> the raw input fields of a first layer reading ``in_bits``-bit inputs.

    Bipolar 1-bit inputs are binarized pixels, unsigned 8-bit inputs the pixels themselves
    (:func:`encode_input`).

    Raises
    ------
    HwgenError
        Another input encoding (pass input fields instead).
    """
    if in_bits == 1 and in_signed:
        return encode_input(images, binarize_input=True)
    if in_bits == PIXEL_BITS and not in_signed:
        return encode_input(images, binarize_input=False)
    raise HwgenError('no pixel encoding for %d-bit %s inputs; pass input fields'
                     % (in_bits, 'signed' if in_signed else 'unsigned'))


def layer_sources(n_layers, a_bits, binarize_input):
    """What each layer reads: pixels or bits first, then the previous activation's codes.

    Examples
    --------
    >>> [(s.bits, s.low, s.high) for s in layer_sources(2, 3, False)]
    [(8, 0, 255), (3, -2, 2)]
    """
    if binarize_input:
        first = Source(1, True, -1, 1, 1.0, False)
    else:
        pixel = UINT(PIXEL_BITS)
        first = Source(pixel.bits, False, pixel.min, pixel.max, PIXEL_OFFSET, True)
    low, high = activation_range(a_bits)
    hidden = Source(a_bits, True, low, high, 1.0 / numeric.code_step(a_bits), False)
    return [first] + [hidden] * (n_layers - 1)


def config_sizes(config):
    """Layer sizes, input included, of the MLP a run configuration or a study's settings give.

    Parameters
    ----------
    config : dict
        With ``num_units`` and ``n_hidden_layers`` (:data:`qnn.config.DEFAULTS`).

    Examples
    --------
    >>> config_sizes({'num_units': 1024, 'n_hidden_layers': 3})
    [784, 1024, 1024, 1024, 10]
    """
    hidden = [int(config['num_units'])] * int(config['n_hidden_layers'])
    return [LFC_SIZES[0]] + hidden + [LFC_SIZES[-1]]


def accumulator_bits(low, high, minimum=THRESHOLD_BITS):
    """Width of the accumulator of a layer whose sums lie in [low, high], at least ``minimum``.

    Thresholds need one value below the smallest sum (a threshold no accumulator exceeds is
    ``low - 1``), so the two's complement type holds [low - 1, high].

    Examples
    --------
    >>> accumulator_bits(0, 400), accumulator_bits(-39999, 12), accumulator_bits(1, 32768)
    (16, 17, 17)
    """
    return smallest_fitting(low - 1, high, signed=True, min_bits=minimum).bits


def hardware_range(spec, low, high, source):
    """Smallest and largest hardware accumulator of the padded layer.

    ``low`` and ``high`` (scalars or per neuron) bound the real neurons' signed sums of
    weight codes times input codes. Pad columns add
    :attr:`~hwgen.layerspec.LayerSpec.pad_offset`; XNOR layers count matches instead. Pad
    neurons (rows) accumulate pad weights times any input.
    """
    f = spec.folding
    if spec.xnor:
        low, high = (np.asarray(low) + f.mw) // 2, (np.asarray(high) + f.mw) // 2
        pad_row_range = (0, f.padded_mw)
    else:
        low, high = np.asarray(low) + spec.pad_offset, np.asarray(high) + spec.pad_offset
        ends = [f.padded_mw * spec.w_pad_value * code for code in (source.low, source.high)]
        pad_row_range = (min(ends), max(ends))
    low, high = int(np.min(low)), int(np.max(high))
    if f.n_pad_rows:
        return min(low, pad_row_range[0]), max(high, pad_row_range[1])
    return low, high


def widest_accumulator(spec, source):
    """The accumulator width any weights of the layer's grid need (:func:`accumulator_bits`).

    Every real column adds a weight code of the paper's ``w_bits`` grid times an input code
    of ``source``; the extremes of the sum are ``MW`` times the extreme products.
    """
    w_high = -numeric.paper_grid(spec.w_bits).lowest_code
    products = [w * code for w in (-w_high, w_high) for code in (source.low, source.high)]
    mw = spec.folding.mw
    return accumulator_bits(*hardware_range(spec, mw * min(products), mw * max(products),
                                            source))


#: What a network's folding must obey (:func:`network_specs`).
FOLDING_RULES = ('streams', 'packing', None)


def network_specs(sizes, w_bits, a_bits, binarize_input, folding=None, cycles=LFC_CYCLES,
                  rules='streams', acc_bits=None):
    """The layer specs of a network: folding, encodings and accumulator widths.

    Hidden layers output ``a_bits`` codes (ActVal and NumTH from
    :func:`~hwgen.layerspec.default_act_val` / ``default_n_thresholds``); the last layer is
    thresholded to 1 bit (the sign of its BN output, as BNN-PYNQ). The first layer reads
    bipolar bits (``binarize_input``) or unsigned 8-bit pixels. XNOR popcounts are used where
    W = I = A = 1.

    Parameters
    ----------
    sizes : sequence of int
        Layer sizes, input included (:func:`config_sizes` for a run or a study).
    w_bits, a_bits : int
    binarize_input : bool
    folding : None, str, dict or sequence of Folding, optional
        See :func:`~hwgen.folding.resolve.resolve_folding`; None: the default folding for
        ``cycles``.
    cycles : int
        Target cycles per image of the default folding.
    rules : {'streams', 'packing', None}
        What the folding must obey: ``'streams'``, the packing rules of the parameter files
        and finn-hlslib's stream rules (the HLS project can be built); ``'packing'``, the
        packing rules only; None, nothing (a given folding modelled by the estimates).
    acc_bits : sequence of int, optional
        Per layer; default :func:`widest_accumulator`.

    Returns
    -------
    list of LayerSpec

    Raises
    ------
    FoldingError
        See :func:`~hwgen.folding.resolve.resolve_folding`.

    Examples
    --------
    >>> from hwgen.layerspec import lfc_specs
    >>> network_specs(LFC_SIZES, 1, 2, True) == lfc_specs('W1A2')
    True
    """
    if rules not in FOLDING_RULES:
        raise ValueError('rules must be one of %s, got %r' % (FOLDING_RULES, rules))
    sources = layer_sources(len(sizes) - 1, a_bits, binarize_input)
    foldings = resolve_folding(folding, sizes, w_bits, a_bits if rules == 'streams' else None,
                               in_bits=sources[0].bits, target_cycles=cycles,
                               check_packing=rules is not None)
    specs = [LayerSpec(f, w_bits=w_bits, in_bits=source.bits, a_bits=1 if f.last else a_bits,
                       in_signed=source.signed)
             for f, source in zip(foldings, sources)]
    if acc_bits is None:
        acc_bits = [widest_accumulator(spec, source) for spec, source in zip(specs, sources)]
    return [spec._replace(acc_bits=bits) for spec, bits in zip(specs, acc_bits)]
