"""Disk full: a write that fails half way keeps the previous complete file, in one line."""
from __future__ import absolute_import, division

import os
import resource
import signal
import subprocess
import sys

from qnn import runs
from reliability_helpers import copy_tree

#: Run ``qnn`` with a file-size limit: writes past it fail with EFBIG, as on a full disk.
LIMITED = ('import resource, signal, sys\n'
           'signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n'
           'resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))\n'
           'from qnn.cli import main\n'
           'sys.exit(main(sys.argv[2:]))\n')


def _qnn_with_file_limit(limit, argv):
    process = subprocess.Popen([sys.executable, '-c', LIMITED, str(limit)] + argv,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    return process.returncode, err.decode('utf-8')


def _files(folder):
    found = {}
    for path, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(path, name), 'rb') as handle:
                found[os.path.relpath(os.path.join(path, name), folder)] = handle.read()
    return found


def test_export_over_a_full_disk_leaves_the_previous_export(tmpdir, assets):
    export = copy_tree(assets['export'], str(tmpdir.join('export')))
    before = _files(export)
    status, err = _qnn_with_file_limit(2000, ['hwgen', 'export', assets['run'], '--out', export,
                                              '--force'])
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert 'File too large' in err
    after = _files(export)
    assert all(after[name] == before[name] for name in after if name in before)
    assert not [name for name in after if name.endswith('.tmp')]


def test_a_new_export_over_a_full_disk_leaves_nothing(tmpdir, assets):
    out = str(tmpdir.join('new'))
    status, err = _qnn_with_file_limit(2000, ['hwgen', 'export', assets['run'], '--out', out])
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert os.listdir(str(tmpdir)) == []  # neither the export nor its staging folder


def test_results_store_over_a_full_disk_keeps_the_old_store(tmpdir, assets):
    study = copy_tree(assets['study'], str(tmpdir.join('study')))
    store = os.path.join(study, 'results.h5')
    with open(store, 'rb') as handle:
        before = handle.read()
    status, err = _qnn_with_file_limit(4096, ['results', study, '--csv'])
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    with open(store, 'rb') as handle:
        assert handle.read() == before
    assert sorted(os.listdir(study)) == ['results.h5', 'runs', 'study.json']


def test_run_files_over_a_full_disk_keep_the_last_complete_version(tmpdir, assets):
    run = copy_tree(assets['run'], str(tmpdir.join('run')))
    path = os.path.join(run, runs.METRICS)
    before = runs.read_json(path)
    code = ('import resource, signal, sys\n'
            'signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n'
            'resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))\n'
            'from qnn import runs\n'
            'runs.write_json(sys.argv[1], {"epochs": [{"padding": "x" * 1000}]})\n')
    process = subprocess.Popen([sys.executable, '-c', code, path], stderr=subprocess.PIPE)
    _, err = process.communicate()
    assert process.returncode != 0 and b'File too large' in err
    assert runs.read_json(path) == before
    assert not [name for name in os.listdir(run) if name.endswith('.tmp')]
    assert resource.RLIMIT_FSIZE and signal.SIGXFSZ  # the mechanism the cases rely on
