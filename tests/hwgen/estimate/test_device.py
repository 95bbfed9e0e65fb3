"""hwgen.estimate.device: the Z7020's capacity, fit verdicts and utilisation."""
from __future__ import absolute_import, division, print_function

import os

import pytest

from hwgen.estimate.device import Device, Z7020, capacity, fits, utilization
from hwgen.estimate.models import estimate_network
from hwgen.hls.reports import parse_csynth_xml
from hwgen.layerspec import lfc_specs

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'data')


# --- device and fit ----------------------------------------------------------------------

def test_z7020_capacity():
    assert Z7020.part == 'xc7z020clg400-1'
    assert capacity(Z7020) == {'BRAM_18K': 280, 'DSP': 220, 'FF': 106400, 'LUT': 53200,
                               'URAM': 0}


def test_fits_at_the_z7020_limits():
    assert fits({'BRAM_18K': 280, 'LUT': 53200, 'FF': 106400, 'DSP': 220, 'URAM': 0})
    assert not fits({'BRAM_18K': 281})
    assert not fits({'LUT': 53201})
    assert not fits({'FF': 106401})
    assert not fits({'DSP': 221})
    assert not fits({'URAM': 1})


def test_fits_study_table2():
    # Table 2 best / worst of the 64 networks: neither fits the Z7020 (53 336 > 53 200 LUT)
    assert not fits({'BRAM_18K': 224, 'FF': 31954, 'LUT': 53336})
    assert fits({'BRAM_18K': 224, 'FF': 31954})
    assert not fits({'BRAM_18K': 1643, 'FF': 226282, 'LUT': 223910})


def test_fits_lfc_estimates():
    assert fits(estimate_network(lfc_specs('W1A1')))            # 208 BRAM, 47 979 LUT
    assert not fits(estimate_network(lfc_specs('W1A2')))        # LUT over 53 200
    assert fits(estimate_network(lfc_specs('W1A2')), keys=['BRAM_18K'])


def test_fits_unknown_resources():
    assert fits({'FF': None, 'LUT': 1})
    with pytest.raises(ValueError, match='cannot check FF'):
        fits({'FF': None, 'LUT': 1}, keys=['FF', 'LUT'])
    with pytest.raises(ValueError, match='cannot check LUT'):
        fits({'LUT': 1}, device={'FF': 10}, keys=['LUT'])


def test_fits_against_a_report():
    report = parse_csynth_xml(os.path.join(DATA, 'BlackBoxJam_csynth.xml'))
    assert fits(report)
    assert fits(report['resources'], report['available'])
    small = Device('tiny', BRAM_18K=100, DSP=10, FF=1000, LUT=1000, URAM=0)
    assert not fits(report, small)


def test_utilization():
    used = utilization({'BRAM_18K': 208, 'LUT': 26600, 'URAM': 0, 'FF': None})
    assert used['BRAM_18K'] == 208 / 280
    assert used['LUT'] == 0.5
    assert used['URAM'] == 0.0
    assert used['FF'] is None and used['DSP'] is None
    assert utilization({'URAM': 2})['URAM'] == float('inf')
