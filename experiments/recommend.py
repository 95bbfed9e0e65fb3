"""``qnn recommend``: which network of a study to build on a given device.

For each (W, A) network of a study's results store: its test error (at the largest epoch budget
the study trained it for, or the largest one within ``epochs``), its LUT, FF and BRAM_18K
(the Vivado HLS report when the study has one, the estimate otherwise, as the store labels
them) and its throughput (the cycles per image of its folding at ``clock_mhz``). The
Pareto front keeps the networks no other network beats in error and in all three resources
at once; the recommendation is the most accurate network that fits the budget (device capacity
and, optionally, a minimum throughput), fewer resources breaking ties.

Examples
--------
>>> budget = device_budget('z7020')           # doctest: +SKIP
>>> result = recommend(read_store('studies/paper'), budget, images_per_second=1e5)
...                                           # doctest: +SKIP
>>> result['best'].network                    # doctest: +SKIP
'W2A2'
"""
from __future__ import absolute_import, division, print_function

import collections
import os

from hwgen.estimate.device import Z7020, capacity, fits, images_per_second
from qnn.naming import network_name

from . import analysis
from .analysis import RESOURCES
from .hardware import VIVADO, measured_view, network_specs

__all__ = ['DEVICES', 'RESOURCES', 'RecommendError', 'Candidate', 'device_budget',
           'candidates', 'pareto_front', 'budget_misses', 'recommend', 'format_recommendation',
           'plot_format', 'plot_front']

#: Devices ``--device`` knows, by short name (capacities from :mod:`hwgen.estimate.device`).
DEVICES = collections.OrderedDict([('z7020', Z7020)])
#: The clock of a network whose store records none: BNN-PYNQ's FCLK0, 100 MHz.
DEFAULT_CLOCK_MHZ = 100.0
PLOT_FORMATS = ('png', 'pdf')


class RecommendError(ValueError):
    """A budget or a request that cannot be answered (no device, bad numbers, no networks)."""


class Candidate(collections.namedtuple('Candidate', [
        'network', 'wbits', 'abits', 'epochs', 'test_error', 'resources', 'source',
        'images_per_second'])):
    """One network of the study: ``test_error`` in %, ``resources`` ``{LUT, FF, BRAM_18K}``,
    ``source`` where the resource figures come from."""
    __slots__ = ()


def device_budget(device=None, lut=None, ff=None, bram=None):
    """The resource budget ``{LUT, FF, BRAM_18K}`` (None: not limited) and its name.

    Parameters
    ----------
    device : str, optional
        A key of :data:`DEVICES`; ``lut``, ``ff`` and ``bram`` override its capacities.
    lut, ff, bram : int, optional
        Capacities (BRAM in 18 Kb blocks, as HLS reports count them).

    Returns
    -------
    (OrderedDict, str)

    Examples
    --------
    >>> budget, name = device_budget('z7020', bram=140)
    >>> list(budget.items()), name
    ([('LUT', 53200), ('FF', 106400), ('BRAM_18K', 140)], 'z7020 (xc7z020clg400-1), BRAM_18K 140')
    """
    given = collections.OrderedDict([('LUT', lut), ('FF', ff), ('BRAM_18K', bram)])
    if device is None and all(value is None for value in given.values()):
        raise RecommendError('no budget: give --device (%s) or --lut/--ff/--bram'
                             % ', '.join(DEVICES))
    bad = ['%s %r' % (key, value) for key, value in given.items()
           if value is not None and value < 0]
    if bad:
        raise RecommendError('budgets must not be negative: %s' % ', '.join(bad))
    budget = collections.OrderedDict((key, None) for key in RESOURCES)
    name = []
    if device is not None:
        if device.lower() not in DEVICES:
            raise RecommendError('unknown device %r; known: %s' % (device, ', '.join(DEVICES)))
        budget.update((key, capacity(DEVICES[device.lower()])[key]) for key in RESOURCES)
        name.append('%s (%s)' % (device.lower(), DEVICES[device.lower()].part))
    overrides = [(key, value) for key, value in given.items() if value is not None]
    budget.update(overrides)
    name.extend('%s %d' % item for item in overrides)
    return budget, ', '.join(name)


def _budget_of(per_budget, epochs):
    """The largest trained budget within ``epochs`` (all when None), or None."""
    within = [b for b in per_budget if epochs is None or b <= epochs]
    return max(within) if within else None


def _source(figures):
    """'vivado-hls (report path)' or 'estimate (LUT finn-mvau, ...)'."""
    if figures.get('source') == VIVADO:
        return '%s (%s)' % (VIVADO, figures.get('report') or 'report')
    models = figures.get('models') or {}
    named = ['%s %s' % (key, models[key]) for key in RESOURCES if models.get(key)]
    return '%s (%s)' % (figures.get('source'), ', '.join(named)) if named else \
        str(figures.get('source'))


def network_clock_mhz(figures, clock_mhz=None):
    """``clock_mhz`` if given, else the clock the store records for the network (its HLS
    clock), else :data:`DEFAULT_CLOCK_MHZ`."""
    return clock_mhz or figures.get('clock_mhz') or DEFAULT_CLOCK_MHZ


def _throughput(settings, wbits, abits, figures, clock_mhz):
    """Images/s at :func:`network_clock_mhz`: the clock over the cycles per image the store
    records for the network (the study's folding), or over its default folding's for a store
    without them."""
    ii_cycles = figures.get('cycles')
    if ii_cycles is None:
        ii_cycles = max(spec.folding.cycles for spec in network_specs(wbits, abits, settings))
    return images_per_second(ii_cycles, network_clock_mhz(figures, clock_mhz))


def candidates(results, epochs=None, clock_mhz=None):
    """Every network of ``results`` (:func:`experiments.store.read_store`) as a
    :class:`Candidate`, sorted by name; networks not trained within ``epochs`` are left out.
    Throughput at ``clock_mhz``, by default each network's own (:func:`network_clock_mhz`)."""
    found = []
    for (wbits, abits), per_budget in sorted(analysis.error_grid(results).items()):
        budget = _budget_of(per_budget, epochs)
        if budget is None:
            continue
        network = network_name(wbits, abits)
        figures = results['hardware'].get(network, {})
        found.append(Candidate(network, wbits, abits, budget, per_budget[budget],
                               dict((key, figures.get(key)) for key in RESOURCES),
                               _source(figures),
                               _throughput(results['settings'], wbits, abits, figures,
                                           clock_mhz)))
    return found


def _known(candidate):
    return all(candidate.resources[key] is not None for key in RESOURCES)


def _dominates(a, b):
    pairs = [(a.test_error, b.test_error)] + [(a.resources[k], b.resources[k])
                                               for k in RESOURCES]
    return all(x <= y for x, y in pairs) and any(x < y for x, y in pairs)


def pareto_front(found):
    """The candidates no other candidate beats in test error and all of LUT, FF, BRAM_18K,
    sorted by test error (those with an unknown resource are left out)."""
    known = [c for c in found if _known(c)]
    front = [c for c in known if not any(_dominates(other, c) for other in known)]
    return sorted(front, key=lambda c: (c.test_error, _cost(c), c.network))


def _cost(candidate):
    return tuple(candidate.resources[key] for key in RESOURCES)


def budget_misses(candidate, budget, min_images_per_second=None):
    """Why ``candidate`` does not fit: e.g. ``['BRAM_18K 416 > 280']`` (empty: it fits)."""
    limited = [key for key in RESOURCES if budget.get(key) is not None]
    unknown = [key for key in limited if candidate.resources[key] is None]
    if unknown:
        return ['%s unknown' % key for key in unknown]
    misses = []
    if not fits(candidate.resources, budget, keys=limited):
        misses = ['%s %d > %d' % (key, candidate.resources[key], budget[key])
                  for key in limited if candidate.resources[key] > budget[key]]
    if min_images_per_second is not None and \
            candidate.images_per_second < min_images_per_second:
        misses.append('%.0f images/s < %.0f' % (candidate.images_per_second,
                                                min_images_per_second))
    return misses


def recommend(results, budget, images_per_second=None, epochs=None, clock_mhz=None):
    """The Pareto front of a study and its best network within a budget.

    Parameters
    ----------
    results : dict
        :func:`experiments.store.read_store`; its hardware figures are the measured ones where
        every network has them (:func:`experiments.hardware.measured_view`).
    budget : dict
        ``{LUT, FF, BRAM_18K}`` capacities, None for no limit (:func:`device_budget`).
    images_per_second : float, optional
        Minimum throughput.
    epochs : int, optional
        Epoch budget: each network's error at its largest trained budget within it.
    clock_mhz : float, optional
        Accelerator clock; default each network's recorded clock (:func:`network_clock_mhz`).

    Returns
    -------
    dict
        ``candidates``, ``front`` (Pareto front, by error), ``fitting`` (the candidates that
        fit, by error then resources), ``best`` (the first of them, or None), ``misses``
        (``{network: reasons}`` of those that do not fit), ``clocks_mhz`` (the sorted clocks
        the throughputs are at) and ``epochs``.

    Raises
    ------
    RecommendError
        The store has no network trained within ``epochs``.
    """
    if images_per_second is not None and images_per_second <= 0:
        raise RecommendError('--images-per-second must be positive, got %r'
                             % (images_per_second,))
    results = measured_view(results)
    if clock_mhz is not None and not clock_mhz > 0:
        raise RecommendError('--clock-mhz must be positive, got %r' % (clock_mhz,))
    found = candidates(results, epochs, clock_mhz)
    if not found:
        raise RecommendError('no network of the study is trained %s'
                             % ('yet' if epochs is None else 'for %d epochs or fewer' % epochs))
    misses = dict((c.network, budget_misses(c, budget, images_per_second)) for c in found)
    fitting = sorted([c for c in found if not misses[c.network]],
                     key=lambda c: (c.test_error, _cost(c), c.network))
    clocks = sorted({network_clock_mhz(results['hardware'].get(c.network, {}), clock_mhz)
                     for c in found})
    return {'candidates': found, 'front': pareto_front(found), 'fitting': fitting,
            'clocks_mhz': clocks, 'epochs': epochs,
            'best': fitting[0] if fitting else None,
            'misses': dict((k, v) for k, v in misses.items() if v)}


def _row(candidate, misses):
    values = ['%d' % candidate.resources[k] if candidate.resources[k] is not None else '?'
              for k in RESOURCES]
    return ['%s' % candidate.network, '%d' % candidate.epochs, '%.2f' % candidate.test_error] + \
        values + ['%.0f' % candidate.images_per_second,
                  'yes' if not misses else 'no: ' + ', '.join(misses), candidate.source]


def format_recommendation(result, budget_name, budget, images_per_second=None):
    """The Pareto front as a table, then the recommendation, as text."""
    header = ['network', 'epochs', 'error %'] + list(RESOURCES) + ['images/s', 'fits',
                                                                   'resource source']
    rows = [header] + [_row(c, result['misses'].get(c.network, [])) for c in result['front']]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = ['budget: %s: %s%s' % (budget_name, ', '.join(
        '%s %s' % (k, budget[k]) for k in RESOURCES if budget.get(k) is not None),
        ', at least %.0f images/s' % images_per_second if images_per_second else ''),
        'Pareto front of test error vs LUT, FF, BRAM_18K (%d of %d networks):'
        % (len(result['front']), len(result['candidates']))]
    for row in rows:
        lines.append('  ' + '  '.join(cell.ljust(width) for cell, width in
                                      zip(row[:-1], widths)) + '  ' + row[-1])
    lines.append("images/s: each network's cycles per image at %s MHz; errors: test error at "
                 'the largest epoch budget%s' % (' / '.join('%g' % c for c in result['clocks_mhz']),
                                                 ' within the epoch budget'
                                                 if result.get('epochs') is not None else ''))
    best = result['best']
    if best is None:
        lines.append('no network fits the budget')
    else:
        lines.append('best network that fits: %s (%.2f %% test error after %d epochs; %s; '
                     'resources: %s)' % (best.network, best.test_error, best.epochs,
                                         ', '.join('%s %d' % (k, best.resources[k])
                                                   for k in RESOURCES), best.source))
    return '\n'.join(lines) + '\n'


def plot_format(path):
    """'png' or 'pdf' from the name of a plot file; RecommendError for any other name."""
    extension = os.path.splitext(path)[1].lstrip('.')
    if extension.lower() not in PLOT_FORMATS:
        raise RecommendError('--plot %s: the file name must end in .png or .pdf' % path)
    return extension.lower()


def plot_front(result, budget, path):
    """Test error vs LUT, FF and BRAM_18K (one panel each): every network, the Pareto front
    joined, the recommendation circled, the budget as a vertical line. ``path`` ends in
    ``.png`` or ``.pdf``; written atomically. Returns ``path``."""
    from qnn.plots import save_figure
    plot_format(path)
    base, extension = os.path.splitext(path)
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, len(RESOURCES), figsize=(4.2 * len(RESOURCES), 3.6),
                                sharey=True)
    known = [c for c in result['candidates'] if _known(c)]
    for ax, key in zip(axes, RESOURCES):
        ax.scatter([c.resources[key] for c in known], [c.test_error for c in known], s=14,
                   color='0.6', label='networks')
        front = sorted(result['front'], key=lambda c: c.resources[key])
        ax.plot([c.resources[key] for c in front], [c.test_error for c in front], 'o',
                color='C0', label='Pareto front')
        for c in front:
            label = c.network + (' (HLS)' if c.source.startswith(VIVADO) else '')
            ax.annotate(label, (c.resources[key], c.test_error), fontsize=7,
                        xytext=(3, 3), textcoords='offset points')
        if budget.get(key) is not None:
            ax.axvline(budget[key], color='C3', linestyle='--', label='budget')
        if result['best'] is not None:
            ax.plot([result['best'].resources[key]], [result['best'].test_error], 'o', ms=12,
                    mfc='none', color='C2', label='best that fits')
        ax.set_xlabel(key)
    axes[0].set_ylabel('test error (%)')
    axes[0].legend(fontsize=7)
    figure.tight_layout()
    written = save_figure(figure, base, formats=(extension.lstrip('.'),))
    plt.close(figure)
    return written[0]
