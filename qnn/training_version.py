"""Which training arithmetic trained a run: one version per set of bits.

A run's bits (its parameters after every epoch, for one configuration and seed) depend on the
arithmetic of qnn's training step, not on the commit as such: most commits change nothing a run
computes. :data:`TRAINING_VERSION` names that arithmetic. Every change that gives a run other
bits bumps it and adds a line to the changelog of ``docs/reproducibility.md`` with the new
digest of the reference run. Each run records the version that trained it (``config.json``,
``software.training_version``) and a study records its own (``study.json``), so a study never
mixes runs of two versions and a run is never resumed by another version.
"""
from __future__ import absolute_import, division, print_function

__all__ = ['TRAINING_VERSION', 'VERSION_KEY', 'TrainingVersionError', 'describe',
           'check_same_version']

#: The training arithmetic of this qnn (see the changelog of ``docs/reproducibility.md``).
TRAINING_VERSION = 4

#: The key under which records carry the version.
VERSION_KEY = 'training_version'


class TrainingVersionError(ValueError):
    """Runs of two training versions would be mixed."""


def describe(version):
    """``'training version 4'``, or what a record without a version means.

    Examples
    --------
    >>> describe(2)
    'training version 2'
    >>> describe(None)
    'an unrecorded training version (before versions were recorded)'
    """
    if version is None:
        return 'an unrecorded training version (before versions were recorded)'
    return 'training version %s' % version


def check_same_version(what, recorded, current=TRAINING_VERSION):
    """Refuse to add to ``what`` (a run or study) trained by another version than ``current``.

    Raises
    ------
    TrainingVersionError
        One line: what was trained by which version, and what to do.
    """
    if recorded != current:
        raise TrainingVersionError(
            '%s was trained by %s, this qnn trains %s: finish it with a checkout of the qnn that '
            'trained it, or use another folder' % (what, describe(recorded), describe(current)))
