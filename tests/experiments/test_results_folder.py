"""The committed study in results/: finished records of one training version, nothing local."""
from __future__ import absolute_import

import glob
import io
import os
import subprocess

import pytest

from qnn import runs
from qnn.study import STUDY_FILE

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
RESULTS = os.path.join(ROOT, 'results')


def _committed_folders():
    """The run folders of results/ that git tracks (all of them where there is no git): in a
    working copy a running sweep adds folders that are not records yet."""
    folders = sorted(glob.glob(os.path.join(RESULTS, 'runs', '*')))
    try:
        listed = subprocess.check_output(['git', 'ls-files', 'results/runs'], cwd=ROOT)
    except (OSError, subprocess.CalledProcessError):
        return folders
    tracked = {os.path.join(ROOT, os.path.dirname(line))
               for line in listed.decode('utf-8').split('\n') if line}
    return [folder for folder in folders if folder in tracked]


FOLDERS = _committed_folders()


def _tracked(folder):
    """The files of ``folder`` a clone has (a working copy may hold parameters as well)."""
    return sorted(name for name in os.listdir(folder) if name in (runs.CONFIG, runs.METRICS))


@pytest.mark.skipif(not FOLDERS, reason='no run records in results/')
@pytest.mark.parametrize('folder', FOLDERS, ids=os.path.basename)
def test_every_record_is_a_finished_run_of_the_studys_version(folder):
    study = runs.read_json(os.path.join(RESULTS, STUDY_FILE))
    assert _tracked(folder) == [runs.CONFIG, runs.METRICS]
    assert runs.is_finished(folder)
    config = runs.read_config(folder)
    assert config['software']['training_version'] == study['training_version']
    assert config['seed'] in study['seeds'] and config['epochs'] in study['readouts']
    with io.open(os.path.join(folder, runs.CONFIG), encoding='utf-8') as handle:
        text = handle.read()
    # nothing names a folder of the machine the run was trained on
    assert os.sep not in text and 'compiledir' not in text
    epochs = runs.read_metrics(folder)['epochs']
    assert len(epochs) == config['epochs'] and all(len(e['params_sha256']) == 64 for e in epochs)
