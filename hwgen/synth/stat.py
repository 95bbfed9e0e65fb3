"""Yosys ``stat -json`` output as cell counts and resources.

``synth`` ends with ``tee -q -o stat.json stat -json -top <top>`` (see :mod:`hwgen.synth.yosys`):
a JSON object with one entry per module under ``modules`` and, under ``design``, the whole
hierarchy below the top, every submodule's cells times its instances. Yosys 0.23 and current
Yosys write the same keys; current Yosys also lists the submodules among the design's cell
types, which are not cells of the library and are dropped here.
"""
from __future__ import absolute_import, division, print_function

import json

from hwgen.synth.cells import count_resources
from hwgen.synth.errors import SynthesisError

__all__ = ['read_stat_json', 'design_cells', 'module_cells', 'stat_resources']


def read_stat_json(text):
    """The JSON object of a ``stat -json`` output.

    Raises
    ------
    SynthesisError
        ``text`` is not JSON, or has no ``modules``.
    """
    try:
        stat = json.loads(text)
    except ValueError as error:
        raise SynthesisError('Yosys stat output is not JSON: %s' % error)
    if not isinstance(stat, dict) or not isinstance(stat.get('modules'), dict):
        raise SynthesisError('Yosys stat output has no "modules" object')
    return stat


def _module_names(stat):
    names = set()
    for name in stat['modules']:
        names.add(name)
        names.add(name[1:] if name.startswith('\\') else name)
    return names


def _cells_of(entry, modules, where):
    by_type = entry.get('num_cells_by_type')
    if not isinstance(by_type, dict):
        raise SynthesisError('Yosys stat output: %s has no "num_cells_by_type"' % where)
    return dict((name, count) for name, count in by_type.items() if name not in modules)


def module_cells(stat, module):
    """Cells of one module by type, submodule instances left out.

    ``module`` may be given with or without Yosys's leading backslash.
    """
    for name in (module, '\\' + module):
        if name in stat['modules']:
            return _cells_of(stat['modules'][name], _module_names(stat), 'module %s' % name)
    raise SynthesisError('Yosys stat output has no module %s (it has %s)'
                         % (module, ', '.join(sorted(stat['modules']))))


def design_cells(stat):
    """Cells of the whole design below the top by type (``design``, or the only module)."""
    if 'design' in stat:
        return _cells_of(stat['design'], _module_names(stat), 'design')
    if len(stat['modules']) == 1:
        return module_cells(stat, list(stat['modules'])[0])
    raise SynthesisError('Yosys stat output has several modules and no "design" total: '
                         'run stat with -top')


def stat_resources(text):
    """Resources of the design of a ``stat -json`` output.

    Returns
    -------
    dict
        ``resources`` and ``unmapped`` (:func:`hwgen.synth.cells.count_resources`),
        ``cells`` (the design's cell counts by type) and ``creator`` (the Yosys version line).
    """
    stat = read_stat_json(text)
    cells = design_cells(stat)
    counts = count_resources(cells)
    counts['cells'] = cells
    counts['creator'] = stat.get('creator', '')
    return counts
