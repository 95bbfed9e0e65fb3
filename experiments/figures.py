"""The paper's figures, drawn from the results store only (PNG and PDF)."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np

from qnn.plots import plot_quantized_activations, save_figure

from . import analysis

__all__ = ['draw_all', 'plot_error_vs_epochs', 'plot_resource_heatmaps', 'plot_radar']


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def plot_error_vs_epochs(results, out_base):
    """Fig. 5: test error vs epoch budget, one small panel per (W, A) network.

    A study of one epoch budget has one point per panel: it gets one W x A heatmap of its test
    errors instead.
    """
    plt = _pyplot()
    grid = analysis.error_grid(results)
    budgets = analysis.budgets(results)
    if len(budgets) == 1:
        return _plot_error_heatmap(plt, grid, budgets[0], out_base)
    ws = sorted({w for w, _ in grid})
    as_ = sorted({a for _, a in grid})
    all_errors = [e for per in grid.values() for e in per.values()]
    low, high = min(all_errors), max(all_errors)
    margin = 0.05 * (high - low or 1)
    figure, axes = plt.subplots(len(ws), len(as_), figsize=(1.6 * len(as_) + 1, 1.3 * len(ws) + 1),
                                sharex=True, sharey=True, squeeze=False)
    for row, w in enumerate(ws):
        for col, a in enumerate(as_):
            ax = axes[row][col]
            per_budget = grid.get((w, a))
            if per_budget:
                budgets = sorted(per_budget)
                ax.plot(budgets, [per_budget[b] for b in budgets], 'o-', markersize=3)
            ax.set_ylim(low - margin, high + margin)
            ax.grid(alpha=0.3)
            if row == 0:
                ax.set_title('A%d' % a, fontsize='small')
            if col == 0:
                ax.set_ylabel('W%d' % w, fontsize='small')
    figure.text(0.5, 0.01, 'epoch budget', ha='center')
    figure.text(0.005, 0.5, 'test error (%)', va='center', rotation='vertical')
    figure.suptitle('Test error vs training epochs (rows: weight bits, columns: activation bits)')
    figure.tight_layout(rect=(0.02, 0.03, 1, 0.96))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def _plot_error_heatmap(plt, grid, budget, out_base):
    figure, ax = plt.subplots(figsize=(7, 5.5))
    image = _heatmap(ax, dict((net, per[budget]) for net, per in grid.items()), fmt='%.2f')
    figure.colorbar(image, ax=ax, label='test error (%)')
    ax.set_title('Test error (%%) after %d epochs (rows: weight bits, columns: activation bits)'
                 % budget, fontsize='small')
    figure.tight_layout()
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def _source_label(results):
    sources = sorted({h['source'] for h in results['hardware'].values()})
    return ' + '.join(sources) if sources else 'none'


def plot_resource_heatmaps(results, out_base):
    """Fig. 6: LUT, FF, BRAM_18K and cycles per image over the W x A grid (labelled estimate
    or Vivado HLS), with the study's throughput in the title."""
    plt = _pyplot()
    panels = [(resource, analysis.Z7020[resource]) for resource in analysis.RESOURCES]
    panels.append(('cycles', None))
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4.6))
    for ax, (key, limit) in zip(axes, panels):
        image = _heatmap(ax, analysis.resource_grid(results, key), limit)
        if limit is None:
            ax.set_title('cycles per image', fontsize='small')
        else:
            ax.set_title('%s (Z7020: %d; red = does not fit)' % (key, limit), fontsize='small')
        figure.colorbar(image, ax=ax)
    figure.suptitle('Hardware resources per network (source: %s)\n%s'
                    % (_source_label(results), analysis.throughput_summary(results)))
    figure.tight_layout(rect=(0, 0, 1, 0.9))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def _heatmap(ax, grid, limit=None, fmt=None):
    """One W x A panel with its values written in (``fmt``, default :func:`_short`; red above
    ``limit``)."""
    ws = sorted({w for w, _ in grid})
    as_ = sorted({a for _, a in grid})
    table = np.array([[np.nan if grid.get((w, a)) is None else grid[(w, a)] for a in as_]
                      for w in ws], dtype=float)
    image = ax.imshow(table, origin='lower', cmap='viridis', aspect='auto')
    ax.set_xticks(range(len(as_)))
    ax.set_xticklabels(as_)
    ax.set_yticks(range(len(ws)))
    ax.set_yticklabels(ws)
    ax.set_xlabel('activation bits')
    ax.set_ylabel('weight bits')
    for i in range(len(ws)):
        for j in range(len(as_)):
            if not np.isnan(table[i, j]):
                over = limit is not None and table[i, j] > limit
                text = _short(table[i, j]) if fmt is None else fmt % table[i, j]
                ax.text(j, i, text, ha='center', va='center', fontsize=7,
                        color='red' if over else 'white')
    return image


def _short(value):
    return '%.0fk' % (value / 1000.) if value >= 10000 else '%.0f' % value


def plot_radar(results, out_base):
    """Fig. 7: radar charts of the weight-, activation-oriented and linear groups."""
    plt = _pyplot()
    groups = analysis.radar_scores(results)
    axes_names = ['error', 'LUT', 'FF', 'BRAM_18K']
    angles = np.linspace(0, 2 * np.pi, len(axes_names), endpoint=False).tolist()
    figure = plt.figure(figsize=(5 * len(groups), 5))
    for index, (group, scores) in enumerate(groups.items()):
        ax = figure.add_subplot(1, len(groups), index + 1, polar=True)
        for network, score in scores.items():
            values = [0 if score[axis] is None else score[axis] for axis in axes_names]
            cycles = results['hardware'].get(network, {}).get('cycles')
            label = network if cycles is None else '%s (%d cycles/image)' % (network, cycles)
            ax.plot(angles + angles[:1], values + values[:1], label=label)
            ax.fill(angles + angles[:1], values + values[:1], alpha=0.1)
        ax.set_xticks(angles)
        ax.set_xticklabels(axes_names)
        ax.set_ylim(0, 1)
        ax.set_title(group + ('' if scores else '\n(no network of this group in the study)'))
        if scores:
            ax.legend(loc='lower right', fontsize='small', bbox_to_anchor=(1.25, -0.1))
    figure.suptitle('Scores normalised between the best (1) and worst (0) of Table 2\n%s'
                    % analysis.throughput_summary(results))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


def draw_all(results, out_dir):
    """Every figure of the study into ``out_dir``; returns ``{name: [paths]}``."""
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    figures = {'fig3_quantized_tanh': plot_quantized_activations(out_dir, kind='tanh')}
    if results['runs']:
        figures['fig5_error_vs_epochs'] = plot_error_vs_epochs(
            results, os.path.join(out_dir, 'fig5_error_vs_epochs'))
    if results['hardware']:
        figures['fig6_resources'] = plot_resource_heatmaps(
            results, os.path.join(out_dir, 'fig6_resources'))
        figures['fig7_radar'] = plot_radar(results, os.path.join(out_dir, 'fig7_radar'))
    return figures
