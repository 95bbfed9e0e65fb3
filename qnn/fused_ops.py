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

:func:`fused_adam_np` is its numpy twin (same operations, same order, same bits; the C code is
compiled without fused multiply-adds, see :data:`qnn.compat.STRICT_FP_FLAGS`).
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .quantization import T, theano
from theano.compile import optdb  # noqa: E402  (after qnn configured Theano)
from theano.gof.opt import TopoOptimizer, local_optimizer  # noqa: E402

__all__ = ['FusedAdam', 'fused_adam_np']


def fused_adam_np(param, m, v, grad, lr_t, beta1=0.9, beta2=0.999, epsilon=1e-8, scale=None,
                  low=None, high=None):
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

    Returns
    -------
    tuple of three numpy arrays
    """
    param = np.asarray(param)
    dtype = param.dtype.type
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
    inplace : bool
        Overwrite param, m and v instead of copying. Build the op with ``inplace=False``:
        Theano refuses in-place ops in a user's graph, and the optimisation registered below
        makes them in place where the inputs may be overwritten (the training step's shared
        variables, which the step updates).
    """

    __props__ = ('beta1', 'beta2', 'epsilon', 'scale', 'low', 'high', 'inplace')

    def __init__(self, beta1=0.9, beta2=0.999, epsilon=1e-8, scale=None, low=None, high=None,
                 inplace=False):
        if (scale is None) != (low is None) or (scale is None) != (high is None):
            raise ValueError('FusedAdam needs scale, low and high together, or none of them')
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self.scale = None if scale is None else float(scale)
        self.low = None if low is None else float(low)
        self.high = None if high is None else float(high)
        self.inplace = bool(inplace)
        if self.inplace:
            self.destroy_map = {0: [0], 1: [1], 2: [2]}
        super(FusedAdam, self).__init__()

    def make_node(self, param, m, v, grad, lr_t):
        param, m, v, grad = [T.as_tensor_variable(x) for x in (param, m, v, grad)]
        lr_t = T.as_tensor_variable(lr_t)
        if param.dtype not in ('float32', 'float64') or lr_t.ndim != 0:
            raise TypeError('FusedAdam needs a float32/float64 parameter and a scalar step size')
        for x in (m, v, grad):
            if x.type != param.type:
                raise TypeError('FusedAdam needs m, v and grad of the parameter\'s type %s, got %s'
                                % (param.type, x.type))
        lr_t = T.cast(lr_t, param.dtype)
        return theano.Apply(self, [param, m, v, grad, lr_t],
                            [param.type(), param.type(), param.type()])

    def perform(self, node, inputs, outputs):
        param, m, v, grad, lr_t = inputs
        results = fused_adam_np(param, m, v, grad, lr_t, self.beta1, self.beta2, self.epsilon,
                                self.scale, self.low, self.high)
        for storage, value in zip(outputs, results):
            storage[0] = value

    def infer_shape(self, node, shapes):
        return shapes[:3]

    def c_code_cache_version(self):
        return (1,)

    def c_code(self, node, name, inputs, outputs, sub):
        param, m, v, grad, lr_t = inputs
        ctype = node.inputs[0].type.dtype_specs()[1]
        values = dict(param=param, m=m, v=v, grad=grad, lr_t=lr_t, fail=sub['fail'],
                      out_param=outputs[0], out_m=outputs[1], out_v=outputs[2], ctype=ctype,
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
        return _C_TEMPLATE % values


# One loop over contiguous buffers; the outputs are the inputs themselves (inplace) or
# contiguous copies of them, updated in place. The gradient is made contiguous if it is not.
_C_TEMPLATE = """
{
    PyArrayObject* state[3] = {%(param)s, %(m)s, %(v)s};
    PyArrayObject** outs[3] = {&%(out_param)s, &%(out_m)s, &%(out_v)s};
    PyArrayObject* grad_c = NULL;
    int k;
    for (k = 0; k < 3; ++k) {
        if (!PyArray_SAMESHAPE(state[k], %(grad)s)) {
            PyErr_SetString(PyExc_ValueError,
                            "FusedAdam: parameter, moments and gradient differ in shape");
            %(fail)s
        }
    }
    for (k = 0; k < 3; ++k) {
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
        const %(ctype)s* __restrict__ g = (const %(ctype)s*)PyArray_DATA(grad_c);
        const %(ctype)s lr_t = ((%(ctype)s*)PyArray_DATA(%(lr_t)s))[0];
        const npy_intp n = PyArray_SIZE(grad_c);
        npy_intp i;
        for (i = 0; i < n; ++i) {
            const %(ctype)s gi = g[i];
            const %(ctype)s m_new = %(beta1)s * m1[i] + %(one_minus_beta1)s * gi;
            const %(ctype)s v_new = %(beta2)s * m2[i] + %(one_minus_beta2)s * (gi * gi);
            const %(ctype)s proposed = p[i] - (lr_t * m_new) / (%(sqrt)s(v_new) + %(epsilon)s);
            m1[i] = m_new;
            m2[i] = v_new;
            %(finish)s
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
                         inplace=True)(*node.inputs)
    return False


# After Theano's own in-place elementwise optimisation (75); refused replacements (an input
# that may not be overwritten) leave the copying op in place.
optdb.register('qnn_fused_adam_inplace',
               TopoOptimizer(_fused_adam_inplace, failure_callback=TopoOptimizer.warn_inplace),
               75.5, 'fast_run', 'inplace')
