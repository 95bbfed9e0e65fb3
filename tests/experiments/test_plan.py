"""Planning a study: grids, names, profiles, settings that must not change."""
from __future__ import absolute_import

import os

import pytest

from experiments import plan
from qnn.study import STUDY_FILE, RunSpec, StudyError, parse_int_list, plan_runs, study_settings
from qnn import runs


def test_paper_grid_is_64_networks_times_5_budgets():
    profile = plan.PROFILES['paper']
    specs = plan_runs(profile['wbits'], profile['abits'], profile['epochs'],
                           profile['seeds'])
    assert len(specs) == 320
    assert len({s.network for s in specs}) == 64
    assert sum(s.epochs for s in specs) == 64 * (10 + 20 + 30 + 50 + 100) == 13440
    assert specs[0] == RunSpec(1, 1, 10, 1234) and specs[0].name == 'W1A1-e10-s1234'
    assert [s.epochs for s in specs] == sorted(s.epochs for s in specs)


@pytest.mark.parametrize('text, expected', [('1..8', list(range(1, 9))), ('4,1,2,2', [1, 2, 4]),
                                            ('1..2,8', [1, 2, 8])])
def test_parse_int_list(text, expected):
    assert parse_int_list(text) == expected


@pytest.mark.parametrize('text', ['', 'a', '1..x', '0..3'])
def test_parse_int_list_rejects(text):
    with pytest.raises(StudyError) as error:
        parse_int_list(text, 1, 8)
    assert repr(text) in str(error.value)


def test_study_settings_are_fixed_once_planned(tmpdir):
    study = str(tmpdir.join('s'))
    settings = plan.load_or_create_study(study, {'train_size': 2000})
    assert settings['train_size'] == 2000 and settings['num_units'] == 1024
    assert plan.load_or_create_study(study, {}) == settings
    assert plan.load_or_create_study(study, {'train_size': 2000, 'num_units': 1024}) == settings
    with pytest.raises(StudyError) as error:
        plan.load_or_create_study(study, {'train_size': 3000})
    assert 'train_size=2000' in str(error.value)


def test_unknown_or_bad_setting_rejected(tmpdir):
    with pytest.raises(StudyError):
        study_settings(lr_start=1.0)
    with pytest.raises(ValueError):
        plan.load_or_create_study(str(tmpdir.join('s')), {'train_size': 0})


def test_bnn_pynq_schedule_plans_one_run_per_network_of_the_largest_budget():
    profile = plan.PROFILES['paper']
    specs = plan_runs(profile['wbits'], profile['abits'], profile['epochs'],
                           profile['seeds'], 'bnn-pynq')
    assert len(specs) == 64 and {s.epochs for s in specs} == {100}
    assert sum(s.epochs for s in specs) == 6400  # vs 13 440 for one run per budget


def test_readouts_accumulate_and_old_study_files_read_as_budget(tmpdir):
    study = str(tmpdir.join('s'))
    plan.load_or_create_study(study, {'schedule': 'bnn-pynq'}, [10, 20])
    plan.load_or_create_study(study, {}, [50, 10])
    assert plan.read_study(study) == {
        'settings': study_settings(schedule='bnn-pynq'), 'readouts': [10, 20, 50],
        'hardware': {'cycles': 512}}
    old = str(tmpdir.mkdir('old'))
    runs.write_json(os.path.join(old, STUDY_FILE), {'settings': {'train_size': 1000}})
    assert plan.read_study(old) == {'settings': {'train_size': 1000, 'schedule': 'budget'},
                                    'readouts': [], 'hardware': {'cycles': 512}}
    with pytest.raises(StudyError) as error:
        plan.load_or_create_study(old, {'schedule': 'bnn-pynq'})
    assert "schedule='budget'" in str(error.value)


def test_target_cycles_are_fixed_in_study_json(tmpdir):
    study = str(tmpdir.join('s'))
    plan.load_or_create_study(study, {}, cycles=1024)
    record = runs.read_json(os.path.join(study, STUDY_FILE))
    assert record['hardware'] == {'cycles': 1024}
    plan.load_or_create_study(study, {}, [10])                  # resumed: keeps 1024
    plan.load_or_create_study(study, {}, cycles=1024)
    assert plan.read_study(study)['hardware'] == {'cycles': 1024}
    with pytest.raises(StudyError) as error:
        plan.load_or_create_study(study, {}, cycles=512)
    assert str(error.value) == '%s was planned with --cycles 1024; use another study folder ' \
        'for other settings' % study
    with pytest.raises(StudyError) as error:
        plan.load_or_create_study(str(tmpdir.join('t')), {}, cycles=0)
    assert '--cycles must be a positive integer, got 0' in str(error.value)


def test_a_refused_target_writes_no_study(tmpdir):
    from experiments.hardware import check_cycles
    study = str(tmpdir.join('s'))
    # 8-bit weights: SIMD <= 8, LFC's last layer needs >= 1024 / 8 x 64 / 64 = 128 cycles
    with pytest.raises(StudyError) as error:
        plan.load_or_create_study(study, {}, cycles=100, check=lambda settings, cycles:
                                  check_cycles([1, 8], [3], settings, cycles))
    assert str(error.value) == '--cycles 100: no folding of 784-1024-1024-1024-10 with 8-bit ' \
        'weights reaches 100 cycles per image; the fastest takes 128'
    assert not os.path.exists(study)
    plan.load_or_create_study(study, {}, cycles=128, check=lambda settings, cycles:
                              check_cycles([1, 8], [3], settings, cycles))
    assert plan.read_study(study)['hardware'] == {'cycles': 128}


def test_cli_sweep_refuses_unreachable_cycles_before_anything_is_written(tmpdir, capsys):
    from qnn.cli import main
    study = str(tmpdir.join('s'))
    code = main(['sweep', '--wbits', '8', '--abits', '2', '--epochs', '1', '--cycles', '64',
                 '--no-progress', '--out', study])
    captured = capsys.readouterr()
    assert code == 2 and 'Traceback' not in captured.err
    assert captured.err.strip().endswith(
        '--cycles 64: no folding of 784-1024-1024-1024-10 with 8-bit weights reaches 64 cycles '
        'per image; the fastest takes 128')
    assert len(captured.err.strip().split('\n')) == 1
    assert not os.path.exists(study)
