"""The Theano compilation mode of the training step.

Theano's ``local_dot22_to_dot22scalar`` rewrites ``alpha * dot(x, y)`` into a BLAS product
scaled by alpha without checking whether ``dot(x, y)`` has other clients; in the backward pass of
batch norm every input gradient has several, so each became two or three matrix products of the
same operands. Without it every product of the step is computed once and the scalar factors join
the fused elementwise code.

Theano sums float32 tensors in a float64 accumulator (``Sum{acc_dtype=float64}``): the batch-norm
statistics and the bias and batch-norm gradients, sums of 100 terms, and 14 % of the step's time.
:data:`FLOAT32_SUMS` rewrites them to accumulate in float32, as the products and every other
operation of the step do; the sums over the batch axis of a matrix become
:class:`~qnn.column_sum.ColumnSum`, the same float32 sums walked in memory order.
"""
from __future__ import absolute_import

from .column_sum import column_sum
from .quantization import T, theano
from theano.compile import optdb  # noqa: E402  (after qnn configured Theano)
from theano.gof.opt import TopoOptimizer, local_optimizer  # noqa: E402

__all__ = ['training_mode', 'EXCLUDED_OPTIMIZATIONS', 'FLOAT32_SUMS']

#: Theano optimisations the training step is compiled without.
EXCLUDED_OPTIMIZATIONS = ('local_dot22_to_dot22scalar',)

#: Tag (the only one) of the rewrite the training step is compiled with: float32 sums of
#: float32 tensors accumulate in float32.
FLOAT32_SUMS = 'qnn_float32_sums'


@local_optimizer([T.elemwise.Sum])
def _float32_sum(node):
    op, x = node.op, node.inputs[0]
    if (type(op) is T.elemwise.Sum and op.acc_dtype == 'float64'
            and x.dtype == 'float32' and node.outputs[0].dtype == 'float32'):
        if x.ndim == 2 and op.axis is not None and tuple(op.axis) == (0,):
            return [column_sum(x)]   # the same bits, walked in memory order
        return [T.elemwise.Sum(axis=op.axis, dtype='float32', acc_dtype='float32')(x)]
    return False


# Late, after Theano's own sum rewrites (canonicalize, specialize) and before the elementwise
# fusion (49); not tagged 'fast_run', so only the modes that ask for it apply it.
optdb.register('qnn_float32_sum_rewrite', TopoOptimizer(_float32_sum), 48.7, FLOAT32_SUMS)


def training_mode():
    """Theano's default mode without :data:`EXCLUDED_OPTIMIZATIONS`, with :data:`FLOAT32_SUMS`."""
    return (theano.compile.get_default_mode().excluding(*EXCLUDED_OPTIMIZATIONS)
            .including(FLOAT32_SUMS))
