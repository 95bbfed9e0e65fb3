"""The default folding's fast filter agrees with the full rules it stands in for."""
from __future__ import absolute_import, division, print_function

import itertools

import pytest

from hwgen.folding_policy import _Streams, _layer_options
from hwgen.streams import validate_network_folding

#: Small enough to try every chain of per-layer options (about 28 000).
SIZES = [64, 12, 8, 10]


@pytest.mark.parametrize('w_bits,a_bits,in_bits', [(1, 1, 1), (2, 3, 1), (4, 2, 8)])
def test_fast_filter_agrees_with_validate_network_folding(w_bits, a_bits, in_bits):
    options = [[f for f, _ in _layer_options(SIZES, index, w_bits, None)]
               for index in range(len(SIZES) - 1)]
    streams = _Streams([a_bits], [in_bits])
    n_valid = 0
    for chain in itertools.product(*options):
        fast = (streams.first_ok(chain[0]) and streams.last_ok(chain[-1]) and
                all(streams.link_ok(a.pe, b) for a, b in zip(chain, chain[1:])))
        try:
            validate_network_folding(list(chain), w_bits, a_bits, in_bits)
            full = True
        except ValueError:
            full = False
        assert fast == full, [(f.simd, f.pe) for f in chain]
        n_valid += full
    assert 0 < n_valid < len(list(itertools.product(*options)))    # both sides are exercised
