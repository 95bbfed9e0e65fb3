"""Numbers derived from the results store: per-network errors, Table 2, fit counts, effects.

Everything here takes the dict of :func:`experiments.store.read_store` and returns plain data;
figures and the report only format it.
"""
from __future__ import absolute_import, division, print_function

import collections

import numpy as np

from hwgen.estimate import device
from hwgen.estimate.published import paper_fits, paper_table2
from qnn.naming import network_name

__all__ = ['Z7020', 'PAPER_TABLE2', 'PAPER_FITS', 'error_grid', 'budgets', 'networks',
           'table2', 'fit_counts', 'variance_shares', 'resource_grid', 'radar_scores',
           'RADAR_GROUPS', 'THROUGHPUT', 'throughputs', 'throughput_summary']

#: The resources of the study's figures, Table 2 and fit counts.
RESOURCES = ('LUT', 'FF', 'BRAM_18K')

#: Zynq Z7020 (xc7z020clg400-1) capacity of the resources the paper reports; HLS reports
#: count BRAM in 18 Kb blocks.
Z7020 = collections.OrderedDict((key, device.capacity(device.Z7020)[key])
                                for key in RESOURCES)

#: The paper's Table 2 (best / worst over the 64 networks).
PAPER_TABLE2 = paper_table2()

#: Networks of the 64 that fit the Z7020 per resource (``BRAM_18K``, ``FF``) and whole
#: (``device``), as the paper reports.
PAPER_FITS = paper_fits()

#: The paper's Fig. 7 radar groups.
RADAR_GROUPS = collections.OrderedDict([
    ('weight-oriented', [(1, 4), (3, 4), (6, 4), (8, 4)]),
    ('activation-oriented', [(4, 1), (4, 3), (4, 6), (4, 8)]),
    ('linear', [(1, 1), (2, 2), (4, 4), (7, 7)]),
])

#: Throughput figures of a network: cycles per image and images/s at the HLS clock.
THROUGHPUT = ('cycles', 'images_per_second')


def budgets(results):
    """The epoch budgets present in the store, ascending."""
    return sorted({run['epochs'] for run in results['runs']})


def networks(results):
    """Sorted (wbits, abits) pairs present in the store."""
    return sorted({(run['wbits'], run['abits']) for run in results['runs']})


def error_grid(results):
    """``{(wbits, abits): {budget: test error in %}}``, averaged over seeds."""
    collected = collections.defaultdict(lambda: collections.defaultdict(list))
    for run in results['runs']:
        collected[(run['wbits'], run['abits'])][run['epochs']].append(100. * run['test_error'])
    return {net: {budget: float(np.mean(values)) for budget, values in per_budget.items()}
            for net, per_budget in collected.items()}


def final_errors(results):
    """Test error (%) of each network at the largest budget it was trained for."""
    return {net: per_budget[max(per_budget)] for net, per_budget in error_grid(results).items()}


def resource_grid(results, resource):
    """``{(wbits, abits): value}`` for one hardware resource (None when unknown)."""
    grid = {}
    for name, figures in results['hardware'].items():
        wbits, abits = name[1:].split('A')
        grid[(int(wbits), int(abits))] = figures.get(resource)
    return grid


def _best_worst(values, higher_is_better=False):
    known = [v for v in values if v is not None]
    if not known:
        return None, None
    return (max(known), min(known)) if higher_is_better else (min(known), max(known))


def table2(results):
    """Best and worst over the networks: error at the largest budget (%), BRAM, FF, LUT, and
    the throughput the resources were reached at (cycles per image, images/s)."""
    rows = collections.OrderedDict()
    rows['error'] = _best_worst(final_errors(results).values())
    for resource in ('BRAM_18K', 'FF', 'LUT'):
        rows[resource] = _best_worst(resource_grid(results, resource).values())
    rows['cycles'] = _best_worst(resource_grid(results, 'cycles').values())
    rows['images_per_second'] = _best_worst(resource_grid(results, 'images_per_second').values(),
                                            higher_is_better=True)
    return rows


def throughputs(results):
    """``{cycles per image: [network names]}`` (ascending; networks without a figure left out).

    One entry means every network of the study runs at the same throughput, so their
    resources compare at one design point.
    """
    groups = collections.defaultdict(list)
    for name, figures in sorted(results['hardware'].items()):
        if figures.get('cycles') is not None:
            groups[int(figures['cycles'])].append(name)
    return collections.OrderedDict(sorted(groups.items()))


def throughput_summary(results):
    """One line: the study's cycles per image and images/s, or how its networks differ.

    Examples
    --------
    >>> hw = {'W1A1': {'cycles': 512, 'images_per_second': 390625.0, 'clock_mhz': 200.0}}
    >>> throughput_summary({'hardware': hw})
    '512 cycles per image, 390 625 images/s at 200 MHz'
    >>> hw['W2A3'] = {'cycles': 1024, 'images_per_second': 195312.5, 'clock_mhz': 200.0}
    >>> throughput_summary({'hardware': hw})
    'networks differ in throughput: 512 cycles per image (W1A1), 1024 (W2A3)'
    """
    groups = throughputs(results)
    if not groups:
        return 'throughput unknown'
    if len(groups) == 1:
        cycles, names = list(groups.items())[0]
        figures = results['hardware'][names[0]]
        rate = figures.get('images_per_second')
        clock = figures.get('clock_mhz')
        text = '%d cycles per image' % cycles
        if rate is not None and clock is not None:
            text += ', %s images/s at %g MHz' % (_thousands(rate), clock)
        return text
    parts = ['%d%s (%s)' % (cycles, ' cycles per image' if index == 0 else '', ', '.join(names))
             for index, (cycles, names) in enumerate(groups.items())]
    return 'networks differ in throughput: ' + ', '.join(parts)


def _thousands(value):
    """``390625.0`` -> ``'390 625'``."""
    digits = '%d' % round(value)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ' '.join(groups)


def fit_counts(results, device=Z7020):
    """How many networks fit the device per resource, and in all three at once."""
    counts = collections.OrderedDict()
    grids = {resource: resource_grid(results, resource) for resource in device}
    nets = sorted(results['hardware'])
    for resource, limit in device.items():
        counts[resource] = sum(1 for v in grids[resource].values()
                               if v is not None and v <= limit)
    counts['all'] = sum(1 for key in grids['LUT'] if all(
        grids[r].get(key) is not None and grids[r][key] <= device[r] for r in device))
    counts['networks'] = len(nets)
    return counts


def variance_shares(grid):
    """Shares of the variance of a full W x A grid explained by W alone and by A alone.

    Two-way main effects: the variance of the row means and of the column means over the total
    variance. Returns ``None`` when the grid is not a complete rectangle of at least two weight
    and two activation precisions.
    """
    known = {key: value for key, value in grid.items() if value is not None}
    ws, as_ = sorted({w for w, _ in known}), sorted({a for _, a in known})
    if len(known) != len(ws) * len(as_) or len(ws) < 2 or len(as_) < 2:
        return None
    table = np.array([[known[(w, a)] for a in as_] for w in ws], dtype=float)
    total = table.var()
    if total == 0:
        return {'W': 0.0, 'A': 0.0}
    return {'W': float(table.mean(axis=1).var() / total),
            'A': float(table.mean(axis=0).var() / total)}


def radar_scores(results):
    """Per radar group, per network present: scores in 0..1 (1 = the study's best).

    As in the paper's Fig. 7, each axis (error at the largest budget, LUT, FF, BRAM) is
    normalised between the best and the worst value of Table 2.
    """
    bounds = table2(results)
    errors = final_errors(results)
    values = {resource: resource_grid(results, resource) for resource in RESOURCES}
    groups = collections.OrderedDict()
    for group, members in RADAR_GROUPS.items():
        scores = collections.OrderedDict()
        for net in members:
            if net not in errors:
                continue
            raw = [('error', errors[net])] + [(r, values[r].get(net)) for r in RESOURCES]
            scores[network_name(*net)] = collections.OrderedDict(
                (axis, _normalise(value, bounds[axis])) for axis, value in raw)
        groups[group] = scores
    return groups


def _normalise(value, bounds):
    best, worst = bounds
    if value is None or best is None:
        return None
    if worst == best:
        return 1.0
    return float((worst - value) / float(worst - best))
