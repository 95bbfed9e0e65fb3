"""Network builders. One function per topology, parametrised by widths and quantizers."""
from __future__ import absolute_import

from .mlp import LAYER_ORDERS, mlp, seeded_lasagne_rng

__all__ = ['mlp', 'LAYER_ORDERS', 'seeded_lasagne_rng']
