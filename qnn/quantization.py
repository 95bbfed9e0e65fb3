"""Weight and activation quantizers of the paper (its Figures 1-3, Equations 1-2), in Theano.

Every quantizer has the method set of the paper's Figure 1 (Theano graphs):
``quantize(X)`` for activations, ``quantizeWeights(W)`` and ``clipWeights(W)`` for the latent
real weights, plus a numpy twin of each (``quantize_np``, ``quantize_weights_np``,
``clip_weights_np``) that gives the same values bit for bit, so the hardware generator and the
tests never re-derive the arithmetic. The attributes ``bit_width``, ``signed``, ``min``, ``max``
and ``step`` describe the grid; the grid and the numpy twins are :mod:`qnn.numeric`'s (the
Theano-free core), the Theano graphs here use its constants.

Rounding is ``round3``: C ``round()``, ties away from zero, with a straight-through gradient.
The fixed-point quantizer rounds a non-negative shifted value, so on the weight grid this is the
"floor(x * 2^f + 0.5)" of the original hardware generator. (The original training code rounded
weights with Theano's round-half-to-even; the two differ only on exact ties.)
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from . import numeric
from .compat import configure_theano

theano = configure_theano()
import theano.tensor as T  # noqa: E402
from theano import scalar  # noqa: E402

__all__ = ['clip', 'round3', 'hard_sigmoid', 'binary_tanh_unit', 'binary_sigmoid_unit', 'sign_ste',
           'round3_np', 'hard_sigmoid_np', 'binary_tanh_unit_np', 'binary_sigmoid_unit_np',
           'QuantizationBinary', 'QuantizationFixed', 'quantization_for']


# ---------------------------------------------------------------------------------------------
# Elementary functions with straight-through gradients (Theano scalar ops, fused by Theano).

class _Round3(scalar.UnaryScalarOp):
    """Round half away from zero; the gradient passes straight through (identity)."""

    def impl(self, x):
        return round3_np(np.asarray(x))

    def c_code(self, node, name, inputs, outputs, sub):
        # trunc(x) +- [|fraction| >= 1/2]: exact for every float (the fraction x - trunc(x)
        # is exact), and without data-dependent branches, which made round() a hot spot.
        names = {'x': inputs[0], 'z': outputs[0], 'type': node.outputs[0].type.dtype_specs()[1]}
        return ('{ %(type)s t = trunc(%(x)s), d = %(x)s - t; '
                '%(z)s = t + (%(type)s)(d >= (%(type)s)0.5) - (%(type)s)(d <= (%(type)s)-0.5); }'
                % names)

    def c_code_cache_version(self):
        return (9,)

    def grad(self, inputs, output_gradients):
        return [output_gradients[0]]


class _SignSTE(scalar.UnaryScalarOp):
    """+1 for x >= 0, else -1; straight-through gradient. The cheap binary weight quantizer."""

    def impl(self, x):
        return np.where(np.asarray(x) >= 0, 1, -1).astype(np.asarray(x).dtype)

    def c_code(self, node, name, inputs, outputs, sub):
        return '%s = (%s >= 0) ? 1 : -1;' % (outputs[0], inputs[0])

    def c_code_cache_version(self):
        return (1,)

    def grad(self, inputs, output_gradients):
        return [output_gradients[0]]


class _Clip(scalar.Clip):
    """Theano's clip (same values and gradient) compiled without data-dependent branches."""

    def c_code(self, node, name, inputs, outputs, sub):
        # Comparisons in the output's type compile to min/max instructions; fmin/fmax are
        # library calls and Theano's nested ternary branches on every element.
        names = {'x': inputs[0], 'low': inputs[1], 'high': inputs[2], 'z': outputs[0],
                 'type': node.outputs[0].type.dtype_specs()[1]}
        return ('%(z)s = (%(x)s < (%(type)s)%(low)s) ? (%(type)s)%(low)s : %(x)s; '
                '%(z)s = (%(z)s > (%(type)s)%(high)s) ? (%(type)s)%(high)s : %(z)s;' % names)

    def c_code_cache_version(self):
        return (2,)


_clip = T.Elemwise(_Clip(scalar.upcast_out_no_complex, name='clip_branchless'),
                   name='clip_branchless')


def clip(x, low, high):
    """``T.clip`` with the same values and gradient, faster on large random tensors."""
    return _clip(x, low, high)


round3 = T.Elemwise(_Round3(scalar.upgrade_to_float, name='round3'), name='round3')
sign_ste = T.Elemwise(_SignSTE(scalar.upgrade_to_float, name='sign_ste'), name='sign_ste')


def hard_sigmoid(x):
    """clip((x + 1) / 2, 0, 1), the paper's Fig. 2."""
    return clip((x + 1.) / 2., 0., 1.)


def binary_tanh_unit(x):
    """2 * round3(hard_sigmoid(x)) - 1: sign(x) with sign(0) = +1; gradient 1 for |x| <= 1."""
    return 2. * round3(hard_sigmoid(x)) - 1.


def binary_sigmoid_unit(x):
    """round3(hard_sigmoid(x)): the {0, 1} unit of Fig. 2."""
    return round3(hard_sigmoid(x))


# ---------------------------------------------------------------------------------------------
# numpy twins: qnn.numeric's functions, which evaluate the same operations in the same order
# and in the input's floating-point type, so they agree with the compiled Theano graphs bit for
# bit. Integer inputs are taken as floatX here.

def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == 'f' else x.astype(theano.config.floatX)


def round3_np(x):
    """numpy twin of :func:`round3` (ties away from zero), exact for every float."""
    return numeric.round3(_as_float(x))


def hard_sigmoid_np(x):
    """numpy twin of :func:`hard_sigmoid`."""
    return numeric.hard_sigmoid(_as_float(x))


def binary_tanh_unit_np(x):
    """numpy twin of :func:`binary_tanh_unit`: the binary grid's quantizer."""
    return numeric.binary_grid().quantize(_as_float(x))


def binary_sigmoid_unit_np(x):
    """numpy twin of :func:`binary_sigmoid_unit`."""
    return round3_np(hard_sigmoid_np(x))


# ---------------------------------------------------------------------------------------------
# Quantizers.

class QuantizationBinary(object):
    """Binary quantization to {-scale, +scale} (the paper's Fig. 1 and Eq. 1).

    Parameters
    ----------
    scale : float
        Magnitude of the two levels (H in BinaryNet); 1 in the paper.

    Examples
    --------
    >>> q = QuantizationBinary()
    >>> q.quantize_weights_np([-0.3, 0.0, 0.7]).tolist()
    [-1.0, 1.0, 1.0]
    """

    bit_width = 1
    signed = True

    def __init__(self, scale=1.0):
        if not scale > 0:
            raise ValueError('QuantizationBinary scale must be positive, got %r' % (scale,))
        self.scale = float(scale)
        self.grid = numeric.binary_grid(self.scale)
        self.min, self.max, self.step = self.grid.min, self.grid.max, self.grid.step

    def __repr__(self):
        return 'QuantizationBinary(scale=%r)' % (self.scale,)

    def levels(self):
        """All values the quantizer can output, ascending."""
        return self.grid.levels()

    def quantize(self, X):
        """Binary activation: ``binary_tanh_unit(X / scale) * scale``."""
        return binary_tanh_unit(X / self.scale) * self.scale

    def quantizeWeights(self, W):
        """Binary weights, +scale where W >= 0 else -scale (straight-through gradient)."""
        return sign_ste(W) * self.scale

    def clipWeights(self, W):
        """Clip latent weights to [min, max]."""
        return clip(W, self.min, self.max)

    def quantize_np(self, X):
        """numpy twin of :meth:`quantize`."""
        return self.grid.quantize(_as_float(X))

    def quantize_weights_np(self, W):
        """numpy twin of :meth:`quantizeWeights`."""
        return self.grid.quantize_weights(_as_float(W))

    def clip_weights_np(self, W):
        """numpy twin of :meth:`clipWeights`."""
        return self.grid.clip(_as_float(W))


class QuantizationFixed(object):
    """Narrow-range n-bit fixed-point quantization (the paper's Eq. 2 and Table 1).

    With ``fraclength`` f the grid is ``k * 2^-f`` for ``|k| <= 2^(n-1) - 1``, i.e. the range
    ``+-(2^(n-f-1) - 2^-f)`` with 2^n - 1 levels. The default ``f = n - 2`` is the paper's:
    range ``+-(2 - 2^-(n-2))``, step ``2^-(n-2)``. The value is

        q(x) = round3((clip(x, min, max) + shift) * scale) / scale - shift,

    with ``scale = (2^n - 2) / (max - min)`` and ``shift = -min``. This reproduces all 40 cells
    of the paper's Table 1; the printed Eq. 2 (``x * 2^n`` inside the floor) does not.

    Parameters
    ----------
    wordlength : int
        Number of bits n, 2..32.
    fraclength : int, optional
        Fractional bits f; defaults to n - 2.

    Examples
    --------
    >>> QuantizationFixed(4).quantize_np([0.357, 2.0]).tolist()
    [0.25, 1.75]
    """

    signed = True

    def __init__(self, wordlength, fraclength=None):
        wordlength = int(wordlength)
        if not 2 <= wordlength <= 32:
            raise ValueError('QuantizationFixed wordlength must be in 2..32, got %r' % (wordlength,))
        self.bit_width = wordlength
        self.fraclength = wordlength - 2 if fraclength is None else int(fraclength)
        self.grid = numeric.fixed_grid(wordlength, self.fraclength)
        self.step, self.max, self.min = self.grid.step, self.grid.max, self.grid.min
        self.scale, self.shift = self.grid.scale, self.grid.shift

    def __repr__(self):
        return 'QuantizationFixed(%d, %d)' % (self.bit_width, self.fraclength)

    def levels(self):
        """All 2^n - 1 values the quantizer can output, ascending."""
        return self.grid.levels()

    def _quantize(self, X):
        return round3((clip(X, self.min, self.max) + self.shift) * self.scale) / self.scale \
            - self.shift

    def quantize(self, X):
        """Quantize activations (straight-through inside [min, max], zero gradient outside)."""
        return self._quantize(X)

    def quantizeWeights(self, W):
        """Quantize latent weights; the same grid and gradient as :meth:`quantize`."""
        return self._quantize(W)

    def clipWeights(self, W):
        """Clip latent weights to [min, max]."""
        return clip(W, self.min, self.max)

    def quantize_np(self, X):
        """numpy twin of :meth:`quantize`."""
        return self.grid.quantize(_as_float(X))

    quantize_weights_np = quantize_np

    def clip_weights_np(self, W):
        """numpy twin of :meth:`clipWeights`."""
        return self.grid.clip(_as_float(W))


def quantization_for(bits):
    """The paper's quantizer for ``bits``: binary for 1 bit, ``QuantizationFixed(bits)`` above.

    Parameters
    ----------
    bits : int
        1..32.

    Returns
    -------
    QuantizationBinary or QuantizationFixed
    """
    bits = numeric.checked_bits('bits', bits, 32)
    return QuantizationBinary() if bits == 1 else QuantizationFixed(bits)
