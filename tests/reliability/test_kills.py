"""SIGKILL at seeded random points of qnn train, qnn hwgen export and the sweep's publishing.

After each kill every file a reader can open is whole (temporaries aside), and running the
same command again finishes the work with the same bits as an uninterrupted run.
"""
from __future__ import absolute_import, division

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from qnn import runs
from reliability_helpers import copy_tree, run_cli, train_argv

SEED = 20261203


def _start(argv):
    devnull = open(os.devnull, 'wb')
    return subprocess.Popen([sys.executable, '-m', 'qnn'] + argv, stdout=devnull,
                            stderr=devnull, preexec_fn=os.setsid)


def _kill(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return process.returncode


def _finished_files(folder):
    for path, _, names in os.walk(folder):
        for name in names:
            if not name.endswith('.tmp'):
                yield os.path.join(path, name)


def assert_whole(folder):
    """Every non-temporary file below ``folder`` is complete for its kind."""
    from experiments.store import read_store
    for path in _finished_files(folder):
        if path.endswith('.npz'):
            runs.load_arrays(path)
        elif path.endswith('.json'):
            runs.read_json(path)
        elif path.endswith('.h5'):
            read_store(os.path.dirname(path))
        elif path.endswith('.png'):
            with open(path, 'rb') as handle:
                assert handle.read()[-8:-4] == b'IEND', path
        elif path.endswith('.pdf'):
            with open(path, 'rb') as handle:
                assert b'%%EOF' in handle.read()[-32:], path
    if os.path.isfile(os.path.join(folder, 'manifest.json')):
        from hwgen.trained.readback import verify_export
        verify_export(folder)


def _epochs_done(run):
    try:
        return len(runs.read_metrics(run)['epochs'])
    except runs.RunError:
        return 0


def _wait_for_epochs(run, count, process, timeout=600):
    deadline = time.time() + timeout
    while _epochs_done(run) < count:
        if process.poll() is not None or time.time() > deadline:
            return
        time.sleep(0.05)


@pytest.fixture(scope='module')
def reference_run(tmpdir_factory, assets):
    """The uninterrupted 3-epoch tiny run."""
    run = str(tmpdir_factory.mktemp('reference').join('run'))
    status, _, err = run_cli(train_argv(run, epochs='3', data_dir=assets['mnist']))
    assert status == 0, err
    return run


#: (epochs finished, then up to this many seconds): before the first checkpoint, and twice
#: inside later epochs, where checkpoint, parameters and metrics are being replaced.
TRAIN_KILL_POINTS = [(0, 3.0), (1, 1.0), (2, 1.0)]


@pytest.mark.parametrize('point', range(len(TRAIN_KILL_POINTS)))
def test_killed_train_resumes_to_the_same_bits(tmpdir, assets, reference_run, point):
    epochs, spread = TRAIN_KILL_POINTS[point]
    run = str(tmpdir.join('run'))
    argv = train_argv(run, epochs='3', data_dir=assets['mnist'])
    process = _start(argv)
    try:
        _wait_for_epochs(run, epochs, process)
        time.sleep(np.random.RandomState(SEED + point).uniform(0, spread))
    finally:
        _kill(process)
    if os.path.isdir(run):
        assert_whole(run)
    status, _, err = run_cli(argv)
    assert status == 0 or (status == 2 and 'already holds this finished run' in err), err
    ours, theirs = (runs.load_arrays(os.path.join(folder, runs.PARAMS))
                    for folder in (run, reference_run))
    assert sorted(ours) == sorted(theirs)
    assert all(np.array_equal(ours[name], theirs[name]) for name in ours)
    assert [e['params_sha256'] for e in runs.read_metrics(run)['epochs']] == \
        [e['params_sha256'] for e in runs.read_metrics(reference_run)['epochs']]
    assert not [name for name in os.listdir(run) if name.endswith('.tmp')]


def _timed(argv):
    started = time.time()
    status, _, err = run_cli(argv)
    assert status == 0, err
    return time.time() - started


def _contents(folder):
    found = {}
    for path in _finished_files(folder):
        with open(path, 'rb') as handle:
            found[os.path.relpath(path, folder)] = handle.read()
    return found


N_EXPORT_KILLS = 4


def test_killed_export_leaves_all_or_nothing_and_finishes_when_run_again(tmpdir, assets):
    reference = str(tmpdir.join('reference'))
    duration = _timed(['hwgen', 'export', assets['run'], '--out', reference]) + 1.5  # + start
    delays = np.random.RandomState(SEED).uniform(0.2, 1.0, N_EXPORT_KILLS) * duration
    for index, delay in enumerate(delays):
        out = str(tmpdir.join('out-%d' % index))
        argv = ['hwgen', 'export', assets['run'], '--out', out]
        process = _start(argv)
        time.sleep(delay)
        _kill(process)
        if os.path.exists(out):  # complete, or it would not have its final name
            assert_whole(out)
            assert _contents(out) == _contents(reference)
        else:
            status, _, err = run_cli(argv)
            assert status == 0, err
            assert _contents(out) == _contents(reference)


N_PUBLISH_KILLS = 3


def test_killed_sweep_while_publishing_keeps_every_file_whole(tmpdir, assets):
    """Kill ``qnn sweep`` while it builds results.h5, the figures and the report."""
    from experiments.store import read_store
    reference = copy_tree(assets['study'], str(tmpdir.join('reference')))
    sweep = ['sweep', '--wbits', '2', '--abits', '2', '--epochs', '1', '--no-progress',
             '--data-dir', assets['mnist']]
    duration = _timed(sweep + ['--out', reference]) + 3.0  # + interpreter start
    expected = read_store(reference)
    delays = np.random.RandomState(SEED + 1).uniform(0.3, 1.0, N_PUBLISH_KILLS) * duration
    for index, delay in enumerate(delays):
        study = copy_tree(assets['study'], str(tmpdir.join('study-%d' % index)))
        os.remove(os.path.join(study, 'results.h5'))
        process = _start(sweep + ['--out', study])
        time.sleep(delay)
        _kill(process)
        assert_whole(study)
        status, _, err = run_cli(sweep + ['--out', study])
        assert status == 0, err
        assert_whole(study)
        again = read_store(study)
        assert [r['params_sha256'] for r in again['runs']] == \
            [r['params_sha256'] for r in expected['runs']]
        assert _published(study) == _published(reference)


def _published(study):
    """The figure files a reader sees (a killed writer's hidden temporaries aside)."""
    return sorted(name for name in os.listdir(os.path.join(study, 'figures'))
                  if not name.endswith('.tmp'))
