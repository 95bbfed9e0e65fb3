"""Theano vs Brevitas, side by side, from a study folder's run folders only.

Reads the finished Theano runs (``<study>/runs/*/``, qnn's run folders, whose config has no
``backend``) and the finished Brevitas runs (``<study>/runs-brevitas/*/``), groups them by
network and epoch budget, and writes to ``<study>/compare/``:

* ``compare.csv`` and ``compare.md``: per (W, A, epochs), each flow's test error (at its
  best-validation epoch, mean over seeds) and seconds per epoch (training and evaluation);
* ``compare.png`` and ``compare.pdf``: the same as grouped bars.

A flow is ``theano``, or ``brevitas-<setting>`` for Brevitas runs with the paper's quantizers
(``brevitas-paper``) or Brevitas' own bnn_pynq quantizers (``brevitas-brevitas``). This module
needs numpy and matplotlib only (no torch, no Theano), so it runs in either environment.
"""
from __future__ import absolute_import, division, print_function

import glob
import io
import os

import numpy as np
from . import runs
from .compat import csv_text
from .fileio import atomic_write
from .naming import network_name
from .paths import input_dir, output_dir

__all__ = ['COMPARE_DIR', 'THEANO', 'flow_of', 'collect_runs', 'compare_rows', 'flows_of',
           'comparison_csv', 'markdown_text', 'plot_comparison', 'write_comparison']

#: Output folder inside the study.
COMPARE_DIR = 'compare'
#: The flow name of qnn's own (Theano) runs.
THEANO = 'theano'
#: Run folders of each backend, relative to the study.
RUN_GLOBS = (os.path.join('runs', '*'), os.path.join('runs-brevitas', '*'))


def flow_of(config):
    """The flow a run belongs to, from its ``config.json``.

    Examples
    --------
    >>> flow_of({'wbits': 1}), flow_of({'backend': 'brevitas', 'weight_quant': 'paper',
    ...                                 'act_quant': 'paper'})
    ('theano', 'brevitas-paper')
    """
    backend = config.get('backend', THEANO)
    if backend == THEANO:
        return THEANO
    weight, act = config.get('weight_quant'), config.get('act_quant', config.get('weight_quant'))
    return '%s-%s' % (backend, weight) if weight == act else '%s-w%s-a%s' % (backend, weight, act)


def collect_runs(study_dir):
    """One record per finished run of the study, Theano and Brevitas.

    Returns
    -------
    list of dict
        ``flow``, ``name``, ``wbits``, ``abits``, ``epochs``, ``seed``, ``test_error``,
        ``best_epoch``, ``seconds_per_epoch``.
    """
    records = []
    for pattern in RUN_GLOBS:
        for folder in sorted(glob.glob(os.path.join(study_dir, pattern))):
            if os.path.isdir(folder) and runs.is_finished(folder):
                records.append(_record(folder))
    return records


def _record(folder):
    config, metrics = runs.read_config(folder), runs.read_metrics(folder)
    epochs_done = max(1, len(metrics['epochs']))
    record = {key: config[key] for key in ('wbits', 'abits', 'epochs', 'seed')}
    record.update(flow=flow_of(config), name=os.path.basename(folder),
                  test_error=metrics['test_error'], best_epoch=metrics['best_epoch'],
                  seconds_per_epoch=metrics['train_seconds'] / epochs_done)
    return record


def flows_of(records):
    """The flows present, Theano first, then the Brevitas settings sorted."""
    flows = sorted({record['flow'] for record in records})
    return ([THEANO] if THEANO in flows else []) + [f for f in flows if f != THEANO]


def compare_rows(records):
    """One row per (W, A, epochs): every flow's mean test error, s/epoch and seed count.

    Returns
    -------
    list of dict
        ``network``, ``wbits``, ``abits``, ``epochs`` and, per flow ``f``,
        ``f:test_error``, ``f:seconds_per_epoch``, ``f:seeds`` (None where the flow has no
        run of that network).
    """
    flows = flows_of(records)
    keys = sorted({(r['wbits'], r['abits'], r['epochs']) for r in records},
                  key=lambda key: (key[2], key[0], key[1]))
    rows = []
    for wbits, abits, epochs in keys:
        row = {'network': network_name(wbits, abits), 'wbits': wbits, 'abits': abits,
               'epochs': epochs}
        for flow in flows:
            group = [r for r in records if r['flow'] == flow and
                     (r['wbits'], r['abits'], r['epochs']) == (wbits, abits, epochs)]
            row[flow + ':seeds'] = len(group) or None
            for field in ('test_error', 'seconds_per_epoch'):
                row['%s:%s' % (flow, field)] = \
                    float(np.mean([r[field] for r in group])) if group else None
        rows.append(row)
    return rows


def _columns(flows):
    columns = ['network', 'wbits', 'abits', 'epochs']
    for field in ('test_error', 'seconds_per_epoch', 'seeds'):
        columns += ['%s:%s' % (flow, field) for flow in flows]
    return columns


def comparison_csv(rows, flows):
    """The rows as CSV (unknown values empty)."""
    return csv_text(rows, _columns(flows))


def _percent(value):
    return '' if value is None else '%.2f' % (100 * value)


def _seconds(value):
    return '' if value is None else '%.2f' % value


def markdown_text(rows, flows, title='Theano vs Brevitas'):
    """The rows as a Markdown table: test error (%) and s/epoch per flow, and each Brevitas
    flow's test error minus Theano's (percentage points)."""
    others = [flow for flow in flows if flow != THEANO]
    header = ['network', 'epochs'] + ['err %% %s' % flow for flow in flows]
    if THEANO in flows:
        header += ['%s - theano (pp)' % flow for flow in others]
    header += ['s/epoch %s' % flow for flow in flows]
    lines = ['# %s' % title, '',
             'Test error at the best-validation epoch (mean over seeds), its difference to '
             'Theano in percentage points, and seconds per epoch (training + evaluation).', '',
             '| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    for row in rows:
        cells = [row['network'], str(row['epochs'])]
        cells += [_percent(row[flow + ':test_error']) for flow in flows]
        if THEANO in flows:
            cells += [_difference(row, flow) for flow in others]
        cells += [_seconds(row[flow + ':seconds_per_epoch']) for flow in flows]
        lines.append('| ' + ' | '.join(cells) + ' |')
    lines += ['', _speed_summary(rows, flows)]
    return '\n'.join(lines) + '\n'


def _difference(row, flow):
    ours, theirs = row[flow + ':test_error'], row[THEANO + ':test_error']
    return '' if ours is None or theirs is None else '%+.2f' % (100 * (ours - theirs))


def _speed_summary(rows, flows):
    """Median s/epoch of each flow over the table (robust to a run slowed by other load)."""
    parts = []
    for flow in flows:
        values = [row[flow + ':seconds_per_epoch'] for row in rows
                  if row[flow + ':seconds_per_epoch'] is not None]
        if values:
            parts.append('%s %.2f' % (flow, float(np.median(values))))
    return 'Median s/epoch over the table: ' + ', '.join(parts) + '.'


def plot_comparison(rows, flows, paths):
    """Grouped bars, one row of panels per epoch budget: test error and s/epoch per network.

    Parameters
    ----------
    rows, flows
        From :func:`compare_rows` and :func:`flows_of`.
    paths : list of str
        Files to write (the format follows the extension), each atomically.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    budgets = sorted({row['epochs'] for row in rows})
    figure, axes = plt.subplots(len(budgets), 2, squeeze=False,
                                figsize=(11, 3.2 * len(budgets) + 0.8))
    for line, epochs in enumerate(budgets):
        subset = [row for row in rows if row['epochs'] == epochs]
        _bars(axes[line][0], subset, flows, 'test_error', 100., 'test error (%)', epochs)
        _bars(axes[line][1], subset, flows, 'seconds_per_epoch', 1., 's / epoch', epochs)
    handles, labels = axes[0][0].get_legend_handles_labels()
    figure.legend(handles, labels, loc='lower center', ncol=len(flows), fontsize='small')
    figure.tight_layout(rect=(0, 0.6 / figure.get_figheight(), 1, 1))
    for path in paths:
        with atomic_write(path, 'wb') as handle:
            figure.savefig(handle, format=os.path.splitext(path)[1][1:], dpi=150)
    plt.close(figure)
    return paths


def _bars(axis, rows, flows, field, factor, label, epochs):
    positions = np.arange(len(rows))
    width = 0.8 / max(1, len(flows))
    for index, flow in enumerate(flows):
        values = [np.nan if row[flow + ':' + field] is None else factor * row[flow + ':' + field]
                  for row in rows]
        axis.bar(positions + (index - (len(flows) - 1) / 2.) * width, values, width, label=flow)
    axis.set_xticks(positions)
    axis.set_xticklabels([row['network'] for row in rows], rotation=45, fontsize='small')
    axis.set_ylabel(label)
    axis.set_title('%s, %d epoch%s' % (label, epochs, '' if epochs == 1 else 's'),
                   fontsize='medium')


def write_comparison(study_dir, out_dir=None, plot=True):
    """Compare the study's flows; write CSV, Markdown and (optionally) the figure.

    Returns
    -------
    dict
        ``rows``, ``flows`` and ``paths`` (the files written).

    Raises
    ------
    qnn.runs.RunError
        The study has no finished run.
    qnn.paths.PathError
        ``study_dir`` is not a folder, or ``out_dir`` is a file.
    """
    input_dir(study_dir, 'study folder')
    if out_dir:
        output_dir(out_dir)
    records = collect_runs(study_dir)
    if not records:
        raise runs.RunError('%s has no finished run in runs/ or runs-brevitas/' % study_dir)
    rows, flows = compare_rows(records), flows_of(records)
    out_dir = out_dir or os.path.join(study_dir, COMPARE_DIR)
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    paths = [os.path.join(out_dir, 'compare.csv'), os.path.join(out_dir, 'compare.md')]
    for path, text in zip(paths, (comparison_csv(rows, flows), markdown_text(rows, flows))):
        with atomic_write(path, 'wb') as handle:
            handle.write(text.encode('utf-8'))
    if plot:
        paths += plot_comparison(rows, flows, [os.path.join(out_dir, 'compare.png'),
                                               os.path.join(out_dir, 'compare.pdf')])
    return {'rows': rows, 'flows': flows, 'paths': paths}
