"""Column sums of a float32 matrix, walked row by row: the batch sums of the training step.

The training step has 28 sums over the batch axis of a (batch, units) matrix: the batch-norm
statistics and the bias and batch-norm gradients. Theano's ``Sum{axis=[0]}`` sums each column
in turn, striding down it, and took about 16 % of the step; :class:`ColumnSum` adds whole rows
into the running column sums in memory order, which the C compiler vectorises. Each column is
still the sequential float32 sum of its elements from the first row to the last, started at 0,
so the result has the same bits as ``Sum{axis=[0], acc_dtype=float32}``.
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .quantization import T, theano

__all__ = ['column_sum_np', 'ColumnSum', 'column_sum']


def column_sum_np(x):
    """numpy twin of :class:`ColumnSum`: sequential float32 sums of the columns of ``x``.

    Examples
    --------
    >>> column_sum_np(np.array([[1e8, 1], [1, 1], [-1e8, 1]], dtype='float32')).tolist()
    [0.0, 3.0]
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError('column_sum_np needs a matrix, got %d dimensions' % x.ndim)
    total = np.zeros(x.shape[1], dtype=np.float32)
    for row in x:
        total += row
    return total


class ColumnSum(theano.Op):
    """``x (float32 matrix) -> sum over axis 0 (float32 vector)``, row by row."""

    __props__ = ()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        if x.ndim != 2 or x.dtype != 'float32':
            raise TypeError('ColumnSum needs a float32 matrix, got %s' % x.type)
        return theano.Apply(self, [x], [T.TensorType('float32', (x.broadcastable[1],))()])

    def perform(self, node, inputs, outputs):
        outputs[0][0] = column_sum_np(inputs[0])

    def infer_shape(self, node, shapes):
        return [(shapes[0][1],)]

    def grad(self, inputs, output_grads):
        return [T.ones_like(inputs[0]) * output_grads[0].dimshuffle('x', 0)]

    def c_code_cache_version(self):
        return (1,)

    def c_code(self, node, name, inputs, outputs, sub):
        return _C_TEMPLATE % dict(x=inputs[0], out=outputs[0], fail=sub['fail'])


_C_TEMPLATE = """
{
    npy_intp rows = PyArray_DIMS(%(x)s)[0], cols = PyArray_DIMS(%(x)s)[1];
    npy_intp row_stride = PyArray_STRIDES(%(x)s)[0], col_stride = PyArray_STRIDES(%(x)s)[1];
    const char* base = PyArray_BYTES(%(x)s);
    npy_intp i, j;
    float* __restrict__ total;
    if (!%(out)s || PyArray_DIMS(%(out)s)[0] != cols || !PyArray_ISCARRAY(%(out)s)) {
        Py_XDECREF(%(out)s);
        %(out)s = (PyArrayObject*)PyArray_EMPTY(1, &cols, NPY_FLOAT32, 0);
        if (!%(out)s) { %(fail)s }
    }
    total = (float*)PyArray_DATA(%(out)s);
    for (j = 0; j < cols; ++j) total[j] = 0.0f;
    if (col_stride == (npy_intp)sizeof(float)) {
        for (i = 0; i < rows; ++i) {
            const float* row = (const float*)(base + i * row_stride);
            for (j = 0; j < cols; ++j) total[j] += row[j];
        }
    } else {
        for (i = 0; i < rows; ++i) {
            const char* row = base + i * row_stride;
            for (j = 0; j < cols; ++j) total[j] += *(const float*)(row + j * col_stride);
        }
    }
}
"""

#: The op (it has no parameters).
column_sum = ColumnSum()
