"""Fig. 6 (resources over the W x A grid), Fig. 7 (radar charts) and the threshold units' cost
against activation bits (yosys-xc7), readable on their own."""
from __future__ import absolute_import, division, print_function

import numpy as np

from qnn.plots import save_figure

from . import analysis
from .heatmap import draw_heatmap

__all__ = ['plot_resource_heatmaps', 'plot_radar', 'plot_threshold_units', 'relative_grid',
           'synthesised_grid']


def _pyplot():
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    return plt


def relative_grid(grid):
    """Each value placed between the smallest (0) and the largest (1) of the grid, as the
    paper colours its Fig. 6 (a network relative to the other 63).

    Examples
    --------
    >>> sorted(relative_grid({(1, 1): 10, (1, 2): 20, (2, 1): 30}).items())
    [((1, 1), 0.0), ((1, 2), 0.5), ((2, 1), 1.0)]
    """
    known = [v for v in grid.values() if v is not None]
    if not known:
        return {}
    low, high = min(known), max(known)
    return dict((key, None if v is None else (0.0 if high == low else (v - low) / (high - low)))
                for key, v in grid.items())


def _source_label(results):
    sources = sorted({h['source'] for h in results['hardware'].values()})
    return ' + '.join(sources) if sources else 'none'


def plot_resource_heatmaps(results, out_base):
    """Fig. 6: LUT, FF and BRAM_18K over the grid, weight bits on x as in the paper.

    Top row: the paper's view, the colour of a network relative to the others (0 = the
    smallest of the study, 1 = the largest). Bottom row: the absolute figures on a log colour
    scale, a ``*`` where the network alone exceeds the Z7020's capacity of that resource.
    """
    from matplotlib.colors import LogNorm
    plt = _pyplot()
    resources = analysis.RESOURCES
    figure, axes = plt.subplots(2, len(resources), figsize=(5.6 * len(resources), 9.2))
    for col, resource in enumerate(resources):
        grid = dict((k, v) for k, v in analysis.resource_grid(results, resource).items()
                    if v is not None)
        if not grid:
            continue
        limit = analysis.Z7020[resource]
        image = draw_heatmap(axes[0][col], grid, colours=relative_grid(grid))
        figure.colorbar(image, ax=axes[0][col], label='relative to the other networks')
        axes[0][col].set_title('%s, relative (paper\'s view)' % resource, fontsize='medium')
        norm = LogNorm(vmin=max(1, min(grid.values())), vmax=max(max(grid.values()), 2))
        image = draw_heatmap(axes[1][col], grid, norm=norm, cmap='cividis',
                             marked=lambda key, g=grid, m=limit: g[key] > m)
        figure.colorbar(image, ax=axes[1][col], label='%s (log scale)' % resource)
        axes[1][col].set_title('%s, absolute (* more than the Z7020\'s %d)' % (resource, limit),
                               fontsize='medium')
    figure.suptitle('Hardware resources per network (source: %s; %s)'
                    % (_source_label(results), analysis.throughput_summary(results)),
                    fontsize='medium')
    figure.tight_layout(rect=(0, 0, 1, 0.96))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


#: Radar axes, in drawing order.
RADAR_AXES = ('error', 'LUT', 'FF', 'BRAM_18K')


def plot_radar(results, out_base):
    """Fig. 7: radar charts of the weight-, activation-oriented and linear groups (1 = the best
    of Table 2 on that axis, 0 = the worst)."""
    plt = _pyplot()
    groups = analysis.radar_scores(results)
    angles = np.linspace(0, 2 * np.pi, len(RADAR_AXES), endpoint=False).tolist()
    figure = plt.figure(figsize=(6.2 * len(groups), 6.4))
    for index, (group, scores) in enumerate(groups.items()):
        ax = figure.add_subplot(1, len(groups), index + 1, polar=True)
        for network, score in scores.items():
            values = [0 if score[axis] is None else score[axis] for axis in RADAR_AXES]
            ax.plot(angles + angles[:1], values + values[:1], label=network)
            ax.fill(angles + angles[:1], values + values[:1], alpha=0.1)
        ax.set_xticks(angles)
        ax.set_xticklabels(RADAR_AXES)
        ax.tick_params(axis='x', pad=10)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.25, 0.5, 0.75, 1.0])
        ax.set_yticklabels(['0.25', '0.5', '0.75', '1'], fontsize='x-small')
        ax.set_title(group + ('' if scores else ' (none of its networks in the study)'),
                     pad=22, fontsize='medium')
        if scores:
            ax.legend(loc='upper center', bbox_to_anchor=(0.5, -0.08), ncol=len(scores),
                      fontsize='small', frameon=False)
    figure.suptitle('Scores between the worst (0) and the best (1) network of Table 2; %s'
                    % analysis.throughput_summary(results), fontsize='medium')
    figure.subplots_adjust(left=0.04, right=0.96, top=0.82, bottom=0.12, wspace=0.45)
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths


#: Threshold units of the yosys-xc7 synthesis, with their line style.
UNIT_STYLES = (('parallel', '-', 'o'), ('search', '--', 's'))
#: The paper's Table 2 worst LUT figure, drawn for reference.
PAPER_WORST_LUT = 223910


def synthesised_grid(results, unit, resource):
    """``{(wbits, abits): value}`` of the yosys-xc7 figures with one threshold unit (networks
    without that synthesis left out)."""
    grid = {}
    for name, figures in results['hardware'].items():
        synthesised = figures.get('synthesis', {}).get(unit)
        if synthesised is not None:
            wbits, abits = name[1:].split('A')
            grid[(int(wbits), int(abits))] = synthesised[resource]
    return grid


def plot_threshold_units(results, out_base):
    """LUT and FF of the yosys-xc7 synthesis against activation bits, one line per weight
    precision and threshold unit: what finn-hlslib's all-at-once comparison costs as A grows,
    beside the binary search; the Z7020's capacity and the paper's worst LUT figure marked."""
    plt = _pyplot()
    figure, axes = plt.subplots(1, 2, figsize=(13, 5.4))
    colours = plt.get_cmap('viridis')
    for ax, resource in zip(axes, ('LUT', 'FF')):
        for unit, style, marker in UNIT_STYLES:
            grid = synthesised_grid(results, unit, resource)
            for wbits in sorted({w for w, _ in grid}):
                points = sorted((a, v) for (w, a), v in grid.items() if w == wbits)
                ax.plot([a for a, _ in points], [v for _, v in points], linestyle=style,
                        marker=marker, color=colours((wbits - 1) / 7.0),
                        label='W%d, %s' % (wbits, unit))
        ax.axhline(analysis.Z7020[resource], color='black', linewidth=0.8)
        ax.annotate('Z7020: %d' % analysis.Z7020[resource], (1, analysis.Z7020[resource]),
                    textcoords='offset points', xytext=(2, 4), fontsize='small')
        if resource == 'LUT':
            ax.axhline(PAPER_WORST_LUT, color='firebrick', linewidth=0.8, linestyle=':')
            ax.annotate("paper's worst: %d" % PAPER_WORST_LUT, (1, PAPER_WORST_LUT),
                        textcoords='offset points', xytext=(2, 4), fontsize='small',
                        color='firebrick')
        ax.set_yscale('log')
        ax.set_xticks(range(1, 9))
        ax.set_xlabel('activation bits')
        ax.set_ylabel('%s (yosys-xc7, log scale)' % resource)
        ax.set_title(resource, fontsize='medium')
        ax.grid(True, which='major', alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc='center right', fontsize='small', frameon=False)
    figure.suptitle('Threshold unit: all thresholds at once (parallel, as finn-hlslib) or a '
                    'binary search; %s' % analysis.throughput_summary(results),
                    fontsize='medium')
    figure.tight_layout(rect=(0, 0, 0.85, 0.94))
    paths = save_figure(figure, out_base)
    plt.close(figure)
    return paths
