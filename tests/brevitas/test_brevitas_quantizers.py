"""The Brevitas quantizers against the paper's closed form, its Table 1, and qnn's numpy twins."""
import numpy as np
import pytest

torch = pytest.importorskip('torch')
pytest.importorskip('brevitas')

from brevitas.nn import QuantLinear  # noqa: E402
from brevitas_helpers import run_in_main_env  # noqa: E402

from qnn_brevitas.model import quant_activation  # noqa: E402
from qnn_brevitas.quantizers import (PaperFixedQuant, paper_max, round_half_up,  # noqa: E402
                                     weight_quantizer, weight_range)

BITS = range(1, 9)


def closed_form(x, bits):
    """The paper's quantizer as a formula (facts sheet section 1), evaluated in float64.

    q(x) = floor(x 2^(n-2) + 2^(n-1) - 1/2) / 2^(n-2) - 2 + 2^-(n-2), x clipped to
    +-(2 - 2^-(n-2)); binary: +1 for x >= 0, else -1.
    """
    x = np.asarray(x, dtype=np.float64)
    if bits == 1:
        return np.where(x >= 0, 1.0, -1.0)
    step = 2.0 ** -(bits - 2)
    x = np.clip(x, -(2 - step), 2 - step)
    return np.floor(x / step + 2.0 ** (bits - 1) - 0.5) * step - 2 + step


def dyadic_grid(bits):
    """Every multiple of 2^-(n+1) in [-2.5, 2.5]: all levels, all ties, points between."""
    step = 2.0 ** -(max(bits, 2) + 1)
    return (np.arange(-2.5 / step, 2.5 / step + 1) * step).astype(np.float32)


def brevitas_weights(setting, bits, values):
    """Quantize ``values`` as the weights of a Brevitas QuantLinear."""
    layer = QuantLinear(len(values), 1, bias=False, weight_quant=weight_quantizer(setting, bits),
                        weight_bit_width=bits)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.asarray(values, np.float32)).reshape(1, -1))
    return layer.quant_weight().value.detach().numpy().ravel()


def brevitas_activation(setting, bits, values, activation='hard_tanh'):
    layer = quant_activation(activation, setting, bits)
    with torch.no_grad():
        return layer(torch.from_numpy(np.asarray(values, np.float32))).numpy()


@pytest.mark.parametrize('bits', BITS)
def test_paper_weights_match_closed_form_on_dense_grid(bits):
    grid = dyadic_grid(bits)
    np.testing.assert_array_equal(brevitas_weights('paper', bits, grid), closed_form(grid, bits))


@pytest.mark.parametrize('bits', BITS)
def test_paper_activation_is_closed_form_of_clipped_input(bits):
    grid = dyadic_grid(bits)
    expected = closed_form(np.clip(grid, -1, 1), bits)
    np.testing.assert_array_equal(brevitas_activation('paper', bits, grid), expected)


def test_ties_round_up_and_zero_is_positive():
    # 2 bits: +-0.5 are ties; the shifted value rounds half up, so -0.5 -> 0 and 0.5 -> 1
    assert brevitas_weights('paper', 2, [-0.5, 0.5]).tolist() == [0.0, 1.0]
    assert brevitas_weights('paper', 1, [0.0, -0.0]).tolist() == [1.0, 1.0]
    assert brevitas_activation('paper', 1, [0.0]).tolist() == [1.0]


TABLE_1 = {  # the paper's Table 1: value -> quantized for n = 1..8
    0.136: [1, 0, 0, 0.25, 0.125, 0.125, 0.125, 0.140625],
    0.357: [1, 0, 0.5, 0.25, 0.375, 0.375, 0.34375, 0.359375],
    0.639: [1, 1, 0.5, 0.75, 0.625, 0.625, 0.625, 0.640625],
    1.135: [1, 1, 1, 1.25, 1.125, 1.125, 1.125, 1.140625],
    2.0: [1, 1, 1.5, 1.75, 1.875, 1.9375, 1.96875, 1.984375],
}


@pytest.mark.parametrize('bits', BITS)
def test_paper_weights_reproduce_table_1(bits):
    values = sorted(TABLE_1)
    expected = [TABLE_1[value][bits - 1] for value in values]
    assert brevitas_weights('paper', bits, values).tolist() == expected


@pytest.mark.parametrize('bits', range(2, 9))
def test_paper_quantizer_reports_brevitas_metadata(bits):
    _, scale, zero_point, bit_width = PaperFixedQuant(bits)(torch.zeros(3))
    assert float(scale) == 2.0 ** -(bits - 2)
    assert float(zero_point) == 2 ** (bits - 1) - 1   # u = k + zero_point in [0, 2^n - 2]
    assert float(bit_width) == bits


@pytest.mark.parametrize('setting', ['paper', 'brevitas'])
@pytest.mark.parametrize('bits', [1, 2, 3, 8])
def test_gradients_are_straight_through_inside_the_range(setting, bits):
    low, high = weight_range(setting, bits)
    layer = QuantLinear(4, 1, bias=False, weight_quant=weight_quantizer(setting, bits),
                        weight_bit_width=bits)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[low, low / 3, high / 7, high]]))
    layer.quant_weight().value.sum().backward()
    assert layer.weight.grad.tolist() == [[1.0, 1.0, 1.0, 1.0]]
    x = torch.tensor([-1.5, -0.7, 0.2, 0.9, 1.5], requires_grad=True)
    quant_activation('hard_tanh', setting, bits)(x).sum().backward()
    assert x.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize('bits', range(2, 9))
def test_brevitas_setting_is_bnn_pynq_grid(bits):
    count = 2 ** (bits - 1) - 1
    grid = np.linspace(-1.5, 1.5, 4001).astype(np.float32)
    levels = np.unique(brevitas_weights('brevitas', bits, grid))
    np.testing.assert_allclose(levels, np.arange(-count, count + 1) / float(count), rtol=1e-6)
    assert len(np.unique(brevitas_activation('brevitas', bits, grid))) == 2 * count + 1
    assert weight_range('brevitas', bits) == (-1.0, 1.0)
    assert weight_range('paper', bits) == (-paper_max(bits), paper_max(bits))


def test_round_half_up_is_exact_below_ties():
    below = np.nextafter(np.float32(0.5), np.float32(0))   # floor(x + 0.5) would give 1
    values = torch.tensor([0.0, below, 0.5, 1.5, 2.4999998, 7.0])
    assert round_half_up(values).tolist() == [0.0, 0.0, 1.0, 2.0, 2.0, 7.0]


# --- against qnn's own numpy twins, computed by qnn in the modern (Theano) stack ------------

_QNN_TWINS = '''
import json, sys
import numpy as np
from qnn.activations import QuantizedHardTanh
from qnn.quantization import quantization_for
x = np.load(sys.argv[1])
out = {}
for bits in range(1, 9):
    out['w%d' % bits] = quantization_for(bits).quantize_weights_np(x)
    out['a%d' % bits] = QuantizedHardTanh(bits).numpy(x)
np.savez(sys.argv[2], **out)
'''


def reference_inputs():
    """Dense dyadic grid, random float32 values, and the float32 neighbours of every tie."""
    rng = np.random.RandomState(0)
    ties = np.concatenate([(np.arange(-2 ** (n - 1), 2 ** (n - 1)) + 0.5) * 2.0 ** -(n - 2)
                           for n in range(2, 9)] + [np.array([0.0, 1.0, -1.0])])
    ties = ties.astype(np.float32)
    neighbours = np.concatenate([ties, np.nextafter(ties, np.float32(-np.inf)),
                                 np.nextafter(ties, np.float32(np.inf))])
    return np.concatenate([dyadic_grid(8), rng.uniform(-2.5, 2.5, 20000).astype(np.float32),
                           rng.standard_normal(5000).astype(np.float32) * 1e-3,
                           neighbours]).astype(np.float32)


@pytest.fixture(scope='module')
def qnn_twins(tmp_path_factory):
    folder = tmp_path_factory.mktemp('qnn-twins')
    inputs, outputs = str(folder / 'inputs.npy'), str(folder / 'outputs.npz')
    x = reference_inputs()
    np.save(inputs, x)
    run_in_main_env(_QNN_TWINS, inputs, outputs)
    with np.load(outputs) as archive:
        return x, {name: archive[name] for name in archive.files}


@pytest.mark.parametrize('bits', BITS)
def test_paper_weights_equal_qnn_twin_bit_for_bit(qnn_twins, bits):
    x, twins = qnn_twins
    ours = brevitas_weights('paper', bits, x)
    assert twins['w%d' % bits].dtype == np.float32
    np.testing.assert_array_equal(ours.view(np.uint32), twins['w%d' % bits].view(np.uint32))


#: qnn's binary activation is 2 round3(clip((x + 1) / 2, 0, 1)) - 1; in float32, x + 1 rounds
#: to 1 for x in [-2^-25, 0), so qnn maps those to +1 where a sign (Brevitas, the hardware's
#: thresholds) gives -1.
QNN_BINARY_BAND = (-2.0 ** -25, 0.0)


@pytest.mark.parametrize('bits', BITS)
def test_paper_activation_equals_qnn_twin_bit_for_bit(qnn_twins, bits):
    x, twins = qnn_twins
    ours, theirs = brevitas_activation('paper', bits, x), twins['a%d' % bits]
    keep = np.ones(len(x), dtype=bool)
    if bits == 1:
        keep = ~((x >= QNN_BINARY_BAND[0]) & (x < QNN_BINARY_BAND[1]))
    np.testing.assert_array_equal(ours[keep].view(np.uint32), theirs[keep].view(np.uint32))


def test_binary_activation_differs_from_qnn_only_within_its_float32_band(qnn_twins):
    x, twins = qnn_twins
    ours, theirs = brevitas_activation('paper', 1, x), twins['a1']
    differ = x[ours != theirs]
    assert differ.size and np.all((differ >= QNN_BINARY_BAND[0]) & (differ < QNN_BINARY_BAND[1]))
    assert np.all(theirs[ours != theirs] == 1.0)


def test_reference_inputs_cover_ties_and_near_ties():
    x = reference_inputs()
    for tie in (np.float32(0.5), np.float32(-0.25), np.float32(0.0078125 * 3)):
        assert tie in x
        assert np.nextafter(tie, np.float32(0)) in x and np.nextafter(tie, np.float32(9)) in x
