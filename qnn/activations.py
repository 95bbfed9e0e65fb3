"""Quantized activation functions for 1..8 bits, each with a numpy twin.

* :class:`QuantizedHardTanh`: clip to [-1, 1], then the paper's quantizer (FINN's
  ``FixedHardTanH``; 1 bit is ``binary_tanh_unit``).
* :class:`QuantizedTanh`: the paper's "custom hyperbolic tangent" (its Fig. 3), the quantizer
  applied to ``tanh(x)``.

Both output the levels of ``quantization_for(bits)`` that lie in [-1, 1] (2^(bits-1) + 1 levels
for bits >= 2, two for 1 bit), are monotonic, and have straight-through gradients.

The quantized tanh is evaluated as a staircase on x: its breakpoints are the smallest float32
inputs whose exact tanh reaches the quantizer's rounding midpoints. This makes the Theano
function, its numpy twin and the hardware thresholds agree exactly instead of depending on the
last bit of a platform's ``tanh``. The levels, midpoints, breakpoints and staircase are
:mod:`qnn.numeric`'s (the Theano-free core that the hardware generator reads too).
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .numeric import activation_levels, rounding_midpoints, tanh_breakpoints
from .numeric import staircase as staircase_np
from .quantization import T, clip, quantization_for, theano

__all__ = ['QuantizedHardTanh', 'QuantizedTanh', 'quantized_activation', 'ACTIVATIONS',
           'tanh_breakpoints', 'staircase_np']


class _QuantizedActivation(object):
    """Common attributes: ``bits``, ``quantizer``, :meth:`levels`."""

    name = None

    def __init__(self, bits):
        self.quantizer = quantization_for(bits)
        self.bits = self.quantizer.bit_width

    def __repr__(self):
        return '%s(%d)' % (type(self).__name__, self.bits)

    def levels(self):
        """The output values, ascending (the quantizer's levels within [-1, 1])."""
        return activation_levels(self.bits)

    def rounding_midpoints(self):
        """Quantizer inputs at which the output steps up to the next level (ties round up)."""
        return rounding_midpoints(self.levels())


class QuantizedHardTanh(_QuantizedActivation):
    """``quantizer.quantize(clip(x, -1, 1))``, the activation of FINN and BNN-PYNQ.

    Examples
    --------
    >>> QuantizedHardTanh(2).numpy([-0.7, -0.2, 0.5, 3.0]).tolist()
    [-1.0, 0.0, 1.0, 1.0]
    """

    name = 'hard_tanh'

    def __call__(self, x):
        return self.quantizer.quantize(clip(x, -1., 1.))

    def numpy(self, x):
        """numpy twin of calling the activation."""
        x = np.asarray(x, dtype=theano.config.floatX) if np.asarray(x).dtype.kind != 'f' \
            else np.asarray(x)
        one = np.asarray(1, dtype=x.dtype)
        return self.quantizer.quantize_np(np.clip(x, -one, one))


class _TanhStaircaseOp(theano.Op):
    """Forward: a staircase at fixed breakpoints. Backward: the derivative of tanh (STE)."""

    __props__ = ('breakpoints', 'levels')

    def __init__(self, breakpoints, levels):
        self.breakpoints = tuple(float(b) for b in breakpoints)
        self.levels = tuple(float(v) for v in levels)
        super(_TanhStaircaseOp, self).__init__()

    def make_node(self, x):
        x = T.as_tensor_variable(x)
        return theano.Apply(self, [x], [x.type()])

    def perform(self, node, inputs, outputs):
        x = inputs[0]
        breakpoints = tanh_breakpoints(rounding_midpoints(self.levels), x.dtype)
        outputs[0][0] = staircase_np(x, breakpoints, self.levels)

    def infer_shape(self, *args):
        return [args[-1][0]]

    def grad(self, inputs, output_gradients):
        return [output_gradients[0] * (1. - T.sqr(T.tanh(inputs[0])))]


class QuantizedTanh(_QuantizedActivation):
    """The paper's quantized hyperbolic tangent: ``quantizer.quantize(tanh(x))``.

    Examples
    --------
    >>> QuantizedTanh(3).numpy([-2.0, -0.3, 0.0, 0.2, 0.9]).tolist()
    [-1.0, -0.5, 0.0, 0.0, 0.5]
    """

    name = 'tanh'

    def __init__(self, bits):
        super(QuantizedTanh, self).__init__(bits)
        self._op = _TanhStaircaseOp(self.rounding_midpoints(), self.levels())

    def __call__(self, x):
        return self._op(x)

    def breakpoints(self, dtype=None):
        """Inputs at which the output steps up, in ``dtype`` (floatX by default)."""
        return tanh_breakpoints(self.rounding_midpoints(), dtype or theano.config.floatX)

    def numpy(self, x):
        """numpy twin of calling the activation."""
        x = np.asarray(x)
        if x.dtype.kind != 'f':
            x = x.astype(theano.config.floatX)
        return staircase_np(x, self.breakpoints(x.dtype), self.levels())


#: Activation classes by the name used in configs and on the command line
#: (:data:`qnn.config.ACTIVATION_NAMES`).
ACTIVATIONS = {cls.name: cls for cls in (QuantizedHardTanh, QuantizedTanh)}


def quantized_activation(kind, bits):
    """Build the activation ``kind`` ('hard_tanh' or 'tanh') for ``bits`` (1..8)."""
    if kind not in ACTIVATIONS:
        raise ValueError('unknown activation %r; choose one of %s' % (kind, sorted(ACTIVATIONS)))
    if int(bits) != bits or not 1 <= bits <= 8:
        raise ValueError('activation bits must be an integer in 1..8, got %r' % (bits,))
    return ACTIVATIONS[kind](int(bits))
