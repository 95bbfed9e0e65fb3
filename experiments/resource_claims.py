"""The paper's resource claims (its Fig. 6, Fig. 7 and fit counts), judged on the study's figures.

A claim judged on estimates reads "consistent with the estimate" (or not); only Vivado HLS
figures give a plain verdict (:func:`experiments.verdicts.resource_verdict`). How much of a
resource's variation over the W x A grid each precision explains is
:func:`experiments.analysis.variance_shares` (two-way main effects).
"""
from __future__ import absolute_import, division, print_function

from qnn.naming import network_name

from . import analysis
from .verdicts import Claim, UNTESTED, resource_verdict, untested

__all__ = ['CLAIMS']

#: "Evenly": neither precision explains less than half of what the other explains.
EVEN_RATIO = 0.5


def _shares(results, resource):
    return analysis.variance_shares(analysis.resource_grid(results, resource))


def _grid_scope(results):
    return '%d networks, hardware from %s' % (
        len(results['hardware']),
        ', '.join(sorted({f['source'] for f in results['hardware'].values()})) or 'nothing')


def _share_text(resource, share):
    return '%s: W explains %.0f %%, A %.0f %% of the variance' % (
        resource, 100 * share['W'], 100 * share['A'])


def _shares_claim(name, text, resources, consistent):
    def claim(results):
        shares = dict((r, _shares(results, r)) for r in resources)
        if any(share is None for share in shares.values()):
            return untested(text, 'needs a complete W x A grid of hardware figures')
        ours = '; '.join(_share_text(r, shares[r]) for r in resources)
        return Claim(text, ours, resource_verdict(results, consistent(shares)),
                     _grid_scope(results))
    claim.__name__ = name
    return claim


def _even(share):
    low, high = sorted((share['W'], share['A']))
    return high > 0 and low / high >= EVEN_RATIO


claim_lut_even = _shares_claim(
    'claim_lut_even', '"LUT cost depends on weight and activation precision evenly" (Fig. 6a). '
    'Criterion: neither explains less than half of what the other does.', ('LUT',),
    lambda shares: _even(shares['LUT']))
claim_ff_even = _shares_claim(
    'claim_ff_even', '"FF cost depends on weight and activation precision evenly" (Fig. 6a). '
    'Criterion: as for LUTs.', ('FF',), lambda shares: _even(shares['FF']))
claim_ff_activations = _shares_claim(
    'claim_ff_activations', '"FFs depend mostly on activation precision."', ('FF',),
    lambda shares: shares['FF']['A'] > shares['FF']['W'])
claim_bram_weights = _shares_claim(
    'claim_bram_weights', '"BRAM depends only on weight precision."', ('BRAM_18K',),
    lambda shares: shares['BRAM_18K']['A'] < 0.01)


def _growth(results, members, resource):
    """Last over first value of ``resource`` along a radar group (None: a figure missing)."""
    grid = analysis.resource_grid(results, resource)
    first, last = grid.get(members[0]), grid.get(members[-1])
    if not first or last is None:
        return None
    return float(last) / first


def _radar_claim(name, group, text, consistent):
    members = analysis.RADAR_GROUPS[group]

    def claim(results):
        growth = dict((r, _growth(results, members, r)) for r in analysis.RESOURCES)
        if any(value is None for value in growth.values()):
            return untested(text, 'needs the hardware figures of %s' % ', '.join(
                network_name(*net) for net in members))
        ours = 'from W%dA%d to W%dA%d: ' % (members[0] + members[-1]) + ', '.join(
            '%s x%.2f' % (r, growth[r]) for r in analysis.RESOURCES)
        return Claim(text, ours, resource_verdict(results, consistent(growth)),
                     'Fig. 7 %s group: %s' % (group, ', '.join(network_name(*n) for n in members)))
    claim.__name__ = name
    return claim


claim_radar_weights = _radar_claim(
    'claim_radar_weights', 'weight-oriented',
    '"With 4-bit activations, more weight bits cost mainly BRAM" (Fig. 7, weight-oriented '
    'group).', lambda g: g['BRAM_18K'] > max(g['LUT'], g['FF']))
claim_radar_activations = _radar_claim(
    'claim_radar_activations', 'activation-oriented',
    '"With 4-bit weights, more activation bits cost mainly LUTs and FFs, not BRAM" (Fig. 7, '
    'activation-oriented group).', lambda g: min(g['LUT'], g['FF']) > g['BRAM_18K'])
claim_radar_linear = _radar_claim(
    'claim_radar_linear', 'linear',
    '"Raising both precisions together costs every resource" (Fig. 7, linear group).',
    lambda g: min(g.values()) > 1)


def _count_sentence(counts):
    return ('%d of %d networks meet the BRAM limit, %d the FF limit, %d the LUT limit (%d), '
            '%d all three' % (counts['BRAM_18K'], counts['networks'], counts['FF'], counts['LUT'],
                              analysis.Z7020['LUT'], counts['all']))


def _fit_claim(results, text, matches):
    counts = analysis.fit_counts(results)
    ours = _count_sentence(counts)
    if counts['networks'] != 64:
        return Claim(text, ours, UNTESTED + ' (not the full 64-network grid)', '-')
    return Claim(text, ours, resource_verdict(results, matches(counts)), _grid_scope(results))


def claim_fit_counts(results):
    paper = analysis.PAPER_FITS
    text = ('"Of the 64 networks, %d meet the Z7020 BRAM limit (%d BRAM_18K) and %d the FF '
            'limit (%d)."' % (paper['BRAM_18K'], analysis.Z7020['BRAM_18K'], paper['FF'],
                              analysis.Z7020['FF']))
    return _fit_claim(results, text, lambda counts: counts['BRAM_18K'] == paper['BRAM_18K'] and
                      counts['FF'] == paper['FF'])


def claim_device_fits(results):
    paper = analysis.PAPER_FITS
    text = '"Only %d of the 64 networks fit the whole Z7020."' % paper['device']
    return _fit_claim(results, text, lambda counts: counts['all'] == paper['device'])


CLAIMS = (claim_lut_even, claim_ff_even, claim_ff_activations, claim_bram_weights,
          claim_radar_weights, claim_radar_activations, claim_radar_linear, claim_fit_counts,
          claim_device_fits)
