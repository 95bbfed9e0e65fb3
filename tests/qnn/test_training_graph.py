"""The compiled training step: each matrix product once, fused in-place updates, no float64."""
from __future__ import absolute_import, division

import numpy as np
import pytest

from qnn.config import make_config
from qnn.data.mnist import Split
from qnn.evaluate import build_network
from qnn.fused_ops import FusedAdam
from qnn.layers import lasagne
from qnn.quantization import theano
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
