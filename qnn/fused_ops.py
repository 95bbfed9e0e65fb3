"""Fused update op: Adam, BinaryNet's scaled step and the clip in one pass over a parameter.

Written as separate Theano expressions, Adam's moments, the parameter step, the learning-rate
scale and the clip of a quantized weight matrix are several elementwise passes over 1 M
elements, and Theano's BLAS optimiser folds Adam's scalar factors into the weight-gradient
products, computing each of them twice (``Dot22`` for one client, ``Dot22Scalar`` for another).
:class:`FusedAdam` reads the gradient as an opaque input, so it is computed once, and updates the
parameter and both moments in place in one loop the compiler vectorises.

The arithmetic, in the parameter's floating-point type, element by element::

    m' = beta1 * m + (1 - beta1) * g
    v' = beta2 * v + (1 - beta2) * (g * g)
    p* = p - (lr_t * m') / (sqrt(v') + epsilon)           # Adam's proposal
    p' = clip(p + scale * (p* - p), low, high)            # quantized weights (BinaryNet)
    p' = p*                                               # other parameters

With a weight quantizer q the op also keeps the quantized copy ``q(p)`` that the forward pass
multiplies by: it takes the gradient with respect to ``q(p)`` and the current copy, applies the
quantizer's straight-through gradient (``g`` where ``low <= p <= high``, 0 elsewhere, for the
fixed-point quantizer; ``scale * g`` for the binary one) before the update, and writes ``q(p')``
after it. The copy is then computed once per step, in the same pass, instead of once in the
forward pass and once more (the clip mask) in the backward pass; the values are those of
``q.quantizeWeights(p)`` and its gradient.

:func:`fused_adam_np` is its numpy twin (same operations, same order, same bits; the C code is
compiled without fused multiply-adds, see :data:`qnn.compat.STRICT_FP_FLAGS`).
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .quantization import QuantizationBinary, QuantizationFixed, T, round3_c_code, theano
from theano.compile import optdb  # noqa: E402  (after qnn configured Theano)
from theano.gof.opt import TopoOptimizer, local_optimizer  # noqa: E402

__all__ = ['FusedAdam', 'fused_adam_np', 'quantizer_key', 'quantizer_from_key']


def quantizer_key(quantizer):
    """A hashable description of a weight quantizer (an op property); inverse of
    :func:`quantizer_from_key`."""
    if isinstance(quantizer, QuantizationBinary):
        return ('binary', quantizer.scale)
    if isinstance(quantizer, QuantizationFixed):
        return ('fixed', quantizer.bit_width, quantizer.fraclength)
    raise TypeError('no fused update for the weight quantizer %r' % (quantizer,))


def quantizer_from_key(key):
    """The quantizer a :func:`quantizer_key` describes."""
    return QuantizationBinary(key[1]) if key[0] == 'binary' else QuantizationFixed(*key[1:])


def straight_through_np(quantizer, param, grad):
    """Gradient with respect to ``param`` from the one with respect to ``quantizeWeights(param)``.

    The fixed-point quantizer's gradient is ``grad / s * s`` inside [min, max] with s a power of
    two (exact), so ``grad`` there and 0 outside; the binary one's is ``scale * grad``.
    """
    dtype = param.dtype.type
    if isinstance(quantizer, QuantizationBinary):
        return dtype(quantizer.scale) * grad
    inside = (param >= dtype(quantizer.min)) & (param <= dtype(quantizer.max))
    return np.where(inside, grad, dtype(0))


def fused_adam_np(param, m, v, grad, lr_t, beta1=0.9, beta2=0.999, epsilon=1e-8, scale=None,
                  low=None, high=None, quantizer=None):
    """numpy twin of :class:`FusedAdam`: the new (param, m, v), in the parameter's type.

    Parameters
    ----------
    param, m, v, grad : numpy arrays of one shape and floating-point type
        Parameter, Adam's first and second moments, gradient.
    lr_t : float
        Adam's step size for this step, ``lr * sqrt(1 - beta2^t) / (1 - beta1^t)``.
    beta1, beta2, epsilon : float
    scale, low, high : float, optional
        Learning-rate scale and clip range of a quantized weight; None for plain Adam.
    quantizer : QuantizationBinary or QuantizationFixed, optional
        With it ``grad`` is the gradient with respect to ``quantizer.quantizeWeights(param)``
        and the quantized new parameter is returned as a fourth array.

    Returns
    -------
    tuple of three (four with a quantizer) numpy arrays
    """
    param = np.asarray(param)
    dtype = param.dtype.type
    if quantizer is not None:
        grad = straight_through_np(quantizer, param, grad)
        new = fused_adam_np(param, m, v, grad, lr_t, beta1, beta2, epsilon, scale, low, high)
        return new + (quantizer.quantize_weights_np(new[0]),)
    m_new = dtype(beta1) * m + dtype(1 - beta1) * grad
    v_new = dtype(beta2) * v + dtype(1 - beta2) * (grad * grad)
    proposed = param - (dtype(lr_t) * m_new) / (np.sqrt(v_new) + dtype(epsilon))
    if scale is None:
        return proposed, m_new, v_new
    stepped = param + dtype(scale) * (proposed - param)
    # Two comparisons, as the C code (np.clip would do the same, in one call).
    stepped = np.where(stepped < dtype(low), dtype(low), stepped)
    stepped = np.where(stepped > dtype(high), dtype(high), stepped)
    return stepped.astype(param.dtype), m_new, v_new


def _c_literal(value, ctype):
    # repr() of a Python float round-trips the double; C converts it to the parameter's type
    # with the same rounding as numpy's astype.
    return '((%s)%r)' % (ctype, float(value))


class FusedAdam(theano.Op):
    """``(param, m, v, grad, lr_t) -> (param', m', v')``, see the module docstring.

    Parameters
    ----------
    beta1, beta2, epsilon : float
        Adam's constants.
    scale, low, high : float, optional
        Learning-rate scale and clip range of a quantized weight (all three or none).
    quantizer : tuple, optional
        :func:`quantizer_key` of the weight quantizer whose copy the op keeps (with scale,
        low and high). The op then takes and returns that copy too:
        ``(param, m, v, grad wrt copy, lr_t, copy) -> (param', m', v', copy')``.
    inplace : bool
        Overwrite param, m, v (and the copy) instead of copying. Build the op with ``inplace=False``:
        Theano refuses in-place ops in a user's graph, and the optimisation registered below
        makes them in place where the inputs may be overwritten (the training step's shared
        variables, which the step updates).
    """

    __props__ = ('beta1', 'beta2', 'epsilon', 'scale', 'low', 'high', 'quantizer', 'inplace')

    def __init__(self, beta1=0.9, beta2=0.999, epsilon=1e-8, scale=None, low=None, high=None,
                 quantizer=None, inplace=False):
        if (scale is None) != (low is None) or (scale is None) != (high is None):
            raise ValueError('FusedAdam needs scale, low and high together, or none of them')
        if quantizer is not None and scale is None:
            raise ValueError('FusedAdam keeps a quantized copy only of a clipped weight')
        self.quantizer = None if quantizer is None else tuple(quantizer)
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self.scale = None if scale is None else float(scale)
        self.low = None if low is None else float(low)
        self.high = None if high is None else float(high)
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0], 1: [1], 2: [2]}
            if self.quantizer is not None:
                self.destroy_map[3] = [5]
        super(FusedAdam, self).__init__()

    def make_node(self, param, m, v, grad, lr_t, copy=None):
        if (copy is None) != (self.quantizer is None):
            raise TypeError('FusedAdam takes the quantized copy exactly when it has a quantizer')
        arrays = [T.as_tensor_variable(x) for x in (param, m, v, grad, copy) if x is not None]
        param, lr_t = arrays[0], T.as_tensor_variable(lr_t)
        if param.dtype not in ('float32', 'float64') or lr_t.ndim != 0:
            raise TypeError('FusedAdam needs a float32/float64 parameter and a scalar step size')
        for x in arrays[1:]:
            if x.type != param.type:
                raise TypeError('FusedAdam needs m, v, grad (and the copy) of the parameter\'s '
                                'type %s, got %s' % (param.type, x.type))
        inputs = arrays[:4] + [T.cast(lr_t, param.dtype)] + arrays[4:]
        return theano.Apply(self, inputs, [param.type() for _ in range(len(arrays) - 1)])

    def perform(self, node, inputs, outputs):
        quantizer = None if self.quantizer is None else quantizer_from_key(self.quantizer)
        results = fused_adam_np(*(inputs[:5] + [self.beta1, self.beta2, self.epsilon,
                                                self.scale, self.low, self.high, quantizer]))
        for storage, value in zip(outputs, results):
            storage[0] = value

    def infer_shape(self, node, shapes):
        return shapes[:3] + shapes[5:]

    def c_code_cache_version(self):
        return (2,)

    def c_code(self, node, name, inputs, outputs, sub):
        param, m, v, grad, lr_t = inputs[:5]
        ctype = node.inputs[0].type.dtype_specs()[1]
        # Without a copy the copy's slot repeats param's, so one template serves both.
        copy, out_copy = (inputs[5], outputs[3]) if len(inputs) > 5 else (param, outputs[0])
        values = dict(param=param, m=m, v=v, grad=grad, lr_t=lr_t, fail=sub['fail'],
                      out_param=outputs[0], out_m=outputs[1], out_v=outputs[2], ctype=ctype,
                      copy=copy, out_copy=out_copy, n_state=len(outputs),
                      inplace=int(self.inplace),
                      beta1=_c_literal(self.beta1, ctype),
                      one_minus_beta1=_c_literal(1 - self.beta1, ctype),
                      beta2=_c_literal(self.beta2, ctype),
                      one_minus_beta2=_c_literal(1 - self.beta2, ctype),
                      epsilon=_c_literal(self.epsilon, ctype),
                      sqrt='sqrtf' if ctype == 'npy_float32' else 'sqrt')
        if self.scale is None:
            values['finish'] = 'p[i] = proposed;'
        else:
            values['finish'] = (
                '%(ctype)s stepped = p[i] + %(scale)s * (proposed - p[i]); '
                'stepped = (stepped < %(low)s) ? %(low)s : stepped; '
                'p[i] = (stepped > %(high)s) ? %(high)s : stepped;'
                % dict(ctype=ctype, scale=_c_literal(self.scale, ctype),
                       low=_c_literal(self.low, ctype), high=_c_literal(self.high, ctype)))
        values['straight_through'], values['quantize'] = self._quantizer_c_code(ctype)
        return _C_TEMPLATE % values

    def _quantizer_c_code(self, ctype):
        """C statements: the straight-through gradient (gi from g[i], p[i]), q[i] from p[i]."""
        if self.quantizer is None:
            return '', ''
        quantizer = quantizer_from_key(self.quantizer)
        if isinstance(quantizer, QuantizationBinary):
            level = _c_literal(quantizer.scale, ctype)
            return ('gi = %s * gi;' % level,
                    'q[i] = (p[i] >= (%s)0) ? %s : -%s;' % (ctype, level, level))
        low, high = _c_literal(quantizer.min, ctype), _c_literal(quantizer.max, ctype)
        shift, scale = _c_literal(quantizer.shift, ctype), _c_literal(quantizer.scale, ctype)
        ste = 'gi = (p[i] >= %s && p[i] <= %s) ? gi : (%s)0;' % (low, high, ctype)
        quantize = ('{ %(ctype)s c = (p[i] < %(low)s) ? %(low)s : p[i], r; '
                    'c = (c > %(high)s) ? %(high)s : c; c = (c + %(shift)s) * %(scale)s; '
                    '%(round3)s q[i] = r / %(scale)s - %(shift)s; }'
                    % dict(ctype=ctype, low=low, high=high, shift=shift, scale=scale,
                           round3=round3_c_code('c', 'r', ctype)))
        return ste, quantize


# One loop over contiguous buffers; the outputs are the inputs themselves (inplace) or
# contiguous copies of them, updated in place. The gradient is made contiguous if it is not.
# Without a quantized copy q aliases p and is never written (the restrict pointer is unused).
_C_TEMPLATE = """
{
    PyArrayObject* state[4] = {%(param)s, %(m)s, %(v)s, %(copy)s};
    PyArrayObject** outs[4] = {&%(out_param)s, &%(out_m)s, &%(out_v)s, &%(out_copy)s};
    PyArrayObject* grad_c = NULL;
    int k;
    for (k = 0; k < %(n_state)s; ++k) {
        if (!PyArray_SAMESHAPE(state[k], %(grad)s)) {
            PyErr_SetString(PyExc_ValueError,
                            "FusedAdam: parameter, moments and gradient differ in shape");
            %(fail)s
        }
    }
    for (k = 0; k < %(n_state)s; ++k) {
        Py_XDECREF(*outs[k]);
        if (%(inplace)d && PyArray_ISCARRAY(state[k])) {
            *outs[k] = state[k];
            Py_INCREF(*outs[k]);
        } else {
            *outs[k] = (PyArrayObject*)PyArray_NewCopy(state[k], NPY_CORDER);
            if (*outs[k] == NULL) {
                %(fail)s
            }
        }
    }
    grad_c = PyArray_GETCONTIGUOUS(%(grad)s);
    if (grad_c == NULL) {
        %(fail)s
    }
    {
        %(ctype)s* __restrict__ p = (%(ctype)s*)PyArray_DATA(%(out_param)s);
        %(ctype)s* __restrict__ m1 = (%(ctype)s*)PyArray_DATA(%(out_m)s);
        %(ctype)s* __restrict__ m2 = (%(ctype)s*)PyArray_DATA(%(out_v)s);
        %(ctype)s* __restrict__ q = (%(ctype)s*)PyArray_DATA(%(out_copy)s);
        const %(ctype)s* __restrict__ g = (const %(ctype)s*)PyArray_DATA(grad_c);
        const %(ctype)s lr_t = ((%(ctype)s*)PyArray_DATA(%(lr_t)s))[0];
        const npy_intp n = PyArray_SIZE(grad_c);
        npy_intp i;
        for (i = 0; i < n; ++i) {
            %(ctype)s gi = g[i];
            %(straight_through)s
            const %(ctype)s m_new = %(beta1)s * m1[i] + %(one_minus_beta1)s * gi;
            const %(ctype)s v_new = %(beta2)s * m2[i] + %(one_minus_beta2)s * (gi * gi);
            const %(ctype)s proposed = p[i] - (lr_t * m_new) / (%(sqrt)s(v_new) + %(epsilon)s);
            m1[i] = m_new;
            m2[i] = v_new;
            %(finish)s
            %(quantize)s
        }
    }
    Py_DECREF(grad_c);
}
"""


@local_optimizer([FusedAdam], inplace=True)
def _fused_adam_inplace(node):
    op = node.op
    if isinstance(op, FusedAdam) and not op.inplace:
        return FusedAdam(op.beta1, op.beta2, op.epsilon, op.scale, op.low, op.high,
                         op.quantizer, inplace=True)(*node.inputs)
    return False


# After Theano's own in-place elementwise optimisation (75); refused replacements (an input
# that may not be overwritten) leave the copying op in place.
optdb.register('qnn_fused_adam_inplace',
               TopoOptimizer(_fused_adam_inplace, failure_callback=TopoOptimizer.warn_inplace),
               75.5, 'fast_run', 'inplace')
