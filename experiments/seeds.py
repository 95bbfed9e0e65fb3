"""Seed noise: when a difference of test errors counts.

Training the same network with another seed moves its test error by a few tenths of a point,
as much as many of the effects the paper describes. The study trains some networks with several
seeds; from them this module estimates the seed standard deviation of a network's test error at
each epoch budget and gives every comparison its standard error.

The rule (:data:`RULE`): a difference counts when it is larger than twice its standard error.
The standard error of a network's mean error over ``n`` seeds is ``sd / sqrt(n)``, where ``sd``
is the seed standard deviation pooled over the networks of that budget trained with two seeds or
more (or of the nearest budget that has such networks). Where the study has no repeated seeds
at all, ``sd`` is the binomial standard error of a test error on the test set, which is only
the part of the noise that comes from the finite test set, so verdicts are then optimistic.
A mean over ``k`` networks has the standard error ``sqrt(sum of their squared errors) / k``.
"""
from __future__ import absolute_import, division, print_function

import collections
import math

import numpy as np

__all__ = ['RULE', 'Estimate', 'seed_errors', 'seed_sd', 'network_estimates', 'group_mean',
           'difference', 'counts', 'seed_summary']

#: The rule by which a difference counts, as the report states it.
RULE = ('a difference counts when it is larger than twice its standard error; a network\'s '
        'standard error is the seed standard deviation of its budget (pooled over the networks '
        'trained with several seeds) over the square root of its seeds')

#: Images of the MNIST test set, on which every test error is measured.
TEST_IMAGES = 10000

#: A mean test error in percent and its standard error in percentage points.
Estimate = collections.namedtuple('Estimate', ['mean', 'se', 'n'])


def seed_errors(results):
    """``{(wbits, abits, budget): [test error in % of each seed]}``."""
    collected = collections.defaultdict(list)
    for run in results['runs']:
        collected[(run['wbits'], run['abits'], run['epochs'])].append(100. * run['test_error'])
    return dict(collected)


def _pooled(groups):
    """Pooled sample standard deviation of groups of repeated values (None: no repeats)."""
    repeated = [values for values in groups if len(values) > 1]
    if not repeated:
        return None
    squares = sum(float(np.var(values, ddof=1)) * (len(values) - 1) for values in repeated)
    freedom = sum(len(values) - 1 for values in repeated)
    return math.sqrt(squares / freedom)


def _binomial_sd(errors):
    """The test set's own standard error (pp) at the mean error of ``errors`` (%)."""
    rate = float(np.mean(errors)) / 100.
    return 100. * math.sqrt(max(rate * (1. - rate), 1e-12) / TEST_IMAGES)


def seed_sd(results):
    """``{budget: (sd in pp, source)}``: the seed standard deviation used at each budget.

    ``source`` says where it comes from: ``'seeds at 10 epochs (15 networks)'`` or
    ``'binomial (no repeated seeds)'``.
    """
    errors = seed_errors(results)
    by_budget = collections.defaultdict(list)
    for (_, _, budget), values in errors.items():
        by_budget[budget].append(values)
    pooled = {b: _pooled(groups) for b, groups in by_budget.items()}
    pooled = {b: sd for b, sd in pooled.items() if sd is not None}
    table = {}
    for budget, groups in sorted(by_budget.items()):
        if pooled:
            source = min(pooled, key=lambda b: (abs(b - budget), b))
            networks = sum(1 for values in by_budget[source] if len(values) > 1)
            table[budget] = (pooled[source], 'seeds at %d epochs (%d networks)'
                             % (source, networks))
        else:
            everything = [e for values in groups for e in values]
            table[budget] = (_binomial_sd(everything), 'binomial (no repeated seeds)')
    return table


def network_estimates(results):
    """``{budget: {(wbits, abits): Estimate}}``: mean error over seeds and its standard error."""
    sds = seed_sd(results)
    table = collections.defaultdict(dict)
    for (wbits, abits, budget), values in seed_errors(results).items():
        sd = sds[budget][0]
        table[budget][(wbits, abits)] = Estimate(float(np.mean(values)),
                                                 sd / math.sqrt(len(values)), len(values))
    return dict(table)


def group_mean(estimates):
    """The mean of several independent estimates, with its standard error.

    Examples
    --------
    >>> group_mean([Estimate(4.0, 0.3, 1), Estimate(3.0, 0.4, 1)])
    Estimate(mean=3.5, se=0.25, n=2)
    """
    estimates = list(estimates)
    if not estimates:
        return None
    se = math.sqrt(sum(e.se ** 2 for e in estimates)) / len(estimates)
    return Estimate(float(np.mean([e.mean for e in estimates])), se, len(estimates))


def difference(first, second):
    """``first - second`` as an :class:`Estimate` (``n``: the smaller count)."""
    return Estimate(first.mean - second.mean, math.sqrt(first.se ** 2 + second.se ** 2),
                    min(first.n, second.n))


def counts(estimate):
    """True when ``estimate`` (a difference) is larger than twice its standard error.

    Examples
    --------
    >>> counts(Estimate(0.5, 0.2, 3)), counts(Estimate(-0.3, 0.2, 3))
    (True, False)
    """
    return abs(estimate.mean) > 2 * estimate.se


def seed_summary(results):
    """One line per budget: its seed standard deviation and where it comes from."""
    return ['%d epochs: %.2f pp (%s)' % (budget, sd, source)
            for budget, (sd, source) in sorted(seed_sd(results).items())]
