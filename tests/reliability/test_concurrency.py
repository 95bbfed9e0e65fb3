"""Two processes, one run folder: a lock per folder, released when its holder dies."""
from __future__ import absolute_import, division

import os
import signal
import subprocess
import sys
import time

import pytest

from qnn.study import plan_runs, run_dir
from qnn import runs
from qnn.locks import RunBusyError, folder_lock
from reliability_helpers import run_cli, snapshot, train_argv

HOLD = ('import sys, time\n'
        'from qnn.locks import folder_lock\n'
        'with folder_lock(sys.argv[1]):\n'
        '    sys.stdout.write("held\\n"); sys.stdout.flush(); time.sleep(600)\n')


def _holder(folder):
    process = subprocess.Popen([sys.executable, '-c', HOLD, folder], stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == b'held'
    return process


def test_a_held_folder_is_refused_and_freed_when_its_holder_is_killed(tmpdir):
    folder = str(tmpdir.mkdir('run'))
    process = _holder(folder)
    try:
        with pytest.raises(RunBusyError):
            with folder_lock(folder):
                pass
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    with folder_lock(folder):  # the kernel released the dead holder's lock
        pass


def test_qnn_train_into_a_folder_being_trained_is_refused(tmpdir, assets):
    run = str(tmpdir.mkdir('run'))
    process = _holder(run)
    try:
        before = snapshot(run)
        status, _, err = run_cli(train_argv(run, data_dir=assets['mnist']))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert status == 2 and 'another process' in err and len(err.strip().splitlines()) == 1
    assert snapshot(run) == before


def test_two_sweeps_on_one_study_train_each_run_once(tmpdir, mnist_dir):
    study = str(tmpdir.join('study'))
    command = [sys.executable, '-m', 'qnn', 'sweep', '--wbits', '1,2', '--abits', '1',
               '--epochs', '1', '--seeds', '3', '--train-size', '100', '--num-units', '16',
               '--data-dir', mnist_dir, '--no-progress', '--no-report', '--out', study]
    first = subprocess.Popen(command)
    time.sleep(1.0)  # the second starts while the first is training
    second = subprocess.Popen(command)
    assert first.wait() == 0 and second.wait() == 0
    for spec in plan_runs([1, 2], [1], [1], [3]):
        folder = run_dir(study, spec)
        assert runs.is_finished(folder)
        assert len(runs.read_metrics(folder)['epochs']) == 1
        runs.load_arrays(os.path.join(folder, runs.PARAMS))
        with open(os.path.join(folder, 'train.log')) as handle:
            trained = handle.read().count('test error')
        assert trained == 1, 'run %s trained %d times' % (spec.name, trained)
