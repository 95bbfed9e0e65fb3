"""Layer specs shared by the hwgen estimate tests."""
from __future__ import absolute_import

from hwgen.folding.base import Folding
from hwgen.layerspec import LayerSpec


def middle_spec(mw, mh, simd, pe, w_bits=1, in_bits=1, a_bits=1):
    """A middle layer (no AXI padding), so WMEM = (mw / simd) * (mh / pe)."""
    return LayerSpec(Folding(mw, mh, simd, pe), w_bits=w_bits, in_bits=in_bits, a_bits=a_bits,
                     xnor=False)
