"""Data flows one way: the import graph of the four packages, read from their sources.

qnn -> hwgen -> experiments, and qnn_brevitas beside hwgen: a package imports only the ones
above it, and never loads one below it by name (``importlib.import_module('hwgen.cli')``, an
``'experiments.cli'`` plugin list); packages below reach qnn through entry points instead.
"""
from __future__ import absolute_import

import ast
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))

#: What each package may import (itself included).
ALLOWED = {
    'qnn': {'qnn'},
    'hwgen': {'qnn', 'hwgen'},
    'experiments': {'qnn', 'hwgen', 'experiments'},
    'qnn_brevitas': {'qnn', 'qnn_brevitas'},
}


def _sources(package):
    for folder, _, names in os.walk(os.path.join(ROOT, package)):
        for name in sorted(names):
            if name.endswith('.py'):
                yield os.path.join(folder, name)


def _top(name):
    return name.split('.')[0].split(':')[0]


def _docstrings(tree):
    """The string nodes that are docstrings (modules, classes, functions)."""
    nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Str):
            nodes.add(node.body[0].value)
    return nodes


def package_references(path):
    """``(line, package)`` for every import in ``path`` and every string in its code (not a
    docstring) that is a module path such as ``'hwgen.cli'`` of one of the four packages."""
    with open(path, 'rb') as handle:
        tree = ast.parse(handle.read(), path)
    found, docstrings = [], _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, _top(alias.name)) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.append((node.lineno, _top(node.module)))
        elif isinstance(node, ast.Str) and node not in docstrings and \
                isinstance(node.s, str) and _top(node.s) in ALLOWED and \
                all(part.isidentifier() if hasattr(part, 'isidentifier') else
                    part.replace('_', 'a').isalnum() for part in node.s.split('.')):
            found.append((node.lineno, _top(node.s)))
    return [(line, name) for line, name in found if name in ALLOWED]


def test_the_scanner_sees_imports_and_module_names(tmpdir):
    source = tmpdir.join('example.py')
    source.write('"""Docstrings may name hwgen.cli."""\n'
                 'import qnn.runs\nfrom hwgen import cli\nfrom . import sibling\n'
                 'import importlib\nimportlib.import_module("experiments.cli")\n'
                 'HELP = "run python -m qnn_brevitas here"\nPLUGIN = "qnn_brevitas"\n')
    assert sorted(package_references(str(source))) == [
        (2, 'qnn'), (3, 'hwgen'), (6, 'experiments'), (8, 'qnn_brevitas')]


@pytest.mark.parametrize('package', sorted(ALLOWED))
def test_package_imports_only_the_packages_above_it(package):
    wrong = ['%s:%d %s' % (os.path.relpath(path, ROOT), line, name)
             for path in _sources(package)
             for line, name in package_references(path) if name not in ALLOWED[package]]
    assert wrong == []
