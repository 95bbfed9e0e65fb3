"""A study folder, whatever trains its runs: the grid, its names, the settings shared by all runs.

A study folder holds ``study.json``: the training settings shared by all its runs
(:data:`STUDY_KEYS`), the epoch budgets reported (``readouts``) and ``hardware`` settings that
the packages reading the study define (qnn only keeps them). Each training back end puts its
run folders (see :mod:`qnn.runs`) in a folder of its own (qnn's in ``runs/``). Under the
``'budget'`` schedule each epoch budget is its own run (the learning-rate decay spans the
budget); under ``'bnn-pynq'`` one run per network trains for the largest budget and the others
are read off on its way.
"""
from __future__ import absolute_import, division, print_function

import collections
import glob
import os

from . import runs
from .config import LEGACY_VALUES, config_from_record, make_config
from .naming import network_name
from .paths import input_dir, output_dir
from .training_version import VERSION_KEY, check_same_version

__all__ = ['STUDY_FILE', 'STUDY_KEYS', 'RUNS_DIR', 'StudyError', 'RunSpec', 'parse_int_list',
           'plan_runs', 'run_dir', 'study_settings', 'run_config', 'read_study',
           'check_runs_agree', 'check_training_version', 'provenance_record',
           'load_or_create_study']

#: Training settings a study may fix for all its runs (others are the paper's defaults).
STUDY_KEYS = ('train_size', 'num_units', 'n_hidden_layers', 'layer_order', 'activation',
              'binarize_input', 'schedule')

STUDY_FILE = 'study.json'

#: Where a study's Theano runs live.
RUNS_DIR = 'runs'


class StudyError(ValueError):
    """A study folder or a sweep request is inconsistent."""


class RunSpec(collections.namedtuple('RunSpec', ['wbits', 'abits', 'epochs', 'seed'])):
    """One run of a study."""

    __slots__ = ()

    @property
    def name(self):
        """Folder name, e.g. ``W2A4-e10-s1234``."""
        return 'W%dA%d-e%d-s%d' % self

    @property
    def network(self):
        """The network it trains, e.g. ``W2A4``."""
        return network_name(self.wbits, self.abits)


def parse_int_list(text, low=None, high=None):
    """Parse ``'1..8'``, ``'1,2,4'`` or ``'1..3,8'`` into a sorted list of distinct ints.

    Examples
    --------
    >>> parse_int_list('1..3,8')
    [1, 2, 3, 8]
    """
    values = set()
    try:
        for part in str(text).split(','):
            if '..' in part:
                first, last = part.split('..')
                values.update(range(int(first), int(last) + 1))
            elif part.strip():
                values.add(int(part))
    except ValueError:
        raise StudyError('cannot read %r as a list of integers (use e.g. 1..8 or 1,2,4)' % text)
    if not values:
        raise StudyError('empty list: %r' % (text,))
    out_of_range = [v for v in values if (low is not None and v < low) or
                    (high is not None and v > high)]
    if out_of_range:
        raise StudyError('values %s of %r are outside %s..%s' % (sorted(out_of_range), text,
                                                                 low, high))
    return sorted(values)


def plan_runs(wbits, abits, epochs, seeds, schedule='budget'):
    """All runs of a grid, in a stable order (cheap budgets first, so results arrive early).

    Under the ``'bnn-pynq'`` schedule a network has one run, of the largest budget.

    Examples
    --------
    >>> [spec.name for spec in plan_runs([1], [2], [10, 20], [1])]
    ['W1A2-e10-s1', 'W1A2-e20-s1']
    >>> [spec.name for spec in plan_runs([1], [2], [10, 20], [1], 'bnn-pynq')]
    ['W1A2-e20-s1']
    """
    lengths = [max(epochs)] if schedule == 'bnn-pynq' else sorted(epochs)
    return [RunSpec(w, a, e, s) for e in lengths for s in sorted(seeds)
            for w in sorted(wbits) for a in sorted(abits)]


def run_dir(study_dir, spec):
    """The run folder of ``spec`` inside ``study_dir``."""
    return os.path.join(study_dir, RUNS_DIR, spec.name)


def study_settings(**overrides):
    """All shared training settings (:data:`STUDY_KEYS`): defaults updated with ``overrides``."""
    unknown = sorted(set(overrides) - set(STUDY_KEYS))
    if unknown:
        raise StudyError('not a study setting: %s' % ', '.join(unknown))
    full = make_config(**overrides)  # validates ranges; None means "default"
    return {key: full[key] for key in STUDY_KEYS}


def run_config(spec, settings):
    """The full training configuration of one run."""
    return make_config(wbits=spec.wbits, abits=spec.abits, epochs=spec.epochs, seed=spec.seed,
                       **settings)


def read_study(study_dir, hardware_defaults=None):
    """``study.json`` with the keys of studies planned before they existed filled in.

    Parameters
    ----------
    study_dir : str
    hardware_defaults : dict, optional
        Hardware settings of a study that names none.

    Returns
    -------
    dict
        ``settings`` (see :data:`STUDY_KEYS`), ``readouts`` (the budgets reported; empty
        for a study that lists none, whose runs then report their own budget) and
        ``hardware`` (``hardware_defaults`` updated with the study's).
    """
    input_dir(study_dir, 'study folder')
    path = os.path.join(study_dir, STUDY_FILE)
    record = runs.read_json(path)
    if not isinstance(record, dict) or not isinstance(record.get('settings'), dict) or \
            not isinstance(record.get('readouts', []), list):
        raise StudyError('%s is not a study record (settings and readouts)' % path)
    settings = dict((key, value) for key, value in LEGACY_VALUES.items() if key in STUDY_KEYS)
    settings.update(record['settings'])
    hardware = dict(hardware_defaults or {})
    hardware.update(record.get('hardware', {}))
    return {'settings': settings, 'readouts': sorted(record.get('readouts', [])),
            'hardware': hardware}


def check_runs_agree(study_dir, settings):
    """Refuse a study whose run folders were trained with other settings than ``study.json``'s.

    Raises
    ------
    StudyError
        Names the first such run and the settings that differ.
    """
    for folder in sorted(glob.glob(os.path.join(study_dir, RUNS_DIR, '*'))):
        if not os.path.isfile(runs.run_file(folder, runs.CONFIG)):
            continue
        config = config_from_record(runs.read_config(folder))
        differ = sorted(key for key in STUDY_KEYS if key in settings and
                        config[key] != settings[key])
        if differ:
            raise StudyError('%s was trained with %s, but %s says %s; use another study folder '
                             'or put study.json back' % (
                                 folder, ', '.join('%s=%r' % (k, config[k]) for k in differ),
                                 STUDY_FILE, ', '.join('%s=%r' % (k, settings[k])
                                                       for k in differ)))


def _recorded_version(study_dir, record):
    """The training version of a study: its ``study.json``'s, else its runs' (None: unknown)."""
    if VERSION_KEY in record:
        return record[VERSION_KEY]
    versions = set(_run_versions(study_dir).values())
    if not versions:
        return TRAINING_VERSION_UNSET
    return versions.pop() if len(versions) == 1 else None


#: A study whose runs have not started yet: it takes the version of the qnn that starts them.
TRAINING_VERSION_UNSET = object()


def _run_versions(study_dir):
    """``{run folder: training version}`` of the runs begun so far (None: not recorded)."""
    versions = {}
    for folder in sorted(glob.glob(os.path.join(study_dir, RUNS_DIR, '*'))):
        if os.path.isfile(runs.run_file(folder, runs.CONFIG)):
            software = runs.read_config(folder).get('software', {})
            versions[folder] = software.get(VERSION_KEY) if isinstance(software, dict) else None
    return versions


def check_training_version(study_dir, record, version):
    """Refuse to add runs of training version ``version`` to a study trained by another one.

    The study's version is its ``study.json``'s (or, for a study planned before versions were
    recorded, its runs'); every run begun in it must have that version too.

    Raises
    ------
    qnn.training_version.TrainingVersionError
        One line naming the study (or run) and both versions.
    """
    recorded = _recorded_version(study_dir, record)
    if recorded is not TRAINING_VERSION_UNSET:
        check_same_version(study_dir, recorded, version)
    for folder, run_version in sorted(_run_versions(study_dir).items()):
        check_same_version(folder, run_version, version)


def provenance_record(training_version, seeds=()):
    """What ``study.json`` says of how its runs were made, beside the settings.

    Parameters
    ----------
    training_version : int
        The training version of the back end that trains the study's runs.
    seeds : sequence of int
        The seeds planned so far.

    Returns
    -------
    dict
        ``training_version``, ``training_commit`` (qnn's git commit when the study's runs
        began), ``seeds`` and ``mnist_sha256`` (the SHA-256 of the four MNIST files every run
        reads, checked when they are loaded).
    """
    from .data.mnist import SHA256
    from .provenance import git_revision
    return {VERSION_KEY: training_version, 'training_commit': git_revision(),
            'seeds': sorted(set(seeds)), 'mnist_sha256': dict(SHA256)}


def load_or_create_study(study_dir, overrides, readouts=(), hardware=None,
                         hardware_defaults=None, check=None, training_version=None, seeds=()):
    """The study's shared settings: read from ``study.json``, or created from ``overrides``.

    An existing study keeps its settings; an override that contradicts them is refused, since
    runs trained with different settings must not be mixed in one study. The epoch budgets in
    ``readouts`` are added to the study's list.

    Parameters
    ----------
    study_dir : str
    overrides : dict
        Training settings asked for (None values: unspecified).
    readouts : sequence of int
    hardware : dict, optional
        Hardware settings asked for (``{'cycles': 256}``); a resumed study refuses other
        values than its own (named as the option ``--KEY``).
    hardware_defaults : dict, optional
        Hardware settings of a new study, or of an existing one that names none.
    check : callable, optional
        ``check(settings, hardware)``, called before anything is written; raises to refuse.
    training_version : int, optional
        The training version of the back end that will train the runs: a study trained by
        another version is refused (:func:`check_training_version`); a new study records it
        with its provenance (:func:`provenance_record`). None: no version is kept.
    seeds : sequence of int
        Seeds planned now, added to the study's list.

    Returns
    -------
    dict
        The study's shared training settings.
    """
    output_dir(study_dir)
    path = os.path.join(study_dir, STUDY_FILE)
    requested = {key: value for key, value in overrides.items() if value is not None}
    asked = {key: value for key, value in (hardware or {}).items() if value is not None}
    if os.path.isfile(path):
        study = read_study(study_dir, hardware_defaults)
        existing = study['settings']
        check_runs_agree(study_dir, existing)
        resolved = study_settings(**requested)
        conflicts = ['%s=%r' % (key, existing.get(key)) for key in sorted(requested)
                     if existing.get(key) != resolved[key]]
        conflicts.extend('--%s %r' % (key, study['hardware'].get(key)) for key in sorted(asked)
                         if asked[key] != study['hardware'].get(key))
        if conflicts:
            raise StudyError('%s was planned with %s; use another study folder for other settings'
                             % (study_dir, ', '.join(conflicts)))
        record = runs.read_json(path)
        if training_version is not None:
            check_training_version(study_dir, record, training_version)
        if check is not None:
            check(existing, study['hardware'])
        updated = dict(record, settings=existing, hardware=study['hardware'],
                       readouts=sorted(set(study['readouts']) | set(readouts)))
        if training_version is not None:
            fresh = provenance_record(training_version, seeds)
            for key in (VERSION_KEY, 'training_commit', 'mnist_sha256'):
                updated.setdefault(key, fresh[key])
            updated['seeds'] = sorted(set(record.get('seeds', [])) | set(seeds))
        if updated != record:
            runs.write_json(path, updated)
        return existing
    settings = study_settings(**requested)
    record_hardware = dict(hardware_defaults or {})
    record_hardware.update(asked)
    if check is not None:
        check(settings, record_hardware)
    if not os.path.isdir(study_dir):
        os.makedirs(study_dir)
    record = {'settings': settings, 'readouts': sorted(set(readouts)), 'hardware': record_hardware}
    if training_version is not None:
        record.update(provenance_record(training_version, seeds))
    runs.write_json(path, record)
    return settings
