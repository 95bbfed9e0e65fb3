"""qnn.column_sum: the row-order column sum has the bits of Theano's float32 ``Sum{axis=0}``."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.column_sum import ColumnSum, column_sum, column_sum_np
from qnn.quantization import T, theano


def _theano_float32_sum():
    """Theano's own column sum, accumulated in float32, without qnn's rewrites."""
    x = T.matrix('x', dtype='float32')
    return theano.function([x], T.sum(x, axis=0, acc_dtype='float32'))


def _hard_values():
    """Magnitudes from 1e-3 to 1e8 and signed zeros: any other summation order changes bits."""
    rng = np.random.RandomState(7)
    values = (rng.uniform(-1, 1, (100, 37)) * 10.0 ** rng.randint(-3, 9, (100, 37)))
    values = values.astype('float32')
    values[:, 0] = -0.0
    values[:, 1] = np.tile([1e8, 1, -1e8], 34)[:100]     # 1e8 + 1 rounds back to 1e8
    return values


def _by_hand(values):
    total = np.zeros(values.shape[1], dtype=np.float32)
    for row in values:
        total = (total + row).astype(np.float32)
    return total


def test_numpy_twin_is_the_sequential_sum_by_hand():
    values = _hard_values()
    np.testing.assert_array_equal(column_sum_np(values), _by_hand(values))
    assert column_sum_np(values)[1] == 1e8       # each 1 is lost: the exact sum is 1e8 + 33
    assert not np.array_equal(_by_hand(values), values.astype('float64').sum(axis=0)
                              .astype('float32'))    # the order is visible in these values


@pytest.mark.parametrize('layout', ['contiguous', 'transposed', 'strided rows and columns'])
def test_c_op_has_the_bits_of_theanos_float32_sum(layout):
    values = _hard_values()
    if layout == 'transposed':
        values = np.ascontiguousarray(values.T).T
    elif layout == 'strided rows and columns':
        values = np.repeat(np.repeat(values, 2, axis=0), 3, axis=1)[::2, ::3]
    x = T.matrix('x', dtype='float32')
    ours = theano.function([x], column_sum(x))(values)
    np.testing.assert_array_equal(ours, _theano_float32_sum()(values))
    np.testing.assert_array_equal(ours, _by_hand(values))
    assert np.signbit(ours[0]) == np.signbit(_by_hand(values)[0])   # -0.0 columns


def test_python_and_c_implementations_agree():
    values = _hard_values()
    x = T.matrix('x', dtype='float32')
    python = theano.function([x], column_sum(x), mode=theano.compile.Mode(linker='py'))
    compiled = theano.function([x], column_sum(x), mode=theano.compile.Mode(linker='c|py'))
    np.testing.assert_array_equal(python(values), compiled(values))


def test_output_buffer_follows_the_input_width():
    x = T.matrix('x', dtype='float32')
    f = theano.function([x], column_sum(x))
    for cols in (5, 3, 8, 0):
        values = np.arange(4 * cols, dtype='float32').reshape(4, cols)
        np.testing.assert_array_equal(f(values), values.sum(axis=0))
    assert f(np.zeros((0, 2), dtype='float32')).tolist() == [0.0, 0.0]


def test_gradient_is_the_sum_gradient():
    values = _hard_values()[:5, :4] / 1e8
    weights = np.arange(4, dtype='float32')
    x = T.matrix('x', dtype='float32')
    ours = theano.function([x], theano.grad(T.dot(column_sum(x), weights), x))(values)
    np.testing.assert_array_equal(ours, np.tile(weights, (5, 1)))


@pytest.mark.parametrize('variable', [T.matrix(dtype='float64'), T.vector(dtype='float32'),
                                      T.tensor3(dtype='float32')])
def test_refuses_other_than_float32_matrices(variable):
    with pytest.raises(TypeError) as info:
        ColumnSum()(variable)
    assert 'ColumnSum needs a float32 matrix' in str(info.value)
