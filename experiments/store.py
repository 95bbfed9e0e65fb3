"""The results store: one HDF5 file per study, built from the run folders.

Runs write only their own folders; the store is (re)built from them by one process, written to
a temporary file and renamed, so concurrent workers never write the same file and a crash never
leaves half a store. Layout of ``<study>/results.h5``::

    /                       attrs: format, settings (JSON), hardware (JSON: the study's
                                   target cycles per image)
    /runs/<result name>     attrs: config (JSON), wbits, abits, epochs (the budget), seed,
                                   best_epoch, best_val_error, test_error, train_seconds,
                                   run (its run folder), params_path, params_sha256 (digest
                                   of the parameters at best_epoch)
    /runs/<run name>/epochs datasets: epoch, train_loss, val_error, test_error, lr, seconds
    /hardware/<network>     attrs: source ('vivado-hls' or 'estimate'), models (JSON), LUT, FF,
                                   BRAM_18K, DSP, cycles (per image), clock_mhz (the HLS
                                   clock), images_per_second (NaN when unknown), report
                                   path if any; yosys_parallel, yosys_search (JSON: the
                                   yosys-xc7 figures of the network's synthesis with that
                                   threshold unit, where one exists)

In the CSV, ``LUT`` ... ``DSP`` are of ``hardware_source``; ``yosys_*`` are the yosys-xc7
figures with the parallel threshold unit (the HLS design's), ``search_*`` with the search unit.
"""
from __future__ import absolute_import, division, print_function

import glob
import io
import json
import os

import numpy as np

from qnn import runs
from qnn.compat import csv_text
from qnn.fileio import atomic_write, file_sha256
from qnn.config import config_from_record
from qnn.naming import network_name
from qnn.paths import PathError, input_dir
from qnn.study import RunSpec, check_runs_agree

from . import plan

__all__ = ['STORE_FILE', 'build_store', 'read_store', 'results_csv', 'write_csv', 'flat_rows',
           'CSV_COLUMNS', 'result_records']

STORE_FILE = 'results.h5'
FORMAT = 'qnn-results-1'
EPOCH_FIELDS = ('epoch', 'train_loss', 'val_error', 'test_error', 'lr', 'seconds')
RUN_FIELDS = ('wbits', 'abits', 'epochs', 'seed', 'best_epoch', 'best_val_error', 'test_error',
              'train_seconds')
HARDWARE_FIELDS = ('LUT', 'FF', 'BRAM_18K', 'DSP', 'cycles', 'clock_mhz', 'images_per_second')
#: Hardware attribute of a threshold unit's yosys-xc7 figures (JSON), e.g. yosys_parallel.
_SYNTHESIS_ATTR = 'yosys_'


def _text(value):
    return value.decode('utf-8') if isinstance(value, bytes) else value


def _run_folders(study_dir):
    return [folder for folder in sorted(glob.glob(os.path.join(study_dir, 'runs', '*')))
            if os.path.isfile(runs.run_file(folder, runs.METRICS))]


def result_records(study_dir, readouts=()):
    """One record per result of the study: a finished run, or a read-off budget of one.

    A ``'budget'``-schedule run gives one record when it is finished. A ``'bnn-pynq'`` run gives
    one record per budget in ``readouts`` (default: its own length) that it has trained
    through, finished or not: the best-validation result of its first ``budget`` epochs, as
    BNN-PYNQ's ``mnist.py`` prints it at that epoch.
    """
    records = []
    for folder in _run_folders(study_dir):
        stored = runs.read_config(folder)
        config = dict(stored, **config_from_record(stored))  # provenance kept, legacy keys filled
        history = runs.read_metrics(folder)['epochs']
        if config['schedule'] == 'bnn-pynq':
            budgets = [b for b in (readouts or [config['epochs']])
                       if b <= min(len(history), config['epochs'])]
        else:
            budgets = [config['epochs']] if runs.is_finished(folder) else []
        records.extend(_result_record(folder, config, history[:budget]) for budget in budgets)
    return records


def _result_record(folder, config, history):
    summary = runs.summarize(history, True)
    record = {key: summary[key] for key in ('best_epoch', 'best_val_error', 'test_error',
                                            'train_seconds')}
    record.update((key, config[key]) for key in ('wbits', 'abits', 'seed'))
    record['epochs'] = len(history)
    record['config'] = config
    record['run'] = os.path.basename(folder)
    record['epochs_table'] = history
    params = runs.run_file(folder, runs.PARAMS)
    record['params_path'] = os.path.relpath(params, os.path.dirname(os.path.dirname(folder)))
    # the digest of the parameters at the reported epoch (metrics.json records one per epoch)
    record['params_sha256'] = history[summary['best_epoch']].get('params_sha256') or \
        file_sha256(params)
    return record


def build_store(study_dir, hardware=None):
    """(Re)build ``<study>/results.h5`` from the finished runs; returns its path.

    Parameters
    ----------
    study_dir : str
    hardware : callable, optional
        ``hardware(wbits, abits) -> dict`` with LUT/FF/BRAM_18K/DSP, cycles, clock_mhz,
        images_per_second, 'source' and 'models' (see
        :func:`experiments.hardware.network_hardware`); default: that function with the
        study's settings and target cycles per image.
    """
    import h5py
    study = plan.read_study(study_dir)
    settings = study['settings']
    check_runs_agree(study_dir, settings)
    if hardware is None:
        from .hardware import network_hardware
        hardware = lambda w, a: network_hardware(  # noqa: E731
            study_dir, w, a, settings, cycles=study['hardware']['cycles'])
    records = result_records(study_dir, study['readouts'])
    path = os.path.join(study_dir, STORE_FILE)
    # Built in memory, then written atomically: HDF5 crashes the process when a write to the
    # disk fails half way (a full disk), and a crash must not cost the previous store.
    image = io.BytesIO()
    with h5py.File(image, 'w') as store:
        store.attrs['format'] = FORMAT
        store.attrs['settings'] = json.dumps(settings, sort_keys=True)
        store.attrs['hardware'] = json.dumps(study['hardware'], sort_keys=True)
        for record in records:
            _write_run(store, record)
        for wbits, abits in sorted({(r['wbits'], r['abits']) for r in records}):
            _write_hardware(store, network_name(wbits, abits), hardware(wbits, abits))
    with atomic_write(path, 'wb') as handle:
        handle.write(image.getvalue())
    return path


def _write_run(store, record):
    group = store.create_group('runs/' + RunSpec(record['wbits'], record['abits'],
                                                      record['epochs'], record['seed']).name)
    for key in RUN_FIELDS:
        group.attrs[key] = record[key]
    group.attrs['config'] = json.dumps(record['config'], sort_keys=True)
    group.attrs['run'] = record['run']
    group.attrs['params_path'] = record['params_path']
    group.attrs['params_sha256'] = record['params_sha256']
    epochs = group.create_group('epochs')
    for field in EPOCH_FIELDS:
        epochs.create_dataset(field, data=np.array([e[field] for e in record['epochs_table']],
                                                   dtype=np.float64))


def _write_hardware(store, network, figures):
    group = store.create_group('hardware/' + network)
    for key in HARDWARE_FIELDS:
        value = figures.get(key)
        group.attrs[key] = np.nan if value is None else float(value)
    group.attrs['source'] = figures['source']
    group.attrs['models'] = json.dumps(figures.get('models', {}), sort_keys=True)
    if figures.get('report'):
        group.attrs['report'] = figures['report']
    for unit, synthesised in sorted(figures.get('synthesis', {}).items()):
        group.attrs[_SYNTHESIS_ATTR + unit] = json.dumps(synthesised, sort_keys=True)


def read_store(study_dir):
    """Everything in the store as plain Python: ``{'settings', 'study_hardware', 'runs',
    'hardware'}``.

    ``study_hardware`` is the study's hardware settings (``{'cycles': N}``, the target).

    ``runs`` is a list of dicts (the run fields, ``config`` and an ``epochs`` dict of arrays);
    ``hardware`` maps network names (``W2A4``) to dicts of figures.
    """
    input_dir(study_dir, 'study folder')
    path = os.path.join(study_dir, STORE_FILE)
    if not os.path.isfile(path):
        raise runs.RunError('no results store at %s; run `qnn results %s` to build it'
                            % (path, study_dir))
    try:
        return _read_store_file(path)
    except (IOError, OSError, KeyError, ValueError) as error:  # h5py's errors on a broken file
        raise runs.RunError('cannot read %s (%s); run `qnn results %s` to rebuild it'
                            % (path, ' '.join(str(error).split()), study_dir))


def _read_store_file(path):
    import h5py
    with h5py.File(path, 'r') as store:
        if _text(store.attrs.get('format')) != FORMAT:
            raise runs.RunError('%s is not a qnn results store (format %r)'
                                % (path, store.attrs.get('format')))
        result = {'settings': json.loads(_text(store.attrs['settings'])), 'runs': [],
                  'hardware': {},
                  'study_hardware': json.loads(_text(store.attrs.get('hardware', '{}')))}
        for name, group in sorted(store.get('runs', {}).items()):
            run = {key: _plain(group.attrs[key]) for key in RUN_FIELDS}
            run['name'] = name
            run['config'] = json.loads(_text(group.attrs['config']))
            run['params_path'] = _text(group.attrs['params_path'])
            run['run'] = _text(group.attrs['run']) if 'run' in group.attrs else name
            run['params_sha256'] = _text(group.attrs['params_sha256'])
            run['epochs_table'] = {field: group['epochs'][field][()] for field in EPOCH_FIELDS}
            result['runs'].append(run)
        for network, group in sorted(store.get('hardware', {}).items()):
            figures = {key: _plain(group.attrs[key]) if key in group.attrs else None
                       for key in HARDWARE_FIELDS}
            if figures['cycles'] is not None:
                figures['cycles'] = int(figures['cycles'])
            figures['source'] = _text(group.attrs['source'])
            figures['models'] = json.loads(_text(group.attrs['models']))
            figures['report'] = _text(group.attrs['report']) if 'report' in group.attrs else None
            synthesis = dict((key[len(_SYNTHESIS_ATTR):], json.loads(_text(value)))
                             for key, value in group.attrs.items()
                             if key.startswith(_SYNTHESIS_ATTR))
            if synthesis:
                figures['synthesis'] = synthesis
            result['hardware'][network] = figures
    return result


def _plain(value):
    value = value.item() if hasattr(value, 'item') else value
    return None if isinstance(value, float) and np.isnan(value) else value


CSV_COLUMNS = ('name', 'run', 'schedule', 'network', 'wbits', 'abits', 'epochs', 'seed',
               'best_epoch', 'best_val_error', 'test_error', 'train_seconds',
               'seconds_per_epoch', 'LUT', 'FF', 'BRAM_18K', 'DSP', 'cycles_per_image',
               'images_per_second', 'clock_mhz', 'hardware_source', 'yosys_LUT', 'yosys_FF',
               'yosys_BRAM_18K', 'yosys_DSP', 'search_LUT', 'search_FF', 'search_BRAM_18K',
               'search_DSP', 'params_sha256')
#: CSV column prefix of each threshold unit's yosys-xc7 figures.
_CSV_SYNTHESIS = (('yosys_', 'parallel'), ('search_', 'search'))
#: CSV column of each hardware figure.
_CSV_HARDWARE = (('LUT', 'LUT'), ('FF', 'FF'), ('BRAM_18K', 'BRAM_18K'), ('DSP', 'DSP'),
                 ('cycles_per_image', 'cycles'), ('images_per_second', 'images_per_second'),
                 ('clock_mhz', 'clock_mhz'))


def flat_rows(results):
    """One flat dict per run (the CSV table), joined with its network's hardware figures."""
    rows = []
    for run in results['runs']:
        network = network_name(run['wbits'], run['abits'])
        hardware = results['hardware'].get(network, {})
        row = {key: run[key] for key in RUN_FIELDS}
        row.update(name=run['name'], run=run['run'], schedule=run['config'].get('schedule'),
                   network=network, params_sha256=run['params_sha256'],
                   seconds_per_epoch=run['train_seconds'] / max(1, run['epochs']),
                   hardware_source=hardware.get('source'))
        row.update((column, hardware.get(key)) for column, key in _CSV_HARDWARE)
        for prefix, unit in _CSV_SYNTHESIS:
            figures = hardware.get('synthesis', {}).get(unit, {})
            row.update((prefix + key, figures.get(key)) for key in ('LUT', 'FF', 'BRAM_18K',
                                                                    'DSP'))
        rows.append(row)
    return rows


def results_csv(results):
    """:func:`flat_rows` as CSV text (unknown values empty)."""
    return csv_text(flat_rows(results), CSV_COLUMNS)


def write_csv(results, path):
    """Write :func:`results_csv` to ``path``, atomically; returns ``path``."""
    if os.path.isdir(path):
        raise PathError('the CSV target %s is a folder, not a file' % path)
    with atomic_write(path, 'wb') as handle:
        handle.write(results_csv(results).encode('utf-8'))
    return path
