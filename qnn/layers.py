"""Quantized Lasagne layers, usable in any Lasagne model.

* :class:`DenseLayer`: a ``lasagne.layers.DenseLayer`` whose forward pass uses quantized weights.
* :class:`BatchNormLayer`: Lasagne's own when the installed Lasagne has one (0.2.dev), otherwise
  an implementation with the same semantics (Lasagne 0.1 from PyPI has none).
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .compat import import_lasagne
from .numeric import glorot_lr_scale
from .quantization import QuantizationBinary, T, theano

lasagne = import_lasagne()

__all__ = ['DenseLayer', 'BatchNormLayer', 'glorot_lr_scale', 'QUANTIZED_TAG']

#: Tag added to latent real weights that are quantized in the forward pass. The training step
#: scales their learning rate by the layer's ``W_LR_scale`` and clips them after each update.
QUANTIZED_TAG = 'quantized'


class DenseLayer(lasagne.layers.DenseLayer):
    """Fully connected layer with quantized weights (the paper's ``qn.DenseLayer``).

    The latent real-valued weights ``W`` keep Lasagne's default tags and get the additional tag
    ``'quantized'``. The forward pass multiplies by ``quantization.quantizeWeights(W)``, whose
    gradient is straight-through, so ``T.grad(loss, W)`` is the gradient with respect to the
    quantized weights, as in BinaryNet.

    Parameters
    ----------
    incoming : Layer or tuple
        The layer feeding into this layer, or the expected input shape.
    num_units : int
        Number of output units.
    quantization : QuantizationBinary or QuantizationFixed, optional
        Weight quantizer (binary by default).
    W_LR_scale : float or 'Glorot'
        Learning-rate multiplier for ``W``; 'Glorot' gives :func:`glorot_lr_scale`.
    W : initializer, optional
        Defaults to uniform over the quantizer's range [min, max].
    b, nonlinearity, **kwargs
        As for ``lasagne.layers.DenseLayer``; the nonlinearity defaults to identity.

    Examples
    --------
    >>> from qnn.quantization import QuantizationFixed
    >>> layer = DenseLayer((None, 784), 1024, quantization=QuantizationFixed(2))
    >>> round(layer.W_LR_scale, 3), sorted(layer.params[layer.W])
    (34.718, ['quantized', 'regularizable', 'trainable'])
    """

    def __init__(self, incoming, num_units, quantization=None, W_LR_scale='Glorot', W=None,
                 b=lasagne.init.Constant(0.), nonlinearity=lasagne.nonlinearities.identity,
                 **kwargs):
        self.quantization = QuantizationBinary() if quantization is None else quantization
        if W is None:
            W = lasagne.init.Uniform((self.quantization.min, self.quantization.max))
        super(DenseLayer, self).__init__(incoming, num_units, W=W, b=b,
                                         nonlinearity=nonlinearity, **kwargs)
        self.params[self.W].add(QUANTIZED_TAG)
        fan_in = int(np.prod(self.input_shape[1:]))
        if W_LR_scale == 'Glorot':
            self.W_LR_scale = glorot_lr_scale(fan_in, num_units)
        elif isinstance(W_LR_scale, (int, float)) and W_LR_scale > 0:
            self.W_LR_scale = float(W_LR_scale)
        else:
            raise ValueError("W_LR_scale must be a positive number or 'Glorot', got %r"
                             % (W_LR_scale,))

    def get_output_for(self, input, **kwargs):
        if input.ndim > 2:
            input = input.flatten(2)
        weights = self.quantization.quantizeWeights(self.W)
        activation = T.dot(input, weights)
        if self.b is not None:
            activation = activation + self.b.dimshuffle('x', 0)
        return self.nonlinearity(activation)

    def quantized_weights(self):
        """The quantized weights as a numpy array (from the numpy twin of the quantizer)."""
        return self.quantization.quantize_weights_np(self.W.get_value())


class _BatchNormLayer(lasagne.layers.Layer):
    """Batch normalization with running averages, as Lasagne 0.2's ``BatchNormLayer``.

    y = (x - mean) * gamma * inv_std + beta, normalising over ``axes`` (all but the second
    by default). In training mode mean and inv_std come from the batch (biased variance) and the
    stored averages are updated as ``avg <- (1 - alpha) * avg + alpha * batch_value`` whenever a
    compiled function evaluates the output; ``deterministic=True`` uses the averages instead.
    ``batch_norm_use_averages`` and ``batch_norm_update_averages`` override either choice.
    """

    def __init__(self, incoming, axes='auto', epsilon=1e-4, alpha=0.1,
                 beta=lasagne.init.Constant(0), gamma=lasagne.init.Constant(1),
                 mean=lasagne.init.Constant(0), inv_std=lasagne.init.Constant(1), **kwargs):
        super(_BatchNormLayer, self).__init__(incoming, **kwargs)
        if axes == 'auto':
            axes = (0,) + tuple(range(2, len(self.input_shape)))
        elif isinstance(axes, int):
            axes = (axes,)
        self.axes = tuple(axes)
        self.epsilon = epsilon
        self.alpha = alpha
        shape = [size for axis, size in enumerate(self.input_shape) if axis not in self.axes]
        if any(size is None for size in shape):
            # Lasagne's own wording, which code written against Lasagne may look for.
            raise ValueError('BatchNormLayer needs specified input sizes for all axes not '
                             'normalized over; got input shape %r with axes %r'
                             % (self.input_shape, self.axes))
        self.beta = None if beta is None else self.add_param(
            beta, shape, 'beta', trainable=True, regularizable=False)
        self.gamma = None if gamma is None else self.add_param(
            gamma, shape, 'gamma', trainable=True, regularizable=True)
        # The running statistics carry Lasagne's batch_norm_stat tag, so that
        # get_params(batch_norm_stat=True) finds them as it does in Lasagne 0.2.
        self.mean = self.add_param(mean, shape, 'mean', trainable=False, regularizable=False,
                                   batch_norm_stat=True)
        self.inv_std = self.add_param(inv_std, shape, 'inv_std', trainable=False,
                                      regularizable=False, batch_norm_stat=True)

    def get_output_for(self, input, deterministic=False, batch_norm_use_averages=None,
                       batch_norm_update_averages=None, **kwargs):
        use_averages = deterministic if batch_norm_use_averages is None \
            else batch_norm_use_averages
        update_averages = (not deterministic) if batch_norm_update_averages is None \
            else batch_norm_update_averages

        batch_mean = input.mean(self.axes)
        batch_inv_std = T.inv(T.sqrt(input.var(self.axes) + self.epsilon))
        mean, inv_std = (self.mean, self.inv_std) if use_averages \
            else (batch_mean, batch_inv_std)
        if update_averages:
            mean = mean + 0 * self._averaged(self.mean, batch_mean)
            inv_std = inv_std + 0 * self._averaged(self.inv_std, batch_inv_std)
        return self._normalize(input, mean, inv_std)

    def _averaged(self, stored, batch_value):
        # An alias of the stored shared variable whose default_update is the new running
        # average: any function whose graph contains it applies the update, while the "+ 0 *"
        # in the caller keeps it out of the value (Theano optimises that term away).
        alias = theano.clone(stored, share_inputs=False)
        alias.default_update = (1 - self.alpha) * alias + self.alpha * batch_value
        return alias

    def _normalize(self, input, mean, inv_std):
        kept = iter(range(input.ndim - len(self.axes)))
        pattern = ['x' if axis in self.axes else next(kept) for axis in range(input.ndim)]
        gamma = 1 if self.gamma is None else self.gamma.dimshuffle(pattern)
        beta = 0 if self.beta is None else self.beta.dimshuffle(pattern)
        return (input - mean.dimshuffle(pattern)) * (gamma * inv_std.dimshuffle(pattern)) + beta


#: Lasagne's BatchNormLayer when it exists (Lasagne >= 0.2), else ours with the same semantics.
BatchNormLayer = getattr(lasagne.layers, 'BatchNormLayer', _BatchNormLayer)
