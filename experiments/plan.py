"""What a study runs: one training run per (W, A, epoch budget, seed), and where it lives.

The study folder itself (``study.json``, ``runs/<name>/``, the grid and its names) is
:mod:`qnn.study`'s, shared with every training back end; this module adds the profiles of
``qnn sweep`` and the study's ``hardware`` settings: ``{"cycles": N}``, the cycles per image
every network is folded for (LFC's 512 by default), so that all networks compare at one
throughput. Beside ``study.json`` and ``runs/`` a study holds ``results.h5`` (the store),
``figures/`` and the report.
"""
from __future__ import absolute_import, division, print_function

from hwgen.folding.base import LFC_CYCLES
from qnn import study
from qnn.study import StudyError
from qnn.training_version import TRAINING_VERSION

__all__ = ['HARDWARE_DEFAULTS', 'PROFILES', 'load_or_create_study', 'read_study']

#: Hardware settings of a study that names none.
HARDWARE_DEFAULTS = {'cycles': LFC_CYCLES}

#: The paper's full grid and a quick profile sized for about 10 minutes on 2 cores.
PROFILES = {
    'paper': {'wbits': list(range(1, 9)), 'abits': list(range(1, 9)),
              'epochs': [10, 20, 30, 50, 100], 'seeds': [1234], 'settings': {}},
    'quick': {'wbits': [1, 2, 4, 8], 'abits': [1, 2, 4, 8], 'epochs': [1, 2], 'seeds': [1234],
              'settings': {'train_size': 5000}},
}


def _check_cycles_value(cycles):
    if isinstance(cycles, bool) or not isinstance(cycles, int) or cycles < 1:
        raise StudyError('--cycles must be a positive integer, got %r' % (cycles,))


def read_study(study_dir):
    """``study.json`` (see :func:`qnn.study.read_study`), ``hardware`` with LFC's 512 cycles
    for a study that names none."""
    return study.read_study(study_dir, HARDWARE_DEFAULTS)


def load_or_create_study(study_dir, overrides, readouts=(), cycles=None, check=None, seeds=()):
    """:func:`qnn.study.load_or_create_study` with the study's cycles per image.

    Parameters
    ----------
    study_dir, overrides, readouts
        As :func:`qnn.study.load_or_create_study`'s.
    cycles : int, optional
        Target cycles per image of every network's folding; None keeps the study's (a new
        study: LFC's 512). A resumed study refuses another value.
    check : callable, optional
        ``check(settings, cycles)``, called before anything is written; raises to refuse.
    seeds : sequence of int
        Seeds planned now (added to ``study.json``).

    The study is qnn's (Theano) training: one of another training version is refused.
    """
    if cycles is not None:
        _check_cycles_value(cycles)
    return study.load_or_create_study(
        study_dir, overrides, readouts, hardware={'cycles': cycles},
        hardware_defaults=HARDWARE_DEFAULTS, training_version=TRAINING_VERSION, seeds=seeds,
        check=None if check is None else lambda settings, hardware: check(settings,
                                                                          hardware['cycles']))
