"""Running sweeps for real (tiny networks): skip finished, resume after SIGKILL, Dask."""
from __future__ import absolute_import, division

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from experiments import plan, store
from qnn.study import RunSpec, plan_runs, run_dir
from experiments.sweep import pending_runs, sweep
from fakes import fake_hardware, write_fake_run
from qnn import runs
from qnn.data.mnist import load_mnist
from qnn.train import train

TINY = {'train_size': 500, 'num_units': 32}
KILLED_EPOCHS = 20


def _params(folder):
    return runs.load_arrays(os.path.join(folder, runs.PARAMS))


def test_finished_runs_are_skipped_and_kept(tmpdir):
    study = str(tmpdir.join('study'))
    settings = plan.load_or_create_study(study, TINY)
    specs = plan_runs([1, 2], [1], [1], [3])
    for spec in specs:
        write_fake_run(study, spec, [0.5], settings)
    before = {s.name: os.path.getmtime(os.path.join(run_dir(study, s), runs.PARAMS))
              for s in specs}
    assert pending_runs(study, specs) == []
    counts = sweep(study, specs, {}, progress=False)
    assert (counts['planned'], counts['skipped'], counts['ran']) == (2, 2, 0)
    after = {s.name: os.path.getmtime(os.path.join(run_dir(study, s), runs.PARAMS))
             for s in specs}
    assert before == after


def _wait_for_first_epoch(folder, process, timeout=600):
    deadline = time.time() + timeout
    metrics = os.path.join(folder, runs.METRICS)
    while time.time() < deadline:
        assert process.poll() is None, 'the sweep ended before it could be killed'
        if os.path.isfile(metrics) and len(runs.read_json(metrics)['epochs']) >= 1:
            return
        time.sleep(0.02)
    raise AssertionError('no epoch finished within %d s' % timeout)


def test_killed_sweep_resumes_to_the_same_bits(tmpdir, mnist_dir):
    study = str(tmpdir.join('study'))
    # Enough epochs that the run cannot finish between the first epoch and the kill.
    spec = RunSpec(2, 1, KILLED_EPOCHS, 5)
    command = [sys.executable, '-m', 'qnn', 'sweep', '--wbits', '2', '--abits', '1',
               '--epochs', str(KILLED_EPOCHS), '--seeds', '5', '--train-size', '500', '--num-units', '32',
               '--data-dir', mnist_dir, '--no-progress', '--no-report', '--out', study]
    process = subprocess.Popen(command, preexec_fn=os.setsid)
    try:
        _wait_for_first_epoch(run_dir(study, spec), process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the sweep and its qnn train child
        process.wait()
    folder = run_dir(study, spec)
    assert not runs.is_finished(folder)
    # Killed mid-write, a temporary file may remain, but every final file is whole.
    for name in os.listdir(folder):
        if name.endswith('.npz') and not name.endswith('.tmp'):
            runs.load_arrays(os.path.join(folder, name))

    counts = sweep(study, [spec], {}, data_dir=mnist_dir, progress=False)
    assert counts['ran'] == 1 and runs.is_finished(folder)
    assert [f for f in os.listdir(folder) if f.endswith('.tmp')] == []  # resume cleans up

    reference = str(tmpdir.join('reference'))
    train(reference, data=load_mnist(mnist_dir, binarize=True), progress=False, wbits=2, abits=1,
          epochs=KILLED_EPOCHS, seed=5, **TINY)
    ours, theirs = _params(folder), _params(reference)
    assert sorted(ours) == sorted(theirs)
    assert all(np.array_equal(ours[name], theirs[name]) for name in ours)
    history = [e['val_error'] for e in runs.read_metrics(folder)['epochs']]
    assert history == [e['val_error'] for e in runs.read_metrics(reference)['epochs']]


def test_dask_local_cluster_runs_a_tiny_sweep(tmpdir, mnist_dir):
    distributed = pytest.importorskip('distributed')
    study = str(tmpdir.join('study'))
    specs = plan_runs([1, 2], [1], [1], [9])
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            counts = sweep(study, specs, TINY, data_dir=mnist_dir, client=client,
                           progress=False)
    assert counts['ran'] == 2
    assert all(runs.is_finished(run_dir(study, s)) for s in specs)
    store.build_store(study, hardware=fake_hardware)
    assert sorted(r['name'] for r in store.read_store(study)['runs']) == [s.name for s in specs]
