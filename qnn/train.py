"""Training: the BinaryNet / BNN-PYNQ recipe for the paper's quantized MLP.

Squared hinge loss on +-1 one-hot targets; Adam with a learning rate decayed exponentially from
``lr_start`` to ``lr_end`` over the run's epoch budget; batch 100, shuffled every epoch; quantized
weights get a scaled learning rate and are clipped after each update; BN and biases use a second
Adam. The parameters of the best-validation epoch are kept and the test error is reported there.

Every random choice (initial weights, each epoch's shuffle and dropout masks) is drawn from the
run's seed, per epoch, so an interrupted run resumed from its checkpoint gives the same bits as
an uninterrupted one.
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from . import runs
from .compile_mode import training_mode
from .config import make_config
from .data.mnist import check_encoding, load_mnist
from .evaluate import build_network, compile_predict, error_rate, params_by_name
from .layers import QUANTIZED_TAG, lasagne
from .provenance import software_versions
from .quantization import T, theano
from .schedule import epoch_seed, learning_rate
from .training_loop import check_max_epochs, train_run
from .updates import clip_ranges, fused_adam

__all__ = ['train', 'TrainingStep', 'TrainingError', 'learning_rate', 'epoch_seed']


class TrainingError(runs.RunError):
    """A run cannot be started or resumed as asked."""


def squared_hinge(targets, scores):
    """mean(max(0, 1 - t * y)^2) with targets t in {-1, +1}."""
    return T.mean(T.sqr(T.maximum(0., 1. - targets * scores)))


def hinge_targets(labels, n_classes=10):
    """One-hot labels mapped to {-1, +1}, float32."""
    targets = -np.ones((len(labels), n_classes), dtype=theano.config.floatX)
    targets[np.arange(len(labels)), labels] = 1
    return targets


class TrainingStep(object):
    """The compiled training step of a network, over data held in shared variables.

    Compiled once per run; :meth:`run_epoch` trains one epoch, :meth:`state` and
    :meth:`load_state` give the parameters and optimiser state for checkpoints.

    Parameters
    ----------
    network : lasagne.layers.Layer
        Output layer of a network built with qnn layers.
    train_split : qnn.data.mnist.Split
        Training inputs and labels.
    batch_size : int
    """

    def __init__(self, network, train_split, batch_size):
        float_x = theano.config.floatX
        self.network = network
        self.batch_size = batch_size
        self.n_batches = len(train_split.y) // batch_size
        self.inputs = theano.shared(train_split.X.astype(float_x), name='train.X')
        self.targets = theano.shared(hinge_targets(train_split.y), name='train.targets')
        self.order = theano.shared(np.arange(len(train_split.y), dtype='int32'), name='order')
        self.lr = theano.shared(np.asarray(0., dtype=float_x), name='lr')

        layers = [layer for layer in lasagne.layers.get_all_layers(network)
                  if QUANTIZED_TAG in layer.params.get(getattr(layer, 'W', None), ())]
        X, targets = T.matrix('X'), T.matrix('targets')
        loss = squared_hinge(targets, lasagne.layers.get_output(network, X, deterministic=False))
        weights = [layer.W for layer in layers]
        others = lasagne.layers.get_all_params(network, trainable=True, **{QUANTIZED_TAG: False})
        grads = T.grad(loss, weights + others)  # one backward pass for both parameter groups
        # Fused updates: one pass per parameter, each gradient product computed once.
        updates, weight_state = fused_adam(grads[:len(weights)], weights, self.lr,
                                           clip_ranges(layers), name='adam_q')
        other_updates, other_state = fused_adam(grads[len(weights):], others, self.lr,
                                                name='adam')
        updates.update(other_updates)
        self.optimizer_state = weight_state + other_state

        index = T.iscalar('batch')
        batch = self.order[index * batch_size:(index + 1) * batch_size]
        self.step = theano.function([index], loss, updates=updates, mode=training_mode(),
                                    givens={X: self.inputs[batch], targets: self.targets[batch]})
        self.dropout_streams = [layer._srng for layer in lasagne.layers.get_all_layers(network)
                                if isinstance(layer, lasagne.layers.DropoutLayer)]

    def run_epoch(self, seed, epoch, lr, progress):
        """One pass over the shuffled training data; returns the mean training loss."""
        self.lr.set_value(np.asarray(lr, dtype=theano.config.floatX))
        shuffle = np.random.RandomState(epoch_seed(seed, 'shuffle', epoch))
        self.order.set_value(shuffle.permutation(self.inputs.get_value(borrow=True).shape[0])
                             .astype('int32'))
        dropout = np.random.RandomState(epoch_seed(seed, 'dropout', epoch))
        for stream in self.dropout_streams:
            stream.seed(int(dropout.randint(1, 2 ** 30)))
        losses = [float(self.step(index)) for index in progress(range(self.n_batches))]
        return float(np.mean(losses))

    def state(self):
        """Parameters and optimiser state as named arrays."""
        arrays = {'param.' + name: value for name, value in params_by_name(self.network).items()}
        arrays.update(('opt.' + var.name, var.get_value()) for var in self.optimizer_state)
        return arrays

    def load_state(self, arrays):
        """Inverse of :meth:`state`."""
        for param in lasagne.layers.get_all_params(self.network):
            param.set_value(arrays['param.' + param.name])
        for var in self.optimizer_state:
            var.set_value(arrays['opt.' + var.name])


class _TheanoTrainer(object):
    """A network, its :class:`TrainingStep` and its compiled prediction, as
    :func:`qnn.training_loop.train_run` drives them."""

    def __init__(self, config, train_split):
        self.seed = config['seed']
        self.network = build_network(config, seed=config['seed'])
        self.step = TrainingStep(self.network, train_split, config['batch_size'])
        self.predict = compile_predict(self.network)

    def run_epoch(self, epoch, lr, progress):
        return self.step.run_epoch(self.seed, epoch, lr, progress)

    def error_rate(self, split):
        return error_rate(self.predict, split)

    def best_arrays(self):
        return [(runs.PARAMS, params_by_name(self.network))]

    def state(self):
        return self.step.state()

    def load_state(self, arrays):
        self.step.load_state(arrays)


def train(run_dir, data_dir=None, progress=True, data=None, on_epoch_end=None, max_epochs=None,
          **overrides):
    """Train one run into ``run_dir`` (resuming it if it was interrupted).

    Parameters
    ----------
    run_dir : str
        The run folder (see :mod:`qnn.runs`).
    data_dir : str, optional
        MNIST folder (see :func:`qnn.data.mnist.resolve_data_dir`).
    progress : bool
        Show a progress bar per epoch.
    data : object with train/valid/test splits, optional
        Already loaded MNIST (:func:`qnn.data.mnist.load_mnist` with the configuration's
        ``binarize_input``); the first ``train_size`` training images are used.
    on_epoch_end : callable, optional
        Called with each epoch's metrics after its checkpoint is on disk.
    max_epochs : int, optional
        Stop (unfinished, resumable) once this many epochs of the budget are done.
    **overrides
        Configuration values (see :data:`qnn.config.DEFAULTS`).

    Returns
    -------
    dict
        The final metrics (as written to ``metrics.json``).
    """
    config = make_config(**overrides)
    check_max_epochs(max_epochs)
    if data is None:
        data = load_mnist(data_dir, binarize=config['binarize_input'])
    check_encoding(data, config['binarize_input'])
    return train_run(run_dir, config, software_versions(), data,
                     lambda split: _TheanoTrainer(config, split), progress=progress,
                     on_epoch_end=on_epoch_end, max_epochs=max_epochs)
