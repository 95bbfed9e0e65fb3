"""Random networks for the g++ C-simulation tests: packed parameters, a project, the checks."""
from __future__ import absolute_import, division, print_function

import numpy as np

from hwgen.finn.files import LayerParams, write_params
from hwgen.finn.packing import pack_thresholds, pack_weights, value_range
from hwgen.folding.base import network_folding
from hwgen.hls import csim
from hwgen.hls.layers import HlsNetwork
from hwgen.hls.project import write_hls_project
from hwgen.intmodel import IntegerLayer
from hwgen.layerspec import LayerSpec, validate_network


def random_params(specs, in_fields, seed):
    """Random packed weights; thresholds at random percentiles of each neuron's accumulators
    over ``in_fields``, so that every output level occurs."""
    rng = np.random.RandomState(seed)
    fields = np.pad(in_fields, ((0, 0), (0, specs[0].folding.n_pad_cols)), 'constant')
    params = []
    for spec in specs:
        f = spec.folding
        if spec.w_bits == 1:
            weights = rng.choice([-1, 1], size=(f.mh, f.mw))
        else:
            low, high = value_range(spec.w_bits)
            weights = rng.randint(low, high + 1, size=(f.mh, f.mw))
        packed = pack_weights(weights, f, spec.w_bits)
        zeros = pack_thresholds(np.zeros((f.mh, spec.n_thresholds), np.int64), f, spec.acc_bits)
        acc = IntegerLayer.from_packed(spec, LayerParams(packed, zeros)).accumulate(fields)
        levels = np.sort(rng.uniform(5, 95, size=(f.mh, spec.n_thresholds)), axis=1)
        thresholds = np.array([np.percentile(acc[:, r], levels[r]) for r in range(f.mh)])
        layer_params = LayerParams(packed, pack_thresholds(np.floor(thresholds).astype(np.int64),
                                                           f, spec.acc_bits))
        fields = IntegerLayer.from_packed(spec, layer_params).forward(fields)[0]
        params.append(layer_params)
    return params


def build_random_network(tmp_path, specs, images, last_layer='thresholds', seed=0, **kwargs):
    """Write random params and the HLS project; return (hw_dir, params_dir)."""
    network = HlsNetwork(specs, last_layer=last_layer)
    params = random_params(specs, csim.encode_images(images, network), seed)
    params_dir, hw_dir = str(tmp_path / 'params'), str(tmp_path / 'hw')
    write_params(params_dir, params)
    write_hls_project(specs, hw_dir, params_dir=params_dir, last_layer=last_layer, **kwargs)
    return hw_dir, params_dir


def specs_of(sizes, simd, pe, w_bits, a_bits, in_bits=1, in_signed=True, acc_bits=16):
    return validate_network([
        LayerSpec(f, w_bits=w_bits, in_bits=in_bits if i == 0 else a_bits, a_bits=a_bits,
                  in_signed=in_signed if i == 0 else True, acc_bits=acc_bits,
                  n_thresholds=1 if a_bits == 1 else 2 ** (a_bits - 1),
                  act_val=0 if a_bits == 1 else -2 ** (a_bits - 2))
        for i, f in enumerate(network_folding(sizes, simd, pe))])


def assert_bit_exact(result, n_images):
    assert result.n_images == n_images
    assert result.outputs.shape == result.expected.shape
    assert result.n_mismatches == 0, 'images %s differ' % result.mismatched_images[:10]
    assert np.array_equal(result.outputs, result.expected)
