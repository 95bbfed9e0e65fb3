"""Figures of the quantizers themselves (the paper's Fig. 3)."""
from __future__ import absolute_import, division, print_function

import os

import numpy as np

from .activations import quantized_activation
from .fileio import atomic_write
from .paths import output_dir

__all__ = ['plot_quantized_activations', 'save_figure']


def save_figure(figure, path_without_extension, formats=('png', 'pdf')):
    """Save ``figure`` once per format, each file written atomically. Returns the paths."""
    paths = []
    for extension in formats:
        path = '%s.%s' % (path_without_extension, extension)
        with atomic_write(path, 'wb') as handle:
            figure.savefig(handle, format=extension, dpi=150, bbox_inches='tight')
        paths.append(path)
    return paths


def plot_quantized_activations(out_dir, kind='tanh', bits=(1, 2, 3, 4, 8), x_range=3.0):
    """Draw the quantized activation ``kind`` at several precisions beside its real version.

    With ``kind='tanh'`` this is the paper's Fig. 3.

    Parameters
    ----------
    out_dir : str
        Folder for ``quantized_<kind>.png`` and ``.pdf`` (created if missing).
    kind : {'tanh', 'hard_tanh'}
    bits : sequence of int
        Precisions to draw.
    x_range : float
        The x axis spans [-x_range, x_range].

    Returns
    -------
    list of str
        The files written.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    if not os.path.isdir(output_dir(out_dir)):
        os.makedirs(out_dir)
    x = np.linspace(-x_range, x_range, 4001).astype('float32')
    reference = np.tanh(x) if kind == 'tanh' else np.clip(x, -1, 1)
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.plot(x, reference, color='black', linewidth=2, label='real %s' % kind)
    for n in bits:
        activation = quantized_activation(kind, n)
        axes.step(x, activation.numpy(x), where='post', label='%d bit' % n)
    axes.set_xlabel('x')
    axes.set_ylabel('activation')
    axes.set_title('Quantized %s' % kind.replace('_', ' '))
    axes.grid(alpha=0.3)
    axes.legend(loc='upper left', fontsize='small')
    paths = save_figure(figure, os.path.join(out_dir, 'quantized_%s' % kind))
    plt.close(figure)
    return paths
