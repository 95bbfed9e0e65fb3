"""Brevitas quantizers: the paper's fixed-point grid, and Brevitas' own BNN-PYNQ defaults.

Two settings, each a pair of Brevitas quantizer injectors (weights, activations):

* ``'paper'``: the grid of qnn (:func:`qnn.numeric.paper_grid`), bit for bit. For n >= 2 bits the
  weights take the 2^n - 1 values ``k * 2^-(n-2)``, ``|k| <= 2^(n-1) - 1`` (range
  ``+-(2 - 2^-(n-2))``), computed as BNN-PYNQ's ``QuantizationFixed(n, n-2)`` does: clip, shift
  by ``2 - 2^-(n-2)``, scale by ``2^(n-2)``, round half away from zero (``round3``) on the
  shifted, non-negative value (there: round half up), undo the shift. In Brevitas terms that is
  an *unsigned*, narrow-range n-bit integer ``u = k + 2^(n-1) - 1`` in ``[0, 2^n - 2]`` with
  zero point ``2^(n-1) - 1`` and scale ``2^-(n-2)``; because both scalings are powers of two,
  the float32 arithmetic rounds exactly where qnn's numpy twin does. The activation is the
  paper's ``FixedHardTanH``: clip to [-1, 1] (a separate ``act_impl``, so it is exported as a
  Clip), then the same quantizer (see :mod:`qnn_brevitas.model`). 1 bit is binary (+-1,
  sign(0) = +1) for weights and activations, which is exactly what Brevitas' own binary
  quantizers with a constant scale of 1 do.
* ``'brevitas'``: ``CommonWeightQuant`` / ``CommonActQuant`` of Brevitas' ``bnn_pynq``
  example, imported from the installed ``brevitas_examples``: signed narrow n-bit integers with
  a constant scale ``1 / (2^(n-1) - 1)``, i.e. the range +-1, round half to even.

Examples
--------
>>> import torch
>>> quant = PaperFixedQuant(3)
>>> quant(torch.tensor([0.357, -0.25, 2.0]))[0].tolist()
[0.5, 0.0, 1.5]
"""
from __future__ import absolute_import, division, print_function

import torch
from brevitas.core.function_wrapper import Identity
from brevitas.core.quant import IntQuant
from brevitas.inject import ExtendedInjector
from brevitas.proxy import ActQuantProxyFromInjector, WeightQuantProxyFromInjector
from brevitas_examples.bnn_pynq.models.common import CommonActQuant, CommonWeightQuant
from qnn.numeric import checked_bits, paper_grid

from .config import SETTINGS

__all__ = ['SETTINGS', 'round_half_up', 'RoundHalfUpSte', 'PaperFixedQuant',
           'PaperWeightQuant', 'PaperActQuant', 'weight_quantizer', 'act_quantizer',
           'weight_range', 'paper_max']

#: The QONNX rounding mode of :func:`round_half_up` on non-negative values (QONNX's HALF_UP
#: rounds ties away from zero).
ROUNDING_MODE = 'HALF_UP'


def round_half_up(x):
    """floor(x) + [x - floor(x) >= 1/2]: qnn's ``round3`` on the non-negative values it gets.

    Exact for every non-negative float (``x - floor(x)`` is then exact), unlike
    ``floor(x + 0.5)``, which rounds ``x + 0.5`` first and is wrong just below some ties.
    The paper's quantizer only rounds non-negative (shifted) values, where round half up and
    qnn's round half away from zero agree.

    Examples
    --------
    >>> round_half_up(torch.tensor([0.5, 1.49999988, 2.5])).tolist()
    [1.0, 1.0, 3.0]
    """
    whole = torch.floor(x)
    return whole.add_((x - whole) >= 0.5)


class _RoundHalfUpFunction(torch.autograd.Function):
    """:func:`round_half_up` forward, identity backward (straight-through estimator)."""

    @staticmethod
    def forward(ctx, x):
        return round_half_up(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output


class RoundHalfUpSte(torch.nn.Module):
    """Brevitas ``float_to_int_impl``: :func:`round_half_up`, straight-through gradient."""

    def forward(self, x):
        return _RoundHalfUpFunction.apply(x)


class _InRange(torch.nn.Module):
    """A ``tensor_clamp_impl`` for integers that cannot leave their range: the identity.

    :class:`PaperFixedQuant` clips its input first, so the rounded integer always lies in
    ``[0, 2^n - 2]``; Brevitas' default clamp would only cost two ``where`` passes (and their
    backward) over every weight at every step.
    """

    def forward(self, x, min_val, max_val):
        return x


def paper_max(bit_width):
    """Largest value of the paper's n-bit grid (:func:`qnn.numeric.paper_grid`), 1 for binary.

    Examples
    --------
    >>> paper_max(2), paper_max(4)
    (1.0, 1.75)
    """
    return paper_grid(bit_width).max


class PaperFixedQuant(torch.nn.Module):
    """The paper's ``QuantizationFixed(n, n-2)`` as a Brevitas tensor quantizer (n >= 2).

    ``forward(x)`` returns ``(value, scale, zero_point, bit_width)`` as Brevitas' own tensor
    quantizers do; ``value = (u - zero_point) * scale`` with ``u`` the unsigned narrow integer
    ``round_half_up(clip(x) / scale + zero_point)`` computed by Brevitas' ``IntQuant`` (see the
    module docstring). The gradient is qnn's: 1 inside the clip range, 0 outside.

    Parameters
    ----------
    bit_width : int
        n, 2..8.
    """

    def __init__(self, bit_width):
        super(PaperFixedQuant, self).__init__()
        bit_width = int(bit_width)
        if not 2 <= bit_width <= 8:
            raise ValueError('PaperFixedQuant needs 2..8 bits, got %r' % (bit_width,))
        grid = paper_grid(bit_width)
        self.max_val = grid.max
        self.int_quant = IntQuant(narrow_range=True, signed=False, input_view_impl=Identity(),
                                  float_to_int_impl=RoundHalfUpSte(), tensor_clamp_impl=_InRange())
        # constants, not state: kept out of the state dict; u = code - lowest code
        self.register_buffer('scale', torch.tensor(grid.unit), persistent=False)
        self.register_buffer('zero_point', torch.tensor(float(-grid.lowest_code)),
                             persistent=False)
        self.register_buffer('bit_width', torch.tensor(float(bit_width)), persistent=False)

    def forward(self, x):
        clipped = torch.clamp(x, -self.max_val, self.max_val)
        value = self.int_quant(self.scale, self.zero_point, self.bit_width, clipped)
        return value, self.scale, self.zero_point, self.bit_width


class _PaperQuant(ExtendedInjector):
    """Attributes shared by the paper's weight and activation quantizers (n >= 2)."""

    tensor_quant = PaperFixedQuant
    signed = False          # the integer u is unsigned; its zero point makes the value signed
    narrow_range = True     # u in [0, 2^n - 2]
    float_to_int_impl_type = ROUNDING_MODE  # read by the QONNX export as the rounding mode


class PaperWeightQuant(_PaperQuant):
    """The paper's n-bit weight quantizer (``QuantLinear(weight_quant=..., weight_bit_width=n)``).
    """

    proxy_class = WeightQuantProxyFromInjector


class PaperActQuant(_PaperQuant):
    """The paper's n-bit ``FixedHardTanH`` (``QuantIdentity(act_quant=..., bit_width=n)``)."""

    proxy_class = ActQuantProxyFromInjector


def _check(setting, bit_width):
    if setting not in SETTINGS:
        raise ValueError('quantizer setting must be one of %s, got %r' % (SETTINGS, setting))
    checked_bits('bit width', bit_width, 8)


def weight_quantizer(setting, bit_width):
    """The weight quantizer injector of ``setting`` for ``bit_width`` bits.

    Binary weights (1 bit) are Brevitas' ``CommonWeightQuant`` in both settings: sign with
    sign(0) = +1 and a constant scale 1, exactly the paper's binary weights.

    Returns
    -------
    brevitas.inject.ExtendedInjector subclass
        Pass it as ``weight_quant`` with ``weight_bit_width=bit_width``.
    """
    _check(setting, bit_width)
    if setting == 'paper' and bit_width >= 2:
        return PaperWeightQuant
    return CommonWeightQuant


def act_quantizer(setting, bit_width):
    """The activation quantizer injector of ``setting`` for ``bit_width`` bits.

    1 bit is ``CommonActQuant`` in both settings: clamp to +-1, then sign with sign(0) = +1.

    Returns
    -------
    brevitas.inject.ExtendedInjector subclass
        Pass it as ``act_quant`` with ``bit_width=bit_width``.
    """
    _check(setting, bit_width)
    if setting == 'paper' and bit_width >= 2:
        return PaperActQuant
    return CommonActQuant


def weight_range(setting, bit_width):
    """``(min, max)`` of the latent weights: their initial range and their clip after each step.

    Examples
    --------
    >>> weight_range('paper', 4), weight_range('brevitas', 4)
    ((-1.75, 1.75), (-1.0, 1.0))
    """
    _check(setting, bit_width)
    high = paper_max(bit_width) if setting == 'paper' else 1.0
    return -high, high
