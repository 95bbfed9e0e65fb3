"""Training a Brevitas run with qnn's recipe, into a qnn run folder.

The recipe is qnn's (:mod:`qnn.train`): squared hinge loss on +-1 targets, Adam with
Lasagne's arithmetic, the learning rate decayed from ``lr_start`` to ``lr_end`` over the epoch
budget, batch 100 (the last partial batch dropped), the training images shuffled every epoch
with qnn's per-epoch seed (so in the same order as the Theano run with the same seed),
quantized weights stepped with the "Glorot" learning-rate scale and clipped to the quantizer's
range after every step, BN and biases stepped unscaled, the best-validation parameters kept
and the test error reported at that epoch.

The epochs, checkpoints, resume and best-validation files are qnn's shared training loop
(:mod:`qnn.training_loop`). The run folder is qnn's (:mod:`qnn.runs`): ``config.json`` (with
``backend: 'brevitas'`` and the quantizer settings), ``metrics.json``, ``params.npz`` (qnn's
array names) and ``checkpoint.npz``, plus :data:`BEST_STATE`, the PyTorch state of the best
epoch (for the QONNX export). Every file is written atomically. An interrupted run resumes
from its last epoch, with the same bits as an uninterrupted one: initial weights come from
``numpy.random.RandomState(seed)``, and each epoch reseeds the shuffle and torch's generator
(dropout) from the run's seed.
"""
from __future__ import absolute_import, division, print_function

import contextlib

import numpy as np
import torch
from qnn import runs
from qnn.data.mnist import check_encoding, load_mnist
from qnn.training_loop import check_max_epochs, train_run

from .config import make_config
from .model import build_mlp, glorot_lr_scale, init_weights, qnn_params, quantized_linears
from .optim import ScaledAdam, epoch_seed, hinge_targets, squared_hinge
from .provenance import software_versions
from .quantizers import weight_range

__all__ = ['train', 'TrainingError', 'BEST_STATE', 'error_rate', 'predict', 'load_model',
           'state_arrays', 'load_state_arrays']

#: The PyTorch ``state_dict`` of the best-validation epoch, as named arrays.
BEST_STATE = 'brevitas_state.npz'


class TrainingError(runs.RunError):
    """A run cannot be started or resumed as asked."""


def state_arrays(module, prefix=''):
    """``module.state_dict()`` as named numpy arrays (``prefix + key``)."""
    return {prefix + key: value.detach().cpu().numpy().copy()
            for key, value in module.state_dict().items()}


def load_state_arrays(module, arrays, prefix=''):
    """Inverse of :func:`state_arrays`."""
    state = {key[len(prefix):]: torch.from_numpy(np.asarray(value))
             for key, value in arrays.items() if key.startswith(prefix)}
    module.load_state_dict(state)


def make_optimizer(model, config):
    """:class:`ScaledAdam` with one group per quantized weight (scaled, clipped) and one for
    everything else (biases, BN)."""
    clip = weight_range(config['weight_quant'], config['wbits'])
    groups, weights = [], set()
    for _, layer in quantized_linears(model):
        fan_out, fan_in = layer.weight.shape
        groups.append({'params': [layer.weight], 'lr_scale': glorot_lr_scale(fan_in, fan_out),
                       'clip': clip})
        weights.add(id(layer.weight))
    others = [param for param in model.parameters() if id(param) not in weights]
    groups.append({'params': others})
    return ScaledAdam(groups, lr=config['lr_start'])


def _optimizer_arrays(optimizer):
    arrays = {}
    for g, group in enumerate(optimizer.param_groups):
        for p, param in enumerate(group['params']):
            state = optimizer.state.get(param)
            if state:
                key = 'opt.%d.%d.' % (g, p)
                arrays[key + 'm'] = state['m'].numpy().copy()
                arrays[key + 'v'] = state['v'].numpy().copy()
                arrays[key + 'step'] = np.asarray(state['step'], dtype=np.int64)
    return arrays


def _load_optimizer_arrays(optimizer, arrays):
    for g, group in enumerate(optimizer.param_groups):
        for p, param in enumerate(group['params']):
            key = 'opt.%d.%d.' % (g, p)
            if key + 'm' in arrays:
                optimizer.state[param] = {'step': int(arrays[key + 'step']),
                                          'm': torch.from_numpy(arrays[key + 'm'].copy()),
                                          'v': torch.from_numpy(arrays[key + 'v'].copy())}


def predict(model, X, batch_size=1000):
    """Predicted classes of the rows of ``X`` (deterministic forward pass)."""
    model.eval()
    classes = []
    with torch.no_grad():
        for start in range(0, len(X), batch_size):
            batch = torch.from_numpy(np.ascontiguousarray(X[start:start + batch_size]))
            classes.append(model(batch).argmax(dim=1).numpy())
    return np.concatenate(classes) if classes else np.zeros(0, dtype=np.int64)


def error_rate(model, split, batch_size=1000):
    """Fraction of ``split.X`` whose predicted class differs from ``split.y``."""
    return float(np.mean(predict(model, split.X, batch_size) != split.y))


class _Trainer(object):
    """The model, its optimiser and the training split as tensors, as
    :func:`qnn.training_loop.train_run` drives them."""

    def __init__(self, config, train_split):
        self.config = config
        self.model = build_mlp(config)
        init_weights(self.model, config, config['seed'])
        self.optimizer = make_optimizer(self.model, config)
        self.inputs = torch.from_numpy(np.ascontiguousarray(train_split.X, dtype=np.float32))
        self.targets = hinge_targets(train_split.y)
        self.n_batches = len(train_split.y) // config['batch_size']

    def run_epoch(self, epoch, lr, progress):
        """One pass over the shuffled training data at learning rate ``lr``; returns the mean
        training loss."""
        config, size = self.config, self.config['batch_size']
        self.optimizer.set_lr(lr)
        order = np.random.RandomState(epoch_seed(config['seed'], 'shuffle', epoch)) \
            .permutation(len(self.targets))
        torch.manual_seed(epoch_seed(config['seed'], 'dropout', epoch))
        self.model.train()
        losses = []
        for index in progress(range(self.n_batches)):
            batch = torch.from_numpy(order[index * size:(index + 1) * size])
            self.optimizer.zero_grad(set_to_none=True)
            loss = squared_hinge(self.targets[batch], self.model(self.inputs[batch]))
            loss.backward()
            self.optimizer.step()
            losses.append(float(loss.detach()))
        return float(np.mean(losses))

    def error_rate(self, split):
        return error_rate(self.model, split)

    def best_arrays(self):
        return [(runs.PARAMS, qnn_params(self.model)), (BEST_STATE, state_arrays(self.model))]

    def state(self):
        arrays = state_arrays(self.model, 'model.')
        arrays.update(_optimizer_arrays(self.optimizer))
        return arrays

    def load_state(self, arrays):
        load_state_arrays(self.model, arrays, 'model.')
        _load_optimizer_arrays(self.optimizer, arrays)


@contextlib.contextmanager
def _torch_settings(threads):
    """Deterministic algorithms and, optionally, a thread count, restored afterwards."""
    deterministic = torch.are_deterministic_algorithms_enabled()
    previous_threads = torch.get_num_threads()
    torch.use_deterministic_algorithms(True)
    if threads:
        torch.set_num_threads(int(threads))
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(deterministic)
        torch.set_num_threads(previous_threads)


def train(run_dir, data_dir=None, progress=True, data=None, on_epoch_end=None, threads=None,
          max_epochs=None, **overrides):
    """Train one Brevitas run into ``run_dir`` (resuming it if it was interrupted).

    Parameters
    ----------
    run_dir : str
        The run folder (see :mod:`qnn.runs`).
    data_dir : str, optional
        MNIST folder (see :func:`qnn.data.mnist.resolve_data_dir`).
    progress : bool
        Show a progress bar per epoch (when tqdm is installed).
    data : qnn.data.mnist.Mnist, optional
        Already loaded MNIST with the configuration's ``binarize_input``.
    on_epoch_end : callable, optional
        Called with each epoch's metrics after its checkpoint is on disk.
    threads : int, optional
        torch's intra-op threads (default: torch's own choice).
    max_epochs : int, optional
        Stop (unfinished, resumable) once this many epochs of the budget are done.
    **overrides
        Configuration values (see :data:`qnn_brevitas.config.DEFAULTS`).

    Returns
    -------
    dict
        The metrics as written to ``metrics.json``.
    """
    config = make_config(**overrides)
    check_max_epochs(max_epochs)
    if data is None:
        data = load_mnist(data_dir, binarize=config['binarize_input'])
    check_encoding(data, config['binarize_input'])
    with _torch_settings(threads):
        return train_run(run_dir, config, software_versions(threads), data,
                         lambda split: _Trainer(config, split), progress=progress,
                         on_epoch_end=on_epoch_end, max_epochs=max_epochs, record_digest=False)


def load_model(run_dir):
    """The model of a finished run with its best-validation state, and its configuration."""
    stored = runs.read_config(run_dir)
    config = make_config(**{key: stored[key] for key in stored if key != 'software'})
    model = build_mlp(config)
    load_state_arrays(model, runs.load_arrays(runs.run_file(run_dir, BEST_STATE)))
    model.eval()
    return model, config
