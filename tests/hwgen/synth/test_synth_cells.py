"""The 7-series cell table: every cell type counts as Vivado's utilization report counts it."""
from __future__ import absolute_import

import pytest

from hwgen.synth.cells import CELL_COSTS, RESOURCES, cell_cost, count_resources
from hwgen.synth.errors import SynthesisError


def test_luts_of_every_size_and_lut6_2_are_one_lut_each():
    for name in ('LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6', 'LUT6_2'):
        assert cell_cost(name) == {'LUT': 1}, name


def test_flip_flops_and_latches_are_ffs():
    for name in ('FDRE', 'FDSE', 'FDCE', 'FDPE', 'FDRE_1', 'LDCE', 'LDPE'):
        assert cell_cost(name) == {'FF': 1}, name


def test_block_rams_count_in_18k_halves():
    assert cell_cost('RAMB18E1') == {'BRAM_18K': 1}
    assert cell_cost('RAMB36E1') == {'BRAM_18K': 2}
    assert cell_cost('FIFO36E1') == {'BRAM_18K': 2}


def test_lut_memories_count_the_luts_they_occupy_as_lut_and_lutram():
    # 7-series slice: a 64-deep LUT holds 64 x 1 or 32 x 2 bits; dual ports need two LUTs,
    # the multi-port RAM32M / RAM64M a whole quad of four.
    expected = {'RAM32X1S': 1, 'RAM64X1S': 1, 'RAM32X1D': 2, 'RAM64X1D': 2, 'RAM128X1S': 2,
                'RAM128X1D': 4, 'RAM256X1S': 4, 'RAM32M': 4, 'RAM64M': 4, 'SRL16E': 1,
                'SRLC32E': 1}
    for name, luts in expected.items():
        assert cell_cost(name) == {'LUT': luts, 'LUTRAM': luts}, name


def test_dsp_carry_and_wide_muxes_have_their_own_columns():
    assert cell_cost('DSP48E1') == {'DSP': 1}
    assert cell_cost('CARRY4') == {'CARRY4': 1}
    assert cell_cost('MUXF7') == cell_cost('MUXF8') == {'MUXF': 1}


def test_every_cost_names_a_known_resource():
    for name, cost in CELL_COSTS.items():
        assert set(cost) <= set(RESOURCES), name
        assert all(isinstance(v, int) and v > 0 for v in cost.values()), name


def test_count_resources_sums_and_keeps_unknown_cells_apart():
    cells = {'LUT6': 10, 'LUT2': 3, 'RAM64M': 2, 'SRLC32E': 5, 'FDRE': 7, 'FDCE': 1,
             'RAMB36E1': 3, 'RAMB18E1': 1, 'DSP48E1': 2, 'CARRY4': 4, 'MUXF7': 6, 'VCC': 1,
             '$_DFF_P_': 2, 'MYSTERY': 1}
    counts = count_resources(cells)
    assert counts['resources'] == {'LUT': 10 + 3 + 8 + 5, 'LUTRAM': 8 + 5, 'FF': 8,
                                   'BRAM_18K': 7, 'DSP': 2, 'CARRY4': 4, 'MUXF': 6}
    assert counts['unmapped'] == {'$_DFF_P_': 2, 'MYSTERY': 1}


@pytest.mark.parametrize('count', [-1, 1.5, True, '3'])
def test_a_bad_count_is_refused(count):
    with pytest.raises(SynthesisError) as info:
        count_resources({'LUT6': count})
    assert 'LUT6' in str(info.value)
