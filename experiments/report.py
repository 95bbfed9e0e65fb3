"""The reproduction report: each claim of the paper beside this study's number (Markdown + HTML)."""
from __future__ import absolute_import, division, print_function

import collections
import os

import numpy as np

from qnn.fileio import atomic_write
from qnn.data.mnist import TRAIN_COUNT

from . import analysis
from .hardware import VIVADO
from .plan import PROFILES

__all__ = ['evaluate_claims', 'render_markdown', 'write_report', 'Claim', 'HOLDS', 'FAILS',
           'UNTESTED', 'CONSISTENT', 'INCONSISTENT']

Claim = collections.namedtuple('Claim', ['text', 'ours', 'verdict'])

HOLDS, FAILS, UNTESTED = 'holds', 'does not hold', 'not testable here'
#: Verdicts on resource claims judged on estimates: only Vivado HLS reports give a plain one.
CONSISTENT, INCONSISTENT = 'consistent with the estimate', 'not consistent with the estimate'

#: The paper's training set: its accuracy claims are about runs on all of it.
FULL_TRAINING_SET = TRAIN_COUNT


def _mean(values):
    values = list(values)
    return float(np.mean(values)) if values else None


def _errors_at(grid, budget_filter, network_filter):
    return [e for net, per in grid.items() if network_filter(net)
            for budget, e in per.items() if budget_filter(budget)]


def _full_training_set(results):
    """Whether the study trained on the paper's whole training set."""
    return results['settings'].get('train_size', FULL_TRAINING_SET) >= FULL_TRAINING_SET


def _out_of_scope(results, text):
    """The claim with 'not testable here' when the study trained on fewer images than the paper."""
    if _full_training_set(results):
        return None
    return Claim(text, 'the study trains on %d of the %d training images; the claim is about '
                 'the whole training set' % (results['settings']['train_size'],
                                             FULL_TRAINING_SET), UNTESTED)


def _resource_verdict(results, consistent):
    """Plain verdict on Vivado HLS figures only; 'consistent with the estimate' otherwise."""
    sources = {figures['source'] for figures in results['hardware'].values()}
    if sources == {VIVADO}:
        return HOLDS if consistent else FAILS
    return CONSISTENT if consistent else INCONSISTENT


def claim_early_weights(results):
    text = ('At 10-20 epochs, 1-3-bit weights give 3.9-4.7 % error; >= 4-bit weights stay '
            'below 3.7 %.')
    outside = _out_of_scope(results, text)
    if outside:
        return outside
    grid = analysis.error_grid(results)
    early = lambda b: 10 <= b <= 20  # noqa: E731
    low = _errors_at(grid, early, lambda n: n[0] <= 3)
    high = _errors_at(grid, early, lambda n: n[0] >= 4)
    if not low or not high:
        return Claim(text, 'no runs of 10-20 epochs for both weight groups', UNTESTED)
    ours = ('1-3-bit weights: %.2f-%.2f %% (mean %.2f); >= 4-bit: %.2f-%.2f %% (mean %.2f)'
            % (min(low), max(low), _mean(low), min(high), max(high), _mean(high)))
    holds = 3.9 <= min(low) and max(low) <= 4.7 and max(high) < 3.7
    ordered = _mean(high) < _mean(low)
    verdict = HOLDS if holds else (FAILS + (' (but the ordering holds)' if ordered else ''))
    return Claim(text, ours, verdict)


def claim_two_bit_weights(results):
    text = ('Beyond ~40 epochs, 2-bit weights are almost as accurate as 3-8-bit weights '
            '(criterion here: mean error within 0.25 percentage points).')
    outside = _out_of_scope(results, text)
    if outside:
        return outside
    grid = analysis.error_grid(results)
    late = lambda b: b >= 40  # noqa: E731
    two = _errors_at(grid, late, lambda n: n[0] == 2)
    more = _errors_at(grid, late, lambda n: n[0] >= 3)
    if not two or not more:
        return Claim(text, 'no runs of >= 40 epochs with 2-bit and >= 3-bit weights', UNTESTED)
    gap = _mean(two) - _mean(more)
    ours = 'mean error W2: %.2f %%, W3-8: %.2f %% (gap %+.2f pp)' % (_mean(two), _mean(more), gap)
    return Claim(text, ours, HOLDS if gap <= 0.25 else FAILS)


def _main_effect_ranges(results):
    final = analysis.final_errors(results)
    by_w, by_a = collections.defaultdict(list), collections.defaultdict(list)
    for (w, a), error in final.items():
        by_w[w].append(error)
        by_a[a].append(error)
    mean_w = {w: _mean(v) for w, v in by_w.items()}
    mean_a = {a: _mean(v) for a, v in by_a.items()}
    return mean_w, mean_a


def claim_activation_effect(results):
    text = ('Activation precision has a steady but smaller effect on accuracy than weight '
            'precision.')
    outside = _out_of_scope(results, text)
    if outside:
        return outside
    mean_w, mean_a = _main_effect_ranges(results)
    if len(mean_w) < 2 or len(mean_a) < 2:
        return Claim(text, 'needs at least two weight and two activation precisions', UNTESTED)
    range_w = max(mean_w.values()) - min(mean_w.values())
    range_a = max(mean_a.values()) - min(mean_a.values())
    ordered = [mean_a[a] for a in sorted(mean_a)]
    steady = all(later <= earlier + 0.1 for earlier, later in zip(ordered, ordered[1:]))
    ours = ('spread of the mean error over activation bits %.2f pp (%s), over weight bits %.2f pp'
            % (range_a, 'monotone' if steady else 'not monotone', range_w))
    return Claim(text, ours, HOLDS if range_a < range_w and steady else FAILS)


def claim_spread_narrows(results):
    text = 'The spread between the best and the worst network narrows with training.'
    outside = _out_of_scope(results, text)
    if outside:
        return outside
    grid = analysis.error_grid(results)
    spreads = []
    for budget in analysis.budgets(results):
        errors = [per[budget] for per in grid.values() if budget in per]
        if len(errors) > 1:
            spreads.append((budget, max(errors) - min(errors)))
    if len(spreads) < 2:
        return Claim(text, 'needs at least two epoch budgets', UNTESTED)
    ours = ', '.join('%d epochs: %.2f pp' % item for item in spreads)
    narrowed = spreads[-1][1] < spreads[0][1] - 0.01  # by more than rounding noise
    return Claim(text, ours, HOLDS if narrowed else FAILS)


def claim_resource_dependencies(results):
    text = ('LUTs depend on both precisions, FFs mostly on activation precision, BRAM only on '
            'weight precision.')
    shares = {r: analysis.variance_shares(analysis.resource_grid(results, r))
              for r in analysis.RESOURCES}
    if any(share is None for share in shares.values()):
        return Claim(text, 'needs a complete W x A grid of hardware figures', UNTESTED)
    ours = '; '.join('%s: W explains %.0f %%, A %.0f %% of the variance'
                     % (r, 100 * s['W'], 100 * s['A']) for r, s in shares.items())
    consistent = (shares['LUT']['W'] > 0.1 and shares['LUT']['A'] > 0.1 and
                  shares['FF']['A'] > shares['FF']['W'] and shares['BRAM_18K']['A'] < 0.01)
    return Claim(text, ours, _resource_verdict(results, consistent))


def _count_sentence(counts):
    return ('%d of %d networks meet the BRAM limit, %d the FF limit, %d the LUT limit (%d), '
            '%d all three' % (counts['BRAM_18K'], counts['networks'], counts['FF'], counts['LUT'],
                              analysis.Z7020['LUT'], counts['all']))


def _fit_claim(results, text, matches):
    counts = analysis.fit_counts(results)
    ours = _count_sentence(counts)
    if counts['networks'] != 64:
        return Claim(text, ours, UNTESTED + ' (not the full 64-network grid)')
    return Claim(text, ours, _resource_verdict(results, matches(counts)))


def claim_fit_counts(results):
    paper = analysis.PAPER_FITS
    text = ('Of the 64 networks, %d meet the Z7020 BRAM limit (%d BRAM_18K) and %d the FF limit '
            '(%d).' % (paper['BRAM_18K'], analysis.Z7020['BRAM_18K'], paper['FF'],
                       analysis.Z7020['FF']))
    return _fit_claim(results, text, lambda counts: counts['BRAM_18K'] == paper['BRAM_18K'] and
                      counts['FF'] == paper['FF'])


def claim_device_fits(results):
    paper = analysis.PAPER_FITS
    text = 'Only %d of the 64 networks fit the whole Z7020.' % paper['device']
    return _fit_claim(results, text, lambda counts: counts['all'] == paper['device'])


CLAIMS = (claim_early_weights, claim_two_bit_weights, claim_activation_effect,
          claim_spread_narrows, claim_resource_dependencies, claim_fit_counts,
          claim_device_fits)


def evaluate_claims(results):
    """Every claim of the paper with this study's number and a verdict.

    Accuracy claims are judged only on studies trained on the paper's whole training set, and
    on the epoch budgets they speak of; resource claims read "consistent with the estimate"
    unless every hardware figure comes from a Vivado HLS report.
    """
    return [claim(results) for claim in CLAIMS]


def _table2_markdown(results):
    ours = analysis.table2(results)
    lines = ['| | paper best | paper worst | ours best | ours worst |', '|---|---|---|---|---|']
    for key, (paper_best, paper_worst) in analysis.PAPER_TABLE2.items():
        best, worst = ours[key]
        unit = ' %' if key == 'error' else ''
        lines.append('| %s | %s%s | %s%s | %s | %s |' % (
            key, paper_best, unit, paper_worst, unit, _fmt(best, unit), _fmt(worst, unit)))
    for key, label in (('cycles', 'cycles per image'), ('images_per_second', 'images/s')):
        best, worst = ours[key]
        lines.append('| %s | n/a | n/a | %s | %s |' % (label, _fmt(best), _fmt(worst)))
    return lines


def _error_budget_caveat(results):
    """Why the paper's error extremes may not compare with a study of shorter budgets."""
    longest = max(analysis.budgets(results) or [0])
    paper_longest = max(PROFILES['paper']['epochs'])
    if longest >= paper_longest:
        return ''
    return (' (%d epochs; the paper\'s %s-%s %% lie far below its own 10-20-epoch band, so they '
            'come from longer training, up to %d epochs: compare them with a study of that budget)'
            % ((longest,) + tuple(analysis.PAPER_TABLE2['error']) + (paper_longest,)))


def _throughput_lines(results):
    """The study's throughput, or a warning when its networks differ in it."""
    summary = analysis.throughput_summary(results)
    if not analysis.throughputs(results):
        return []
    if len(analysis.throughputs(results)) > 1:
        return ['**Warning:** %s; their resources are not compared at one design point (fold '
                'every network for one `--cycles`).' % summary, '']
    return ['Hardware throughput: %s (the HLS clock), for every network.' % summary, '']


def _fmt(value, unit=''):
    if value is None:
        return 'n/a'
    return ('%.2f' % value if unit else '%d' % round(value)) + unit


def _software_lines(results):
    seen = collections.OrderedDict()
    for run in results['runs']:
        software = run['config'].get('software', {})
        key = tuple(sorted((k, str(v)) for k, v in software.items()
                           if k in ('python', 'numpy', 'scipy', 'theano', 'lasagne', 'qnn',
                                    'qnn_git', 'blas_ldflags', 'floatX')))
        seen.setdefault(key, []).append(run['name'])
    lines = []
    for key, names in seen.items():
        lines.append('- %d runs: %s' % (len(names), ', '.join('%s %s' % kv for kv in key)))
    return lines


def render_markdown(results, figures, study_dir):
    """The report as Markdown text (figures referenced relative to ``study_dir``)."""
    settings = results['settings']
    seeds = sorted({run['seed'] for run in results['runs']})
    sources = sorted({h['source'] for h in results['hardware'].values()})
    lines = ['# Reproduction report', '',
             'Study folder settings: %s. Seeds: %s. Runs: %d; networks: %d; epoch budgets: %s.'
             % (', '.join('%s=%s' % kv for kv in sorted(settings.items())),
                ', '.join(map(str, seeds)), len(results['runs']),
                len(analysis.networks(results)),
                ', '.join(map(str, analysis.budgets(results)))), '',
             ] + _throughput_lines(results) + [
             '## Claims of the paper', '',
             'Accuracy claims are judged only on runs inside their scope (the whole training '
             'set, the epoch budgets they name). Resource claims judged on estimates read '
             '"%s" or "%s"; only Vivado HLS reports give a plain verdict.'
             % (CONSISTENT, INCONSISTENT), '',
             '| claim | this study | verdict |', '|---|---|---|']
    for claim in evaluate_claims(results):
        lines.append('| %s | %s | **%s** |' % (claim.text, claim.ours, claim.verdict))
    lines += ['', '## Table 2: best and worst over the networks', '']
    lines += _table2_markdown(results)
    lines += ['', 'Error is the test error at the largest epoch budget of the study%s. Hardware '
              'figures come from: %s. Estimates are analytical models (`hwgen.estimates`, scored '
              'against the published figures by `qnn hwgen score`), not Vivado results.'
              % (_error_budget_caveat(results), ', '.join(sources) or 'none'), '',
              '## Figures', '']
    for name, paths in sorted(figures.items()):
        png = [p for p in paths if p.endswith('.png')][0]
        lines += ['### %s' % name, '', '![%s](%s)' % (name, os.path.relpath(png, study_dir)), '']
    lines += ['## Hardware figures per network', '',
              '| network | LUT | FF | BRAM_18K | cycles per image | images/s | source |',
              '|---|---|---|---|---|---|---|']
    for network, figures_ in sorted(results['hardware'].items()):
        lines.append('| %s | %s | %s | %s | %s | %s | %s |' % (
            network, _fmt(figures_['LUT']), _fmt(figures_['FF']), _fmt(figures_['BRAM_18K']),
            _fmt(figures_.get('cycles')), _fmt(figures_.get('images_per_second')),
            figures_['source']))
    lines += ['', '## Software', ''] + _software_lines(results) + ['']
    return '\n'.join(lines)


def _markdown_to_html(markdown):
    """A small converter for the subset :func:`render_markdown` emits (no extra dependency)."""
    import re
    html, in_table = [], False
    for line in markdown.split('\n'):
        inline = re.sub(r'\*\*(.+?)\*\*', r'<b>\1</b>', _escape(line))
        inline = re.sub(r'`(.+?)`', r'<code>\1</code>', inline)
        inline = re.sub(r'!\[(.*?)\]\((.+?)\)', r'<img alt="\1" src="\2" style="max-width:100%">',
                        inline)
        if line.startswith('|'):
            cells = [c.strip() for c in inline.strip('|').split('|')]
            if set(line) <= set('|-'):
                continue
            tag = 'th' if not in_table else 'td'
            if not in_table:
                html.append('<table border="1" cellspacing="0" cellpadding="4">')
                in_table = True
            html.append('<tr>%s</tr>' % ''.join('<%s>%s</%s>' % (tag, c, tag) for c in cells))
            continue
        if in_table:
            html.append('</table>')
            in_table = False
        heading = re.match(r'(#+) (.*)', inline)
        if heading:
            level = len(heading.group(1))
            html.append('<h%d>%s</h%d>' % (level, heading.group(2), level))
        elif inline.startswith('- '):
            html.append('<li>%s</li>' % inline[2:])
        elif inline:
            html.append('<p>%s</p>' % inline)
    if in_table:
        html.append('</table>')
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>qnn reproduction report'
            '</title></head><body style="font-family:sans-serif;max-width:1100px">\n%s\n'
            '</body></html>\n' % '\n'.join(html))


def _escape(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def write_report(results, figures, study_dir):
    """Write ``report.md`` and ``report.html`` into the study folder; returns their paths."""
    markdown = render_markdown(results, figures, study_dir)
    paths = []
    for name, text in (('report.md', markdown), ('report.html', _markdown_to_html(markdown))):
        path = os.path.join(study_dir, name)
        with atomic_write(path, 'wb') as handle:
            handle.write(text.encode('utf-8'))
        paths.append(path)
    return paths
