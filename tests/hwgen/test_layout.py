"""The design of hwgen, as its folders show it: which part may import which.

A part is a folder of ``hwgen/`` (``folding``, ``finn``, ``hls``, ...) or one of its top-level
modules (``datatype``, ``layerspec``, ``network``, ``intmodel``, ...). Every import of a
module -- at the top or inside a function -- is checked against :data:`MAY_IMPORT`; inside a
part anything goes. ``tests/qnn/test_package_graph.py`` checks the packages (hwgen imports
qnn only, never experiments).
"""
from __future__ import absolute_import, division, print_function

import ast
import io
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HWGEN = os.path.join(ROOT, 'hwgen')

_CORE = {'errors', 'datatype', 'folding', 'layerspec'}
#: What each part of hwgen may import, besides itself: folding knows nothing of datatypes,
#: files or C++; FINN's parameter side (thresholds, packing, files) knows datatypes and
#: foldings but no layer spec; the estimates read layer specs only (no parameters, files or
#: C++; the HLS reports share their resource names); the HLS back end reads parameters but no
#: trained run; the trained run's export writes through the HLS back end; the QONNX export
#: starts from a trained run; the Verilog writer reads specs and parameters (through its one
#: module hwgen.rtl.ir) but no HLS; Yosys synthesis knows Verilog files and the RTL folders the
#: Verilog writer makes, nothing of specs or parameters. Only the command line sees all.
MAY_IMPORT = {
    'errors': set(),
    'tools': set(),
    'datatype': set(),
    'folding': {'errors'},
    'layerspec': {'datatype', 'folding'},
    'network': _CORE,
    'finn': {'errors', 'datatype', 'folding'},
    'intmodel': _CORE | {'finn'},
    'estimate': _CORE | {'network'},
    'hls': _CORE | {'network', 'finn', 'intmodel', 'estimate', 'tools'},
    'trained': _CORE | {'network', 'finn', 'intmodel', 'hls'},
    'qonnx': _CORE | {'network', 'finn', 'trained'},
    'synth': {'errors', 'tools', 'rtl'},
    'rtl': _CORE | {'network', 'finn', 'intmodel', 'trained', 'tools'},
}
#: Top-level modules that are not parts of the design above.
ENTRY_POINTS = {'__init__', 'cli'}


def part_of(module):
    """``'hwgen.hls.csim'`` -> ``'hls'``, ``'hwgen.layerspec'`` -> ``'layerspec'``."""
    return module.split('.')[1]


def hwgen_modules():
    """``{module name: path}`` of every module of hwgen."""
    modules = {}
    for folder, _, names in os.walk(HWGEN):
        for name in names:
            if name.endswith('.py'):
                path = os.path.join(folder, name)
                parts = os.path.relpath(path, ROOT)[:-len('.py')].split(os.sep)
                if parts[-1] == '__init__':
                    parts = parts[:-1]
                modules['.'.join(parts)] = path
    return modules


def imported_modules(source, module):
    """Absolute names of the modules ``source`` imports, relative imports resolved."""
    names = []
    package = module.split('.')
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ''
            if node.level:
                base = '.'.join(package[:len(package) - node.level] + ([base] if base else []))
            names.append(base)
            names.extend('%s.%s' % (base, alias.name) for alias in node.names)
    return names


def hwgen_imports():
    """``(module, imported hwgen part)`` of every import between hwgen's parts."""
    modules = hwgen_modules()
    found = []
    for module, path in sorted(modules.items()):
        with io.open(path, encoding='utf-8') as handle:
            for name in imported_modules(handle.read(), module):
                if name.startswith('hwgen.') and (name in modules or
                                                  name.rsplit('.', 1)[0] in modules):
                    found.append((module, part_of(name)))
    return found


def test_every_part_is_known():
    parts = set(part_of(module) for module in hwgen_modules() if module != 'hwgen')
    assert parts - ENTRY_POINTS == set(MAY_IMPORT)


def test_parts_import_only_what_the_design_allows():
    wrong = ['%s imports hwgen.%s' % (module, part) for module, part in hwgen_imports()
             if module != 'hwgen' and part_of(module) not in ENTRY_POINTS
             and part != part_of(module) and part not in MAY_IMPORT[part_of(module)]]
    assert wrong == []


def test_the_rules_form_no_cycle():
    order = []
    def visit(part, path):
        assert part not in path, 'cycle: %s' % ' -> '.join(path + [part])
        for needed in sorted(MAY_IMPORT[part]):
            visit(needed, path + [part])
        if part not in order:
            order.append(part)
    for part in sorted(MAY_IMPORT):
        visit(part, [])
    assert order.index('folding') < order.index('layerspec') < order.index('hls')


@pytest.mark.parametrize('source, expected', [
    ('import hwgen.finn.files', ['hwgen.finn.files']),
    ('from hwgen.hls import csim', ['hwgen.hls', 'hwgen.hls.csim']),
    ('def f():\n    from . import render', ['hwgen.hls', 'hwgen.hls.render']),
])
def test_imports_are_found_inside_functions_and_relative(source, expected):
    assert imported_modules(source, 'hwgen.hls.csim') == expected
