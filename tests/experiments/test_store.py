"""The HDF5 results store: round trip from run folders, CSV export, atomic rebuild."""
from __future__ import absolute_import, division

import csv
import io
import os

import pytest

from experiments import plan, store
from qnn.study import RunSpec
from qnn.cli import main
from qnn import runs
from fakes import fake_hardware, write_fake_run


def test_round_trip(fake_study):
    path = store.build_store(fake_study, hardware=fake_hardware)
    assert os.path.basename(path) == 'results.h5'
    results = store.read_store(fake_study)
    assert len(results['runs']) == 18 and sorted(results['hardware']) == [
        'W%dA%d' % (w, a) for w in (1, 2, 4) for a in (1, 2, 4)]
    run = [r for r in results['runs'] if r['name'] == 'W2A4-e3-s7'][0]
    expected_final = 0.10 - 0.02 - 0.008 - 0.03
    assert run['test_error'] == pytest.approx(expected_final)
    assert run['epochs_table']['test_error'].tolist() == pytest.approx(
        [expected_final + 0.02, expected_final + 0.01, expected_final])
    assert run['config']['train_size'] == 1000 and run['best_epoch'] == 2
    assert run['params_path'] == os.path.join('runs', 'W2A4-e3-s7', 'params.npz')
    assert len(run['params_sha256']) == 64
    assert results['hardware']['W4A2'] == dict(fake_hardware(4, 2))
    assert results['settings']['train_size'] == 1000
    assert results['study_hardware'] == {'cycles': 512}


def test_unfinished_runs_are_left_out_and_rebuild_replaces(fake_study):
    store.build_store(fake_study, hardware=fake_hardware)
    folder = os.path.join(fake_study, 'runs', 'W1A1-e1-s7')
    metrics = runs.read_metrics(folder)
    metrics['finished'] = False
    runs.write_json(os.path.join(folder, runs.METRICS), metrics)
    store.build_store(fake_study, hardware=fake_hardware)
    names = [r['name'] for r in store.read_store(fake_study)['runs']]
    assert len(names) == 17 and 'W1A1-e1-s7' not in names
    assert [f for f in os.listdir(fake_study) if 'tmp' in f] == []


def test_csv_export(fake_study):
    store.build_store(fake_study, hardware=fake_hardware)
    text = store.results_csv(store.read_store(fake_study))
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert len(rows) == 18 and tuple(reader.fieldnames) == store.CSV_COLUMNS
    row = [r for r in rows if r['name'] == 'W4A1-e1-s7'][0]
    assert float(row['LUT']) == 20000 * 4 + 15000 and row['hardware_source'] == 'estimate'
    assert (int(row['cycles_per_image']), float(row['images_per_second']),
            float(row['clock_mhz'])) == (512, 390625.0, 200.0)
    assert float(row['seconds_per_epoch']) == 2.0


def test_cli_results_writes_csv(fake_study, capsys):
    assert main(['results', fake_study, '--csv']) == 0
    with io.open(os.path.join(fake_study, 'results.csv'), encoding='utf-8') as handle:
        assert len(handle.read().strip().split('\n')) == 19
    assert '18 finished runs, 9 networks' in capsys.readouterr().out


def test_missing_store_is_a_clear_error(tmpdir):
    with pytest.raises(runs.RunError) as error:
        store.read_store(str(tmpdir))
    assert 'qnn results' in str(error.value)


def test_hardware_estimate_and_vivado_report_precedence(tmpdir):
    import shutil
    from experiments.hardware import network_hardware
    from qnn.study import study_settings
    study = str(tmpdir)
    settings = study_settings()
    estimate = network_hardware(study, 1, 1, settings)
    # BNN-PYNQ LFC: 208 RAMB18 of weights and 8 of the two 1024 x 64-bit I/O FIFOs
    assert estimate['source'] == 'estimate' and estimate['BRAM_18K'] == 208 + 8
    # LFC: 1024 x 1024 / (32 x 64) = 512 cycles; 5 ns HLS clock: 200e6 / 512 images/s
    assert (estimate['cycles'], estimate['clock_mhz'], estimate['images_per_second']) == \
        (512, 200.0, 390625.0)
    for w, a in ((3, 5), (8, 7), (2, 6)):                 # one throughput for every W, A
        assert network_hardware(study, w, a, settings)['cycles'] == 512
    slow = network_hardware(study, 1, 1, settings, cycles=1024)
    assert (slow['cycles'], slow['images_per_second']) == (1024, 195312.5)
    assert slow['BRAM_18K'] < estimate['BRAM_18K'] or slow['LUT'] < estimate['LUT']
    assert estimate['models']['BRAM_18K'] == 'finn-r-2018'
    # BRAM depends on the weights only: the same for every activation precision.
    assert network_hardware(study, 1, 4, settings)['BRAM_18K'] == 208 + 8
    report_dir = tmpdir.mkdir('hw').mkdir('W1A1').mkdir('proj')
    fixture = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'hwgen',
                           'data', 'BlackBoxJam_csynth.xml')
    shutil.copy(fixture, str(report_dir.join('BlackBoxJam_csynth.xml')))
    reported = network_hardware(study, 1, 1, settings)
    assert reported['source'] == 'vivado-hls'
    assert reported['report'] == os.path.join('hw', 'W1A1', 'proj', 'BlackBoxJam_csynth.xml')
    assert reported['LUT'] != estimate['LUT']
    # the report's 5.00 ns target clock, the folding's 512 cycles
    assert (reported['cycles'], reported['clock_mhz']) == (512, 200.0)


def _bnn_pynq_run(study, errors, finished=False, readouts=(2, 3, 5)):
    settings = plan.load_or_create_study(study, {'schedule': 'bnn-pynq', 'train_size': 1000},
                                         readouts)
    folder = write_fake_run(study, RunSpec(2, 2, 5, 7), errors, settings)
    metrics = runs.read_metrics(folder)
    metrics['finished'] = finished
    runs.write_json(os.path.join(folder, runs.METRICS), metrics)
    return folder


def test_bnn_pynq_run_gives_one_result_per_readout_it_trained_through(tmpdir):
    study = str(tmpdir.join('study'))
    # validation error = test error per epoch; the best of the first k epochs is reported
    _bnn_pynq_run(study, [0.30, 0.20, 0.25, 0.10])  # 4 of 5 epochs done
    records = store.result_records(study, [2, 3, 5])
    assert [(r['epochs'], r['test_error'], r['best_epoch']) for r in records] == \
        [(2, 0.20, 1), (3, 0.20, 1)]
    assert {r['run'] for r in records} == {'W2A2-e5-s7'}
    store.build_store(study, hardware=fake_hardware)
    rows = store.flat_rows(store.read_store(study))
    assert [(row['name'], row['run'], row['schedule']) for row in rows] == [
        ('W2A2-e2-s7', 'W2A2-e5-s7', 'bnn-pynq'), ('W2A2-e3-s7', 'W2A2-e5-s7', 'bnn-pynq')]
    assert [row['train_seconds'] for row in rows] == [4.0, 6.0]


def test_synthesis_figures_go_to_the_store_and_csv(fake_study):
    from experiments.hardware import synthesised_figures
    from experiments.synthesis import record_path
    for unit, luts, cycles in (('parallel', 1234, 512), ('search', 999, 1024)):
        path = record_path(fake_study, 'W2A4', unit)
        os.makedirs(os.path.dirname(path))
        runs.write_json(path, {'source': 'yosys-xc7', 'tool': 'Yosys x', 'run': 'W2A4-e1-s7',
                               'rtl': {'cycles': cycles},
                               'total': {'LUT': luts, 'LUTRAM': 3, 'FF': 56, 'BRAM_18K': 7,
                                         'DSP': 0}})
    # the search record was made at another cycles per image: not this study's figure
    found = synthesised_figures(fake_study, 'W2A4', 512)
    assert sorted(found) == ['parallel'] and found['parallel']['LUT'] == 1234

    def hardware(wbits, abits):
        figures = fake_hardware(wbits, abits)
        if (wbits, abits) == (2, 4):
            figures['synthesis'] = found
        return figures
    store.build_store(fake_study, hardware=hardware)
    results = store.read_store(fake_study)
    assert results['hardware']['W2A4']['synthesis'] == found
    assert 'synthesis' not in results['hardware']['W1A1']
    rows = list(csv.DictReader(io.StringIO(store.results_csv(results))))
    row = [r for r in rows if r['name'] == 'W2A4-e1-s7'][0]
    assert (row['yosys_LUT'], row['yosys_BRAM_18K'], row['search_LUT']) == ('1234', '7', '')
    assert float(row['LUT']) == 20000 * 2 + 15000 * 4 and row['hardware_source'] == 'estimate'
