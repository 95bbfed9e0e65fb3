"""Foldings given by the user: ``'S0,S1,...:P0,P1,...'``, JSON files, and their check.

:func:`resolve_folding` turns ``None`` (the default,
:func:`hwgen.folding.policy.default_folding`), ``'S0,S1,...:P0,P1,...'``, a JSON file or ready
:class:`~hwgen.folding.base.Folding` s into a checked folding, or raises
:class:`~hwgen.errors.FoldingError` naming the rule that fails, so that a folding that
finn-hlslib cannot build is refused before anything is written.

Examples
--------
>>> describe_folding(resolve_folding('64,32,64,8:32,64,32,16', LFC_SIZES, 1, a_bits=3))
'64,32,64,8:32,64,32,16'
"""
from __future__ import absolute_import, division, print_function

import json
import numbers
import os

from hwgen.errors import FoldingError
from hwgen.folding.base import LFC_CYCLES, LFC_SIZES, Folding, network_folding
from hwgen.folding.policy import default_folding
from hwgen.folding.streams import INPUT_BITS, validate_network_folding
from qnn.compat import string_types

__all__ = ['describe_folding', 'parse_folding', 'resolve_folding', 'add_folding_arguments']


def describe_folding(foldings):
    """``'S0,S1,...:P0,P1,...'``, the form :func:`parse_folding` reads."""
    return '%s:%s' % (','.join(str(f.simd) for f in foldings),
                      ','.join(str(f.pe) for f in foldings))


def _int_list(values, what, text):
    """``values`` as ints; integers or digit strings only (no bools, no 2.5)."""
    integers = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral,) + string_types):
            raise FoldingError('folding %r: %s must be integers, got %r' % (text, what, values))
        try:
            integers.append(int(value))
        except ValueError:
            raise FoldingError('folding %r: %s must be integers, got %r' % (text, what, values))
    return integers


def _folding_from_json(path):
    try:
        with open(path) as handle:
            data = json.load(handle)
    except ValueError as error:
        raise FoldingError('folding file %s is not valid JSON: %s' % (path, error))
    if isinstance(data, dict) and 'layers' in data:   # a manifest
        data = data['layers']
    if isinstance(data, dict) and set(data) >= {'simd', 'pe'}:
        return data['simd'], data['pe']
    if isinstance(data, list) and all(isinstance(item, dict) and {'simd', 'pe'} <= set(item)
                                      for item in data):
        return [item['simd'] for item in data], [item['pe'] for item in data]
    raise FoldingError('folding file %s must hold {"simd": [...], "pe": [...]} or a list of '
                       '{"simd": s, "pe": p} (one per layer), got %.200r' % (path, data))


def parse_folding(folding):
    """SIMD and PE lists from ``'S0,S1,...:P0,P1,...'`` or a JSON file.

    Parameters
    ----------
    folding : str
        ``'64,32,64,8:32,64,32,16'`` (SIMD list, colon, PE list), or the path of a JSON file
        with ``{"simd": [...], "pe": [...]}``, a list of ``{"simd": s, "pe": p}`` or a
        hwgen ``manifest.json``.

    Returns
    -------
    (list of int, list of int)

    Examples
    --------
    >>> parse_folding('64,32,64,8:32,64,32,16')
    ([64, 32, 64, 8], [32, 64, 32, 16])
    """
    if os.path.isfile(folding):
        simd, pe = _folding_from_json(folding)
    else:
        parts = folding.split(':')
        if len(parts) != 2:
            raise FoldingError("folding %r is neither a file nor 'SIMD,...:PE,...' (e.g. "
                               "'64,32,64,8:32,64,32,16')" % (folding,))
        simd, pe = [[item.strip() for item in part.split(',')] for part in parts]
    return _int_list(simd, 'SIMD', folding), _int_list(pe, 'PE', folding)


def resolve_folding(folding, sizes, w_bits, a_bits=None, in_bits=None,
                    target_cycles=LFC_CYCLES, check_packing=True):
    """A folding for the layer ``sizes`` that obeys every rule, or a FoldingError saying why.

    Parameters
    ----------
    folding : None, str, dict, or sequence of Folding
        None: :func:`default_folding`; str: :func:`parse_folding`; dict with ``simd`` and
        ``pe`` lists; or ready :class:`Folding` s.
    sizes : sequence of int
        Layer sizes including the input.
    w_bits : int
    a_bits : int, optional
        Hidden activation bits. Given, the folding must also obey finn-hlslib's stream rules
        (:func:`~hwgen.folding.streams.check_streams`), so that the HLS project can be built; None
        checks only the packing rules (see :func:`default_folding`).
    in_bits : int, optional
        Bits of an input element (1: binarized pixels, 8: pixels); None: both.
    target_cycles : int
        Cycles per image of the default folding (``folding`` None); see
        :func:`default_folding`.
    check_packing : bool
        False: a given folding is only matched against ``sizes``, no rule is checked (and
        ``a_bits`` is ignored); for models of foldings no generator need share.

    Returns
    -------
    list of Folding

    Raises
    ------
    FoldingError
        No default folding meets ``target_cycles``; wrong number of layers or sizes, SIMD/PE
        not dividing the padded matrix, SIMD * w_bits > 64, a padded hidden layer, or a
        stream finn-hlslib cannot convert; the message names the folding, the network and the
        rule.

    Examples
    --------
    >>> try:
    ...     resolve_folding('64,32,64,8:32,64,32,16', LFC_SIZES, 2, a_bits=5)
    ... except FoldingError as error:
    ...     print(error)  # doctest: +ELLIPSIS
    folding 64,32,64,8:32,64,32,16 does not fit the network [784, 1024, 1024, 1024, 10] with \
2-bit weights and 5-bit activations: layer 0: SIMD * w_bits = 64 * 2 = 128 exceeds the 64-bit \
weight word
    """
    sizes = [int(size) for size in sizes]
    if folding is None:
        foldings = default_folding(sizes, w_bits, a_bits, in_bits, target_cycles)
    elif isinstance(folding, (list, tuple)) and folding and \
            all(isinstance(f, Folding) for f in folding):
        foldings = list(folding)
    else:
        if isinstance(folding, string_types):
            simd, pe = parse_folding(folding)
        elif isinstance(folding, dict) and {'simd', 'pe'} <= set(folding):
            simd, pe = folding['simd'], folding['pe']
        else:
            raise FoldingError('unsupported folding %r' % (folding,))
        if len(simd) != len(sizes) - 1 or len(pe) != len(sizes) - 1:
            raise FoldingError('folding has %d SIMD and %d PE values, the network has %d '
                               'layers (sizes %s)' % (len(simd), len(pe), len(sizes) - 1,
                                                      sizes))
        foldings = network_folding(sizes, simd, pe)
    if len(foldings) != len(sizes) - 1:
        raise FoldingError('folding has %d layers, the network has %d (sizes %s)'
                           % (len(foldings), len(sizes) - 1, sizes))
    for index, f in enumerate(foldings):
        if [f.mw, f.mh] != sizes[index:index + 2]:
            raise FoldingError('layer %d folding is for %dx%d, the network layer is %dx%d'
                               % (index, f.mw, f.mh, sizes[index], sizes[index + 1]))
    if not check_packing:
        return foldings
    in_options = INPUT_BITS if in_bits is None else (in_bits,)
    try:
        validate_network_folding(foldings, w_bits)
        if a_bits is not None:
            for bits in in_options:
                validate_network_folding(foldings, w_bits, a_bits, bits)
    except ValueError as error:
        raise FoldingError('folding %s does not fit the network %s with %d-bit weights%s: %s'
                           % (describe_folding(foldings), sizes, w_bits,
                              '' if a_bits is None else ' and %d-bit activations' % a_bits,
                              error))
    return foldings


def add_folding_arguments(parser):
    """``--folding F | --cycles N`` on an argument parser (the commands that fold a run)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--folding', help="'SIMD,...:PE,...' per layer (e.g. "
                       "'64,32,64,8:32,64,32,16') or a JSON file; it must obey the packing and "
                       "finn-hlslib's stream rules. Default: the least hardware reaching --cycles "
                       "(BNN-PYNQ's LFC folding for W1 at 784-1024x3-10)")
    group.add_argument('--cycles', type=int, default=LFC_CYCLES, metavar='N',
                       help="target cycles per image of the default folding (default %d, LFC's); "
                       'refused if no folding meets it' % LFC_CYCLES)
    return group
