"""Yosys ``stat -json`` outputs captured from Yosys 0.23 and 0.70, read back.

The expected numbers are counted by hand from the cells each file lists (the 0.70 file's
``creator`` line is shortened to the version).
"""
from __future__ import absolute_import

import io

import pytest

from hwgen.synth.errors import SynthesisError
from hwgen.synth.stat import design_cells, module_cells, read_stat_json, stat_resources

from synth_settings import data_file

#: mixed.v: a 1024 x 32 ROM (one RAMB36E1), a 32 x 8 register file (two RAM32M), an 8 x 8
#: multiplier (one DSP48E1) and a 32-bit register (32 FDRE), each its own module.
MIXED = {'LUT': 8, 'LUTRAM': 8, 'FF': 32, 'BRAM_18K': 2, 'DSP': 1, 'CARRY4': 0, 'MUXF': 0}


def _text(name):
    with io.open(data_file(name), encoding='utf-8') as handle:
        return handle.read()


@pytest.mark.parametrize('name,version', [('stat-mixed-yosys-0.23.json', 'Yosys 0.23'),
                                          ('stat-mixed-yosys-0.70.json', 'Yosys 0.70')])
def test_hierarchical_design_totals(name, version):
    counts = stat_resources(_text(name))
    assert counts['resources'] == MIXED
    assert counts['unmapped'] == {}
    assert counts['cells'] == {'DSP48E1': 1, 'FDRE': 32, 'RAM32M': 2, 'RAMB36E1': 1}
    assert counts['creator'].startswith(version)


def test_submodule_instances_are_not_cells():
    stat = read_stat_json(_text('stat-mixed-yosys-0.70.json'))
    assert module_cells(stat, 'mixed') == {}          # only the four submodule instances
    assert module_cells(stat, '\\mixed') == {}


def test_flat_module_with_every_lut_size():
    counts = stat_resources(_text('stat-xnor-popcount-yosys-0.23.json'))
    # LUT2 33 + LUT3 6 + LUT4 6 + LUT5 7 + LUT6 115; MUXF7 38 + MUXF8 15; 7 FDRE
    assert counts['resources'] == {'LUT': 167, 'LUTRAM': 0, 'FF': 7, 'BRAM_18K': 0, 'DSP': 0,
                                   'CARRY4': 2, 'MUXF': 53}


def test_without_design_total_the_only_module_is_the_design():
    stat = read_stat_json('{"modules": {"\\\\top": {"num_cells_by_type": {"LUT3": 2}}}}')
    assert design_cells(stat) == {'LUT3': 2}


@pytest.mark.parametrize('text,message', [
    ('Yosys said no', 'not JSON'),
    ('{"design": {}}', '"modules"'),
    ('{"modules": {"\\\\a": {}, "\\\\b": {}}}', 'with -top'),
    ('{"modules": {"\\\\a": {"num_cells": 3}}}', 'num_cells_by_type'),
])
def test_unreadable_stat_is_refused(text, message):
    with pytest.raises(SynthesisError) as info:
        stat_resources(text)
    assert message in str(info.value)


def test_a_missing_module_is_named():
    stat = read_stat_json(_text('stat-mixed-yosys-0.23.json'))
    with pytest.raises(SynthesisError) as info:
        module_cells(stat, 'nosuch')
    assert 'nosuch' in str(info.value)
