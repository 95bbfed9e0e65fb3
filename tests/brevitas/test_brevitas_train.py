"""Training: run folder format, determinism, resume, the update rule and qnn's schedule."""
import os

import numpy as np
import pytest

torch = pytest.importorskip('torch')
pytest.importorskip('brevitas')

from qnn import runs  # noqa: E402

from qnn_brevitas.config import QNN_DEFAULTS, make_config  # noqa: E402
from qnn_brevitas.model import build_mlp, glorot_lr_scale, init_weights, qnn_params  # noqa: E402
from qnn_brevitas.optim import (ScaledAdam, epoch_seed, learning_rate,  # noqa: E402
                                squared_hinge, hinge_targets)
from qnn_brevitas.quantizers import weight_range  # noqa: E402
from qnn_brevitas.train import BEST_STATE, error_rate, load_model, train  # noqa: E402

QNN_NAMES = ['dense%d.%s' % (i, p) for i in range(4) for p in ('W', 'b')] + \
    ['bn%d.%s' % (i, p) for i in range(4) for p in ('gamma', 'beta', 'mean', 'inv_std')]


def test_run_folder_has_qnn_format(tmp_path, mnist, tiny_config):
    run_dir = str(tmp_path / 'run')
    metrics = train(run_dir, data=mnist, progress=False, **tiny_config)
    config = runs.read_config(run_dir)
    assert config['backend'] == 'brevitas' and config['weight_quant'] == 'paper'
    assert config['act_quant'] == 'paper' and config['software']['brevitas']
    assert set(QNN_DEFAULTS) <= set(config)
    assert runs.is_finished(run_dir)
    assert set(runs.read_metrics(run_dir)) == {'epochs', 'finished', 'best_epoch',
                                               'best_val_error', 'test_error', 'train_seconds'}
    assert [sorted(e) for e in metrics['epochs']] == [
        ['epoch', 'lr', 'seconds', 'test_error', 'train_loss', 'val_error']] * 2
    params = runs.load_arrays(os.path.join(run_dir, runs.PARAMS))
    assert sorted(params) == sorted(QNN_NAMES)
    assert params['dense0.W'].shape == (784, 32) and params['dense3.W'].shape == (32, 10)
    assert all(value.dtype == np.float32 for value in params.values())
    low, high = weight_range('paper', 2)
    assert all(low <= params[n].min() and params[n].max() <= high for n in QNN_NAMES if '.W' in n)
    assert os.path.isfile(os.path.join(run_dir, BEST_STATE))


def test_best_validation_params_give_recorded_test_error(tmp_path, mnist, tiny_config):
    run_dir = str(tmp_path / 'run')
    metrics = train(run_dir, data=mnist, progress=False, **tiny_config)
    model, _ = load_model(run_dir)
    assert error_rate(model, mnist.test) == metrics['test_error']
    bn = model.bn0
    inv_std = runs.load_arrays(os.path.join(run_dir, runs.PARAMS))['bn0.inv_std']
    np.testing.assert_allclose(inv_std, 1 / np.sqrt(bn.running_var.numpy() + 1e-4), rtol=1e-6)


def test_same_seed_same_bits_and_resume_is_exact(tmp_path, mnist, tiny_config):
    first, second, resumed = (str(tmp_path / name) for name in ('a', 'b', 'c'))
    train(first, data=mnist, progress=False, **tiny_config)
    train(second, data=mnist, progress=False, **tiny_config)
    partial = train(resumed, data=mnist, progress=False, max_epochs=1, **tiny_config)
    assert not partial['finished'] and not runs.is_finished(resumed)
    train(resumed, data=mnist, progress=False, **tiny_config)
    reference = runs.load_arrays(os.path.join(first, runs.CHECKPOINT))
    for other in (second, resumed):
        state = runs.load_arrays(os.path.join(other, runs.CHECKPOINT))
        assert sorted(state) == sorted(reference)
        for name in reference:
            if name != 'history_json':
                np.testing.assert_array_equal(state[name], reference[name], err_msg=name)


def test_finished_or_different_run_is_refused(tmp_path, mnist, tiny_config):
    run_dir = str(tmp_path / 'run')
    train(run_dir, data=mnist, progress=False, **tiny_config)
    with pytest.raises(runs.RunError, match='already holds this finished run'):
        train(run_dir, data=mnist, progress=False, **tiny_config)
    with pytest.raises(runs.RunError, match='wbits'):
        train(run_dir, data=mnist, progress=False, **dict(tiny_config, wbits=3))


def lasagne_adam(param, grads, lr, scale, clip, beta1=0.9, beta2=0.999, eps=1e-8):
    """qnn.updates.adam + quantized_weight_updates in float64 numpy."""
    m, v = np.zeros_like(param), np.zeros_like(param)
    for t, grad in enumerate(grads, 1):
        lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        proposed = param - lr_t * m / (np.sqrt(v) + eps)
        param = np.clip(param + scale * (proposed - param), *clip)
    return param


def test_scaled_adam_is_lasagne_adam_with_binarynet_rule():
    rng = np.random.RandomState(3)
    start = rng.uniform(-1, 1, 50)
    grads = [rng.standard_normal(50) for _ in range(5)]
    param = torch.nn.Parameter(torch.from_numpy(start.copy()))
    optimizer = ScaledAdam([{'params': [param], 'lr_scale': 34.7, 'clip': (-1.0, 1.0)}],
                           lr=3e-3)
    for grad in grads:
        param.grad = torch.from_numpy(grad)
        optimizer.step()
    np.testing.assert_allclose(param.detach().numpy(),
                               lasagne_adam(start, grads, 3e-3, 34.7, (-1, 1)), rtol=1e-12)


def test_glorot_scales_and_initial_range():
    assert [round(glorot_lr_scale(*shape), 3) for shape in
            ((784, 1024), (1024, 1024), (1024, 10))] == [34.718, 36.95, 26.255]
    config = make_config(wbits=4, num_units=64)
    model = build_mlp(config)
    init_weights(model, config, 7)
    weights = qnn_params(model)['dense1.W']
    assert weights.min() >= -1.75 and weights.max() <= 1.75 and weights.max() > 1.7
    again = build_mlp(config)
    init_weights(again, config, 7)
    np.testing.assert_array_equal(qnn_params(again)['dense1.W'], weights)


def test_loss_and_targets():
    targets = hinge_targets([2, 0], n_classes=3)
    assert targets.tolist() == [[-1, -1, 1], [1, -1, -1]]
    scores = torch.tensor([[0.5, -2.0, 0.0], [1.0, 0.0, -1.0]])
    expected = np.mean(np.maximum(0, 1 - targets.numpy() * scores.numpy()) ** 2)
    assert float(squared_hinge(targets, scores)) == pytest.approx(expected)


def test_schedule_seeds_and_defaults_are_qnns(qnn_facts):
    assert qnn_facts['defaults'] == QNN_DEFAULTS
    seeds = [[epoch_seed(seed, purpose, epoch) for epoch in range(5)]
             for seed in (0, 1234) for purpose in ('shuffle', 'dropout')]
    assert seeds == qnn_facts['epoch_seeds']
    rates = [learning_rate(dict(QNN_DEFAULTS, epochs=7), epoch) for epoch in range(7)]
    assert rates == qnn_facts['learning_rates']


def test_configuration_and_schedule_are_qnns_own():
    import qnn.config
    import qnn.schedule
    from qnn_brevitas import optim
    assert QNN_DEFAULTS is qnn.config.DEFAULTS
    assert optim.learning_rate is qnn.schedule.learning_rate
    assert optim.epoch_seed is qnn.schedule.epoch_seed
    config = make_config(wbits=3)
    assert set(config) - set(QNN_DEFAULTS) == {'backend', 'weight_quant', 'act_quant'}
    assert {key: config[key] for key in QNN_DEFAULTS} == qnn.config.make_config(wbits=3)
