from __future__ import absolute_import, division, print_function

import numpy as np
import pytest

from hwgen.datatype import (BIPOLAR, INT, UINT, field_type, grid_type, smallest_fitting)
from hwgen.folding.base import Folding
from hwgen.layerspec import LayerSpec


def test_ranges_match_the_twos_complement_definition():
    for bits in range(1, 9):
        values = [sum((1 << i) for i in range(bits) if pattern >> i & 1)
                  for pattern in range(2 ** bits)]                   # every unsigned field
        signed = [v - 2 ** bits if v >> (bits - 1) else v for v in values]
        assert (INT(bits).min, INT(bits).max) == (min(signed), max(signed))
        assert (UINT(bits).min, UINT(bits).max) == (min(values), max(values))
    assert (BIPOLAR.min, BIPOLAR.max) == (-1, 1)


@pytest.mark.parametrize('dtype', [BIPOLAR, INT(1), INT(3), INT(8), UINT(1), UINT(5)])
def test_encode_decode_round_trip(dtype):
    values = np.arange(dtype.min, dtype.max + 1)
    values = values[dtype.allowed(values)]
    fields = dtype.encode(values)
    assert fields.max() <= dtype.mask
    assert dtype.decode(fields).tolist() == values.tolist()
    assert sorted(set(fields.tolist())) == sorted(fields.tolist())     # one field per value


def test_bipolar_fields_and_zero():
    assert BIPOLAR.encode([-1, 1]).tolist() == [0, 1]
    assert BIPOLAR.decode([0, 1, 3]).tolist() == [-1, 1, 1]           # higher bits ignored
    assert BIPOLAR.allowed([-1, 0, 1]).tolist() == [True, False, True]


def test_wrap_is_hardware_overflow():
    assert INT(8).wrap(np.array([127, 128, -129, 300])).tolist() == [127, -128, 127, 44]
    assert UINT(4).wrap([16, 17, -1]).tolist() == [0, 1, 15]
    with pytest.raises(ValueError):
        BIPOLAR.wrap([2])


def test_cpp_types():
    assert [t.cpp_type for t in (INT(4), UINT(4), BIPOLAR)] == \
        ['ap_int<4>', 'ap_uint<4>', 'ap_uint<1>']


def test_smallest_fitting():
    assert smallest_fitting(-1, 400, min_bits=16) == INT(16)
    assert smallest_fitting(-40000, 12) == INT(17)        # -2^16 <= -40000
    assert smallest_fitting(0, 32768, signed=True, min_bits=16) == INT(17)
    assert smallest_fitting(0, 255) == UINT(8) and smallest_fitting(0, 256) == UINT(9)
    assert smallest_fitting(-128, 127) == INT(8) and smallest_fitting(-129, 0) == INT(9)
    with pytest.raises(ValueError):
        smallest_fitting(-1, 3, signed=False)


def test_field_type_follows_the_layer_encodings():
    assert field_type(1) is BIPOLAR and field_type(1, signed=False) == UINT(1)
    assert field_type(4) == INT(4) and field_type(8, signed=False) == UINT(8)
    f = Folding(64, 64, 16, 16)
    spec = LayerSpec(f, w_bits=3, in_bits=2, a_bits=3, acc_bits=12)
    assert (spec.weight_type, spec.in_type, spec.out_type, spec.acc_type) == \
        (INT(3), INT(2), INT(3), INT(12))
    assert LayerSpec(f).out_type is BIPOLAR and LayerSpec(f).weight_type is BIPOLAR
    assert LayerSpec(f, a_bits=2, act_val=0, n_thresholds=3).out_type == UINT(2)


def test_grid_type_is_the_paper_grid():
    assert grid_type(1).decode([0, 1]).tolist() == [-1.0, 1.0]
    assert grid_type(2).step == 1.0 and grid_type(4).step == 0.25
    assert grid_type(3).encode([-1.0, -0.5, 0.5]).tolist() == [6, 7, 1]    # codes -2, -1, 1
    assert (grid_type(8).min, grid_type(8).max) == (-2.0, 127 / 64.0)
