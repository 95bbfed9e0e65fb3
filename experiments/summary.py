"""The study's numbers as Markdown blocks that prose can carry without drifting from the data.

``make results`` writes these blocks into Markdown files between marker lines
(``<!-- qnn-summary:NAME -->`` ... ``<!-- /qnn-summary:NAME -->``), so the summary tables of
``results/README.md`` and the README's Results section are generated from the results store,
never typed by hand; a test checks that the committed files carry what the store gives.
"""
from __future__ import absolute_import, division, print_function

import collections
import io
import re

import numpy as np

from qnn.fileio import atomic_write
from qnn.study import StudyError

from . import report, seeds
from .verdicts import CONSISTENT, FAILS, HOLDS, INCONSISTENT, SYNTH_FAILS, SYNTH_HOLDS

__all__ = ['BLOCKS', 'coverage_table', 'error_table', 'verdict_table', 'findings',
           'fill_blocks', 'update_file', 'SummaryError']


class SummaryError(StudyError):
    """A file's summary markers are missing or broken."""


def _budget_runs(results):
    table = collections.OrderedDict()
    for run in sorted(results['runs'], key=lambda r: (r['epochs'], r['seed'])):
        table.setdefault(run['epochs'], []).append(run)
    return table


def coverage_table(results):
    """Per epoch budget: networks, seeds, runs, run-hours, median seconds per epoch, machines."""
    lines = ['| epochs | networks | seeds | runs | run-hours | median s per epoch and run | '
             'machine |', '|---|---|---|---|---|---|---|']
    for budget, runs in _budget_runs(results).items():
        seconds = [run['train_seconds'] / max(1, run['epochs']) for run in runs]
        machines = sorted({run['config'].get('software', {}).get('machine', 'not recorded')
                           for run in runs})
        lines.append('| %d | %d | %s | %d | %.1f | %.1f | %s |' % (
            budget, len({(r['wbits'], r['abits']) for r in runs}),
            ', '.join(str(s) for s in sorted({r['seed'] for r in runs})), len(runs),
            sum(r['train_seconds'] for r in runs) / 3600., float(np.median(seconds)),
            '; '.join(machines)))
    return '\n'.join(lines)


def error_table(results):
    """Per budget and weight precision: the range of the networks' test errors (mean over
    seeds) and the best and worst network."""
    lines = ['| epochs | weights | networks | test error | best | worst |',
             '|---|---|---|---|---|---|']
    for budget, table in sorted(seeds.network_estimates(results).items()):
        for wbits in sorted({w for w, _ in table}):
            row = dict((a, e) for (w, a), e in table.items() if w == wbits)
            best = min(sorted(row), key=lambda a: row[a].mean)  # ties: the fewest bits
            worst = max(sorted(row), key=lambda a: row[a].mean)
            lines.append('| %d | %d bit%s | %d | %.2f-%.2f %% | W%dA%d | W%dA%d |' % (
                budget, wbits, '' if wbits == 1 else 's', len(row), row[best].mean,
                row[worst].mean, wbits, best, wbits, worst))
    return '\n'.join(lines)


def verdict_table(results):
    """Every claim of the report with its verdict (the numbers are in ``report.md``)."""
    lines = ['| claim of the paper | verdict |', '|---|---|']
    for claim in report.evaluate_claims(results):
        lines.append('| %s | %s |' % (claim.text, claim.verdict))
    return '\n'.join(lines)


def findings(results):
    """A few sentences for the README: budgets, errors, verdict counts."""
    estimates = seeds.network_estimates(results)
    parts = []
    for budget, table in sorted(estimates.items()):
        best = min(sorted(table), key=lambda net: table[net].mean)  # ties: the fewest bits
        worst = max(sorted(table), key=lambda net: table[net].mean)
        parts.append('* %d epochs, %d networks: test error %.2f %% (W%dA%d) to %.2f %% (W%dA%d)'
                     % ((budget, len(table), table[best].mean) + best +
                        (table[worst].mean,) + worst))
    verdicts = collections.Counter(c.verdict for c in report.evaluate_claims(results))
    judged = [HOLDS, FAILS, SYNTH_HOLDS, SYNTH_FAILS, CONSISTENT, INCONSISTENT]
    untested = sum(n for v, n in verdicts.items() if v not in judged)
    parts.append('* the report\'s %d claims of the paper: %s' % (
        sum(verdicts.values()), ', '.join(['%s %d' % (v, verdicts[v]) for v in judged
                                           if verdicts[v]] + ['not testable yet %d' % untested])))
    return '\n'.join(parts)


#: The blocks a file may carry, by name.
BLOCKS = collections.OrderedDict([('coverage', coverage_table), ('errors', error_table),
                                  ('verdicts', verdict_table), ('findings', findings)])


def _pattern(name):
    return re.compile(r'(<!-- qnn-summary:%s -->\n).*?(<!-- /qnn-summary:%s -->)'
                      % (re.escape(name), re.escape(name)), re.S)


def fill_blocks(text, results):
    """``text`` with every marked block replaced by its current content.

    Raises
    ------
    SummaryError
        An opening marker without its closing one, or an unknown block name.
    """
    opened = re.findall(r'<!-- qnn-summary:([\w-]+) -->', text)
    for name in opened:
        if name not in BLOCKS:
            raise SummaryError('unknown summary block %r (known: %s)'
                               % (name, ', '.join(BLOCKS)))
        if not _pattern(name).search(text):
            raise SummaryError('summary block %r has no closing marker' % name)
        content = BLOCKS[name](results)
        text = _pattern(name).sub(lambda m: m.group(1) + content + '\n' + m.group(2), text)
    return text


def update_file(path, results):
    """Fill the marked blocks of the Markdown file ``path`` in place (atomically); returns
    True when it changed."""
    with io.open(path, encoding='utf-8') as handle:
        text = handle.read()
    filled = fill_blocks(text, results)
    if filled == text:
        return False
    with atomic_write(path, 'wb') as handle:
        handle.write(filled.encode('utf-8'))
    return True
