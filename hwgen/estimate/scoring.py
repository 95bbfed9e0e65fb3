"""The estimates scored against every published figure (``qnn hwgen score``).

Three comparisons, all read from :mod:`hwgen.estimate.published`:

* BNN-PYNQ's LFC W1A1 and W1A2, whole designs after implementation: estimate of the same
  network and folding against LUT, FF, BRAM_18K and DSP;
* the paper's Table 2: best and worst LUT, FF and BRAM_18K over its 64 networks, against the
  estimates of the 64 networks under the first of the foldings tied for the closest BRAM
  extremes (:func:`hwgen.estimate.folding_search.best_bram_folding`: six tie, and their LUT and FF
  figures differ by up to a factor of four);
* the paper's fit counts on the Z7020: networks within its BRAM, within its FFs, within the
  whole device;
* given ``qnn hwgen synth`` records of BNN-PYNQ's designs, their ``yosys-xc7`` figures against
  the same published figures (the synthesis is not fitted to them).

Error is ``100 * (estimate / published - 1)`` for resources and ``estimate - published`` for
counts. ``docs/fidelity.md`` holds today's table; ``tests/hwgen/estimate/test_scoring.py`` pins it.
"""
from __future__ import absolute_import, division, print_function

import collections

from hwgen.estimate.device import Z7020, capacity, fits
from hwgen.estimate.folding_search import GRID_BITS, best_bram_folding
from hwgen.estimate.models import estimate_network
from hwgen.estimate.published import design_figures, design_names, paper_fits, paper_table2
from hwgen.folding.base import LFC_SIZES
from hwgen.folding.resolve import describe_folding
from hwgen.network import network_specs

__all__ = ['Row', 'design_rows', 'synthesis_rows', 'synthesis_grid', 'synthesis_table2_rows',
           'grid_estimates', 'table2_rows', 'fit_rows', 'score', 'render_markdown',
           'DESIGN_RESOURCES', 'TABLE2_RESOURCES']

Row = collections.namedtuple('Row', ['figure', 'resource', 'estimate', 'published', 'error'])

DESIGN_RESOURCES = ('LUT', 'FF', 'BRAM_18K', 'DSP')
TABLE2_RESOURCES = ('LUT', 'FF', 'BRAM_18K')


def _relative_error(estimate, published):
    return 100.0 * (estimate / published - 1.0)


def design_rows():
    """One row per published design and resource (BNN-PYNQ's LFC networks)."""
    rows = []
    for name in design_names():
        design = design_figures(name)
        specs = network_specs(LFC_SIZES, design['wbits'], design['abits'], True,
                              folding=design['folding'], rules=None)
        estimate = estimate_network(specs)['resources']
        for key in DESIGN_RESOURCES:
            published = design['resources'][key]
            rows.append(Row(name, key, estimate[key], published,
                            _relative_error(estimate[key], published)))
    return rows


def _synthesised_design(record):
    """The published design a ``qnn hwgen synth`` record is of (same bits and folding)."""
    layers = record['rtl']['layers']
    folding = '%s:%s' % (','.join(str(layer['simd']) for layer in layers),
                         ','.join(str(layer['pe']) for layer in layers))
    for name in design_names():
        design = design_figures(name)
        if (design['wbits'], design['abits'], design['folding']) == \
                (layers[0]['w_bits'], layers[0]['a_bits'], folding):
            return name, design
    raise ValueError('the synthesis of W%dA%d at folding %s is of no published design'
                     % (layers[0]['w_bits'], layers[0]['a_bits'], folding))


def _is_study_record(record):
    """A record of ``qnn synthesize`` (it names the study run it was made from)."""
    return bool(record.get('run'))


def synthesis_rows(records):
    """One row per resource of each ``qnn hwgen synth`` record of a published design
    (records of a study's networks, :func:`synthesis_table2_rows`, are left out).

    Parameters
    ----------
    records : list of dict
        ``synth.json`` records (:func:`hwgen.synth.network.synthesize_network`).

    Raises
    ------
    ValueError
        A record that is not of a study is of no published design.
    """
    rows = []
    for record in records:
        if _is_study_record(record):
            continue
        name, design = _synthesised_design(record)
        for key in DESIGN_RESOURCES:
            published = design['resources'][key]
            rows.append(Row('%s %s' % (record['source'], name), key, record['total'][key],
                            published, _relative_error(record['total'][key], published)))
    return rows


def synthesis_grid(records, unit='parallel'):
    """``{(W, A): resources}`` of the study records (``qnn synthesize``) with one threshold
    unit."""
    grid = {}
    for record in records:
        if _is_study_record(record) and record['rtl']['threshold_unit'] == unit:
            first = record['rtl']['layers'][0]
            grid[(first['w_bits'], first['a_bits'])] = record['total']
    return grid


def synthesis_table2_rows(records, unit='parallel'):
    """Best and worst of each resource over a study's 64 synthesised networks (the HLS
    design's threshold unit) against the paper's Table 2; no rows unless all 64 are there.

    Returns
    -------
    (list of Row, int)
        The rows, and how many of the 64 networks the records hold.
    """
    grid = synthesis_grid(records, unit)
    wanted = set((w, a) for w in GRID_BITS for a in GRID_BITS)
    have = len(wanted & set(grid))
    if have < len(wanted):
        return [], have
    table = paper_table2()
    rows = []
    for key in TABLE2_RESOURCES:
        values = [grid[net][key] for net in wanted]
        for label, value, published in (('best', min(values), table[key][0]),
                                        ('worst', max(values), table[key][1])):
            rows.append(Row('yosys-xc7 paper Table 2 %s' % label, key, value, published,
                            _relative_error(value, published)))
    return rows, have


def grid_estimates(foldings, sizes=LFC_SIZES):
    """``{(W, A): estimated resources}`` of the paper's 64 networks under one folding.

    Each network's layers have the accumulators any weights of their grid need, as the
    study's networks (:func:`hwgen.network.widest_accumulator`).
    """
    return dict(((w, a), estimate_network(network_specs(sizes, w, a, True, folding=foldings,
                                                        rules=None)))
                for w in GRID_BITS for a in GRID_BITS)


def table2_rows(grid):
    """Best and worst of each resource over ``grid`` against the paper's Table 2."""
    table = paper_table2()
    rows = []
    for key in TABLE2_RESOURCES:
        values = [estimate['resources'][key] for estimate in grid.values()]
        for label, value, published in (('best', min(values), table[key][0]),
                                        ('worst', max(values), table[key][1])):
            rows.append(Row('paper Table 2 %s' % label, key, value, published,
                            _relative_error(value, published)))
    return rows


def fit_rows(grid, device=Z7020):
    """Networks of ``grid`` within the device's BRAM, FFs, and whole, against the paper."""
    published = paper_fits()
    limits = capacity(device)
    checks = (('BRAM_18K', ['BRAM_18K']), ('FF', ['FF']), ('device', ['LUT', 'FF', 'BRAM_18K']))
    rows = []
    for name, keys in checks:
        count = sum(1 for estimate in grid.values()
                    if fits(estimate, dict((k, limits[k]) for k in keys), keys=keys))
        rows.append(Row('paper: networks that fit', name, count, published[name],
                        count - published[name]))
    return rows


def score(synthesis=()):
    """Every comparison: ``designs``, ``table2``, ``fits``, ``synthesis`` (lists of
    :class:`Row`), ``folding``; ``synthesis`` are ``qnn hwgen synth`` records to score."""
    search = best_bram_folding()
    grid = grid_estimates(search['folding'])
    return {'designs': design_rows(), 'table2': table2_rows(grid), 'fits': fit_rows(grid),
            'synthesis': synthesis_rows(synthesis),
            'synthesis_table2': synthesis_table2_rows(synthesis),
            'folding': describe_folding(search['folding']), 'search': search}


def _rows_markdown(rows, error_format, value='estimate'):
    lines = ['| figure | resource | %s | published | error |' % value, '|---|---|---|---|---|']
    for row in rows:
        error = round(row.error, 1) + 0  # + 0 turns -0.0 into 0.0
        lines.append('| %s | %s | %d | %d | %s |' % (row.figure, row.resource, row.estimate,
                                                     row.published, error_format % error))
    return lines


def render_markdown(result):
    """The tables of :func:`score` as Markdown."""
    search = result['search']
    lines = ['BNN-PYNQ LFC designs (Vivado 2018.2, after implementation):', '']
    lines += _rows_markdown(result['designs'], '%+.1f %%')
    lines += ['', "The paper's Table 2 (64 networks, W and A in 1..8) under folding %s, the "
              'first in enumeration order (fewest cycles per image) of the %d of %d balanced '
              'foldings tied for the BRAM extremes closest to the paper\'s (%d and %d against '
              '%d and %d):' % (
                  result['folding'], len(search['ties']), search['candidates'],
                  search['bram'][0], search['bram'][1], search['target'][0],
                  search['target'][1]), '']
    lines += _rows_markdown(result['table2'], '%+.1f %%')
    lines += ['', 'Networks that fit the Z7020, same folding:', '']
    lines += _rows_markdown(result['fits'], '%+d')
    if result.get('synthesis'):
        lines += ['', 'Yosys synthesis of the same designs (yosys-xc7: module by module, out of '
                  'context, products in LUTs; a synthesis, not Vivado and not placed):', '']
        lines += _rows_markdown(result['synthesis'], '%+.1f %%', 'yosys-xc7')
    table2, have = result.get('synthesis_table2', ([], 0))
    if table2:
        lines += ['', "The paper's Table 2 against the yosys-xc7 synthesis of the study's 64 "
                  'networks (parallel threshold unit, the study\'s folding):', '']
        lines += _rows_markdown(table2, '%+.1f %%', 'yosys-xc7')
    elif have:
        lines += ['', "The paper's Table 2 against the yosys-xc7 synthesis: %d of the 64 "
                  'networks synthesised; the extremes need all of them.' % have]
    return '\n'.join(lines) + '\n'
