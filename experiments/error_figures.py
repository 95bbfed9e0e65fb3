"""Fig. 5: test error against training epochs, and the W x A grid of errors per epoch budget."""
from __future__ import absolute_import, division, print_function

import numpy as np

from qnn.plots import save_figure

from . import seeds
from .heatmap import draw_heatmap

__all__ = ['plot_error_vs_epochs', 'plot_error_heatmaps']


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def _series(results):
    """``{wbits: {abits: [(budget, mean, sd or None)]}}`` (sd where a network has seeds)."""
    table = {}
    for (w, a, budget), errors in sorted(seeds.seed_errors(results).items()):
        sd = float(np.std(errors, ddof=1)) if len(errors) > 1 else None
        table.setdefault(w, {}).setdefault(a, []).append((budget, float(np.mean(errors)), sd))
    return table


def plot_error_vs_epochs(results, out_base):
    """Fig. 5 as the paper draws it: test error against the epoch budget, one panel per weight
    precision, one line per activation precision; error bars of one seed standard deviation
    where a network was trained with several seeds."""
    plt = _pyplot()
    series = _series(results)
    ws = sorted(series)
    as_ = sorted({a for per in series.values() for a in per})
    colours = dict((a, plt.get_cmap('viridis')(i / max(1., len(as_) - 1.)))
                   for i, a in enumerate(as_))
    cols = min(4, len(ws))
    rows = int(np.ceil(len(ws) / float(cols)))
    figure, axes = plt.subplots(rows, cols, figsize=(3.4 * cols, 2.9 * rows + 1.2),
                                sharex=True, sharey=True, squeeze=False)
    for ax, w in zip(axes.flat, ws):
        for a in as_:
            points = series[w].get(a, [])
            if points:
                budgets, means, sds = zip(*points)
                ax.errorbar(budgets, means, yerr=[sd or 0 for sd in sds], color=colours[a],
                            marker='o', markersize=3, linewidth=1, capsize=2, label='A%d' % a)
        ax.set_title('%d-bit weights' % w, fontsize='medium')
        ax.set_xticks(sorted({b for per in series.values() for points in per.values()
                              for b, _, _ in points}))
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(ws):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel('epochs')
    for ax in axes[:, 0]:
        ax.set_ylabel('test error (%)')
    handles, labels = axes.flat[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc='lower center', ncol=len(as_), fontsize='small',
                  title='activation bits', frameon=False)
    figure.suptitle('Test error against training epochs (error bars: one seed standard '
                    'deviation, where a network has several seeds)', fontsize='medium')
    figure.tight_layout(rect=(0, 0.1, 1, 0.95))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def plot_error_heatmaps(results, out_base):
    """The W x A grid of test errors (mean over seeds), one panel per epoch budget."""
    plt = _pyplot()
    errors = seeds.seed_errors(results)
    budgets = sorted({b for _, _, b in errors})
    cols = min(3, len(budgets))
    rows = int(np.ceil(len(budgets) / float(cols)))
    figure, axes = plt.subplots(rows, cols, figsize=(5.6 * cols, 4.6 * rows), squeeze=False)
    for ax, budget in zip(axes.flat, budgets):
        cells = dict(((w, a), float(np.mean(v))) for (w, a, b), v in errors.items()
                     if b == budget)
        counts = sorted({len(v) for (_, _, b), v in errors.items() if b == budget})
        image = draw_heatmap(ax, cells, fmt=lambda value: '%.2f' % value)
        figure.colorbar(image, ax=ax, label='test error (%)')
        ax.set_title('%d epochs (%s)' % (budget, _seed_text(counts)), fontsize='medium')
    for ax in axes.flat[len(budgets):]:
        ax.set_visible(False)
    figure.suptitle('Test error (%) per network and epoch budget', fontsize='medium')
    figure.tight_layout(rect=(0, 0, 1, 0.95))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def _seed_text(counts):
    """``'1 seed'``, ``'mean of 3 seeds'``, ``'mean of 1-3 seeds'``."""
    if counts == [1]:
        return '1 seed'
    return 'mean of %s seeds' % ('%d' % counts[0] if len(counts) == 1 else
                                 '%d-%d' % (counts[0], counts[-1]))
