"""Seed noise: pooled standard deviations and the rule by which a difference counts."""
from __future__ import absolute_import, division

import math

import pytest

from experiments import seeds


def _results(errors):
    """``errors``: {(w, a, budget): [test error in % per seed]}."""
    return {'runs': [{'wbits': w, 'abits': a, 'epochs': b, 'seed': s, 'test_error': e / 100.}
                     for (w, a, b), values in errors.items() for s, e in enumerate(values)]}


def test_pooled_seed_sd_and_the_standard_error_of_one_seed():
    # variances 0.04 (2 degrees of freedom) and 0.08 (1): pooled sqrt(0.16 / 3)
    results = _results({(1, 1, 10): [4.0, 4.2, 4.4], (2, 2, 10): [3.0, 3.4],
                        (3, 3, 10): [3.8], (1, 1, 20): [3.5]})
    pooled = math.sqrt(0.16 / 3)
    table = seeds.seed_sd(results)
    assert table[10][0] == pytest.approx(pooled)
    assert table[10][1] == 'seeds at 10 epochs (2 networks)'
    assert table[20] == (pytest.approx(pooled), 'seeds at 10 epochs (2 networks)')  # nearest
    estimates = seeds.network_estimates(results)
    assert estimates[10][(1, 1)].mean == pytest.approx(4.2)
    assert estimates[10][(1, 1)].se == pytest.approx(pooled / math.sqrt(3))
    assert estimates[10][(3, 3)].se == pytest.approx(pooled)
    assert estimates[20][(1, 1)].n == 1


def test_without_repeated_seeds_the_test_set_binomial_error():
    table = seeds.seed_sd(_results({(1, 1, 10): [4.0], (2, 1, 10): [4.0]}))
    # sqrt(0.04 * 0.96 / 10 000) = 0.00196, in percentage points
    assert table[10] == (pytest.approx(0.19596, abs=1e-5), 'binomial (no repeated seeds)')


def test_a_difference_counts_beyond_twice_its_standard_error():
    first, second = seeds.Estimate(4.0, 0.1, 3), seeds.Estimate(3.6, 0.15, 3)
    gap = seeds.difference(first, second)
    assert gap.mean == pytest.approx(0.4) and gap.se == pytest.approx(math.sqrt(0.0325))
    assert seeds.counts(gap)                       # 0.4 > 2 x 0.180
    assert not seeds.counts(seeds.difference(first, seeds.Estimate(3.7, 0.15, 3)))  # 0.3 < 0.36
    mean = seeds.group_mean([seeds.Estimate(1.0, 0.3, 1), seeds.Estimate(2.0, 0.4, 1),
                             seeds.Estimate(3.0, 0.0, 1)])
    assert mean.mean == pytest.approx(2.0) and mean.se == pytest.approx(0.5 / 3)
    assert seeds.group_mean([]) is None
