"""What a claim of the paper becomes in the report: its words, our numbers, a verdict, a scope."""
from __future__ import absolute_import, division, print_function

import collections

from qnn.data.mnist import TRAIN_COUNT

from .hardware import VIVADO

__all__ = ['Claim', 'HOLDS', 'FAILS', 'UNTESTED', 'CONSISTENT', 'INCONSISTENT',
           'out_of_scope', 'resource_verdict', 'untested']

#: ``text``: the paper's statement; ``ours``: this study's numbers; ``verdict``; ``scope``:
#: the runs or figures it was judged on.
Claim = collections.namedtuple('Claim', ['text', 'ours', 'verdict', 'scope'])

HOLDS, FAILS, UNTESTED = 'holds', 'does not hold', 'not testable here'
#: Verdicts on resource claims judged on estimates: only Vivado HLS reports give a plain one.
CONSISTENT, INCONSISTENT = 'consistent with the estimate', 'not consistent with the estimate'

#: The paper's training set: its accuracy claims are about runs on all of it.
FULL_TRAINING_SET = TRAIN_COUNT


def untested(text, why, scope='-'):
    """A claim this study cannot judge, and why."""
    return Claim(text, why, UNTESTED, scope)


def out_of_scope(results, text):
    """The claim as 'not testable here' when the study trained on fewer images than the paper
    (None when it trained on all of them)."""
    size = results['settings'].get('train_size', FULL_TRAINING_SET)
    if size >= FULL_TRAINING_SET:
        return None
    return untested(text, 'the study trains on %d of the %d training images; the claim is about '
                    'the whole training set' % (size, FULL_TRAINING_SET))


def resource_verdict(results, consistent):
    """Plain verdict on Vivado HLS figures only; 'consistent with the estimate' otherwise."""
    sources = {figures['source'] for figures in results['hardware'].values()}
    if sources == {VIVADO}:
        return HOLDS if consistent else FAILS
    return CONSISTENT if consistent else INCONSISTENT
