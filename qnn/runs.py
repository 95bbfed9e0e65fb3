"""The run folder: what one training run writes, and how it is read back.

A run folder holds

* ``config.json``: the run's configuration (see :mod:`qnn.config`) and software provenance;
* ``checkpoint.npz``: the state after the last finished epoch (parameters, optimiser state,
  best parameters, metrics so far), the single source of truth for resuming;
* ``params.npz``: the parameters at the best-validation epoch, as named plain arrays
  (``dense0.W``, ``bn0.mean``, ...);
* ``metrics.json``: per-epoch metrics and the final result, published after each epoch.

Every file is written to a temporary name and renamed, so a crash never leaves a half file.
"""
from __future__ import absolute_import, division, print_function

import hashlib
import io
import json
import os
import zipfile

import numpy as np

from .fileio import atomic_write
from .config import LEGACY_VALUES
from .paths import output_dir
from .training_version import VERSION_KEY, check_same_version

__all__ = ['CONFIG', 'METRICS', 'PARAMS', 'CHECKPOINT', 'RunError', 'write_json', 'read_json',
           'save_arrays', 'load_arrays', 'arrays_digest', 'run_file', 'prepare_run_dir',
           'summarize', 'result_line', 'read_config', 'read_metrics', 'is_finished']

CONFIG = 'config.json'
METRICS = 'metrics.json'
PARAMS = 'params.npz'
CHECKPOINT = 'checkpoint.npz'


class RunError(ValueError):
    """A run folder is missing, incomplete, or does not match what was asked."""


def run_file(run_dir, name):
    """Path of ``name`` inside ``run_dir``."""
    return os.path.join(run_dir, name)


def write_json(path, obj):
    """Write ``obj`` as indented, key-sorted JSON, atomically."""
    text = json.dumps(obj, indent=2, sort_keys=True) + '\n'
    with atomic_write(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))


def read_json(path):
    """Read a JSON file, with a clear error when it is missing or broken."""
    try:
        with io.open(path, encoding='utf-8') as handle:
            return json.load(handle)
    except (IOError, OSError) as error:
        raise RunError('cannot read %s: %s' % (path, 'no such file' if not os.path.exists(path)
                                               else error.strerror or error))
    except ValueError as error:  # also UnicodeDecodeError
        raise RunError('cannot read %s: not valid JSON (%s)' % (path, error))


def save_arrays(path, arrays):
    """Save a dict of named numpy arrays as an uncompressed ``.npz``, atomically."""
    with atomic_write(path, 'wb') as handle:
        np.savez(handle, **arrays)


def arrays_digest(arrays):
    """SHA-256 over named arrays (names, dtypes, shapes and bytes, in name order).

    Two parameter sets have the same digest exactly when they are bit-identical.
    """
    digest = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        digest.update(('%s|%s|%r|' % (name, array.dtype.str, array.shape)).encode('utf-8'))
        digest.update(array.tobytes())
    return digest.hexdigest()


def load_arrays(path):
    """Load a ``.npz`` written by :func:`save_arrays` into a dict (no pickle allowed)."""
    if not os.path.isfile(path):
        raise RunError('cannot read %s: no such file' % path)
    try:
        zipfile.ZipFile(path).close()  # first: numpy 1.15 prints noise on a broken archive
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except (IOError, OSError, ValueError, EOFError, KeyError, zipfile.BadZipfile,
            zipfile.LargeZipFile) as error:  # whatever a truncated or corrupt archive gives
        raise RunError('cannot read %s: not a complete .npz archive (%s)' % (path, error))


def read_config(run_dir):
    """The ``config.json`` of a run folder."""
    if not os.path.isdir(run_dir):
        raise RunError('%s is not a run folder (%s)' % (
            run_dir, 'it is a file' if os.path.exists(run_dir) else 'it does not exist'))
    path = run_file(run_dir, CONFIG)
    config = read_json(path)
    if not isinstance(config, dict):
        raise RunError('%s is not a run configuration (a JSON object)' % path)
    return config


def read_metrics(run_dir):
    """The ``metrics.json`` of a run folder (checked to hold a list of epoch records)."""
    path = run_file(run_dir, METRICS)
    metrics = read_json(path)
    if not isinstance(metrics, dict) or not isinstance(metrics.get('epochs'), list) or \
            not all(isinstance(epoch, dict) for epoch in metrics['epochs']):
        raise RunError('%s is not a metrics record (an object with a list of epochs)' % path)
    return metrics


def is_finished(run_dir):
    """True when the run folder holds a finished run."""
    return os.path.isfile(run_file(run_dir, METRICS)) and bool(read_metrics(run_dir)
                                                                .get('finished'))


def prepare_run_dir(run_dir, config, software):
    """Create a run folder with its ``config.json``, or check an existing one can be resumed.

    Parameters
    ----------
    run_dir : str
    config : dict
        The run's configuration.
    software : dict
        Provenance recorded beside it (versions, flags).

    Returns
    -------
    bool
        True for a new run, False for an unfinished run with the same configuration.

    Raises
    ------
    RunError
        The folder holds a different run, or this run finished already.
    TrainingVersionError
        The unfinished run was begun by another training version (see
        :mod:`qnn.training_version`).
    PathError
        ``run_dir`` is a file.
    """
    config_path = run_file(run_dir, CONFIG)
    output_dir(run_dir)
    if os.path.isfile(config_path):
        existing = read_config(run_dir)
        different = sorted(key for key in config
                           if existing.get(key, LEGACY_VALUES.get(key)) != config[key])
        if different:
            raise RunError('%s holds a different run (%s differ: %s); use another --out'
                           % (run_dir, ', '.join(different),
                              ', '.join('%s=%r' % (k, existing.get(k)) for k in different)))
        if is_finished(run_dir):
            raise RunError('%s already holds this finished run; nothing to do (delete it or use '
                           'another --out to train again)' % run_dir)
        if VERSION_KEY in software:  # a checkpoint goes on only with the arithmetic that began it
            check_same_version(run_dir, existing.get('software', {}).get(VERSION_KEY),
                               software[VERSION_KEY])
        _remove_stale_temporaries(run_dir)
        return False
    if not os.path.isdir(run_dir):
        os.makedirs(run_dir)
    record = dict(config)
    record['software'] = software
    write_json(config_path, record)
    return True


def _remove_stale_temporaries(run_dir):
    """Delete temporary files of writes a killed process never finished (one process per run)."""
    for name in os.listdir(run_dir):
        if name.startswith('.') and name.endswith('.tmp'):
            os.remove(os.path.join(run_dir, name))


def summarize(history, finished):
    """The ``metrics.json`` content: per-epoch records and the best-validation result."""
    summary = {'epochs': history, 'finished': finished}
    if history:
        best = min(range(len(history)), key=lambda i: (history[i]['val_error'], -i))
        summary.update(best_epoch=best, best_val_error=history[best]['val_error'],
                       test_error=history[best]['test_error'],
                       train_seconds=float(sum(h['seconds'] for h in history)))
    return summary


def result_line(metrics, run_dir, epochs):
    """One line saying what a training call left in ``run_dir`` (``epochs``: its budget).

    Examples
    --------
    >>> history = [{'val_error': 0.1, 'test_error': 0.12, 'seconds': 1.}]
    >>> print(result_line(summarize(history, True), 'runs/W1A1', 1))
    test error 12.00% at best-validation epoch 1 (val error 10.00%); run in runs/W1A1
    >>> result_line(summarize(history, False), 'r', 3).endswith('(stopped after epoch 1 of 3; '
    ...                                                         'run again to go on)')
    True
    """
    state = '' if metrics['finished'] else ' (stopped after epoch %d of %d; run again to go on)' \
        % (len(metrics['epochs']), epochs)
    return 'test error %.2f%% at best-validation epoch %d (val error %.2f%%); run in %s%s' % (
        100 * metrics['test_error'], metrics['best_epoch'] + 1, 100 * metrics['best_val_error'],
        run_dir, state)
