"""One W x A heatmap panel with its values written in, readable on every colour."""
from __future__ import absolute_import, division, print_function

import numpy as np

__all__ = ['draw_heatmap', 'text_colour', 'short_number']

#: Relative luminance above which a cell takes black text.
_LIGHT = 0.5


def text_colour(rgba):
    """``'black'`` on a light cell colour, ``'white'`` on a dark one.

    Examples
    --------
    >>> text_colour((1.0, 1.0, 0.0, 1.0)), text_colour((0.2, 0.0, 0.3, 1.0))
    ('black', 'white')
    """
    red, green, blue = rgba[:3]
    return 'black' if 0.299 * red + 0.587 * green + 0.114 * blue > _LIGHT else 'white'


def short_number(value):
    """``'353k'`` for 353 004, ``'1.6M'`` for 1 576 000, ``'216'`` for 216.

    Examples
    --------
    >>> short_number(353004), short_number(5528000), short_number(216)
    ('353k', '5.5M', '216')
    """
    if value >= 1e6:
        return '%.1fM' % (value / 1e6)
    return '%.0fk' % (value / 1e3) if value >= 1e4 else '%.0f' % value


def draw_heatmap(ax, values, colours=None, fmt=None, marked=None, norm=None, cmap='viridis'):
    """Draw ``values`` (``{(wbits, abits): value}``) with weight bits on x, activation bits on y.

    Parameters
    ----------
    ax : matplotlib axes
    values : dict
        The numbers written in the cells.
    colours : dict, optional
        What the cell colours show (default ``values``), e.g. a value relative to the others.
    fmt : callable, optional
        Text of a value (default :func:`short_number`).
    marked : callable, optional
        ``marked(key)`` true: the cell's text gets a trailing ``*``.
    norm : matplotlib.colors.Normalize, optional
    cmap : str

    Returns
    -------
    matplotlib image
        For a colour bar.
    """
    colours = values if colours is None else colours
    fmt = fmt or short_number
    ws = sorted({w for w, _ in values})
    as_ = sorted({a for _, a in values})
    table = np.array([[np.nan if colours.get((w, a)) is None else colours[(w, a)] for w in ws]
                      for a in as_], dtype=float)
    image = ax.imshow(table, origin='lower', cmap=cmap, aspect='auto', norm=norm)
    ax.set_xticks(range(len(ws)))
    ax.set_xticklabels(ws)
    ax.set_yticks(range(len(as_)))
    ax.set_yticklabels(as_)
    ax.set_xlabel('weight bits')
    ax.set_ylabel('activation bits')
    for row, a in enumerate(as_):
        for col, w in enumerate(ws):
            value = values.get((w, a))
            if value is None or np.isnan(table[row, col]):
                continue
            text = fmt(value) + ('*' if marked is not None and marked((w, a)) else '')
            level = float(np.ma.filled(np.ma.ravel(image.norm(table[row, col])), 0.0)[0])
            ax.text(col, row, text, ha='center', va='center', fontsize=7,
                    color=text_colour(image.cmap(level)))
    return image
