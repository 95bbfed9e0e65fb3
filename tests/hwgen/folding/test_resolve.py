"""hwgen.folding.resolve: a user's folding argument against the network and its streams."""
from __future__ import absolute_import, division, print_function

import pytest

from hwgen.errors import FoldingError
from hwgen.folding.base import LFC_SIZES, lfc_folding
from hwgen.folding.resolve import resolve_folding


def test_resolve_folding_names_the_rule():
    with pytest.raises(FoldingError) as info:
        resolve_folding('64,32:48,16', [784, 768, 10], 1, a_bits=6)
    assert str(info.value) == (
        'folding 64,32:48,16 does not fit the network [784, 768, 10] with 1-bit weights and '
        '6-bit activations: layer 1: its 288-bit input stream cannot be width-converted to '
        'SIMD x in_bits = 32 x 6 = 192 bits (one must divide the other); change SIMD or the '
        'previous PE')
    # without activation bits only the packing rules apply
    assert resolve_folding('64,32,64,8:32,64,32,16', LFC_SIZES, 1) == lfc_folding()
    with pytest.raises(FoldingError) as info:
        resolve_folding(lfc_folding()[:3], LFC_SIZES, 1)
    assert 'folding has 3 layers, the network has 4' in str(info.value)
