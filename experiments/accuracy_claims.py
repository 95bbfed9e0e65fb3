"""The paper's accuracy claims (its Fig. 5 and Table 2), each judged with the seed rule.

Every claim is a function ``claim(results) -> Claim`` (see :mod:`experiments.verdicts`). A
claim is judged only on the epoch budgets it speaks of and only on studies trained on the whole
training set; a difference between networks counts only by the rule of
:mod:`experiments.seeds` (larger than twice its standard error). A compound statement of the
paper is split into its parts, one claim each.
"""
from __future__ import absolute_import, division, print_function

from . import analysis, seeds
from .verdicts import FAILS, HOLDS, Claim, out_of_scope, untested

__all__ = ['CLAIMS']

#: The paper's longest budget, on which its Table 2 errors were reached.
PAPER_LONGEST = 100


def _at(results, wanted):
    """``{budget: {(w, a): Estimate}}`` for the study's budgets that ``wanted(budget)`` keeps."""
    return {budget: table for budget, table in seeds.network_estimates(results).items()
            if wanted(budget)}


def _weights(table, wbits):
    """The mean over every network whose weight bits are in ``wbits`` (None: none)."""
    return seeds.group_mean(e for (w, _), e in table.items() if w in wbits)


def _by(table, axis):
    """``{bits: Estimate}``: the mean over the other precision, per weight (0) or activation
    (1) precision."""
    keys = sorted({net[axis] for net in table})
    return dict((k, seeds.group_mean(e for net, e in table.items() if net[axis] == k))
                for k in keys)


def _scope(per_budget, what, weights=None):
    """What a claim was judged on: its part of the grid, the budgets, and the networks and runs
    of those budgets (only the weight precisions ``weights`` when given)."""
    budgets = sorted(per_budget)
    judged = [(net, e) for table in per_budget.values() for net, e in table.items()
              if weights is None or net[0] in weights]
    nets = len({net for net, _ in judged})
    runs = sum(e.n for _, e in judged)
    return '%s; %s epochs; %d networks, %d runs' % (what, ', '.join(map(str, budgets)), nets, runs)


def _pm(estimate):
    """``'+0.31 +- 0.12 pp'``: a difference and twice its standard error."""
    return '%+.2f +- %.2f pp' % (estimate.mean, 2 * estimate.se)


def _every_budget(judge_one):
    """A judge that holds when ``judge_one(budget, table) -> (text, holds)`` holds at every
    budget; its text joins the budgets' texts."""
    def judge(per_budget):
        verdicts = [judge_one(budget, table) for budget, table in sorted(per_budget.items())]
        return '; '.join(text for text, _ in verdicts), all(ok for _, ok in verdicts)
    return judge


def _judge(text, results, wanted, what, need, judge, weights=None):
    """Common frame: scope checks, then ``judge(per_budget) -> (ours, holds)``; ``weights``: the
    weight precisions the claim is about, when it is about some only."""
    outside = out_of_scope(results, text)
    if outside:
        return outside
    per_budget = _at(results, wanted)
    missing = need(per_budget)
    if missing:
        return untested(text, missing)
    ours, holds = judge(per_budget)
    return Claim(text, ours, HOLDS if holds else FAILS, _scope(per_budget, what, weights))


def _needs_weights(*groups):
    def need(per_budget):
        if not per_budget:
            return 'no runs of the budgets the claim names'
        for table in per_budget.values():
            if any(_weights(table, group) is None for group in groups):
                return 'no runs of the weight precisions the claim compares'
        return None
    return need


def _band_claim(text, wbits, low, high):
    def judge(per_budget):
        inside, values = [], []
        for table in per_budget.values():
            for (w, _), e in table.items():
                if w in wbits:
                    values.append(e.mean)
                    inside.append(low - 2 * e.se <= e.mean <= high + 2 * e.se)
        ours = '%d of %d inside (within twice the standard error); %.2f-%.2f %%' % (
            sum(inside), len(inside), min(values), max(values))
        return ours, all(inside)
    return judge


def claim_band_low_weights(results):
    text = '"At 10 and 20 epochs, 1- to 3-bit weights give 3.9-4.7 % error."'
    return _judge(text, results, lambda b: b in (10, 20), 'W1-3', _needs_weights({1, 2, 3}),
                  _band_claim(text, {1, 2, 3}, 3.9, 4.7), weights={1, 2, 3})


def claim_band_high_weights(results):
    text = '"At 10 and 20 epochs, weights of 4 bits or more stay below 3.7 % error."'
    return _judge(text, results, lambda b: b in (10, 20), 'W4-8',
                  _needs_weights(set(range(4, 9))),
                  _band_claim(text, set(range(4, 9)), float('-inf'), 3.7),
                  weights=set(range(4, 9)))


def _gap(table, worse, better):
    return seeds.difference(_weights(table, worse), _weights(table, better))


def claim_major_gap(results):
    text = '"There is a major gap between 1-2-bit and 3-8-bit weights."'

    def judge(per_budget):
        gaps = [(b, _gap(t, {1, 2}, set(range(3, 9)))) for b, t in sorted(per_budget.items())]
        ours = 'W1-2 minus W3-8: ' + '; '.join('%d epochs %s' % (b, _pm(g)) for b, g in gaps)
        return ours, all(g.mean > 0 and seeds.counts(g) for _, g in gaps)
    return _judge(text, results, lambda b: True, 'all networks',
                  _needs_weights({1, 2}, set(range(3, 9))), judge)


def claim_gap_early(results):
    text = '"... especially at 10 and 20 epochs" (the 1-2 / 3-8-bit gap is larger there).'

    def need(per_budget):
        if not any(b <= 20 for b in per_budget) or not any(b > 20 for b in per_budget):
            return 'needs budgets of at most 20 and of more than 20 epochs'
        return _needs_weights({1, 2}, set(range(3, 9)))(per_budget)

    def judge(per_budget):
        early = seeds.group_mean(_gap(t, {1, 2}, set(range(3, 9)))
                                 for b, t in per_budget.items() if b <= 20)
        late = seeds.group_mean(_gap(t, {1, 2}, set(range(3, 9)))
                                for b, t in per_budget.items() if b > 20)
        change = seeds.difference(early, late)
        ours = 'gap at 10-20 epochs %.2f pp, later %.2f pp: difference %s' % (
            early.mean, late.mean, _pm(change))
        return ours, change.mean > 0 and seeds.counts(change)
    return _judge(text, results, lambda b: True, 'all networks', need, judge)


def _two_bit_matches(tolerance=0.0):
    """Judge: at every budget W2 is not worse than W3-8 by more than ``tolerance`` pp, or the
    difference does not count."""
    def judge_one(budget, table):
        gap = _gap(table, {2}, set(range(3, 9)))
        return ('%d epochs: W2 minus W3-8 %s' % (budget, _pm(gap)),
                gap.mean <= tolerance or not seeds.counts(gap))
    return _every_budget(judge_one)


def claim_boundary_one_bit(results):
    text = ('"Training for 40-100 epochs moves the boundary to 1 bit: 2-bit weights are as '
            'accurate as 3-8-bit weights."')

    def judge(per_budget):
        ours, as_good = _two_bit_matches()(per_budget)
        ones = [(b, _gap(t, {1}, set(range(2, 9)))) for b, t in sorted(per_budget.items())]
        ours += '; W1 minus W2-8: ' + '; '.join('%d epochs %s' % (b, _pm(g)) for b, g in ones)
        return ours, as_good and all(g.mean > 0 and seeds.counts(g) for _, g in ones)
    return _judge(text, results, lambda b: b >= 40, 'W1-8',
                  _needs_weights({1}, {2}, set(range(3, 9))), judge)


def claim_three_to_two(results):
    text = '"Beyond 40 epochs, weights can go from 3 to 2 bits without noticeable loss."'

    def judge(per_budget):
        gaps = [(b, _gap(t, {2}, {3})) for b, t in sorted(per_budget.items())]
        ours = 'W2 minus W3: ' + '; '.join('%d epochs %s' % (b, _pm(g)) for b, g in gaps)
        return ours, all(g.mean <= 0 or not seeds.counts(g) for _, g in gaps)
    return _judge(text, results, lambda b: b > 40, 'W2, W3', _needs_weights({2}, {3}), judge)


def claim_two_bit_almost(results):
    text = '"Beyond 50 epochs, 2-bit weights almost match 3-8-bit weights."'
    return _judge(text, results, lambda b: b > 50, 'W2-8',
                  _needs_weights({2}, set(range(3, 9))),
                  _two_bit_matches(tolerance=0.25))


def _needs_both_axes(per_budget):
    if not per_budget:
        return 'no runs'
    for table in per_budget.values():
        if len({w for w, _ in table}) < 2 or len({a for _, a in table}) < 2:
            return 'needs at least two weight and two activation precisions'
    return None


def claim_activation_steady(results):
    text = '"Activation precision has a steady effect on accuracy: the higher, the better."'

    def judge_one(budget, table):
        means = _by(table, 1)
        bits = sorted(means)
        overall = seeds.difference(means[bits[0]], means[bits[-1]])
        reversals = [b for b, c in zip(bits, bits[1:])
                     if seeds.counts(seeds.difference(means[c], means[b])) and
                     means[c].mean > means[b].mean]
        return ('%d epochs: A%d minus A%d %s, %s' % (
            budget, bits[0], bits[-1], _pm(overall),
            'no step counts as worse' if not reversals else 'worse from ' + ', '.join(
                'A%d to A%d' % (b, b + 1) for b in reversals)),
            overall.mean > 0 and seeds.counts(overall) and not reversals)
    return _judge(text, results, lambda b: True, 'all networks', _needs_both_axes,
                  _every_budget(judge_one))


def _effect_range(means):
    values = [e.mean for e in means.values()]
    return max(values) - min(values)


def claim_activation_smaller(results):
    text = '"The effect of activation precision is smaller than that of weight precision."'

    def judge_one(budget, table):
        range_w, range_a = _effect_range(_by(table, 0)), _effect_range(_by(table, 1))
        return ('%d epochs: range of the means over A %.2f pp, over W %.2f pp'
                % (budget, range_a, range_w), range_a < range_w)
    return _judge(text, results, lambda b: True, 'all networks', _needs_both_axes,
                  _every_budget(judge_one))


def claim_biggest_gain(results):
    text = '"The biggest gain in accuracy is from 1 to 2 weight bits."'

    def judge_one(budget, table):
        means = _by(table, 0)
        steps = [(w, seeds.difference(means[w], means[w + 1])) for w in sorted(means)
                 if w + 1 in means]
        best = max(steps, key=lambda step: step[1].mean)
        return ('%d epochs: W1 to W2 gains %s, the largest step is W%d to W%d'
                % (budget, _pm(dict(steps)[1]), best[0], best[0] + 1),
                best[0] == 1 and seeds.counts(best[1]))

    def need(per_budget):
        if any(not {1, 2} <= {w for w, _ in t} for t in per_budget.values()):
            return 'needs 1- and 2-bit weights'
        return None if per_budget else 'no runs'
    return _judge(text, results, lambda b: True, 'all networks', need, _every_budget(judge_one))


def claim_highest_precision(results):
    text = '"Accuracy is highest with the highest precision."'

    def judge_one(budget, table):
        top = max(table)  # the highest W, then the highest A
        best_net = min(table, key=lambda net: table[net].mean)
        gap = seeds.difference(table[top], table[best_net])
        return ('%d epochs: W%dA%d minus the best (W%dA%d, %.2f %%) %s'
                % ((budget,) + top + best_net + (table[best_net].mean, _pm(gap))),
                not seeds.counts(gap))

    def need(per_budget):
        if any((8, 8) not in t for t in per_budget.values()):
            return 'needs W8A8 at every budget'
        return None if per_budget else 'no runs'
    return _judge(text, results, lambda b: True, 'all networks', need, _every_budget(judge_one))


def _spread(table):
    best = min(table.values(), key=lambda e: e.mean)
    worst = max(table.values(), key=lambda e: e.mean)
    return seeds.difference(worst, best)


def claim_spread_narrows(results):
    text = '"The spread between the best and the worst network diminishes with training."'

    def judge(per_budget):
        spreads = [(b, _spread(t)) for b, t in sorted(per_budget.items())]
        change = seeds.difference(spreads[0][1], spreads[-1][1])
        ours = '; '.join('%d epochs: %.2f pp' % (b, s.mean) for b, s in spreads)
        ours += '; first minus last %s' % _pm(change)
        return ours, change.mean > 0 and seeds.counts(change)

    def need(per_budget):
        return None if len(per_budget) > 1 else 'needs at least two epoch budgets'
    return _judge(text, results, lambda b: True, 'all networks', need, judge)


def claim_sweet_spot(results):
    text = '"After 40 epochs, the sweet spot is around 3 bits."'

    def judge_one(budget, table):
        means = _by(table, 0)
        best = min(means.values(), key=lambda e: e.mean)
        enough = min(w for w, e in means.items()
                     if not seeds.counts(seeds.difference(e, best)) or e is best)
        return ('%d epochs: %d-bit weights are the fewest within the noise of the best weight '
                'precision (the sweet spot read as that precision)' % (budget, enough),
                enough == 3)
    return _judge(text, results, lambda b: b > 40, 'all networks', _needs_both_axes,
                  _every_budget(judge_one))


def _table2_error(index, label):
    def claim(results):
        paper = analysis.PAPER_TABLE2['error'][index]
        text = '"Table 2: %s test error %.2f %%."' % (label, paper)

        def judge(per_budget):
            table = per_budget[PAPER_LONGEST]
            pick = min if index == 0 else max
            net = pick(table, key=lambda n: table[n].mean)
            ours = table[net]
            ours_text = 'W%dA%d: %.2f %% (paper minus ours %+.2f pp, twice the standard error ' \
                '%.2f)' % (net + (ours.mean, paper - ours.mean, 2 * ours.se))
            return ours_text, abs(paper - ours.mean) <= 2 * ours.se

        def need(per_budget):
            return None if PAPER_LONGEST in per_budget else \
                'no runs of %d epochs (the paper\'s Table 2 errors come from its longest ' \
                'training)' % PAPER_LONGEST
        return _judge(text, results, lambda b: b == PAPER_LONGEST, 'all networks', need, judge)
    claim.__name__ = 'claim_table2_%s_error' % label
    return claim


CLAIMS = (claim_band_low_weights, claim_band_high_weights, claim_major_gap, claim_gap_early,
          claim_boundary_one_bit, claim_three_to_two, claim_two_bit_almost,
          claim_activation_steady, claim_activation_smaller, claim_biggest_gain,
          claim_highest_precision, claim_spread_narrows, claim_sweet_spot,
          _table2_error(0, 'best'), _table2_error(1, 'worst'))
