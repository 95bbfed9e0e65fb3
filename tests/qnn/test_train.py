"""Training end to end on real MNIST: accuracy, determinism, resume, refusals, CLI errors."""
from __future__ import absolute_import, division

import os

import numpy as np
import pytest

from qnn import runs
from qnn.cli import main
from qnn.config import ConfigError, config_from_record, make_config
from qnn.data.mnist import DataError, load_mnist
from qnn.evaluate import evaluate_run
from qnn.train import epoch_seed, learning_rate, train
from qnn.training_version import TRAINING_VERSION, TrainingVersionError

SMALL = dict(num_units=64, train_size=1000, epochs=2)


@pytest.fixture(scope='module')
def mnist(mnist_dir):
    return load_mnist(mnist_dir, binarize=True)


def _params(run_dir):
    return runs.load_arrays(os.path.join(run_dir, runs.PARAMS))


def _identical(first, second):
    return sorted(first) == sorted(second) and all(
        first[name].dtype == second[name].dtype and np.array_equal(first[name], second[name])
        for name in first)


def test_learning_rate_schedule_spans_the_budget():
    config = make_config(epochs=1000)
    assert learning_rate(config, 0) == pytest.approx(3e-3)
    assert learning_rate(config, 1) / learning_rate(config, 0) == pytest.approx(0.990832, 1e-6)
    assert learning_rate(make_config(epochs=10), 10) == pytest.approx(3e-7)


def test_epoch_seeds_differ_by_purpose_and_epoch():
    seeds = {epoch_seed(1234, purpose, epoch) for purpose in ('shuffle', 'dropout')
             for epoch in range(5)}
    assert len(seeds) == 10


def test_cli_train_w2a2_one_epoch(tmpdir, mnist_dir):
    """The foundation's acceptance run: < 15 % test error, bit-identical when repeated."""
    outs = [str(tmpdir.join(name)) for name in ('a', 'b')]
    for out in outs:
        code = main(['train', '--wbits', '2', '--abits', '2', '--epochs', '1',
                     '--train-size', '10000', '--data-dir', mnist_dir, '--no-progress',
                     '--out', out])
        assert code == 0
    metrics = runs.read_metrics(outs[0])
    assert metrics['finished'] and metrics['test_error'] < 0.15
    assert _identical(_params(outs[0]), _params(outs[1]))
    assert evaluate_run(outs[0], mnist_dir) == metrics['test_error']
    config = runs.read_config(outs[0])
    assert config['wbits'] == 2 and config['seed'] == 1234
    assert set(config['software']) >= {'python', 'numpy', 'theano', 'lasagne', 'qnn'}
    assert len(metrics['epochs']) == 1 and metrics['epochs'][0]['seconds'] > 0


def test_resume_after_interruption_gives_the_same_bits(tmpdir, mnist):
    straight, resumed = str(tmpdir.join('straight')), str(tmpdir.join('resumed'))
    train(straight, data=mnist, progress=False, wbits=3, abits=2, **SMALL)

    class Interrupted(Exception):
        pass

    def interrupt(record):
        raise Interrupted()

    with pytest.raises(Interrupted):
        train(resumed, data=mnist, progress=False, on_epoch_end=interrupt, wbits=3, abits=2,
              **SMALL)
    assert not runs.is_finished(resumed)
    assert len(runs.read_metrics(resumed)['epochs']) == 1
    train(resumed, data=mnist, progress=False, wbits=3, abits=2, **SMALL)
    assert _identical(_params(straight), _params(resumed))
    first, second = runs.read_metrics(straight), runs.read_metrics(resumed)
    assert [e['val_error'] for e in first['epochs']] == [e['val_error'] for e in second['epochs']]


def test_other_seed_gives_other_params(tmpdir, mnist):
    one, two = str(tmpdir.join('one')), str(tmpdir.join('two'))
    train(one, data=mnist, progress=False, wbits=1, abits=1, seed=1, **SMALL)
    train(two, data=mnist, progress=False, wbits=1, abits=1, seed=2, **SMALL)
    assert not _identical(_params(one), _params(two))


def test_refuses_finished_or_different_run(tmpdir, mnist, capsys):
    out = str(tmpdir.join('run'))
    train(out, data=mnist, progress=False, wbits=1, abits=2, **dict(SMALL, epochs=1))
    with pytest.raises(runs.RunError) as error:
        train(out, data=mnist, progress=False, wbits=1, abits=2, **dict(SMALL, epochs=1))
    assert 'finished' in str(error.value)
    with pytest.raises(runs.RunError) as error:
        train(out, data=mnist, progress=False, wbits=4, abits=2, **dict(SMALL, epochs=1))
    assert 'wbits' in str(error.value)


@pytest.mark.parametrize('argv, message', [
    (['--wbits', '0', '--abits', '2'], 'wbits must be an integer in 1..8, got 0'),
    (['--wbits', '2', '--abits', '9'], 'abits must be an integer in 1..8, got 9'),
    (['--wbits', '2', '--abits', '2', '--train-size', '60000'], 'train_size'),
])
def test_cli_rejects_bad_values(tmpdir, capsys, argv, message):
    out = str(tmpdir.join('run'))
    assert main(['train', '--epochs', '1', '--out', out] + argv) == 2
    assert message in capsys.readouterr().err
    assert not os.path.exists(out)


def test_cli_reports_missing_data(tmpdir, capsys):
    empty = str(tmpdir.mkdir('empty'))
    code = main(['train', '--wbits', '1', '--abits', '1', '--epochs', '1', '--data-dir', empty,
                 '--out', str(tmpdir.join('run'))])
    assert code == 2
    err = capsys.readouterr().err
    assert empty in err and "qnn data download" in err
    assert not os.path.exists(str(tmpdir.join("run")))


def test_cli_evaluate_missing_run(tmpdir, capsys):
    assert main(['evaluate', str(tmpdir.join('nothing'))]) == 2
    assert 'nothing' in capsys.readouterr().err


def test_verify_detects_identical_and_tampered_runs(tmpdir, mnist, mnist_dir, capsys):
    out = str(tmpdir.join('run'))
    train(out, data=mnist, progress=False, wbits=2, abits=1, **SMALL)
    assert main(['verify', out, '--data-dir', mnist_dir, '--no-progress']) == 0
    assert 'bit-identical: 2 epochs' in capsys.readouterr().out
    metrics = runs.read_metrics(out)
    metrics['epochs'][1]['params_sha256'] = '0' * 64
    runs.write_json(os.path.join(out, runs.METRICS), metrics)
    assert main(['verify', out, '--epochs', '1', '--data-dir', mnist_dir, '--no-progress']) == 0
    assert main(['verify', out, '--data-dir', mnist_dir, '--no-progress']) == 1
    assert 'first differ after epoch 2 of 2' in capsys.readouterr().out


def test_verify_a_committed_record_without_parameters_and_refuse_another_version(
        tmpdir, mnist, mnist_dir, capsys):
    out = str(tmpdir.join('run'))
    train(out, data=mnist, progress=False, wbits=2, abits=1, **SMALL)
    os.remove(os.path.join(out, runs.PARAMS))  # as a study's committed record has it
    os.remove(os.path.join(out, runs.CHECKPOINT))
    assert main(['verify', out, '--data-dir', mnist_dir, '--no-progress']) == 0
    assert 'bit-identical: 2 epochs' in capsys.readouterr().out
    config = runs.read_config(out)
    config['software']['training_version'] = TRAINING_VERSION - 1
    runs.write_json(os.path.join(out, runs.CONFIG), config)
    assert main(['verify', out, '--data-dir', mnist_dir, '--no-progress']) == 2
    assert 'was trained by training version %d, this qnn trains training version %d' % (
        TRAINING_VERSION - 1, TRAINING_VERSION) in capsys.readouterr().err


def test_a_checkpoint_of_another_training_version_is_not_resumed(tmpdir, mnist):
    out = str(tmpdir.join('run'))
    train(out, data=mnist, progress=False, max_epochs=1, wbits=1, abits=1, **SMALL)
    config = runs.read_config(out)
    assert config['software']['training_version'] == TRAINING_VERSION
    config['software']['training_version'] = TRAINING_VERSION + 1
    runs.write_json(os.path.join(out, runs.CONFIG), config)
    with pytest.raises(TrainingVersionError) as error:
        train(out, data=mnist, progress=False, wbits=1, abits=1, **SMALL)
    assert str(error.value).startswith('%s was trained by training version %d' % (
        out, TRAINING_VERSION + 1))
    assert len(runs.read_metrics(out)['epochs']) == 1  # untouched


def test_max_epochs_stops_a_run_unfinished(tmpdir, mnist):
    out = str(tmpdir.join('run'))
    summary = train(out, data=mnist, progress=False, max_epochs=1, wbits=1, abits=1, **SMALL)
    assert not summary['finished'] and len(summary['epochs']) == 1
    assert not runs.is_finished(out)


def test_bnn_pynq_schedule_decays_over_1000_epochs_whatever_the_run_length():
    short = make_config(epochs=10, schedule='bnn-pynq')
    long_ = make_config(epochs=100, schedule='bnn-pynq')
    assert [learning_rate(short, e) for e in range(10)] == \
        [learning_rate(long_, e) for e in range(10)]
    # (3e-7 / 3e-3) ** (10 / 1000) = 10 ** -0.04
    assert learning_rate(short, 10) == pytest.approx(3e-3 * 10 ** -0.04)
    assert learning_rate(long_, 1000) == pytest.approx(3e-7)
    assert learning_rate(make_config(epochs=10), 10) == pytest.approx(3e-7)


def test_defaults_are_binarised_inputs_and_a_known_schedule():
    config = make_config()
    assert config['binarize_input'] is True and config['schedule'] in ('budget', 'bnn-pynq')
    with pytest.raises(ConfigError) as error:
        make_config(schedule='cosine')
    assert "schedule must be one of budget, bnn-pynq, got 'cosine'" in str(error.value)


def test_runs_written_before_the_schedule_key_read_as_budget():
    record = dict(make_config(wbits=3), software={})
    del record['schedule']
    assert config_from_record(record)['schedule'] == 'budget'


def test_bnn_pynq_run_is_a_prefix_of_a_longer_one_and_resumes_exactly(tmpdir, mnist):
    settings = dict(SMALL, wbits=2, abits=2, schedule='bnn-pynq')
    two = str(tmpdir.join('two'))
    train(two, data=mnist, progress=False, **dict(settings, epochs=2))
    three = str(tmpdir.join('three'))
    summary = train(three, data=mnist, progress=False, max_epochs=2, **dict(settings, epochs=3))
    assert not summary['finished']
    digests = [e['params_sha256'] for e in runs.read_metrics(two)['epochs']]
    assert [e['params_sha256'] for e in summary['epochs']] == digests
    train(three, data=mnist, progress=False, **dict(settings, epochs=3))
    straight = str(tmpdir.join('straight'))
    train(straight, data=mnist, progress=False, **dict(settings, epochs=3))
    assert [e['params_sha256'] for e in runs.read_metrics(three)['epochs']] == \
        [e['params_sha256'] for e in runs.read_metrics(straight)['epochs']]
    assert _identical(_params(three), _params(straight))


def test_data_loaded_with_another_input_encoding_is_refused(tmpdir, mnist_dir):
    out = str(tmpdir.join('run'))
    with pytest.raises(DataError) as error:
        train(out, data=load_mnist(mnist_dir), progress=False, wbits=1, abits=1, **SMALL)
    assert '8-bit pixel inputs' in str(error.value) and 'binarize=True' in str(error.value)
    assert not os.path.exists(out)


def test_cli_pixel_input_and_schedule_are_recorded(tmpdir, mnist_dir, capsys):
    out = str(tmpdir.join('run'))
    assert main(['train', '--wbits', '1', '--abits', '2', '--epochs', '3', '--pixel-input',
                 '--schedule', 'bnn-pynq', '--stop-after', '1', '--num-units', '32',
                 '--train-size', '500', '--data-dir', mnist_dir, '--no-progress',
                 '--out', out]) == 0
    assert 'stopped after epoch 1 of 3' in capsys.readouterr().out
    config = runs.read_config(out)
    assert config['binarize_input'] is False and config['schedule'] == 'bnn-pynq'
    assert main(['train', '--wbits', '1', '--abits', '2', '--epochs', '3', '--stop-after', '0',
                 '--out', str(tmpdir.join('other'))]) == 2
    assert 'stop after must be an integer >= 1' in capsys.readouterr().err
