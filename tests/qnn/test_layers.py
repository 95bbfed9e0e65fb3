"""Quantized DenseLayer and BatchNormLayer, checked against numpy and inside plain Lasagne."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.layers import QUANTIZED_TAG, BatchNormLayer, DenseLayer, _BatchNormLayer, lasagne
from qnn.quantization import QuantizationBinary, QuantizationFixed, T, theano

FLOAT_X = theano.config.floatX


def test_glorot_lr_scales_of_the_paper_network():
    fans = [(784, 1024), (1024, 1024), (1024, 1024), (1024, 10)]
    scales = [DenseLayer((None, a), b).W_LR_scale for a, b in fans]
    assert np.round(scales, 3).tolist() == [34.718, 36.950, 36.950, 26.255]


def test_weights_initialised_in_quantizer_range_and_tagged():
    lasagne.random.set_rng(np.random.RandomState(0))
    layer = DenseLayer((None, 30), 20, quantization=QuantizationFixed(3))
    weights = layer.W.get_value()
    assert weights.min() >= -1.5 and weights.max() <= 1.5 and weights.std() > 0.5
    assert layer.params[layer.W] == {'trainable', 'regularizable', QUANTIZED_TAG}
    assert lasagne.layers.get_all_params(layer, quantized=True) == [layer.W]
    assert lasagne.layers.get_all_params(layer, trainable=True, quantized=False) == [layer.b]


@pytest.mark.parametrize('quantization', [QuantizationBinary(), QuantizationFixed(2),
                                          QuantizationFixed(5)])
def test_forward_uses_quantized_weights(quantization):
    rng = np.random.RandomState(1)
    x = T.tensor4('x')
    layer = DenseLayer(lasagne.layers.InputLayer((None, 2, 3, 4), input_var=x), 5,
                       quantization=quantization, b=rng.randn(5).astype(FLOAT_X), W_LR_scale=2.0)
    inputs = rng.randn(7, 2, 3, 4).astype(FLOAT_X)
    output = theano.function([x], lasagne.layers.get_output(layer))(inputs)
    expected = inputs.reshape(7, 24).dot(quantization.quantize_weights_np(layer.W.get_value())) \
        + layer.b.get_value()
    assert np.allclose(output, expected, atol=1e-5)
    assert layer.W_LR_scale == 2.0


def test_bad_lr_scale_rejected():
    with pytest.raises(ValueError) as error:
        DenseLayer((None, 3), 2, W_LR_scale='He')
    assert "'He'" in str(error.value)


def test_dense_layer_inside_a_plain_lasagne_model_trains():
    """A user's own Lasagne model (ReLU, softmax, SGD) around one qnn.DenseLayer."""
    rng = np.random.RandomState(2)
    lasagne.random.set_rng(np.random.RandomState(2))
    inputs = rng.randn(200, 8).astype(FLOAT_X)
    labels = (inputs[:, 0] + inputs[:, 1] > 0).astype('int32')
    x, y = T.matrix('x'), T.ivector('y')
    net = lasagne.layers.InputLayer((None, 8), input_var=x)
    net = lasagne.layers.DenseLayer(net, 16, nonlinearity=lasagne.nonlinearities.rectify)
    net = DenseLayer(net, 16, quantization=QuantizationFixed(4),
                     nonlinearity=lasagne.nonlinearities.rectify)
    net = lasagne.layers.DenseLayer(net, 2, nonlinearity=lasagne.nonlinearities.softmax)
    loss = lasagne.objectives.categorical_crossentropy(lasagne.layers.get_output(net), y).mean()
    params = lasagne.layers.get_all_params(net, trainable=True)
    assert len(params) == 6
    step = theano.function([x, y], loss, updates=lasagne.updates.sgd(loss, params, 0.05))
    losses = [float(step(inputs, labels)) for _ in range(150)]
    assert losses[-1] < 0.5 * losses[0]


def _numpy_batch_norm(x, beta, gamma, mean, inv_std):
    return (x - mean) * gamma * inv_std + beta


@pytest.mark.parametrize('layer_class', sorted({_BatchNormLayer, BatchNormLayer}, key=str))
def test_batch_norm_semantics(layer_class):
    rng = np.random.RandomState(3)
    data = (3 + 2 * rng.randn(50, 4)).astype(FLOAT_X)
    beta, gamma = rng.randn(4).astype(FLOAT_X), rng.rand(4).astype(FLOAT_X) + 0.5
    mean0, inv_std0 = rng.randn(4).astype(FLOAT_X), rng.rand(4).astype(FLOAT_X) + 0.5
    x = T.matrix('x')
    layer = layer_class(lasagne.layers.InputLayer((None, 4), input_var=x), epsilon=1e-4,
                        alpha=0.1, beta=beta, gamma=gamma, mean=mean0, inv_std=inv_std0)
    assert {p.name for p in lasagne.layers.get_all_params(layer, trainable=True)} == \
        {'beta', 'gamma'}
    train = theano.function([x], lasagne.layers.get_output(layer, deterministic=False))
    test = theano.function([x], lasagne.layers.get_output(layer, deterministic=True))

    batch_mean = data.mean(0)
    batch_inv_std = 1 / np.sqrt(data.var(0) + 1e-4)
    assert np.allclose(test(data), _numpy_batch_norm(data, beta, gamma, mean0, inv_std0),
                       atol=1e-5)
    assert np.allclose(layer.mean.get_value(), mean0)  # deterministic pass: no update
    assert np.allclose(train(data), _numpy_batch_norm(data, beta, gamma, batch_mean,
                                                      batch_inv_std), atol=1e-4)
    assert np.allclose(layer.mean.get_value(), 0.9 * mean0 + 0.1 * batch_mean, atol=1e-6)
    assert np.allclose(layer.inv_std.get_value(), 0.9 * inv_std0 + 0.1 * batch_inv_std,
                       atol=1e-6)

    frozen = theano.function([x], lasagne.layers.get_output(
        layer, batch_norm_use_averages=False, batch_norm_update_averages=False))
    before = layer.mean.get_value()
    frozen(data)
    assert np.array_equal(layer.mean.get_value(), before)


BATCH_NORM_CLASSES = sorted({_BatchNormLayer, BatchNormLayer}, key=str)


@pytest.mark.parametrize('layer_class', BATCH_NORM_CLASSES)
def test_batch_norm_needs_known_sizes_outside_its_axes(layer_class):
    # Lasagne's contract: unknown sizes are fine on the normalised axes only, and the error
    # says "needs specified input sizes" (code written for Lasagne looks for those words).
    layer_class((64, 2, None), axes=(0, 2))
    with pytest.raises(ValueError) as error:
        layer_class((64, None, 3), axes=(0, 2))
    assert 'needs specified input sizes' in str(error.value)


@pytest.mark.parametrize('layer_class', BATCH_NORM_CLASSES)
def test_batch_norm_tags_its_running_statistics(layer_class):
    layer = layer_class((None, 5))
    stats = layer.get_params(batch_norm_stat=True)
    assert {p.name for p in stats} == {'mean', 'inv_std'}
    assert not set(stats) & set(layer.get_params(trainable=True))
    assert {p.name for p in layer.get_params(batch_norm_stat=False)} == {'beta', 'gamma'}


@pytest.mark.parametrize('layer_class', BATCH_NORM_CLASSES)
def test_batch_norm_averages_used_and_updated_together(layer_class):
    # batch_norm_use_averages=True with batch_norm_update_averages=True: the output uses the
    # stored averages as they were, and the averages still move towards the batch.
    data = np.arange(12, dtype=FLOAT_X).reshape(4, 3)
    x = T.matrix('x')
    layer = layer_class(lasagne.layers.InputLayer((None, 3), input_var=x), alpha=0.5,
                        beta=None, gamma=None)
    step = theano.function([x], lasagne.layers.get_output(
        layer, batch_norm_use_averages=True, batch_norm_update_averages=True))
    assert np.allclose(step(data), data)  # mean 0, inv_std 1, no beta/gamma: identity
    assert np.allclose(layer.mean.get_value(), 0.5 * data.mean(0))
