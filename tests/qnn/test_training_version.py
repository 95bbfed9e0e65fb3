"""Training versions: a study or a run never mixes the bits of two training arithmetics."""
from __future__ import absolute_import

import os

import pytest

from qnn import runs, study
from qnn.provenance import portable_flags
from qnn.training_version import (TRAINING_VERSION, TrainingVersionError, check_same_version,
                                  describe)
from qnn.data.mnist import SHA256


def test_the_refusal_is_one_line_naming_both_versions():
    check_same_version('runs/x', TRAINING_VERSION)
    with pytest.raises(TrainingVersionError) as error:
        check_same_version('studies/old', 2, 4)
    message = str(error.value)
    assert message == ('studies/old was trained by training version 2, this qnn trains '
                       'training version 4: finish it with a checkout of the qnn that trained '
                       'it, or use another folder')
    assert '\n' not in message
    assert 'before versions were recorded' in describe(None)


def test_recorded_theano_flags_name_no_folder_of_the_machine():
    flags = ('floatX=float32,base_compiledir=/home/someone/.cache/qnn/theano/worker-0,'
             'compiledir=/tmp/x,gcc.cxxflags=-ffp-contract=off')
    assert portable_flags(flags) == 'floatX=float32,gcc.cxxflags=-ffp-contract=off'
    assert portable_flags('') == ''


def _fake_run(study_dir, name, version):
    folder = os.path.join(study_dir, study.RUNS_DIR, name)
    os.makedirs(folder)
    software = {} if version is None else {'training_version': version}
    runs.write_json(os.path.join(folder, runs.CONFIG), dict(study.run_config(
        study.RunSpec(1, 1, 1, 1), study.study_settings()), software=software))


def test_a_new_study_records_its_version_seeds_and_data(tmpdir):
    path = str(tmpdir.join('s'))
    study.load_or_create_study(path, {}, [10], training_version=7, seeds=[2, 1])
    record = runs.read_json(os.path.join(path, study.STUDY_FILE))
    assert record['training_version'] == 7 and record['seeds'] == [1, 2]
    assert record['mnist_sha256'] == SHA256
    assert 'training_commit' in record
    study.load_or_create_study(path, {}, [20], training_version=7, seeds=[3])
    record = runs.read_json(os.path.join(path, study.STUDY_FILE))
    assert record['seeds'] == [1, 2, 3] and record['readouts'] == [10, 20]
    with pytest.raises(TrainingVersionError) as error:
        study.load_or_create_study(path, {}, [10], training_version=8)
    assert 'trained by training version 7, this qnn trains training version 8' in \
        str(error.value)


def test_an_older_study_takes_the_version_of_its_runs(tmpdir):
    path = str(tmpdir.join('s'))
    study.load_or_create_study(path, {})  # planned before versions were recorded
    study.load_or_create_study(path, {}, training_version=4)  # no runs yet: it takes 4
    assert runs.read_json(os.path.join(path, study.STUDY_FILE))['training_version'] == 4
    legacy = str(tmpdir.join('legacy'))
    study.load_or_create_study(legacy, {})
    _fake_run(legacy, 'W1A1-e1-s1', None)
    with pytest.raises(TrainingVersionError) as error:
        study.load_or_create_study(legacy, {}, training_version=4)
    assert 'unrecorded training version' in str(error.value)
    mixed = str(tmpdir.join('mixed'))
    study.load_or_create_study(mixed, {}, training_version=4)
    _fake_run(mixed, 'W1A1-e1-s1', 3)  # a run copied in from elsewhere
    with pytest.raises(TrainingVersionError) as error:
        study.load_or_create_study(mixed, {}, training_version=4)
    assert 'W1A1-e1-s1 was trained by training version 3' in str(error.value)


def test_resuming_a_run_of_another_version_is_refused(tmpdir):
    folder = str(tmpdir.join('run'))
    config = study.run_config(study.RunSpec(1, 1, 2, 1), study.study_settings())
    assert runs.prepare_run_dir(folder, config, {'training_version': 3})
    with pytest.raises(TrainingVersionError):
        runs.prepare_run_dir(folder, config, {'training_version': 4})
    assert not runs.prepare_run_dir(folder, config, {'training_version': 3})
    assert not runs.prepare_run_dir(folder, config, {})  # a back end without versions


#: Parameter digests after each epoch of ``qnn train --wbits 2 --abits 2 --epochs 2
#: --train-size 1000 --num-units 128`` (seed 1234), by training version and by the OpenBLAS
#: build and kernel family that computed them (another CPU may pick kernels that round
#: differently). A change of these bits without a new training version fails here.
REFERENCE_DIGESTS = {
    (4, '0.3.21', 'Cooperlake'): [
        '2d79d959ad4c8b4a0e59a09254528fe051d4f7c8f2a1f02c3fc53758543a6882',
        '2e9058abb55e4f6bbc0183925678dbc7f78eae50e50b6536c14d8cc273217c3d'],
}


def _openblas():
    """``(version, kernel family)`` of the OpenBLAS Theano links, or None."""
    import ctypes
    import ctypes.util
    name = ctypes.util.find_library('openblas')
    if not name:
        return None
    library = ctypes.CDLL(name)
    for function in (library.openblas_get_config, library.openblas_get_corename):
        function.restype = ctypes.c_char_p
    config = library.openblas_get_config().decode('ascii').split()
    return config[1], library.openblas_get_corename().decode('ascii')


def test_the_reference_bits_belong_to_this_training_version(tmpdir, mnist_dir):
    blas = _openblas()
    key = (TRAINING_VERSION,) + (blas or ('none', 'none'))
    if key not in REFERENCE_DIGESTS:
        pytest.skip('no reference digests for training version %d on OpenBLAS %s (%s)' % key)
    from qnn.train import train
    out = str(tmpdir.join('reference'))
    train(out, data_dir=mnist_dir, progress=False, wbits=2, abits=2, epochs=2,
          train_size=1000, num_units=128)
    digests = [epoch['params_sha256'] for epoch in runs.read_metrics(out)['epochs']]
    assert digests == REFERENCE_DIGESTS[key], \
        'the training arithmetic changed: bump TRAINING_VERSION (qnn/training_version.py)'
