"""Dropout masks from a counter-based hash: one C loop, reproducible from a seed and a step counter.

Lasagne's :class:`DropoutLayer` draws its masks with Theano's ``MRG_RandomStreams``, whose
``mrg_uniform`` op took 11-12 % of the training step. Here the mask element ``i`` of the
``counter``-th draw of a stream seeded ``seed`` is kept when the high 32 bits of

    splitmix64(key + (i + 1) * GOLDEN),   key = splitmix64(splitmix64(seed) + counter)

are below ``round(keep_prob * 2**32)``: integer arithmetic only, so the C op and its numpy twin
:func:`dropout_mask_np` give the same bits on every machine and stack. ``splitmix64`` is the
finaliser of Steele, Lea and Flood's SplitMix64 generator (2014). The counter advances once per
compiled step (a default update, as Theano's own random streams), so a stream reseeded at the
start of an epoch gives the same masks whenever the epoch is run.

:class:`DropoutLayer` is Lasagne's layer (same inverted-dropout arithmetic, same draw from
Lasagne's RNG at construction, so the initial weights do not change) drawing from a
:class:`HashStream`.
"""
from __future__ import absolute_import, division, print_function

import numpy as np

from .layers import lasagne
from .quantization import T, theano

__all__ = ['dropout_mask_np', 'keep_threshold', 'DropoutMask', 'HashStream', 'DropoutLayer']

_MASK64 = 2 ** 64 - 1
GOLDEN = 0x9E3779B97F4A7C15
_MIX1, _MIX2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def _splitmix64_int(z):
    # Python integers, for the per-draw key.
    z = ((z ^ (z >> 30)) * _MIX1) & _MASK64
    z = ((z ^ (z >> 27)) * _MIX2) & _MASK64
    return z ^ (z >> 31)


def _splitmix64_array(z):
    # uint64 arrays wrap modulo 2**64, as the C code's unsigned arithmetic.
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_MIX1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_MIX2)
    return z ^ (z >> np.uint64(31))


def keep_threshold(keep_prob):
    """Integer threshold on the 32 high hash bits: an element is kept below it."""
    keep_prob = float(keep_prob)
    if not 0 < keep_prob <= 1:
        raise ValueError('keep_prob must be in (0, 1], got %r' % keep_prob)
    return int(round(keep_prob * 2 ** 32))


def draw_key(seed, counter):
    """The 64-bit key of draw ``counter`` of the stream seeded ``seed``."""
    return _splitmix64_int((_splitmix64_int(int(seed) & _MASK64) + int(counter)) & _MASK64)


def dropout_mask_np(shape, keep_prob, seed, counter, dtype='float32'):
    """numpy twin of :class:`DropoutMask`: a 0/1 mask of ``shape``, ``dtype``.

    Parameters
    ----------
    shape : tuple of int
    keep_prob : float
        Probability of keeping an element, in (0, 1].
    seed, counter : int
        The stream's seed and the draw's index.
    dtype : str

    Returns
    -------
    numpy array
    """
    n = int(np.prod(shape, dtype=np.int64))
    key = np.uint64(draw_key(seed, counter))
    index = np.arange(1, n + 1, dtype=np.uint64)
    hashes = _splitmix64_array(key + index * np.uint64(GOLDEN))
    kept = (hashes >> np.uint64(32)) < np.uint64(keep_threshold(keep_prob))
    return kept.astype(dtype).reshape(shape)


class DropoutMask(theano.Op):
    """``(shape, seed, counter) -> mask``: the 0/1 mask of :func:`dropout_mask_np`.

    Parameters
    ----------
    keep_prob : float
        Probability of keeping an element.
    dtype : str
        Floating-point type of the mask.
    """

    __props__ = ('keep_prob', 'dtype')

    def __init__(self, keep_prob, dtype='float32'):
        keep_threshold(keep_prob)
        self.keep_prob, self.dtype = float(keep_prob), str(dtype)
        super(DropoutMask, self).__init__()

    def make_node(self, shape, seed, counter):
        shape = T.cast(T.as_tensor_variable(shape), 'int64')
        seed, counter = [T.cast(T.as_tensor_variable(x), 'int64') for x in (seed, counter)]
        if shape.ndim != 1 or seed.ndim != 0 or counter.ndim != 0:
            raise TypeError('DropoutMask needs a shape vector and scalar seed and counter')
        length = T.get_vector_length(shape)
        out = T.TensorType(self.dtype, (False,) * length)()
        return theano.Apply(self, [shape, seed, counter], [out])

    def perform(self, node, inputs, outputs):
        shape, seed, counter = inputs
        outputs[0][0] = dropout_mask_np(tuple(int(s) for s in shape), self.keep_prob, seed,
                                        counter, self.dtype)

    def infer_shape(self, node, shapes):
        length = node.outputs[0].ndim
        return [tuple(node.inputs[0][k] for k in range(length))]

    def connection_pattern(self, node):
        return [[False], [False], [False]]

    def grad(self, inputs, output_grads):
        return [theano.gradient.DisconnectedType()() for _ in inputs]

    def c_code_cache_version(self):
        return (1,)

    def c_support_code(self):
        return _C_SPLITMIX64 % dict(mix1='%dULL' % _MIX1, mix2='%dULL' % _MIX2)

    def c_code(self, node, name, inputs, outputs, sub):
        shape, seed, counter = inputs
        return _C_TEMPLATE % dict(
            shape=shape, seed=seed, counter=counter, out=outputs[0], fail=sub['fail'],
            ndim=node.outputs[0].ndim, typenum=node.outputs[0].type.dtype_specs()[2],
            ctype=node.outputs[0].type.dtype_specs()[1],
            threshold='%dULL' % keep_threshold(self.keep_prob), golden='%dULL' % GOLDEN)


_C_SPLITMIX64 = """
static inline npy_uint64 qnn_splitmix64(npy_uint64 z)
{
    z = (z ^ (z >> 30)) * %(mix1)s;
    z = (z ^ (z >> 27)) * %(mix2)s;
    return z ^ (z >> 31);
}
"""


# The same integer steps as dropout_mask_np, in unsigned 64-bit arithmetic (wraps mod 2**64).
_C_TEMPLATE = """
{
    npy_intp dims[%(ndim)s];
    npy_intp n = 1, i;
    int k, same = (%(out)s != NULL);
    npy_uint64 key;
    if (PyArray_DIMS(%(shape)s)[0] != %(ndim)s) {
        PyErr_SetString(PyExc_ValueError, "DropoutMask: shape of the wrong length");
        %(fail)s
    }
    for (k = 0; k < %(ndim)s; ++k) {
        dims[k] = (npy_intp)*(npy_int64*)PyArray_GETPTR1(%(shape)s, k);
        n *= dims[k];
        same = same && PyArray_DIMS(%(out)s)[k] == dims[k];
    }
    if (!(same && PyArray_ISCARRAY(%(out)s))) {
        Py_XDECREF(%(out)s);
        %(out)s = (PyArrayObject*)PyArray_EMPTY(%(ndim)s, dims, %(typenum)s, 0);
        if (%(out)s == NULL) {
            %(fail)s
        }
    }
    key = qnn_splitmix64((npy_uint64)((npy_int64*)PyArray_DATA(%(seed)s))[0]);
    key = qnn_splitmix64(key + (npy_uint64)((npy_int64*)PyArray_DATA(%(counter)s))[0]);
    {
        %(ctype)s* __restrict__ mask = (%(ctype)s*)PyArray_DATA(%(out)s);
        for (i = 0; i < n; ++i) {
            const npy_uint64 z = qnn_splitmix64(key + (npy_uint64)(i + 1) * %(golden)s);
            mask[i] = ((z >> 32) < %(threshold)s) ? 1 : 0;
        }
    }
}
"""


class HashStream(object):
    """Seed and step counter of a dropout stream: Theano shared int64 scalars.

    Stands in for Lasagne's ``_srng`` (``MRG_RandomStreams``) with the two methods qnn uses:
    :meth:`seed` and :meth:`binomial`.
    """

    def __init__(self, seed):
        self.seed_var = theano.shared(np.int64(seed), name='dropout_seed')
        self.counter = theano.shared(np.int64(0), name='dropout_counter')
        # Each compiled function that draws advances the counter once per call.
        self.counter.default_update = self.counter + np.int64(1)

    def seed(self, seed):
        """Restart the stream: draws depend on ``seed`` and the number of draws since."""
        self.seed_var.set_value(np.int64(seed))
        self.counter.set_value(np.int64(0))

    def binomial(self, size, p, dtype='float32'):
        """0/1 mask of ``size`` (tuple or symbolic shape), 1 with probability ``p`` (constant)."""
        keep_prob = T.get_scalar_constant_value(p)
        return DropoutMask(keep_prob, dtype)(T.as_tensor_variable(size), self.seed_var,
                                             self.counter)


class DropoutLayer(lasagne.layers.DropoutLayer):
    """Lasagne's inverted dropout, masks from a :class:`HashStream` seeded from Lasagne's RNG."""

    def __init__(self, incoming, p=0.5, rescale=True, **kwargs):
        super(DropoutLayer, self).__init__(incoming, p=p, rescale=rescale, **kwargs)
        # Lasagne's constructor drew the seed of its MRG stream from its RNG (the stream's
        # state is six copies of it); reuse the seed, so the draws that follow (the initial
        # weights) are unchanged.
        self._srng = HashStream(int(self._srng.rstate[0]))
