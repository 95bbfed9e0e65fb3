"""Study folders: the sweep plan, study.json shared with qnn's sweep, and the comparison."""
import json
import os

import numpy as np
import pytest

torch = pytest.importorskip('torch')
pytest.importorskip('brevitas')

from brevitas_helpers import run_in_main_env  # noqa: E402
from qnn import runs  # noqa: E402

from qnn import compare  # noqa: E402
from qnn_brevitas import sweep  # noqa: E402
from qnn_brevitas.cli import main  # noqa: E402
from qnn_brevitas.config import ConfigError, make_config, run_name  # noqa: E402


def test_parse_lists_and_settings():
    assert sweep.parse_int_list('1..3,8') == [1, 2, 3, 8]
    assert sweep.parse_settings('brevitas, paper') == ['paper', 'brevitas']
    for bad in ('x', '', '0..2'):
        with pytest.raises(sweep.StudyError):
            sweep.parse_int_list(bad, 1, 8)
    with pytest.raises(sweep.StudyError, match='quantizer settings'):
        sweep.parse_settings('paper,finn')


def test_plan_names_and_folders():
    configs = sweep.plan_runs([1, 2], [2], [3, 1], [7], ['paper', 'brevitas'],
                              {'train_size': 500})
    names = [run_name(c) for c in configs]
    assert names[:2] == ['W1A2-e1-s7-paper', 'W1A2-e1-s7-brevitas'] and len(names) == 8
    assert sweep.run_dir('study', configs[0]) == os.path.join('study', 'runs-brevitas',
                                                              'W1A2-e1-s7-paper')
    assert run_name(make_config(act_quant='brevitas')) == 'W1A1-e10-s1234-wpaper-abrevitas'


def test_config_errors_name_the_value():
    with pytest.raises(ConfigError, match='wbits must be an integer in 1..8, got 9'):
        make_config(wbits=9)
    with pytest.raises(ConfigError, match='weight_quant'):
        make_config(weight_quant='finn')
    with pytest.raises(ConfigError, match='unknown configuration keys: colour'):
        make_config(colour=1)


def test_study_file_is_read_and_refused_as_qnns(tmp_path):
    study = str(tmp_path / 'study')
    settings = sweep.load_or_create_study(study, {'train_size': 500, 'num_units': None})
    assert settings['train_size'] == 500 and settings['num_units'] == 1024
    assert sweep.load_or_create_study(study, {'train_size': 500}) == settings
    with pytest.raises(sweep.StudyError, match='train_size=500'):
        sweep.load_or_create_study(study, {'train_size': 600})


_QNN_STUDY = '''
import json, sys
from experiments.plan import load_or_create_study
print(json.dumps(load_or_create_study(sys.argv[1], {'train_size': int(sys.argv[2])})))
'''


def test_study_file_is_interchangeable_with_qnn_sweep(tmp_path):
    ours, theirs = str(tmp_path / 'ours'), str(tmp_path / 'theirs')
    created = sweep.load_or_create_study(ours, {'train_size': 700})
    assert json.loads(run_in_main_env(_QNN_STUDY, ours, '700')) == created
    qnn_created = json.loads(run_in_main_env(_QNN_STUDY, theirs, '800'))
    assert sweep.load_or_create_study(theirs, {'train_size': 800}) == qnn_created


def _fake_run(folder, config, test_errors, seconds):
    os.makedirs(folder)
    runs.write_json(os.path.join(folder, runs.CONFIG), config)
    epochs = [{'epoch': i, 'val_error': e, 'test_error': e, 'seconds': seconds, 'lr': 1e-3,
               'train_loss': 1.0} for i, e in enumerate(test_errors)]
    best = int(np.argmin(test_errors))
    runs.write_json(os.path.join(folder, runs.METRICS), {
        'epochs': epochs, 'finished': True, 'best_epoch': best,
        'best_val_error': test_errors[best], 'test_error': test_errors[best],
        'train_seconds': seconds * len(test_errors)})


@pytest.fixture
def fake_study(tmp_path):
    study = str(tmp_path / 'study')
    for wbits, abits, seed, error in ((1, 1, 1, 0.10), (1, 1, 2, 0.12), (2, 4, 1, 0.08)):
        base = {'wbits': wbits, 'abits': abits, 'epochs': 2, 'seed': seed}
        _fake_run(os.path.join(study, 'runs', 'W%dA%d-e2-s%d' % (wbits, abits, seed)), base,
                  [0.2, error], 6.0)
        for setting, delta, seconds in (('paper', 0.01, 3.0), ('brevitas', -0.02, 2.0)):
            config = dict(base, backend='brevitas', weight_quant=setting, act_quant=setting)
            _fake_run(os.path.join(study, 'runs-brevitas', run_name(make_config(**config))),
                      config, [0.3, error + delta], seconds)
    os.makedirs(os.path.join(study, 'runs', 'W9A9-unfinished'))
    return study


def test_comparison_table_and_figure(fake_study):
    result = compare.write_comparison(fake_study)
    assert result['flows'] == ['theano', 'brevitas-brevitas', 'brevitas-paper']
    first = result['rows'][0]
    assert (first['network'], first['epochs'], first['theano:seeds']) == ('W1A1', 2, 2)
    assert first['theano:test_error'] == pytest.approx(0.11)
    assert first['brevitas-paper:test_error'] == pytest.approx(0.12)
    assert first['brevitas-brevitas:seconds_per_epoch'] == pytest.approx(2.0)
    names = [os.path.basename(p) for p in result['paths']]
    assert names == ['compare.csv', 'compare.md', 'compare.png', 'compare.pdf']
    folder = os.path.join(fake_study, 'compare')
    with open(os.path.join(folder, 'compare.md')) as handle:
        text = handle.read()
    assert '| W1A1 | 2 | 11.00 | 9.00 | 12.00 | -2.00 | +1.00 | 6.00 | 2.00 | 3.00 |' in text
    with open(os.path.join(folder, 'compare.csv')) as handle:
        header = handle.readline().strip().split(',')
    assert header[:5] == ['network', 'wbits', 'abits', 'epochs', 'theano:test_error']
    with open(os.path.join(folder, 'compare.png'), 'rb') as handle:
        assert handle.read(8) == b'\x89PNG\r\n\x1a\n'


def test_compare_cli_and_empty_study(fake_study, tmp_path, capsys):
    assert main(['compare', fake_study, '--no-plot']) == 0
    assert '| W2A4 | 2 |' in capsys.readouterr().out
    assert main(['compare', str(tmp_path / 'missing')]) == 2
    assert 'does not exist' in capsys.readouterr().err
    os.makedirs(str(tmp_path / 'empty'))
    assert main(['compare', str(tmp_path / 'empty')]) == 2
    assert 'no finished run' in capsys.readouterr().err


def test_sweep_cli_trains_skips_and_compares(tmp_path, mnist_dir, capsys):
    study = str(tmp_path / 'study')
    args = ['sweep', '--wbits', '2', '--abits', '1,2', '--epochs', '1', '--train-size', '200',
            '--num-units', '16', '--weight-quant', 'paper', '--no-progress', '--data-dir',
            mnist_dir, '--out', study]
    assert main(args) == 0
    assert '2 runs planned, 0 already finished, 2 trained' in capsys.readouterr().out
    assert sorted(os.listdir(os.path.join(study, 'runs-brevitas'))) == [
        'W2A1-e1-s1234-paper', 'W2A2-e1-s1234-paper']
    assert main(args) == 0
    assert '2 already finished, 0 trained' in capsys.readouterr().out
    assert os.path.isfile(os.path.join(study, 'compare', 'compare.pdf'))
    assert main(args[:-2] + ['--train-size', '300', '--out', study]) == 2
