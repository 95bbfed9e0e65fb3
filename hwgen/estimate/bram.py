"""Where a layer's weights live, and the BRAM models of FINN's fully-connected layers.

Where a layer's weights live is decided once, in :func:`weight_memory`; both BRAM models and
the LUTRAM term of the LUT models (:mod:`hwgen.estimate.logic`) read it, so no layer's weights
are counted twice. The models, and which one :mod:`hwgen.estimate.models` uses by default, are
described there. Notation as in FINN-R: P = PE, Q = SIMD, W = weight bits, omega = WMEM.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> [bram18_finn_r(s) for s in lfc_specs('W1A1')]
[64, 64, 64, 16]
>>> [bram18_mvau(s) for s in lfc_specs('W1A1')]  # 57 = ceil(2048 / 36), 175 in all
[57, 57, 57, 4]
"""
from __future__ import absolute_import, division, print_function

import numbers

from hwgen.estimate.intmath import ceil_div

__all__ = ['WEIGHT_STORAGES', 'LUTRAM_MAX_WMEM', 'check_choice', 'layer_sizes',
           'weight_memory', 'bram18_finn_r', 'bram18_mvau']

#: Where weights can live: HLS-embedded constants (BNN-PYNQ, FINN "const"/"internal_embedded"),
#: forced BRAM, forced LUTRAM (distributed), or streamed from off-chip.
WEIGHT_STORAGES = ('embedded', 'bram', 'lutram', 'external')

#: Embedded weight arrays this deep or shallower end up in LUTRAM (FINN's rule).
LUTRAM_MAX_WMEM = 128


def check_choice(name, value, choices):
    """Refuse a model option that is not one of ``choices``."""
    if value not in choices:
        raise ValueError('%s must be one of %s, got %r' % (name, ', '.join(map(repr, choices)),
                                                          value))


def layer_sizes(spec):
    """(P, Q, W, A, B, omega) of a layer record, checked to be positive integers (the
    inputs of every resource model)."""
    folding = spec.folding
    values = (folding.pe, folding.simd, spec.w_bits, spec.in_bits, spec.a_bits, folding.wmem)
    for name, value in zip(('pe', 'simd', 'w_bits', 'in_bits', 'a_bits', 'wmem'), values):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError('%s must be a positive integer, got %r' % (name, value))
    return values


def weight_memory(spec, weight_storage='embedded'):
    """Where the layer's weights end up: ``'bram'``, ``'lutram'`` or ``'external'``.

    ``'embedded'`` (the default, as BNN-PYNQ's ``static BinaryWeights``) follows FINN's
    rule: arrays of WMEM <= 128 words go to LUTRAM, deeper ones to BRAM.

    Examples
    --------
    >>> from hwgen.folding.base import Folding
    >>> from hwgen.layerspec import LayerSpec
    >>> weight_memory(LayerSpec(Folding(128, 64, simd=8, pe=8)))  # WMEM 128
    'lutram'
    """
    check_choice('weight_storage', weight_storage, WEIGHT_STORAGES)
    if weight_storage == 'embedded':
        return 'lutram' if spec.folding.wmem <= LUTRAM_MAX_WMEM else 'bram'
    return weight_storage


def bram18_finn_r(spec, weight_storage='embedded'):
    """RAMB18s for the weights, FINN-R 2018 model: P * ceil(omega/512) * ceil(Q*W/36).

    0 when :func:`weight_memory` is not ``'bram'``. Thresholds are not counted.
    """
    pe, simd, w_bits, _, _, wmem = layer_sizes(spec)
    if weight_memory(spec, weight_storage) != 'bram':
        return 0
    return pe * ceil_div(wmem, 512) * ceil_div(simd * w_bits, 36)


def bram18_mvau(spec, weight_storage='embedded'):
    """RAMB18s for the weights, FINN's current MVAU table over mw = P * Q * W.

    ======================  ==================================
    mw                      RAMB18
    ======================  ==================================
    1                       ceil(omega / 16384)
    2                       ceil(omega / 8192)
    <= 4                    ceil(omega / 4096) * ceil(mw / 4)
    <= 9                    ceil(omega / 2048) * ceil(mw / 9)
    <= 18 or omega > 512    ceil(omega / 1024) * ceil(mw / 18)
    otherwise               ceil(omega / 512) * ceil(mw / 36)
    ======================  ==================================

    0 when :func:`weight_memory` is not ``'bram'``.
    """
    pe, simd, w_bits, _, _, wmem = layer_sizes(spec)
    if weight_memory(spec, weight_storage) != 'bram':
        return 0
    width = pe * simd * w_bits
    if width == 1:
        return ceil_div(wmem, 16384)
    if width == 2:
        return ceil_div(wmem, 8192)
    if width <= 4:
        return ceil_div(wmem, 4096) * ceil_div(width, 4)
    if width <= 9:
        return ceil_div(wmem, 2048) * ceil_div(width, 9)
    if width <= 18 or wmem > 512:
        return ceil_div(wmem, 1024) * ceil_div(width, 18)
    return ceil_div(wmem, 512) * ceil_div(width, 36)
