"""The paper's figures, drawn from the results store only (PNG and PDF)."""
from __future__ import absolute_import, division, print_function

import os

from qnn.plots import plot_quantized_activations

from .hardware import measured_view
from .error_figures import plot_error_heatmaps, plot_error_vs_epochs
from .resource_figures import plot_radar, plot_resource_heatmaps, plot_threshold_units

__all__ = ['draw_all', 'plot_error_vs_epochs', 'plot_error_heatmaps', 'plot_resource_heatmaps',
           'plot_radar', 'plot_threshold_units']


def draw_all(results, out_dir):
    """Every figure of the study into ``out_dir``; returns ``{name: [paths]}``.

    Fig. 5 against epochs needs two epoch budgets or more; the per-budget error grid is drawn
    for any study with runs; the threshold units' figure for a study with yosys-xc7 figures.
    Fig. 6 and 7 show measured figures where every network has them
    (:func:`~experiments.hardware.measured_view`), estimates otherwise.
    """
    if not os.path.isdir(out_dir):
        os.makedirs(out_dir)
    figures = {'fig3_quantized_tanh': plot_quantized_activations(out_dir, kind='tanh')}
    budgets = {run['epochs'] for run in results['runs']}
    if len(budgets) > 1:
        figures['fig5_error_vs_epochs'] = plot_error_vs_epochs(
            results, os.path.join(out_dir, 'fig5_error_vs_epochs'))
    if budgets:
        figures['fig5_error_grid'] = plot_error_heatmaps(
            results, os.path.join(out_dir, 'fig5_error_grid'))
    if results['hardware']:
        measured = measured_view(results)
        figures['fig6_resources'] = plot_resource_heatmaps(
            measured, os.path.join(out_dir, 'fig6_resources'))
        figures['fig7_radar'] = plot_radar(measured, os.path.join(out_dir, 'fig7_radar'))
    if any(figures_.get('synthesis') for figures_ in results['hardware'].values()):
        figures['threshold_units'] = plot_threshold_units(
            results, os.path.join(out_dir, 'threshold_units'))
    _remove_undrawn(out_dir, figures)
    return figures


#: The figures :func:`draw_all` may draw (file names without extension).
FIGURE_NAMES = ('fig5_error_vs_epochs', 'fig5_error_grid', 'fig6_resources', 'fig7_radar',
                'threshold_units')


def _remove_undrawn(out_dir, figures):
    """Delete the files of a figure this study no longer draws (a figure of an earlier state
    of the study must not pass for one of the current)."""
    drawn = set(os.path.abspath(path) for paths in figures.values() for path in paths)
    for name in FIGURE_NAMES:
        for extension in ('png', 'pdf'):
            path = os.path.abspath(os.path.join(out_dir, '%s.%s' % (name, extension)))
            if path not in drawn and os.path.isfile(path):
                os.remove(path)
