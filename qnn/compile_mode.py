"""The Theano compilation mode of the training step.

Theano's ``local_dot22_to_dot22scalar`` rewrites ``alpha * dot(x, y)`` into a BLAS product
scaled by alpha without checking whether ``dot(x, y)`` has other clients; in the backward pass of
batch norm every input gradient has several, so each became two or three matrix products of the
same operands. Without it every product of the step is computed once and the scalar factors join
the fused elementwise code.
"""
from __future__ import absolute_import

from .quantization import theano

__all__ = ['training_mode', 'EXCLUDED_OPTIMIZATIONS']

#: Theano optimisations the training step is compiled without.
EXCLUDED_OPTIMIZATIONS = ('local_dot22_to_dot22scalar',)


def training_mode():
    """Theano's default mode without :data:`EXCLUDED_OPTIMIZATIONS`."""
    return theano.compile.get_default_mode().excluding(*EXCLUDED_OPTIMIZATIONS)
