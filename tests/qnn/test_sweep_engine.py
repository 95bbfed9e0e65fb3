"""The sweep engine with a stand-in back end: planning, jobs handed as data, skip, --until.

The stand-in's child is a few lines of Python that records the job it read on its standard
input and writes a run folder's metrics, so the engine runs for real (processes, worker slots,
locks) without training anything.
"""
from __future__ import absolute_import, division

import json
import os
import sys

import pytest

from qnn import runs
from qnn.config import make_config
from qnn.sweep import child
from qnn.sweep.backend import SweepBackend
from qnn.sweep.engine import SweepError, summary_line, sweep
from qnn.sweep.plan import is_done, plan_configs, run_dir
from qnn.sweep.theano_backend import THEANO_BACKEND

#: Records its job in job-<n>.json, then writes metrics.json of min(epochs, max_epochs) epochs.
FAKE_CHILD = '''
import json, os, sys
job = json.loads(sys.stdin.read())
folder, config = job['run_dir'], job['config']
if config['seed'] == 666:
    sys.stderr.write('error: refused\\n')
    sys.exit(2)
done = min(config['epochs'], job['max_epochs'] or config['epochs'])
count = len([n for n in os.listdir(folder) if n.startswith('job-')])
with open(os.path.join(folder, 'job-%d.json' % count), 'w') as handle:
    json.dump(job, handle)
epochs = [{'epoch': i, 'val_error': 0.5, 'test_error': 0.5, 'seconds': 0.0} for i in range(done)]
with open(os.path.join(folder, 'metrics.json'), 'w') as handle:
    json.dump({'epochs': epochs, 'finished': done == config['epochs']}, handle)
print('test error 50.00%')
'''


class FakeBackend(SweepBackend):
    """Theano's configuration and names, a child that trains nothing."""

    name = 'fake'
    runs_dir = 'runs-fake'

    def make_config(self, **values):
        return make_config(**values)

    def run_name(self, config):
        return THEANO_BACKEND.run_name(config) + '-fake'

    def child_command(self):
        return [sys.executable, '-c', FAKE_CHILD]


FAKE = FakeBackend()


def _jobs(folder):
    names = sorted(name for name in os.listdir(folder) if name.startswith('job-'))
    records = []
    for name in names:
        with open(os.path.join(folder, name)) as handle:
            records.append(json.load(handle))
    return records


def test_plan_is_the_grid_cheap_budgets_first_with_every_variant():
    configs = plan_configs(FAKE, {'train_size': 500}, [2, 1], [3], [20, 10], [7],
                           [{'lr_start': 1e-3}, {'lr_start': 2e-3}])
    assert [(c['wbits'], c['epochs'], c['lr_start']) for c in configs] == [
        (1, 10, 1e-3), (1, 10, 2e-3), (2, 10, 1e-3), (2, 10, 2e-3),
        (1, 20, 1e-3), (1, 20, 2e-3), (2, 20, 1e-3), (2, 20, 2e-3)]
    assert all(c['train_size'] == 500 and c['abits'] == 3 and c['seed'] == 7 for c in configs)
    bnn_pynq = plan_configs(FAKE, {'schedule': 'bnn-pynq'}, [1], [1], [10, 50, 20], [1, 2])
    assert [(c['epochs'], c['seed']) for c in bnn_pynq] == [(50, 1), (50, 2)]


def test_each_child_reads_its_complete_configuration_as_data(tmpdir):
    study = str(tmpdir)
    configs = plan_configs(FAKE, {'train_size': 300, 'n_hidden_layers': 1}, [1, 2], [2], [1],
                           [5])
    counts = sweep(study, FAKE, configs, data_dir='mnist-here', jobs=2, progress=False,
                   threads=3)
    assert (counts['planned'], counts['skipped'], counts['ran']) == (2, 0, 2)
    for config in configs:
        folder = run_dir(study, FAKE, config)
        assert folder == os.path.join(study, 'runs-fake', 'W%dA2-e1-s5-fake' % config['wbits'])
        (record,) = _jobs(folder)
        assert record == {'run_dir': folder, 'config': config, 'max_epochs': None,
                          'data_dir': 'mnist-here', 'threads': 3}
        assert record['config']['n_hidden_layers'] == 1  # every setting, not a chosen few
        with open(os.path.join(folder, 'train.log')) as handle:
            assert handle.read() == 'test error 50.00%\n'


def test_finished_runs_are_skipped_and_until_goes_on_later(tmpdir):
    study = str(tmpdir)
    configs = plan_configs(FAKE, {}, [1], [1], [4], [1])
    folder = run_dir(study, FAKE, configs[0])
    assert sweep(study, FAKE, configs, progress=False, until=2)['ran'] == 1
    assert is_done(folder, configs[0], until=2) and not runs.is_finished(folder)
    again = sweep(study, FAKE, configs, progress=False, until=2)
    assert (again['skipped'], again['ran']) == (1, 0)
    assert summary_line(again).startswith('1 runs planned, 1 already trained to epoch 2, 0')
    assert sweep(study, FAKE, configs, progress=False)['ran'] == 1
    assert [record['max_epochs'] for record in _jobs(folder)] == [2, None]
    assert sweep(study, FAKE, configs, progress=False)['skipped'] == 1


def test_a_failed_run_names_its_log(tmpdir):
    study = str(tmpdir)
    configs = plan_configs(FAKE, {}, [1], [1], [1], [666, 1])
    with pytest.raises(SweepError) as error:
        sweep(study, FAKE, configs, progress=False)
    message = str(error.value)
    assert message.startswith('1 of 2 runs failed') and 'W1A1-e1-s666-fake' in message
    assert os.path.join('W1A1-e1-s666-fake', 'train.log') in message
    assert [c['seed'] for c in configs] == [1, 666]
    assert runs.is_finished(run_dir(study, FAKE, configs[0]))  # the other run went on


def test_a_job_is_read_back_exactly_or_refused():
    config = make_config(wbits=3, lr_start=1e-3)
    record = child.job('runs/x', config, max_epochs=2, data_dir=None, threads=None)
    assert child.read_job(json.dumps(record)) == record
    assert child.read_job(json.dumps(record))['config'] == config  # floats survive JSON
    for bad in ('{', '[]', json.dumps(dict(record, extra=1)), json.dumps(dict(record, config=1))):
        with pytest.raises(child.JobError):
            child.read_job(bad)


def test_the_child_main_trains_once_and_refuses_in_one_line(capsys):
    calls = []

    def train(run_dir, **keywords):
        calls.append((run_dir, keywords))
        if keywords['wbits'] == 8:
            raise runs.RunError('runs/x is being trained\nby another process')
        return runs.summarize([{'val_error': 0.25, 'test_error': 0.5, 'seconds': 1.0}], True)

    record = child.job('runs/x', {'wbits': 2, 'epochs': 1}, 1, 'data', 4)
    assert child.run_child(train, options=('threads',), text=json.dumps(record)) == 0
    assert calls == [('runs/x', {'wbits': 2, 'epochs': 1, 'threads': 4, 'data_dir': 'data',
                                 'progress': False, 'max_epochs': 1})]
    assert capsys.readouterr().out.startswith('test error 50.00% at best-validation epoch 1')
    record['config']['wbits'] = 8
    assert child.run_child(train, text=json.dumps(record)) == 2
    assert capsys.readouterr().err == 'error: runs/x is being trained by another process\n'
