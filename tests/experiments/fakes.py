"""Synthetic studies for the experiments tests: run folders written with qnn's own writers."""
from __future__ import absolute_import, division

import os

import numpy as np

from qnn.study import run_config, run_dir
from qnn import runs
from qnn.training_version import TRAINING_VERSION, VERSION_KEY


def write_fake_run(study_dir, spec, errors, settings, seconds=2.0):
    """A finished run folder whose per-epoch test errors are ``errors`` (fractions)."""
    folder = run_dir(study_dir, spec)
    os.makedirs(folder)
    config = run_config(spec, settings)
    config['software'] = {'python': '3.11.7', 'theano': '1.0.5', 'qnn': '0.1.0',
                          VERSION_KEY: TRAINING_VERSION}
    runs.write_json(os.path.join(folder, runs.CONFIG), config)
    history = [{'epoch': i, 'train_loss': 1.0 / (i + 1), 'val_error': e, 'test_error': e,
                'lr': 1e-3, 'seconds': seconds} for i, e in enumerate(errors)]
    best = int(np.argmin(errors))
    runs.write_json(os.path.join(folder, runs.METRICS), {
        'epochs': history, 'finished': True, 'best_epoch': best, 'best_val_error': errors[best],
        'test_error': errors[best], 'train_seconds': seconds * len(errors)})
    runs.save_arrays(os.path.join(folder, runs.PARAMS),
                     {'dense0.W': np.full((3, 2), spec.wbits, dtype='float32')})
    return folder


def fake_hardware(wbits, abits):
    """Resources with known structure: BRAM from W only, FF from A mostly, LUT from both."""
    return {'LUT': 20000 * wbits + 15000 * abits, 'FF': 20000 + 1000 * wbits + 12000 * abits,
            'BRAM_18K': 200 * wbits, 'DSP': 0, 'cycles': 512, 'clock_mhz': 200.0,
            'images_per_second': 390625.0, 'source': 'estimate', 'models': {'LUT': 'test'},
            'report': None}


def fake_hardware_mixed(wbits, abits):
    """:func:`fake_hardware`, with W4 networks at half the throughput (1024 cycles)."""
    figures = fake_hardware(wbits, abits)
    if wbits == 4:
        figures.update(cycles=1024, images_per_second=195312.5)
    return figures
