from __future__ import absolute_import, division, print_function

import ast
import io
import os
import re

import numpy as np
import pytest

from hwgen.datatype import (BIPOLAR, INT, UINT, activation_range, field_type, grid_type,
                            smallest_fitting)
from hwgen.folding.base import Folding
from hwgen.layerspec import LayerSpec
from qnn import numeric
from qnn.compat import string_types


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


@pytest.mark.parametrize('bits', range(1, 9))
def test_activation_range_is_qnns_activation_codes(bits):
    codes = numeric.activation_codes(bits)
    assert activation_range(bits) == (codes.min(), codes.max())


def test_cpp_types_at_a_macro_width_and_every_field():
    assert [t.cpp_type_for('L1_API') for t in (BIPOLAR, INT(3), UINT(3))] == [
        'ap_uint<L1_API>', 'ap_int<L1_API>', 'ap_uint<L1_API>']
    assert INT(3).decode(INT(3).all_fields()).tolist() == [0, 1, 2, 3, -4, -3, -2, -1]
    assert BIPOLAR.decode(BIPOLAR.all_fields()).tolist() == [-1, 1]


# --- nothing outside hwgen.datatype derives a C++ type or an integer range --------------------

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
#: Packages that generate or model hardware, and the one module allowed to spell types.
SCANNED, DATATYPE_MODULE = ('hwgen', 'experiments'), os.path.join('hwgen', 'datatype.py')


def _literal(node):
    """The value of a number or string literal (ast.Constant, or Num/Str on Python 2)."""
    if type(node).__name__ == 'Constant':
        return node.value
    return getattr(node, {'Num': 'n', 'Str': 's'}.get(type(node).__name__, '_none'), None)


def _docstrings(tree):
    nodes = [tree] + [n for n in ast.walk(tree)
                      if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    return set(id(n.body[0].value) for n in nodes
               if n.body and isinstance(n.body[0], ast.Expr)
               and isinstance(_literal(n.body[0].value), string_types))


def _power_of_two(node):
    """The exponent of ``2 ** e`` or ``1 << e`` with a variable ``e``, else None."""
    if not isinstance(node, ast.BinOp):
        return None
    exponent = node.right.operand if isinstance(node.right, ast.UnaryOp) else node.right
    if _literal(exponent) is not None:
        return None
    if (isinstance(node.op, ast.Pow) and _literal(node.left) == 2) or \
            (isinstance(node.op, ast.LShift) and _literal(node.left) == 1):
        return node.right
    return None


def hand_made_types(source):
    """``(line, what)`` of every C++ integer type in a string (docstrings aside) and every
    integer range made of a power of two in ``source``: ``2 ** e - 1``, ``(1 << e) + 1``,
    ``-2 ** e``, or ``2 ** (e - k)``. A power of two alone (a count, a memory depth) is not a
    range."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        value = _literal(node)
        if isinstance(value, string_types) and id(node) not in docstrings and \
                re.search(r'ap_u?int<', value):
            found.append((node.lineno, 'C++ type %r' % value))
        exponent = _power_of_two(node)
        if isinstance(exponent, ast.BinOp) and isinstance(exponent.op, ast.Sub) and \
                _literal(exponent.right) is not None:
            found.append((node.lineno, 'power of two of bits - k'))
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)) and \
                _literal(node.right) == 1 and _power_of_two(node.left) is not None:
            found.append((node.lineno, 'power of two +- 1'))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and \
                _power_of_two(node.operand) is not None:
            found.append((node.lineno, 'negated power of two'))
    return sorted(found)


def test_the_scanner_finds_hand_made_types():
    source = ('"""Docstrings may say ap_int<16> and 2 ** bits."""\n'
              "x = 'ap_int<%d>' % bits\n"
              'y = 2 ** (bits - 1)\n'
              'z = (1 << bits) - 1\n'
              'v = -2 ** bits\n'
              'w = 2 ** 24 + (1 << 8) + 2.0 ** -53 - 1  # constants are fine\n'
              'u = 2 ** stages * 2 ** (stages - stage)  # so are counts\n')
    assert [line for line, _ in hand_made_types(source)] == [2, 3, 4, 5]


def test_only_datatype_spells_cpp_types_and_ranges():
    found = []
    for package in SCANNED:
        for folder, _, names in os.walk(os.path.join(ROOT, package)):
            for name in sorted(n for n in names if n.endswith('.py')):
                path = os.path.join(folder, name)
                if os.path.relpath(path, ROOT) == DATATYPE_MODULE:
                    continue
                with io.open(path, encoding='utf-8') as handle:
                    found.extend('%s:%d: %s' % (os.path.relpath(path, ROOT), line, what)
                                 for line, what in hand_made_types(handle.read()))
    assert found == []
