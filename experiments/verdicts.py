"""What a claim of the paper becomes in the report: its words, our numbers, a verdict, a scope."""
from __future__ import absolute_import, division, print_function

import collections

from qnn.data.mnist import TRAIN_COUNT

from .hardware import SYNTHESIS, VIVADO

__all__ = ['Claim', 'HOLDS', 'FAILS', 'UNTESTED', 'CONSISTENT', 'INCONSISTENT', 'SYNTH_HOLDS',
           'SYNTH_FAILS',
           'out_of_scope', 'resource_verdict', 'untested']

#: ``text``: the paper's statement; ``ours``: this study's numbers; ``verdict``; ``scope``:
#: the runs or figures it was judged on.
Claim = collections.namedtuple('Claim', ['text', 'ours', 'verdict', 'scope'])

HOLDS, FAILS, UNTESTED = 'holds', 'does not hold', 'not testable here'
#: Verdicts on resource claims judged on estimates: only Vivado HLS reports give a plain one.
CONSISTENT, INCONSISTENT = 'consistent with the estimate', 'not consistent with the estimate'
#: Verdicts on resource claims judged on synthesised figures (yosys-xc7, Vivado HLS where any).
SYNTH_HOLDS = 'holds on the yosys-xc7 synthesis'
SYNTH_FAILS = 'does not hold on the yosys-xc7 synthesis'

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
    """Plain verdict on Vivado HLS figures only; on the yosys-xc7 synthesis where every figure
    is measured and some synthesised; 'consistent with the estimate' otherwise."""
    sources = {figures['source'] for figures in results['hardware'].values()}
    if sources == {VIVADO}:
        return HOLDS if consistent else FAILS
    if sources and sources <= {VIVADO, SYNTHESIS}:
        return SYNTH_HOLDS if consistent else SYNTH_FAILS
    return CONSISTENT if consistent else INCONSISTENT
