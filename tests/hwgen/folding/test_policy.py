"""hwgen.folding.policy: the default folding (one throughput), and its fast filter against the
full rules it stands in for."""
from __future__ import absolute_import, division, print_function

import itertools

import pytest

from hwgen.errors import FoldingError
from hwgen.folding.base import LFC_SIZES, lfc_folding
from hwgen.folding.policy import _Streams, _layer_options, default_folding
from hwgen.folding.resolve import describe_folding, resolve_folding
from hwgen.folding.streams import validate_network_folding

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


@pytest.mark.parametrize('a_bits', [1, 2, 4, 8])
def test_default_folding_is_lfc_for_binary_weights(a_bits):
    for in_bits in (1, 8, None):
        assert default_folding(LFC_SIZES, 1, a_bits, in_bits) == lfc_folding()


@pytest.mark.parametrize('a_bits', [3, 5, 6, 7])
def test_default_folding_odd_activations_keep_lfc_for_binary_weights(a_bits):
    """The odd-A streams are declared at the consumer's width: LFC's folding streams too."""
    for in_bits in (1, 8, None):
        foldings = default_folding(LFC_SIZES, 1, a_bits, in_bits)
        assert foldings == lfc_folding()
        assert [f.cycles for f in foldings] == [416, 512, 512, 512]


# Hand-computed: SIMD <= 64 / W; 1024 x 1024 / (SIMD x PE) = 512 needs SIMD x PE = 2048 on the
# hidden layers; layer 0 (832 x 1024) then takes 832 / SIMD x 1024 / PE = 416 cycles, the last
# layer (1024 x 64) 1024 / SIMD x 64 / PE = 512 with PE = 2048 / 16 / SIMD... = SIMD x PE 128.
@pytest.mark.parametrize('w_bits, expected', [
    (2, '32,32,32,32:64,64,64,4'),
    (3, '16,16,16,16:128,128,128,8'),
    (4, '16,16,16,16:128,128,128,8'),
    (5, '8,8,8,8:256,256,256,16'),
    (8, '8,8,8,8:256,256,256,16'),
])
@pytest.mark.parametrize('a_bits', [1, 2, 3, 5, 6, 7, 8])
def test_default_folding_of_multibit_networks_is_one_throughput(w_bits, a_bits, expected):
    foldings = default_folding(LFC_SIZES, w_bits, a_bits)
    assert describe_folding(foldings) == expected
    assert [f.cycles for f in foldings] == [416, 512, 512, 512]
    assert all(f.simd * w_bits <= 64 for f in foldings)


def test_default_folding_without_activation_bits_is_the_same_folding():
    """The stream rules do not depend on A: unknown A gives the folding of every A."""
    assert default_folding(LFC_SIZES, 1) == lfc_folding()
    for w_bits in range(1, 9):
        foldings = default_folding(LFC_SIZES, w_bits)
        assert resolve_folding(None, LFC_SIZES, w_bits) == foldings
        assert max(f.cycles for f in foldings) == 512
        for a_bits in range(1, 9):
            validate_network_folding(foldings, w_bits, a_bits)
            assert default_folding(LFC_SIZES, w_bits, a_bits) == foldings


def test_default_folding_target_cycles():
    fast = default_folding([784, 256, 256, 10], 1, 2, 1, target_cycles=64)
    slow = default_folding([784, 256, 256, 10], 1, 2, 1, target_cycles=4096)
    assert max(f.cycles for f in fast) <= 64 < max(f.cycles for f in slow) <= 4096
    assert sum(f.simd * f.pe for f in fast) > sum(f.simd * f.pe for f in slow)
    # LFC sizes: 1024 x 1024 / 1024 cycles = SIMD x PE 1024 on the hidden layers, whatever W
    for w_bits in (1, 4, 8):
        foldings = default_folding(LFC_SIZES, w_bits, 3, target_cycles=1024)
        assert max(f.cycles for f in foldings) == 1024
        assert [f.simd * f.pe for f in foldings[1:3]] == [1024, 1024]
    assert max(f.cycles for f in default_folding(LFC_SIZES, 1, 3, target_cycles=128)) == 128


@pytest.mark.parametrize('sizes, w_bits, target, message', [
    # 8-bit weights: SIMD <= 8, the last layer 1024 / 8 columns x 64 / 64 PE = 128 cycles
    (LFC_SIZES, 8, 64, 'no folding of 784-1024-1024-1024-10 with 8-bit weights reaches 64 '
                       'cycles per image; the fastest takes 128'),
    # 832 / 8 columns, one 64-neuron step
    ([784, 10], 8, 1, 'no folding of 784-10 with 8-bit weights reaches 1 cycles per image; '
                      'the fastest takes 104'),
    # binary weights: 832 / 64 columns x 1024 / 1024 PE
    (LFC_SIZES, 1, 8, 'no folding of 784-1024-1024-1024-10 with 1-bit weights reaches 8 '
                      'cycles per image; the fastest takes 16'),
])
def test_default_folding_refuses_an_unreachable_target(sizes, w_bits, target, message):
    with pytest.raises(FoldingError) as info:
        default_folding(sizes, w_bits, 2, target_cycles=target)
    assert str(info.value) == message
    with pytest.raises(FoldingError) as info:
        resolve_folding(None, sizes, w_bits, 2, target_cycles=target)
    assert str(info.value) == message


@pytest.mark.parametrize('sizes, w_bits, a_bits, in_bits, message', [
    ([784], 1, 1, 1, 'sizes must be >= 2 positive layer sizes'),
    ([784, 0, 10], 1, 1, 1, 'sizes must be >= 2 positive layer sizes'),
    ([784, 10], 0, 1, 1, 'w_bits must be a positive integer, got 0'),
    ([784, 10], 1, 1.5, 1, 'a_bits must be a positive integer, got 1.5'),
    ([784, 10], 65, 1, 1, 'w_bits=65 does not fit the 64-bit weight word'),
])
def test_default_folding_refuses_bad_arguments(sizes, w_bits, a_bits, in_bits, message):
    with pytest.raises(ValueError) as info:
        default_folding(sizes, w_bits, a_bits, in_bits)
    assert message in str(info.value)
