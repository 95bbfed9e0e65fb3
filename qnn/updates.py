"""Update rules of the BinaryNet / BNN-PYNQ recipe, with their state exposed for checkpoints.

Lasagne's ``adam`` hides its moment estimates inside the update dictionary; a run that is to be
resumed bit for bit needs to save and restore them, so qnn keeps its own small Adam.
:func:`adam` and :func:`quantized_weight_updates` write the rule as Theano expressions (the
reference); :func:`fused_adam` applies the same arithmetic with one fused op per parameter
(:class:`qnn.fused_ops.FusedAdam`), which is what the training step uses.
"""
from __future__ import absolute_import, division, print_function

from collections import OrderedDict

import numpy as np

from .fused_ops import FusedAdam
from .quantization import T, theano

__all__ = ['adam', 'quantized_weight_updates', 'fused_adam', 'clip_ranges']


def _shared_zeros_like(param, name):
    value = param.get_value(borrow=True)
    return theano.shared(np.zeros(value.shape, dtype=value.dtype), name=name,
                         broadcastable=param.broadcastable)


def _moments(param, name):
    """Adam's first and second moment of ``param``, zero, named ``<name>.<param>.m``/``.v``."""
    return tuple(_shared_zeros_like(param, '%s.%s.%s' % (name, param.name, moment))
                 for moment in ('m', 'v'))


def _step_size(learning_rate, beta1, beta2, name):
    """Adam's step counter, its next value t and the step size of step t."""
    step = theano.shared(np.asarray(0., dtype=theano.config.floatX), name=name + '.t')
    t = step + 1
    return step, t, learning_rate * T.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)


def adam(grads, params, learning_rate, beta1=0.9, beta2=0.999, epsilon=1e-8, name='adam'):
    """Adam (Kingma & Ba), the same arithmetic as ``lasagne.updates.adam``.

    Parameters
    ----------
    grads : list of Theano expressions
        Gradients, one per parameter.
    params : list of shared variables
        Parameters to update.
    learning_rate : float or Theano scalar
    beta1, beta2, epsilon : float
    name : str
        Prefix of the state variables' names (``<name>.t``, ``<name>.<param>.m``, ...).

    Returns
    -------
    updates : OrderedDict
        Shared variable -> new value, parameters and optimiser state.
    state : list of shared variables
        The optimiser state (step counter and moments), uniquely named, for checkpoints.
    """
    step, t, lr_t = _step_size(learning_rate, beta1, beta2, name)
    updates = OrderedDict()
    state = [step]
    for param, grad in zip(params, grads):
        m_prev, v_prev = _moments(param, name)
        m_t = beta1 * m_prev + (1 - beta1) * grad
        v_t = beta2 * v_prev + (1 - beta2) * grad ** 2
        updates[m_prev] = m_t
        updates[v_prev] = v_t
        updates[param] = param - lr_t * m_t / (T.sqrt(v_t) + epsilon)
        state.extend([m_prev, v_prev])
    updates[step] = t
    return updates, state


def quantized_weight_updates(updates, layers):
    """Scale and clip the updates of quantized weights, in place (BinaryNet's rule).

    For each layer with quantized weights ``W`` (learning-rate scale s, quantizer q):
    ``W <- q.clipWeights(W + s * (proposed(W) - W))``.

    Parameters
    ----------
    updates : OrderedDict
        As returned by :func:`adam` for the quantized weights.
    layers : list of qnn.layers.DenseLayer
    """
    for layer in layers:
        proposed = updates[layer.W]
        updates[layer.W] = layer.quantization.clipWeights(
            layer.W + layer.W_LR_scale * (proposed - layer.W))
    return updates


def fused_adam(grads, params, learning_rate, clipped=None, beta1=0.9, beta2=0.999,
               epsilon=1e-8, name='adam'):
    """Adam, and BinaryNet's scaled, clipped step for quantized weights, one fused op each.

    The arithmetic of :func:`adam` followed by :func:`quantized_weight_updates` (see
    :mod:`qnn.fused_ops`), with the same optimiser state and state names, so checkpoints of
    either can be resumed by the other.

    Parameters
    ----------
    grads, params, learning_rate, beta1, beta2, epsilon, name
        As for :func:`adam`.
    clipped : dict, optional
        Quantized weight -> (learning-rate scale, low, high): the step is scaled and the weight
        clipped to [low, high]; other parameters get plain Adam.

    Returns
    -------
    updates : OrderedDict
    state : list of shared variables
    """
    clipped = clipped or {}
    step, t, lr_t = _step_size(learning_rate, beta1, beta2, name)
    updates = OrderedDict()
    state = [step]
    for param, grad in zip(params, grads):
        m_prev, v_prev = _moments(param, name)
        scale, low, high = clipped.get(param, (None, None, None))
        op = FusedAdam(beta1, beta2, epsilon, scale, low, high)  # made in place when compiled
        updates[param], updates[m_prev], updates[v_prev] = op(param, m_prev, v_prev, grad, lr_t)
        state.extend([m_prev, v_prev])
    updates[step] = t
    return updates, state


def clip_ranges(layers):
    """Quantized weight -> (W_LR_scale, min, max) of each layer, for :func:`fused_adam`.

    The quantizers' ``clipWeights`` clips to their [min, max] (:mod:`qnn.quantization`).
    """
    return {layer.W: (layer.W_LR_scale, layer.quantization.min, layer.quantization.max)
            for layer in layers}
