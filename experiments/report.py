"""The reproduction report: each claim of the paper beside this study's number (Markdown + HTML)."""
from __future__ import absolute_import, division, print_function

import collections
import os

from qnn.fileio import atomic_write

from . import accuracy_claims, analysis, resource_claims, seeds
from .plan import PROFILES
from .hardware import SYNTHESIS, measured_view
from .verdicts import CONSISTENT, FAILS, HOLDS, INCONSISTENT, SYNTH_FAILS, SYNTH_HOLDS, UNTESTED, \
    Claim

__all__ = ['evaluate_claims', 'render_markdown', 'write_report', 'Claim', 'HOLDS', 'FAILS',
           'UNTESTED', 'CONSISTENT', 'INCONSISTENT', 'SYNTH_HOLDS', 'SYNTH_FAILS']

#: Every claim of the paper the report judges, in the order it lists them.
CLAIMS = accuracy_claims.CLAIMS + resource_claims.CLAIMS


def evaluate_claims(results):
    """Every claim of the paper with this study's number, a verdict and the scope judged on.

    Accuracy claims are judged only on studies trained on the paper's whole training set, on
    the epoch budgets they speak of, with the seed rule of :mod:`experiments.seeds`; resource
    claims on :func:`~experiments.hardware.measured_view`: they read "consistent with the
    estimate" unless every hardware figure is measured (Vivado HLS, or the yosys-xc7
    synthesis).
    """
    measured = measured_view(results)
    return ([claim(results) for claim in accuracy_claims.CLAIMS] +
            [claim(measured) for claim in resource_claims.CLAIMS])


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


def _synthesis_lines(sources):
    """The one statement of what yosys-xc7 figures are, when the report uses them."""
    if SYNTHESIS not in sources:
        return []
    return ['Resource figures labelled %s are a Yosys synthesis for the Z7020 of the RTL that '
            '`qnn hwgen rtl` writes (the parallel threshold unit, as the HLS design): measured, '
            'but not Vivado and not placed (`docs/synthesis.md`); claims judged on them read '
            '"%s" or "%s".' % (SYNTHESIS, SYNTH_HOLDS, SYNTH_FAILS), '']


def render_markdown(results, figures, study_dir):
    """The report as Markdown text (figures referenced relative to ``study_dir``)."""
    settings = results['settings']
    seed_list = sorted({run['seed'] for run in results['runs']})
    results = measured_view(results)
    sources = sorted({h['source'] for h in results['hardware'].values()})
    lines = ['# Reproduction report', '',
             'Study folder settings: %s. Seeds: %s. Runs: %d; networks: %d; epoch budgets: %s.'
             % (', '.join('%s=%s' % kv for kv in sorted(settings.items())),
                ', '.join(map(str, seed_list)), len(results['runs']),
                len(analysis.networks(results)),
                ', '.join(map(str, analysis.budgets(results)))), '',
             ] + _throughput_lines(results) + [
             '## Claims of the paper', '',
             'Accuracy claims are judged only on runs inside their scope (the whole training '
             'set, the epoch budgets they name). Resource claims judged on estimates read '
             '"%s" or "%s"; only Vivado HLS reports give a plain verdict.'
             % (CONSISTENT, INCONSISTENT), ''] + _synthesis_lines(sources) + [
             'Differences between networks: %s. The seed standard deviation per budget: %s.'
             % (seeds.RULE, '; '.join(seeds.seed_summary(results)) or 'no runs'), '',
             '| claim of the paper | this study | verdict | judged on |', '|---|---|---|---|']
    for claim in evaluate_claims(results):
        lines.append('| %s | %s | **%s** | %s |' % (claim.text, claim.ours, claim.verdict,
                                                    claim.scope))
    lines += ['', '## Table 2: best and worst over the networks', '']
    lines += _table2_markdown(results)
    lines += ['', 'Error is the test error at the largest epoch budget of the study%s. Hardware '
              'figures come from: %s. Estimates are analytical models '
              '(`hwgen.estimate.models`, scored against the published figures by `qnn hwgen '
              'score`), not Vivado results.'
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
