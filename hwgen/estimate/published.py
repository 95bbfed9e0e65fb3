"""Published resource figures: BNN-PYNQ's LFC designs, the paper's Table 2 and fit counts, devices.

Every published number the estimates are compared with lives in one data file shipped with the
package, ``hwgen/estimate/data/published.json``, each with its source; code reads it through these
functions instead of repeating the numbers.

Examples
--------
>>> device_capacity('xc7z020clg400-1')['BRAM_18K']
280
>>> design_figures('bnn-pynq-lfc-W1A1')['resources']['LUT']
28360
>>> paper_table2()['FF']
(31954, 226282)
>>> paper_fits()['device']
4
"""
from __future__ import absolute_import, division, print_function

import collections
import io
import json
import os

__all__ = ['PUBLISHED_PATH', 'Z7020_PART', 'published', 'device_capacity', 'design_names',
           'design_figures', 'paper_table2', 'paper_fits', 'paper_study']

#: The data file (package data).
PUBLISHED_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data',
                              'published.json')

#: The paper's and BNN-PYNQ's target part.
Z7020_PART = 'xc7z020clg400-1'

_CACHE = {}


def published():
    """The whole data file as a dict (read once)."""
    if 'data' not in _CACHE:
        with io.open(PUBLISHED_PATH, encoding='utf-8') as handle:
            _CACHE['data'] = json.load(handle)
    return _CACHE['data']


def _entry(section, name):
    entries = published()[section]
    if name not in entries:
        raise KeyError('%s: no %s %r (known: %s)' % (PUBLISHED_PATH, section, name,
                                                     ', '.join(sorted(entries))))
    return entries[name]


def device_capacity(part=Z7020_PART):
    """``{resource: capacity}`` of a device part."""
    return dict(_entry('devices', part)['resources'])


def design_names():
    """Names of the published designs, sorted."""
    return sorted(published()['designs'])


def design_figures(name):
    """One published design: ``wbits``, ``abits``, ``folding``, ``resources``, ``source``, ..."""
    return dict(_entry('designs', name))


def paper_study():
    """The paper's study entry (Table 2, fit counts, tool, device)."""
    return published()['study']


def paper_table2():
    """The paper's Table 2 as ``{row: (best, worst)}`` in the paper's order."""
    table = paper_study()['table2']
    return collections.OrderedDict((key, tuple(table[key]))
                                   for key in ('error', 'BRAM_18K', 'FF', 'LUT'))


def paper_fits():
    """Networks of the 64 that fit the paper's device: ``BRAM_18K``, ``FF`` and ``device``."""
    return dict(paper_study()['fits'])
