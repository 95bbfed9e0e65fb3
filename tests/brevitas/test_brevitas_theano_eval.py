"""A Brevitas run's params.npz, loaded into qnn's Theano network, predicts the same classes.

This checks the whole chain across frameworks: the paper's quantizers, the layer order, qnn's
array names and layouts, and BN statistics (``bn<i>.inv_std``). qnn runs in the modern stack's
Python (see conftest.py); the test is skipped when that stack is missing.
"""
import os

import numpy as np
import pytest

pytest.importorskip('torch')
pytest.importorskip('brevitas')

from brevitas_helpers import run_in_main_env  # noqa: E402

from qnn_brevitas.train import load_model, predict, train  # noqa: E402

_THEANO_PREDICT = '''
import sys
import numpy as np
from qnn import runs
from qnn.config import DEFAULTS, make_config
from qnn.data.mnist import load_mnist
from qnn.evaluate import build_network, compile_predict, set_params
run_dir, data_dir, out = sys.argv[1:4]
stored = runs.read_config(run_dir)
network = build_network(make_config(**{key: stored[key] for key in DEFAULTS}))
set_params(network, runs.load_arrays(runs.run_file(run_dir, runs.PARAMS)))
predict = compile_predict(network)
X = load_mnist(data_dir, binarize=stored['binarize_input']).test.X
np.save(out, np.concatenate([predict(X[i:i + 1000]) for i in range(0, len(X), 1000)]))
'''


@pytest.mark.parametrize('wbits,abits,layer_order', [(2, 2, 'bn_act'), (4, 3, 'bn_act'),
                                                      (1, 1, 'bn_act'), (3, 2, 'act_bn')])
def test_theano_network_with_brevitas_params_predicts_the_same(tmp_path, mnist, mnist_dir,
                                                               wbits, abits, layer_order):
    run_dir = str(tmp_path / 'run')
    train(run_dir, data=mnist, progress=False, num_units=64, train_size=1000, epochs=1,
          wbits=wbits, abits=abits, layer_order=layer_order)
    out = str(tmp_path / 'theano.npy')
    run_in_main_env(_THEANO_PREDICT, run_dir, mnist_dir, out)
    theano = np.load(out)
    model, _ = load_model(run_dir)
    ours = predict(model, mnist.test.X)
    # BN statistics pass through 1/sqrt(var + eps) and both sides sum in float32 in their own
    # order: a class may flip only where an activation sits at a rounding midpoint
    assert np.mean(theano == ours) >= 0.999
    assert os.path.isfile(os.path.join(run_dir, 'params.npz'))
