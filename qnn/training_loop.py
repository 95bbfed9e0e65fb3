"""The training loop every back end shares: epochs, checkpoints, resume, best validation.

A back end (Theano in :mod:`qnn.train`, Brevitas in ``qnn_brevitas``) supplies a *trainer*,
an object with

* ``run_epoch(epoch, lr, progress)``: one pass over the shuffled training split at learning
  rate ``lr``, batches drawn through ``progress(iterable)``; returns the mean training loss;
* ``error_rate(split)``: the fraction of ``split`` (``X``, ``y``) misclassified;
* ``best_arrays()``: ``[(file name, named arrays), ...]``, written into the run folder whenever
  the validation error is the best so far (:data:`qnn.runs.PARAMS` first);
* ``state()`` and ``load_state(arrays)``: parameters and optimiser state, for checkpoints.

:func:`train_run` does the rest, the same way for every back end: the run folder and its lock,
``config.json``, resuming from ``checkpoint.npz`` after the last finished epoch, the learning
rate of each epoch, evaluation, the best-validation files, the checkpoint and ``metrics.json``
after every epoch (all written atomically), the progress bar and the log line. Nothing here
imports Theano or PyTorch.
"""
from __future__ import absolute_import, division, print_function

import json
import logging
import os
import time

import numpy as np

from . import runs
from .config import ConfigError
from .fileio import makedirs
from .locks import folder_lock
from .paths import output_dir
from .schedule import learning_rate

__all__ = ['train_run', 'check_max_epochs', 'progress_bar', 'train_split']

log = logging.getLogger(__name__)


def check_max_epochs(max_epochs):
    """Refuse a number of epochs to stop after that is not an integer >= 1 (None: no limit)."""
    if max_epochs is not None and (isinstance(max_epochs, bool) or int(max_epochs) != max_epochs
                                   or max_epochs < 1):
        raise ConfigError('the number of epochs to stop after must be an integer >= 1, got %r'
                          % (max_epochs,))


def progress_bar(description, enabled):
    """``progress(iterable)``: a tqdm bar over the batches of one epoch, or the iterable itself
    when ``enabled`` is False or tqdm is not installed."""
    def progress(iterable):
        if not enabled:
            return iterable
        try:
            from tqdm import tqdm
        except ImportError:
            return iterable
        return tqdm(iterable, desc=description, leave=False, unit='batch')
    return progress


def train_split(data, config):
    """The first ``config['train_size']`` training images and labels of ``data``."""
    return type(data.train)(*(part[:config['train_size']] for part in data.train))


def train_run(run_dir, config, software, data, make_trainer, progress=True, on_epoch_end=None,
              max_epochs=None, record_digest=True):
    """Train (or resume) one run into ``run_dir`` with the trainer ``make_trainer`` builds.

    Parameters
    ----------
    run_dir : str
        The run folder (see :mod:`qnn.runs`).
    config : dict
        The complete run configuration (written to ``config.json``).
    software : dict
        Provenance recorded beside it.
    data : object with train/valid/test splits
        MNIST, already encoded as the configuration asks.
    make_trainer : callable
        ``make_trainer(train_split)`` -> trainer (see the module docstring); called once the
        run folder is locked and checked.
    progress : bool
        Show a progress bar per epoch.
    on_epoch_end : callable, optional
        Called with each epoch's metrics after its checkpoint is on disk.
    max_epochs : int, optional
        Stop (unfinished, resumable) once this many epochs of the budget are done.
    record_digest : bool
        Record the SHA-256 of each epoch's parameters (``params_sha256``) in the metrics.

    Returns
    -------
    dict
        The final metrics (as written to ``metrics.json``).
    """
    check_max_epochs(max_epochs)
    output_dir(run_dir)
    created = not os.path.isdir(run_dir)
    makedirs(run_dir)
    try:
        with folder_lock(run_dir):  # one process per run folder (released if it dies)
            fresh = runs.prepare_run_dir(run_dir, config, software)
            trainer = make_trainer(train_split(data, config))
            history = [] if fresh else _resume(run_dir, trainer)
            stop = config['epochs'] if max_epochs is None else min(config['epochs'], max_epochs)
            for epoch in range(len(history), stop):
                history.append(_train_epoch(run_dir, config, trainer, data, epoch, history,
                                            progress, record_digest))
                if on_epoch_end is not None:
                    on_epoch_end(history[-1])
            summary = runs.summarize(history, len(history) == config['epochs'])
            runs.write_json(runs.run_file(run_dir, runs.METRICS), summary)
            return summary
    except BaseException:
        if created and not os.listdir(run_dir):
            os.rmdir(run_dir)  # refused before anything was written: leave nothing behind
        raise


def _resume(run_dir, trainer):
    """The metrics of the finished epochs, the trainer set to the last one (none: [])."""
    path = runs.run_file(run_dir, runs.CHECKPOINT)
    if not os.path.isfile(path):
        return []
    state = runs.load_arrays(path)
    trainer.load_state(state)
    history = json.loads(str(state['history_json']))
    log.info('resuming %s after epoch %d', run_dir, len(history))
    return history


def _train_epoch(run_dir, config, trainer, data, epoch, history, progress, record_digest):
    """Train, evaluate and checkpoint one epoch; returns its metrics."""
    started = time.time()
    description = 'W%dA%d epoch %d/%d' % (config['wbits'], config['abits'], epoch + 1,
                                          config['epochs'])
    lr = learning_rate(config, epoch)
    loss = trainer.run_epoch(epoch, lr, progress_bar(description, progress))
    val_error = trainer.error_rate(data.valid)
    test_error = trainer.error_rate(data.test)
    metrics = {'epoch': epoch, 'train_loss': loss, 'val_error': val_error,
               'test_error': test_error, 'lr': lr, 'seconds': time.time() - started}
    best = trainer.best_arrays() if record_digest else None
    if record_digest:
        metrics['params_sha256'] = runs.arrays_digest(dict(best)[runs.PARAMS])
    if val_error <= min([h['val_error'] for h in history] + [np.inf]):
        for name, arrays in best or trainer.best_arrays():
            runs.save_arrays(runs.run_file(run_dir, name), arrays)
    state = trainer.state()
    state['history_json'] = np.array(json.dumps(history + [metrics]))
    runs.save_arrays(runs.run_file(run_dir, runs.CHECKPOINT), state)
    runs.write_json(runs.run_file(run_dir, runs.METRICS),
                    runs.summarize(history + [metrics], False))
    log.info('%s: loss %.4f, val error %.2f%%, test error %.2f%%', description, loss,
             100 * val_error, 100 * test_error)
    return metrics

