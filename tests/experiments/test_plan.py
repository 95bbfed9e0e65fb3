"""Planning a study: grids, names, profiles, settings that must not change."""
from __future__ import absolute_import

import os

import pytest

from experiments import plan
from qnn import runs


def test_paper_grid_is_64_networks_times_5_budgets():
    profile = plan.PROFILES['paper']
    specs = plan.plan_runs(profile['wbits'], profile['abits'], profile['epochs'],
                           profile['seeds'])
    assert len(specs) == 320
    assert len({s.network for s in specs}) == 64
    assert sum(s.epochs for s in specs) == 64 * (10 + 20 + 30 + 50 + 100) == 13440
    assert specs[0] == plan.RunSpec(1, 1, 10, 1234) and specs[0].name == 'W1A1-e10-s1234'
    assert [s.epochs for s in specs] == sorted(s.epochs for s in specs)


@pytest.mark.parametrize('text, expected', [('1..8', list(range(1, 9))), ('4,1,2,2', [1, 2, 4]),
                                            ('1..2,8', [1, 2, 8])])
def test_parse_int_list(text, expected):
    assert plan.parse_int_list(text) == expected


@pytest.mark.parametrize('text', ['', 'a', '1..x', '0..3'])
def test_parse_int_list_rejects(text):
    with pytest.raises(plan.StudyError) as error:
        plan.parse_int_list(text, 1, 8)
    assert repr(text) in str(error.value)


def test_study_settings_are_fixed_once_planned(tmpdir):
    study = str(tmpdir.join('s'))
    settings = plan.load_or_create_study(study, {'train_size': 2000})
    assert settings['train_size'] == 2000 and settings['num_units'] == 1024
    assert plan.load_or_create_study(study, {}) == settings
    assert plan.load_or_create_study(study, {'train_size': 2000, 'num_units': 1024}) == settings
    with pytest.raises(plan.StudyError) as error:
        plan.load_or_create_study(study, {'train_size': 3000})
    assert 'train_size=2000' in str(error.value)


def test_unknown_or_bad_setting_rejected(tmpdir):
    with pytest.raises(plan.StudyError):
        plan.study_settings(lr_start=1.0)
    with pytest.raises(ValueError):
        plan.load_or_create_study(str(tmpdir.join('s')), {'train_size': 0})


def test_bnn_pynq_schedule_plans_one_run_per_network_of_the_largest_budget():
    profile = plan.PROFILES['paper']
    specs = plan.plan_runs(profile['wbits'], profile['abits'], profile['epochs'],
                           profile['seeds'], 'bnn-pynq')
    assert len(specs) == 64 and {s.epochs for s in specs} == {100}
    assert sum(s.epochs for s in specs) == 6400  # vs 13 440 for one run per budget


def test_readouts_accumulate_and_old_study_files_read_as_budget(tmpdir):
    study = str(tmpdir.join('s'))
    plan.load_or_create_study(study, {'schedule': 'bnn-pynq'}, [10, 20])
    plan.load_or_create_study(study, {}, [50, 10])
    assert plan.read_study(study) == {
        'settings': plan.study_settings(schedule='bnn-pynq'), 'readouts': [10, 20, 50]}
    old = str(tmpdir.mkdir('old'))
    runs.write_json(os.path.join(old, plan.STUDY_FILE), {'settings': {'train_size': 1000}})
    assert plan.read_study(old) == {'settings': {'train_size': 1000, 'schedule': 'budget'},
                                    'readouts': []}
    with pytest.raises(plan.StudyError) as error:
        plan.load_or_create_study(old, {'schedule': 'bnn-pynq'})
    assert "schedule='budget'" in str(error.value)
