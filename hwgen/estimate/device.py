"""FPGA devices, their capacity and whether a design fits: throughput and utilisation.

Examples
--------
>>> capacity(Z7020)['BRAM_18K'], fits({'BRAM_18K': 208, 'LUT': 28360})
(280, True)
"""
from __future__ import absolute_import, division, print_function

import collections
import logging

from hwgen.estimate.published import Z7020_PART, device_capacity

__all__ = ['RESOURCE_KEYS', 'Device', 'Z7020', 'images_per_second', 'capacity', 'utilization',
           'fits']

log = logging.getLogger(__name__)


#: An FPGA's resources, the keys of capacities, estimates and Vivado HLS reports alike, in the
#: order of the HLS tables.
RESOURCE_KEYS = ('BRAM_18K', 'DSP', 'FF', 'LUT', 'URAM')


class Device(collections.namedtuple('Device', ('part',) + RESOURCE_KEYS)):
    """An FPGA's capacity, with the keys of :data:`RESOURCE_KEYS`."""
    __slots__ = ()


#: Zynq Z7020 (xc7z020clg400-1, PYNQ-Z1/Z2): 53 200 LUT, 106 400 FF, 280 BRAM_18K (140 RAMB36),
#: 220 DSP48E1, no URAM (from :mod:`hwgen.estimate.published`).
Z7020 = Device(Z7020_PART, **device_capacity(Z7020_PART))


def images_per_second(ii_cycles, clock_mhz=100.0):
    """Steady-state throughput of a dataflow pipeline: clock / II.

    Examples
    --------
    >>> images_per_second(512)  # LFC at BNN-PYNQ's 100 MHz FCLK0
    195312.5
    """
    if ii_cycles <= 0:
        raise ValueError('ii_cycles must be positive, got %r' % (ii_cycles,))
    return clock_mhz * 1e6 / ii_cycles


def capacity(device):
    """``{key: capacity}`` of a :class:`Device` or a mapping (e.g. a report's ``available``)."""
    if isinstance(device, Device):
        return dict((key, getattr(device, key)) for key in RESOURCE_KEYS)
    return dict((key, device.get(key)) for key in RESOURCE_KEYS)


def _used(resources):
    """Accept a resources mapping, or an estimate / report dict holding one."""
    inner = resources.get('resources') if hasattr(resources, 'get') else None
    return inner if isinstance(inner, dict) else resources


def utilization(resources, device=Z7020):
    """Fraction of the device each resource takes (None where either side is unknown).

    Examples
    --------
    >>> utilization({'BRAM_18K': 208, 'LUT': 26600})['BRAM_18K']  # doctest: +ELLIPSIS
    0.742...
    """
    used, available = _used(resources), capacity(device)
    result = {}
    for key in RESOURCE_KEYS:
        value, limit = used.get(key), available[key]
        if value is None or limit is None:
            result[key] = None
        elif limit == 0:
            result[key] = 0.0 if value == 0 else float('inf')
        else:
            result[key] = value / limit
    return result


def fits(resources, device=Z7020, keys=None):
    """Whether the resources fit the device (every checked resource <= capacity).

    Parameters
    ----------
    resources : dict
        ``{key: count}``, or an estimate / report dict with a ``resources`` entry.
    device : Device or dict
        Capacity; default :data:`Z7020`. A report's ``available`` dict works too.
    keys : sequence of str, optional
        Resources to check. Default: every key of
        :data:`RESOURCE_KEYS` known on both sides; unknown (None or absent)
        ones are skipped and logged.

    Raises
    ------
    ValueError
        A key in ``keys`` is unknown in ``resources`` or ``device``.

    Examples
    --------
    >>> fits({'BRAM_18K': 280, 'LUT': 53200, 'FF': None})
    True
    >>> fits({'BRAM_18K': 281})
    False
    """
    used, available = _used(resources), capacity(device)
    if keys is None:
        checked = [k for k in RESOURCE_KEYS
                   if used.get(k) is not None and available[k] is not None]
        skipped = [k for k in RESOURCE_KEYS if k in used and k not in checked]
        if skipped:
            log.info('fits: not checking %s (unknown)', ', '.join(skipped))
    else:
        checked = list(keys)
        unknown = [k for k in checked if used.get(k) is None or available.get(k) is None]
        if unknown:
            raise ValueError('cannot check %s: unknown in the resources (%r) or the device (%r)'
                             % (', '.join(map(str, unknown)), used, available))
    over = [k for k in checked if used[k] > available[k]]
    for key in over:
        log.debug('fits: %s %s > %s', key, used[key], available[key])
    return not over
