"""Xilinx 7-series cells as resources: the one place that says what a cell costs.

Yosys ``synth_xilinx`` maps a design to the cells of the 7-series library (the UNISIM
primitives). Each cell type is counted as Vivado's utilization report and FINN count it:

* ``LUT``: every LUT of a slice, as logic or as memory (Vivado's "Slice LUTs"): LUT1..LUT6,
  LUT6_2 (one LUT with two outputs) and INV are one LUT each; LUT memories count the LUTs they
  occupy (RAM32M: 4, RAM64X1D: 2, SRLC32E: 1, ...);
* ``LUTRAM``: the part of ``LUT`` used as memory (Vivado's "LUT as Memory": distributed RAM and
  shift registers);
* ``FF``: flip-flops and latches (FDRE, FDSE, FDCE, FDPE, their inverted-clock forms, LDCE,
  LDPE; Vivado's "Slice Registers");
* ``BRAM_18K``: RAMB18E1 and FIFO18E1 are one, RAMB36E1 and FIFO36E1 two;
* ``DSP``: DSP48E1;
* ``CARRY4`` and ``MUXF`` (MUXF7, MUXF8): slice logic that is no LUT, reported apart.

Cells that cost none of these (VCC, GND, buffers) are known and counted nowhere; any other
cell type is *unmapped* (:func:`count_resources` returns it apart, so a cell left in Yosys's
internal form is never counted as zero silently).

Examples
--------
>>> counts = count_resources({'LUT2': 16, 'CARRY4': 5, 'FDRE': 32, 'RAM32M': 2})
>>> counts['resources']['LUT'], counts['resources']['LUTRAM'], counts['resources']['FF']
(24, 8, 32)
"""
from __future__ import absolute_import, division, print_function

import numbers

from hwgen.synth.errors import SynthesisError

__all__ = ['RESOURCES', 'CELL_COSTS', 'cell_cost', 'count_resources']

#: The resources counted, in report order.
RESOURCES = ('LUT', 'LUTRAM', 'FF', 'BRAM_18K', 'DSP', 'CARRY4', 'MUXF')


def _each(names, cost):
    return dict((name, dict(cost)) for name in names)


def _lut_memory(luts):
    return {'LUT': luts, 'LUTRAM': luts}


#: Cost of each known 7-series cell type: resource -> units per cell.
CELL_COSTS = {}
CELL_COSTS.update(_each(['LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6', 'LUT6_2', 'INV'],
                        {'LUT': 1}))
CELL_COSTS.update(_each(['FDRE', 'FDSE', 'FDCE', 'FDPE', 'FDRE_1', 'FDSE_1', 'FDCE_1', 'FDPE_1',
                         'LDCE', 'LDPE'], {'FF': 1}))
CELL_COSTS.update(_each(['RAMB18E1', 'FIFO18E1'], {'BRAM_18K': 1}))
CELL_COSTS.update(_each(['RAMB36E1', 'FIFO36E1'], {'BRAM_18K': 2}))
CELL_COSTS.update(_each(['DSP48E1'], {'DSP': 1}))
CELL_COSTS.update(_each(['CARRY4'], {'CARRY4': 1}))
CELL_COSTS.update(_each(['MUXF7', 'MUXF8'], {'MUXF': 1}))
CELL_COSTS.update(_each(['RAM16X1S', 'RAM32X1S', 'RAM64X1S', 'SRL16E', 'SRLC16E', 'SRLC32E'],
                        _lut_memory(1)))
CELL_COSTS.update(_each(['RAM16X1D', 'RAM32X1D', 'RAM64X1D', 'RAM128X1S'], _lut_memory(2)))
CELL_COSTS.update(_each(['RAM128X1D', 'RAM256X1S', 'RAM32M', 'RAM64M'], _lut_memory(4)))
CELL_COSTS.update(_each(['RAM32M16', 'RAM64M8'], _lut_memory(8)))
CELL_COSTS.update(_each(['VCC', 'GND', 'BUFG', 'BUFGCTRL', 'BUFH', 'IBUF', 'OBUF', 'OBUFT',
                         'IOBUF', 'IBUFG'], {}))


def cell_cost(cell_type):
    """Resources of one cell of ``cell_type`` (a dict), or None if the type is not known.

    Examples
    --------
    >>> cell_cost('RAMB36E1'), cell_cost('$_DFF_P_')
    ({'BRAM_18K': 2}, None)
    """
    cost = CELL_COSTS.get(cell_type)
    return None if cost is None else dict(cost)


def _check_count(cell_type, count):
    if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 0:
        raise SynthesisError('the count of cell %s must be a non-negative integer, got %r'
                             % (cell_type, count))


def count_resources(cells):
    """Resources of a netlist from its cell counts.

    Parameters
    ----------
    cells : dict
        Cell type -> number of cells, as Yosys ``stat`` reports them.

    Returns
    -------
    dict
        ``resources`` (every key of :data:`RESOURCES`, an int each) and ``unmapped`` (the
        cell types :data:`CELL_COSTS` does not know, with their counts; counted in no
        resource).

    Raises
    ------
    SynthesisError
        A count is not a non-negative integer.
    """
    resources = dict((key, 0) for key in RESOURCES)
    unmapped = {}
    for cell_type in sorted(cells):
        count = cells[cell_type]
        _check_count(cell_type, count)
        cost = cell_cost(cell_type)
        if cost is None:
            unmapped[cell_type] = count
            continue
        for key, units in cost.items():
            resources[key] += units * count
    return {'resources': resources, 'unmapped': unmapped}
