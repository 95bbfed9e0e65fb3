"""The layer and parameter names of the paper's MLP, the same in every back end and reader.

Layers: ``drop_in``, then per hidden layer ``i`` ``dense<i>``, ``bn<i>`` and ``act<i>`` (in
the order ``layer_order`` gives, see :func:`block_stages`) and ``drop<i>``; the output layer is
``dense<n>``, ``bn<n>``. Parameters (``params.npz``): ``dense<i>.W`` (shape (in, out)),
``dense<i>.b`` and ``bn<i>.mean``, ``.inv_std``, ``.gamma``, ``.beta``.
"""
from __future__ import absolute_import, division, print_function

from .config import LAYER_ORDERS

__all__ = ['DROP_IN', 'BN_ARRAYS', 'network_name', 'layer_name', 'block_stages', 'param_names']

#: The input dropout layer.
DROP_IN = 'drop_in'
#: The arrays of a BatchNorm layer, in ``params.npz`` order.
BN_ARRAYS = ('mean', 'inv_std', 'gamma', 'beta')


def network_name(wbits, abits):
    """The name of a network of the grid.

    Examples
    --------
    >>> network_name(2, 4)
    'W2A4'
    """
    return 'W%dA%d' % (wbits, abits)


def layer_name(kind, index):
    """``'dense'``, ``'bn'``, ``'act'`` or ``'drop'`` of layer ``index``.

    Examples
    --------
    >>> layer_name('dense', 0), layer_name('bn', 3)
    ('dense0', 'bn3')
    """
    return '%s%d' % (kind, index)


def block_stages(layer_order):
    """The order of BatchNorm (``'bn'``) and activation (``'act'``) after a dense layer.

    Examples
    --------
    >>> block_stages('bn_act'), block_stages('act_bn')
    (('bn', 'act'), ('act', 'bn'))
    """
    if layer_order not in LAYER_ORDERS:
        raise ValueError('layer_order must be one of %s, got %r' % (LAYER_ORDERS, layer_order))
    return ('bn', 'act') if layer_order == 'bn_act' else ('act', 'bn')


def param_names(index):
    """The ``params.npz`` names of layer ``index``: its dense layer's, then its BatchNorm's.

    Examples
    --------
    >>> param_names(1)
    ['dense1.W', 'dense1.b', 'bn1.mean', 'bn1.inv_std', 'bn1.gamma', 'bn1.beta']
    """
    return ['%s.%s' % (layer_name('dense', index), name) for name in ('W', 'b')] + \
        ['%s.%s' % (layer_name('bn', index), name) for name in BN_ARRAYS]
