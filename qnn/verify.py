"""Re-running a run to check that it reproduces bit for bit."""
from __future__ import absolute_import, division, print_function

import os
import shutil
import tempfile

import numpy as np

from . import runs
from .train import train
from .training_version import VERSION_KEY, check_same_version

__all__ = ['verify_run']

_CONFIG_EXTRAS = ('software',)


def _max_abs_difference(first, second):
    return max(float(np.max(np.abs(first[name].astype(np.float64) -
                                   second[name].astype(np.float64)))) for name in first)


def verify_run(run_dir, epochs=None, data_dir=None, progress=True):
    """Train a run's configuration again and compare its parameters with the recorded ones.

    Parameters
    ----------
    run_dir : str
        A run folder written by :func:`qnn.train.train`.
    epochs : int, optional
        Check only the first ``epochs`` epochs (default: every recorded epoch).
    data_dir : str, optional
        MNIST folder.
    progress : bool
        Show progress bars while re-training.

    Returns
    -------
    dict
        ``identical`` (bool), ``epochs_checked``, ``first_difference`` (epoch index or None),
        and, when the whole run was re-trained, ``max_abs_difference`` of ``params.npz``.
    """
    record = runs.read_config(run_dir)
    version = record.get('software', {}).get(VERSION_KEY)
    if version is not None:  # another version gives other bits by design: say so, not "differs"
        check_same_version(run_dir, version)
    config = {key: value for key, value in record.items() if key not in _CONFIG_EXTRAS}
    recorded = runs.read_metrics(run_dir)['epochs']
    if not recorded:
        raise runs.RunError('%s has no finished epoch to verify' % run_dir)
    if any('params_sha256' not in record for record in recorded):
        raise runs.RunError('%s was written before per-epoch parameter digests were recorded; '
                            'it cannot be verified' % run_dir)
    if epochs is not None and not 1 <= epochs <= len(recorded):
        raise runs.RunError('--epochs must be in 1..%d (the epochs %s recorded), got %d'
                            % (len(recorded), run_dir, epochs))
    count = len(recorded) if epochs is None else int(epochs)
    # A study's committed record has the digests but not params.npz: the digests decide then.
    compare_params = count == len(recorded) and runs.is_finished(run_dir) and \
        os.path.isfile(runs.run_file(run_dir, runs.PARAMS))
    if compare_params:  # read before re-training: a broken file is reported at once
        params = runs.load_arrays(runs.run_file(run_dir, runs.PARAMS))
    scratch = tempfile.mkdtemp(prefix='qnn-verify-')
    try:
        again_dir = os.path.join(scratch, 'run')
        train(again_dir, data_dir=data_dir, progress=progress, max_epochs=count, **config)
        again = runs.read_metrics(again_dir)['epochs']
        differing = [i for i in range(count)
                     if again[i]['params_sha256'] != recorded[i]['params_sha256']]
        result = {'identical': not differing, 'epochs_checked': count,
                  'first_difference': differing[0] if differing else None,
                  'max_abs_difference': None}
        if compare_params:
            result['max_abs_difference'] = _max_abs_difference(
                params, runs.load_arrays(runs.run_file(again_dir, runs.PARAMS)))
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
