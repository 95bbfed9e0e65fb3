"""qnn synthesize: which run of each network is synthesised, resuming, and the command line."""
from __future__ import absolute_import, division

import json
import os


from experiments import synthesis
from qnn.cli import main


def test_networks_are_ordered_by_weight_then_activation_bits(fake_study):
    assert synthesis.study_networks(fake_study) == [
        'W1A1', 'W1A2', 'W1A4', 'W2A1', 'W2A2', 'W2A4', 'W4A1', 'W4A2', 'W4A4']


def test_source_run_is_the_fewest_epochs_with_parameters(fake_study):
    assert os.path.basename(synthesis.source_run(fake_study, 'W2A4')) == 'W2A4-e1-s7'
    os.remove(os.path.join(fake_study, 'runs', 'W2A4-e1-s7', 'params.npz'))
    assert os.path.basename(synthesis.source_run(fake_study, 'W2A4')) == 'W2A4-e3-s7'
    assert synthesis.source_run(fake_study, 'W8A8') is None


def test_study_synthesis_skips_written_records_and_networks_without_runs(fake_study,
                                                                         monkeypatch, capsys):
    calls = []

    def fake_one(study_dir, run_dir, unit, cycles, samples, jobs, progress):
        calls.append((os.path.basename(run_dir), unit, cycles, samples))
        return {'total': {'LUT': 1, 'FF': 2, 'BRAM_18K': 3, 'DSP': 0}, 'yosys_runs': 4,
                'cpu_seconds': 5.0}
    monkeypatch.setattr(synthesis, '_synthesize_one', fake_one)
    path = synthesis.record_path(fake_study, 'W1A1', 'parallel')
    os.makedirs(os.path.dirname(path))
    with open(path, 'w') as handle:
        json.dump({'total': {'LUT': 7}}, handle)
    done = synthesis.synthesize_study(fake_study, ['W1A1', 'W9A9'], samples=2)
    assert calls == [('W1A1-e1-s7', 'search', 512, 2)]
    assert [(n, u, r is not None) for n, u, r in done] == [
        ('W1A1', 'parallel', True), ('W1A1', 'search', True), ('W9A9', 'parallel', False),
        ('W9A9', 'search', False)]
    out = capsys.readouterr().out
    assert 'W1A1 search (yosys-xc7): 1 LUT, 2 FF, 3 BRAM_18K, 0 DSP' in out
    assert 'W9A9: no finished run with parameters, not synthesised' in out


def test_unknown_threshold_unit_is_refused(fake_study, capsys):
    assert main(['synthesize', fake_study, '--units', 'parallel,fast']) == 2
    assert 'unknown threshold unit fast' in capsys.readouterr().err
