"""Hash-based dropout masks: C op against its numpy twin, statistics, stream, layer."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.dropout import (GOLDEN, DropoutLayer, DropoutMask, HashStream, _splitmix64_int,
                         dropout_mask_np, keep_threshold)
from qnn.layers import DenseLayer, lasagne
from qnn.models import seeded_lasagne_rng
from qnn.quantization import T, theano


def _compiled_mask(keep_prob, shape, seed, counter):
    op = DropoutMask(keep_prob)(T.constant(np.asarray(shape, dtype='int64')),
                                T.constant(np.int64(seed)), T.constant(np.int64(counter)))
    return theano.function([], op, mode='FAST_RUN')()


def test_splitmix64_matches_the_published_sequence():
    """SplitMix64 seeded 1234567: its first two outputs (Java's SplittableRandom, xoshiro docs)."""
    assert _splitmix64_int(1234567 + GOLDEN) == 6457827717110365317
    assert _splitmix64_int((1234567 + 2 * GOLDEN) % 2 ** 64) == 3203168211198807973


@pytest.mark.parametrize('keep_prob, shape, seed, counter', [
    (0.8, (100, 784), 1, 0), (0.5, (100, 1024), 2 ** 30 - 1, 7), (0.5, (37, 29), 12345, 2 ** 40),
    (1.0, (3, 5), 9, 1)])
def test_c_op_gives_the_numpy_twin_bit_for_bit(keep_prob, shape, seed, counter):
    mask = _compiled_mask(keep_prob, shape, seed, counter)
    expected = dropout_mask_np(shape, keep_prob, seed, counter)
    assert mask.dtype == expected.dtype == np.float32 and mask.shape == shape
    np.testing.assert_array_equal(mask, expected)


@pytest.mark.parametrize('p', [0.2, 0.5])
def test_keep_rate_is_within_four_standard_errors(p):
    keep, n = 1 - p, 100 * 1024
    for counter in range(3):
        mask = _compiled_mask(keep, (100, 1024), 42, counter)
        assert set(np.unique(mask)) <= {0.0, 1.0}
        assert abs(mask.mean() - keep) < 4 * np.sqrt(keep * (1 - keep) / n)
    # Neighbouring elements are independent: pairs of kept elements as often as keep ** 2.
    pairs = mask.ravel()[:-1] * mask.ravel()[1:]
    assert abs(pairs.mean() - keep ** 2) < 4 * np.sqrt(keep ** 2 * (1 - keep ** 2) / n)


def test_keep_threshold_rejects_a_bad_probability():
    assert keep_threshold(0.5) == 2 ** 31
    with pytest.raises(ValueError):
        keep_threshold(0)


def test_stream_advances_once_per_call_and_restarts_when_reseeded():
    stream = HashStream(5)
    draw = theano.function([], stream.binomial((4, 6), p=T.constant(1) - 0.5))
    stream.seed(77)
    first, second = draw(), draw()
    np.testing.assert_array_equal(first, dropout_mask_np((4, 6), 0.5, 77, 0))
    np.testing.assert_array_equal(second, dropout_mask_np((4, 6), 0.5, 77, 1))
    assert not np.array_equal(first, second)
    stream.seed(77)
    np.testing.assert_array_equal(draw(), first)


def _two_layers(layer_class):
    with seeded_lasagne_rng(3):
        net = lasagne.layers.InputLayer((None, 20))
        net = layer_class(net, p=0.2)
        dense = DenseLayer(net, 8)
    return net, dense


def test_layer_is_inverted_dropout_and_keeps_lasagnes_initial_weights():
    ours, dense = _two_layers(DropoutLayer)
    _, lasagnes_dense = _two_layers(lasagne.layers.DropoutLayer)
    np.testing.assert_array_equal(dense.W.get_value(), lasagnes_dense.W.get_value())

    x = T.matrix('x')
    values = np.random.RandomState(0).uniform(-1, 1, (6, 20)).astype('float32')
    ours._srng.seed(11)
    dropped = theano.function([x], lasagne.layers.get_output(ours, x))(values)
    # Theano turns the division by 0.8 into a product with its reciprocal, 1.25 exactly.
    expected = values * np.float32(1.25) * dropout_mask_np((6, 20), 0.8, 11, 0)
    np.testing.assert_array_equal(dropped, expected)
    deterministic = lasagne.layers.get_output(ours, x, deterministic=True)
    np.testing.assert_array_equal(theano.function([x], deterministic)(values), values)
