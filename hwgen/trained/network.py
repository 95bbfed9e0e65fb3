"""The hardware description of a trained run: integer layers, thresholds, specs, score map.

:func:`from_run` reads a run folder (``config.json`` and ``params.npz``, see :mod:`qnn.runs`)
and builds a :class:`HardwareNetwork`: per layer the integer weight matrix as the hardware
stores it (rows = neurons, sign-flipped where the BN multiplier is negative), the integer
thresholds on the hardware accumulator (:mod:`hwgen.finn.thresholds`) and its
:class:`~hwgen.layerspec.LayerSpec` (:func:`hwgen.network.network_specs`, the accumulator
narrowed to what the trained weights need); plus the last layer's
:class:`~hwgen.finn.thresholds.ScoreMap`. The input encoding is :mod:`hwgen.network`'s.

Only ``layer_order='bn_act'`` runs can be generated (see :data:`ACT_BN_EXPLANATION`).
"""
from __future__ import absolute_import, division, print_function

import collections
import logging
import os

import numpy as np

from hwgen.errors import HwgenError
from hwgen.finn.packing import pad_thresholds, pad_weights
from hwgen.finn.thresholds import (code_step, fold_thresholds, hardware_thresholds,
                                   integer_weights, score_map, step_points)
from hwgen.folding.base import LFC_CYCLES
from hwgen.folding.resolve import describe_folding
from hwgen.intmodel import IntegerLayer, IntegerModel, classify_by_margin
from hwgen.layerspec import validate_network
from hwgen.network import (PIXEL_OFFSET, accumulator_bits, encode_input, hardware_range,
                           layer_sources, network_specs)
from qnn import runs
from qnn.config import ACTIVATION_NAMES, ConfigError, config_from_record
from qnn.naming import network_name, param_names

__all__ = ['UnsupportedRunError', 'LayerRecord', 'HardwareNetwork', 'IntegerClassifier',
           'from_run', 'ACT_BN_EXPLANATION']

log = logging.getLogger(__name__)

ACT_BN_EXPLANATION = (
    "layer_order 'act_bn' (Dense -> activation -> BN, the paper's Fig. 4 as printed) cannot be "
    "folded into integer thresholds: the BN after the quantized activation maps each code k "
    "to the real value (k * step - mean) * gamma * inv_std + beta of its neuron, so the next "
    "layer would multiply these reals, i.e. use weights w * gamma * inv_std that are no longer "
    "on the quantized grid, while the FINN dataflow passes integer codes between layers. "
    "Train with layer_order 'bn_act' (Dense -> BN -> activation, BNN-PYNQ's lfc.py) to "
    "generate hardware.")


class UnsupportedRunError(HwgenError):
    """The run's network cannot be generated (e.g. layer_order 'act_bn')."""


class LayerRecord(collections.namedtuple('LayerRecord',
                                         ['spec', 'weights', 'thresholds', 'flip'])):
    """One fully-connected layer as the hardware computes it.

    Attributes
    ----------
    spec : LayerSpec
    weights : numpy.ndarray of int64, shape (MH, MW)
        Weight codes (+-1 for binary weights), rows = neurons, already multiplied by ``flip``.
    thresholds : numpy.ndarray of int64, shape (MH, NumTH)
        On the hardware accumulator (XNOR popcount or signed sum incl. pad columns).
    flip : numpy.ndarray of int64, shape (MH,)
        -1 for neurons whose BN multiplier is negative (their weights were negated).
    """
    __slots__ = ()


class HardwareNetwork(object):
    """The hardware IR of a trained network (see the module docstring).

    Parameters
    ----------
    layers : sequence of LayerRecord
    scores : ScoreMap
        Class scores from the last layer's hardware accumulators.
    metadata : dict
        ``wbits``, ``abits``, ``activation``, ``binarize_input``, ``sizes``, ``float_type``
        and the source run (``run_dir``, ``config``).
    """

    def __init__(self, layers, scores, metadata):
        self.layers = list(layers)
        self.scores = scores
        self.metadata = dict(metadata)
        validate_network(self.specs)

    @property
    def specs(self):
        """The layers' :class:`~hwgen.layerspec.LayerSpec` s."""
        return [layer.spec for layer in self.layers]

    def integer_model(self):
        """The bit-exact :class:`~hwgen.intmodel.IntegerModel` of the padded layers."""
        return IntegerModel([IntegerLayer(layer.spec,
                                          pad_weights(layer.weights, layer.spec.folding,
                                                      layer.spec.w_bits),
                                          pad_thresholds(layer.thresholds, layer.spec.folding,
                                                         layer.spec.acc_bits))
                             for layer in self.layers])

    def input_fields(self, images):
        """Raw first-layer input fields of uint8 images (see :func:`encode_input`)."""
        return encode_input(images, self.metadata['binarize_input'])

    def classifier(self):
        """The :class:`IntegerClassifier` of the integer model and the score map."""
        return IntegerClassifier(self.integer_model(), self.scores,
                                 self.metadata['binarize_input'])

    def classify(self, images, batch_size=1000):
        """Predicted classes of uint8 images (see :meth:`IntegerClassifier.classify`)."""
        return self.classifier().classify(images, batch_size)


class IntegerClassifier(object):
    """An integer model with its input encoding and class rule: the one read-back classifier.

    :meth:`HardwareNetwork.classifier` builds it from a run,
    :func:`hwgen.trained.readback.load_folder` from parameter files; both classify with the
    same rule.

    Attributes
    ----------
    model : IntegerModel
    scores : ScoreMap or None
        The class rule; None (bare BNN-PYNQ folders): ``argmax(acc - T_0)``
        (:func:`~hwgen.intmodel.classify_by_margin`).
    binarize_input : bool
        See :func:`encode_input`.
    manifest : dict or None
        The export's manifest when read from an export folder.
    """

    def __init__(self, model, scores, binarize_input, manifest=None):
        self.model = model
        self.scores = scores
        self.binarize_input = bool(binarize_input)
        self.manifest = manifest

    def classify(self, images, batch_size=1000):
        """Predicted classes (int array) of uint8 MNIST images (N, 28, 28) or (N, 784)."""
        result = self.model.run(encode_input(images, self.binarize_input), batch_size)
        if self.scores is not None:
            return self.scores.classify(result.accumulators)
        return classify_by_margin(self.model.margins(result.accumulators))


# ---------------------------------------------------------------------------------------------
# Building the layers.

def _signed_sum_range(weights, source):
    """Per neuron min and max of sum(w * code) over codes in [low, high]."""
    at_low, at_high = weights * source.low, weights * source.high
    return np.minimum(at_low, at_high).sum(axis=1), np.maximum(at_low, at_high).sum(axis=1)


def _layer_arrays(arrays, index):
    names = param_names(index)
    missing = [name for name in names if name not in arrays]
    if missing:
        raise HwgenError('params.npz lacks %s (found %s)' % (', '.join(missing),
                                                            ', '.join(sorted(arrays))))
    return [arrays[name] for name in names]


def _build_layer(arrays, index, spec, source, activation, float_type):
    """One :class:`LayerRecord`, and for the last layer (1-bit BN sign) its ScoreMap."""
    latent, bias, mean, inv_std, gamma, beta = _layer_arrays(arrays, index)
    w_bits = spec.w_bits
    codes = integer_weights(latent.T, w_bits)                         # (MH, MW)
    multiplier = (gamma * inv_std).astype(np.float64)                 # as Theano rounds it
    inv_scale = source.inv_step / code_step(w_bits)                   # 2^k or 127.5 * 2^k
    offset = PIXEL_OFFSET * codes.sum(axis=1) if source.pixels else 0.0
    low, high = _signed_sum_range(codes, source)
    last = spec.folding.last
    steps = np.zeros(1) if last else step_points(activation, spec.a_bits, float_type)
    folded = fold_thresholds(steps, inv_scale, offset, bias, mean, multiplier, beta, low, high)
    flipped_low = np.where(folded.flip > 0, low, -high)
    flipped_high = np.where(folded.flip > 0, high, -low)
    spec = spec._replace(acc_bits=accumulator_bits(*hardware_range(spec, flipped_low,
                                                                  flipped_high, source)))
    record = LayerRecord(spec, codes * folded.flip[:, None],
                         hardware_thresholds(folded.thresholds, spec), folded.flip)
    scores = score_map(inv_scale, offset, bias, mean, multiplier, beta, folded.flip, spec) \
        if last else None
    return record, scores


def _check_config(config, run_dir):
    if config.get('layer_order', 'bn_act') != 'bn_act':
        raise UnsupportedRunError('%s was trained with layer_order %r. %s'
                                  % (run_dir, config.get('layer_order'), ACT_BN_EXPLANATION))
    missing = [key for key in ('wbits', 'abits', 'activation') if key not in config]
    if missing:
        raise HwgenError('%s/config.json lacks %s' % (run_dir, ', '.join(missing)))
    try:
        config_from_record(config)
    except ConfigError as error:
        raise HwgenError('%s/config.json: %s' % (run_dir, error))
    if config['activation'] not in ACTIVATION_NAMES:
        raise UnsupportedRunError('%s: unknown activation %r' % (run_dir, config['activation']))


def _layer_sizes(arrays, run_dir):
    """Layer sizes including the input, from the shapes of ``dense<i>.W`` (in, out)."""
    shapes = []
    while param_names(len(shapes))[0] in arrays:
        shapes.append(arrays[param_names(len(shapes))[0]].shape)
    if not shapes:
        raise HwgenError('%s/params.npz holds no dense0.W' % run_dir)
    for index, shape in enumerate(shapes):
        if len(shape) != 2 or (index and shape[0] != shapes[index - 1][1]):
            raise HwgenError('%s: dense%d.W has shape %s after a layer of shape %s'
                             % (run_dir, index, shape, shapes[index - 1] if index else None))
    return [int(shapes[0][0])] + [int(shape[1]) for shape in shapes]


def from_run(run_dir, folding=None, cycles=LFC_CYCLES):
    """Build the :class:`HardwareNetwork` of a trained run.

    Parameters
    ----------
    run_dir : str
        A run folder with ``config.json`` and ``params.npz``.
    folding : None, str, dict or sequence of Folding, optional
        See :func:`~hwgen.folding.resolve.resolve_folding`.
    cycles : int
        Target cycles per image of the default folding (``folding`` None).

    Returns
    -------
    HardwareNetwork

    Raises
    ------
    qnn.runs.RunError
        The run folder or one of its files is missing or unreadable.
    UnsupportedRunError
        The run was trained with ``layer_order='act_bn'`` (see :data:`ACT_BN_EXPLANATION`).
    FoldingError
        The folding does not fit, or no default folding meets ``cycles`` (see
        :func:`~hwgen.folding.resolve.resolve_folding`).
    """
    config = runs.read_config(run_dir)
    _check_config(config, run_dir)
    arrays = runs.load_arrays(runs.run_file(run_dir, runs.PARAMS))
    sizes = _layer_sizes(arrays, run_dir)
    w_bits, a_bits = int(config['wbits']), int(config['abits'])
    float_type = str(config.get('software', {}).get('floatX', 'float32'))
    binarize = bool(config.get('binarize_input', False))
    specs = network_specs(sizes, w_bits, a_bits, binarize, folding, cycles)
    layers = []
    for index, (spec, source) in enumerate(zip(specs, layer_sources(len(specs), a_bits,
                                                                    binarize))):
        record, scores = _build_layer(arrays, index, spec, source, config['activation'],
                                      float_type)
        layers.append(record)
    metadata = {'wbits': w_bits, 'abits': a_bits, 'activation': config['activation'],
                'binarize_input': binarize, 'layer_order': 'bn_act', 'sizes': sizes,
                'float_type': float_type, 'run_dir': os.path.abspath(run_dir),
                'config': config}
    log.info('%s: %s, %s, folding %s, acc_bits %s', run_dir, '-'.join(map(str, sizes)),
             network_name(w_bits, a_bits), describe_folding([r.spec.folding for r in layers]),
             [r.spec.acc_bits for r in layers])
    return HardwareNetwork(layers, scores, metadata)
