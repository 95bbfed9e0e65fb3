"""qnn.backends: ``qnn train/sweep --backend brevitas`` run ``python -m qnn_brevitas`` elsewhere.

A fake interpreter (a script that records its argv and exits with a chosen status) stands in
for the Brevitas environment: the expected command lines are written out by hand from
``python -m qnn_brevitas train/sweep --help``.
"""
from __future__ import absolute_import, division, print_function

import json
import os
import stat
import subprocess
import sys

import pytest

from qnn import backends
from qnn.cli import main
from qnn_brevitas.cli import build_parser as brevitas_parser

FAKE_PYTHON = '''#!%s
import json, os, sys
with open(os.environ['FAKE_ARGV'], 'w') as handle:
    json.dump(sys.argv[1:], handle)
sys.exit(int(os.environ.get('FAKE_STATUS', '0')))
'''


@pytest.fixture
def fake_python(tmpdir, monkeypatch):
    """(path of the fake interpreter, function returning the argv it was last called with)."""
    script = tmpdir.join('python')
    script.write(FAKE_PYTHON % sys.executable)
    os.chmod(str(script), os.stat(str(script)).st_mode | stat.S_IXUSR)
    record = str(tmpdir.join('argv.json'))
    monkeypatch.setenv('FAKE_ARGV', record)
    monkeypatch.delenv(backends.BREVITAS_PYTHON_ENV, raising=False)

    def recorded():
        with open(record) as handle:
            return json.load(handle)
    return str(script), recorded


@pytest.fixture
def no_brevitas_env(tmpdir, monkeypatch):
    """Neither $QNN_BREVITAS_PYTHON nor a .venv-brevitas in the repository or the cwd."""
    monkeypatch.delenv(backends.BREVITAS_PYTHON_ENV, raising=False)
    monkeypatch.setattr(backends, '_REPO', str(tmpdir.mkdir('repo')))
    monkeypatch.chdir(str(tmpdir.mkdir('cwd')))


def test_train_forwards_every_given_option(fake_python, capsys):
    python, recorded = fake_python
    status = main(['train', '--backend', 'brevitas', '--brevitas-python', python,
                   '--wbits', '2', '--abits', '4', '--epochs', '3', '--seed', '7',
                   '--pixel-input', '--train-size', '500', '--schedule', 'bnn-pynq',
                   '--weight-quant', 'brevitas', '--threads', '2', '--no-progress',
                   '--out', 'runs/W2A4'])
    assert status == 0
    assert recorded() == ['-m', 'qnn_brevitas', 'train', '--wbits', '2', '--abits', '4',
                          '--epochs', '3', '--seed', '7', '--weight-quant', 'brevitas',
                          '--train-size', '500', '--schedule', 'bnn-pynq', '--pixel-input',
                          '--threads', '2', '--no-progress', '--out', 'runs/W2A4']
    # and qnn_brevitas's own parser reads them as given (it imports no torch)
    parsed = brevitas_parser().parse_args(recorded()[2:])
    assert (parsed.wbits, parsed.abits, parsed.epochs, parsed.seed) == (2, 4, 3, 7)
    assert (parsed.binarize_input, parsed.train_size, parsed.weight_quant) == \
        (False, 500, 'brevitas')


def test_exit_status_and_verbose_pass_through(fake_python, monkeypatch):
    python, recorded = fake_python
    monkeypatch.setenv('FAKE_STATUS', '3')
    monkeypatch.setenv(backends.BREVITAS_PYTHON_ENV, python)
    assert main(['-v', 'train', '--backend', 'brevitas', '--wbits', '1', '--abits', '1',
                 '--epochs', '1', '--binarize-input', '--out', 'r']) == 3
    assert recorded() == ['-m', 'qnn_brevitas', '-v', 'train', '--wbits', '1', '--abits', '1',
                          '--epochs', '1', '--binarize-input', '--out', 'r']


def test_missing_environment_is_one_line_naming_make_brevitas_env(no_brevitas_env, capsys):
    status = main(['train', '--backend', 'brevitas', '--wbits', '1', '--abits', '1',
                   '--epochs', '1', '--out', 'r'])
    err = capsys.readouterr().err
    assert status == 2 and err.count('\n') == 1
    assert err.startswith('qnn train: error: ') and '`make brevitas-env`' in err


@pytest.mark.parametrize('given', ['--brevitas-python', 'env'])
def test_given_interpreter_that_is_not_there(no_brevitas_env, tmpdir, monkeypatch, capsys,
                                             given):
    missing = str(tmpdir.join('nowhere', 'python'))
    argv = ['sweep', '--backend', 'brevitas', '--wbits', '1', '--abits', '1', '--epochs', '1',
            '--out', str(tmpdir.join('study'))]
    if given == 'env':
        monkeypatch.setenv(backends.BREVITAS_PYTHON_ENV, missing)
    else:
        argv[3:3] = ['--brevitas-python', missing]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and missing in err and '`make brevitas-env`' in err
    assert not os.path.exists(str(tmpdir.join('study')))


def test_environment_of_the_repository_is_found(no_brevitas_env, fake_python):
    python, recorded = fake_python
    venv_bin = os.path.join(backends._REPO, '.venv-brevitas', 'bin')
    os.makedirs(venv_bin)
    os.symlink(python, os.path.join(venv_bin, 'python'))
    assert backends.find_brevitas_python() == os.path.join(venv_bin, 'python')


@pytest.mark.parametrize('argv, flag', [
    (['train', '--weight-quant', 'paper'], '--weight-quant'),
    (['train', '--brevitas-python', 'python3'], '--brevitas-python'),
    (['sweep', '--backend', 'brevitas', '--cycles', '256'], '--cycles'),
    (['sweep', '--threads', '2'], '--threads'),
    (['sweep', '--act-quant', 'paper', '--pixel-input'], '--act-quant'),
])
def test_options_of_the_other_back_end_are_refused(fake_python, tmpdir, capsys, argv, flag):
    python, _ = fake_python
    base = {'train': ['--wbits', '1', '--abits', '1', '--epochs', '1'], 'sweep': []}[argv[0]]
    out = str(tmpdir.join('out'))
    assert main(argv + base + ['--brevitas-python', python, '--out', out]
                if '--backend' in argv else argv + base + ['--out', out]) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and flag in err and 'back end' in err
    assert not os.path.exists(out) and not os.path.exists(os.environ['FAKE_ARGV'])


def test_sweep_forwards_the_grid_and_fills_it_from_the_profile(fake_python):
    python, recorded = fake_python
    assert main(['sweep', '--backend', 'brevitas', '--brevitas-python', python, '--quick',
                 '--abits', '1,2', '--weight-quant', 'paper', '--no-report',
                 '--out', 'studies/q']) == 0
    # --quick: W in 1,2,4,8, epochs 1 and 2, seed 1234, 5000 training images
    assert recorded() == ['-m', 'qnn_brevitas', 'sweep', '--wbits', '1,2,4,8',
                          '--abits', '1,2', '--epochs', '1,2', '--seeds', '1234',
                          '--weight-quant', 'paper', '--train-size', '5000', '--no-compare',
                          '--out', 'studies/q']
    parsed = brevitas_parser().parse_args(recorded()[2:])
    assert (parsed.wbits, parsed.epochs, parsed.no_compare) == ('1,2,4,8', '1,2', True)


def test_the_sweep_engine_options_reach_the_brevitas_sweep(fake_python):
    """One sweep engine: --until, --jobs and Dask work for the Brevitas back end too."""
    python, recorded = fake_python
    assert main(['sweep', '--backend', 'brevitas', '--brevitas-python', python, '--wbits', '2',
                 '--abits', '2', '--epochs', '4', '--until', '2', '--jobs', '2',
                 '--scheduler', 'tcp://host:8786', '--out', 's']) == 0
    parsed = brevitas_parser().parse_args(recorded()[2:])
    assert (parsed.until, parsed.jobs, parsed.scheduler, parsed.epochs) == \
        (2, 2, 'tcp://host:8786', '4')
    assert main(['train', '--backend', 'brevitas', '--brevitas-python', python, '--wbits', '2',
                 '--abits', '2', '--epochs', '4', '--stop-after', '1', '--out', 'r']) == 0
    assert brevitas_parser().parse_args(recorded()[2:]).stop_after == 1


def test_qnn_never_imports_qnn_brevitas():
    """Data flows one way: the Brevitas flow is a subprocess, not a module of qnn."""
    code = ('import sys\n'
            'from qnn.cli import build_parser\n'
            'build_parser().parse_args(["sweep", "--backend", "brevitas", "--out", "s"])\n'
            'print(sorted(m for m in sys.modules if m.startswith("qnn_brevitas")))')
    output = subprocess.check_output([sys.executable, '-c', code]).decode('utf-8').strip()
    assert output == '[]'
