"""The compiled training step: each matrix product once, fused in-place updates, no float64,
float32 sums."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.column_sum import ColumnSum
from qnn.compile_mode import training_mode
from qnn.config import make_config
from qnn.data.mnist import Split
from qnn.evaluate import build_network
from qnn.fused_ops import FusedAdam
from qnn.layers import lasagne
from qnn.quantization import T, theano
from qnn.train import TrainingStep


def _step(wbits=2, abits=2):
    config = make_config(wbits=wbits, abits=abits, num_units=32)
    rng = np.random.RandomState(0)
    split = Split(rng.uniform(-1, 1, (200, 784)).astype('float32'),
                  rng.randint(0, 10, 200).astype('int32'))
    network = build_network(config, seed=1)
    return network, TrainingStep(network, split, 100)


@pytest.fixture(scope='module')
def w2a2():
    return _step()


def test_each_matrix_product_is_computed_once(w2a2):
    """4 forward, 4 weight-gradient and 3 input-gradient products, nothing twice."""
    nodes = w2a2[1].step.maker.fgraph.toposort()
    products = [node for node in nodes if 'Dot' in type(node.op).__name__
                or 'Gemm' in type(node.op).__name__]
    assert len(products) == 11


def test_every_parameter_has_one_fused_in_place_update(w2a2):
    network, step = w2a2
    fused = [node.op for node in step.step.maker.fgraph.toposort()
             if isinstance(node.op, FusedAdam)]
    trainable = lasagne.layers.get_all_params(network, trainable=True)
    assert len(fused) == len(trainable) and all(op.inplace for op in fused)
    assert sorted(op.scale is not None for op in fused).count(True) == 4  # the four W


def test_the_step_has_no_float64_variable(monkeypatch):
    monkeypatch.setattr(theano.config, 'warn_float64', 'raise')
    _step(wbits=3, abits=1)


def test_the_batch_sums_accumulate_in_float32(w2a2):
    nodes = w2a2[1].step.maker.fgraph.toposort()
    column_sums = [node for node in nodes if isinstance(node.op, ColumnSum)]
    assert len(column_sums) >= 16  # batch-norm statistics and gradients, bias gradients
    sums = [node.op for node in nodes if isinstance(node.op, T.elemwise.Sum)]
    assert set(op.acc_dtype for op in sums) == {'float32'}   # the loss's
    assert not [op for op in sums if op.axis is not None and tuple(op.axis) == (0,)]


def test_a_float32_sum_is_the_sequential_float32_sum():
    """Row by row in float32, the order of the C loop; the float64 accumulator rounds once."""
    values = np.random.RandomState(3).uniform(-1, 1, (100, 7)).astype('float32') * 1e3
    x = T.matrix('x')
    column_sums = theano.function([x], T.sum(x, axis=0), mode=training_mode())(values)
    expected = np.zeros(7, dtype='float32')
    for row in values:
        expected = expected + row
    np.testing.assert_array_equal(column_sums, expected)
    assert not np.array_equal(expected, values.astype('float64').sum(axis=0).astype('float32'))
