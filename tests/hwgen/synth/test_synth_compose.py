"""A design's resources as module counts times instances."""
from __future__ import absolute_import

import pytest

from hwgen.synth.cells import RESOURCES
from hwgen.synth.compose import compose
from hwgen.synth.errors import SynthesisError

PE = {'LUT': 100, 'LUTRAM': 16, 'FF': 50, 'BRAM_18K': 1}
FIFO = {'LUT': 20, 'LUTRAM': 20, 'FF': 10}


def test_counts_times_instances_summed_over_modules():
    total = compose([('pe', 64), ('fifo', 3), ('pe', 32)], {'pe': PE, 'fifo': FIFO})
    assert total == {'LUT': 96 * 100 + 3 * 20, 'LUTRAM': 96 * 16 + 3 * 20,
                     'FF': 96 * 50 + 3 * 10, 'BRAM_18K': 96, 'DSP': 0, 'CARRY4': 0, 'MUXF': 0}


def test_synthesis_results_are_accepted_as_module_counts():
    result = {'source': 'yosys-xc7', 'resources': dict(PE), 'cells': {'LUT6': 100}}
    assert compose([('pe', 2)], {'pe': result})['LUT'] == 200


def test_empty_design_is_zero():
    assert compose([], {}) == dict((key, 0) for key in RESOURCES)


@pytest.mark.parametrize('design,message', [
    ([('pe', -1)], 'non-negative integer'),
    ([('pe', 2.0)], 'non-negative integer'),
    ([('pe', True)], 'non-negative integer'),
    ([('dsp', 1)], 'no counts for module dsp'),
    (['pe'], '(module, instances)'),
])
def test_bad_designs_are_refused(design, message):
    with pytest.raises(SynthesisError) as info:
        compose(design, {'pe': PE})
    assert message in str(info.value)


def test_unknown_resource_is_refused():
    with pytest.raises(SynthesisError) as info:
        compose([('pe', 1)], {'pe': {'SLICE': 3}})
    assert 'SLICE' in str(info.value)
