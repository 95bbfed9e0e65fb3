"""MNIST: find, download, verify, read and scale the four IDX files.

The splits follow BNN-PYNQ / FINN: the first 50 000 training images train, the last 10 000
validate, and the 10 000 ``t10k`` images test. Pixels are scaled to ``2 * p / 255 - 1`` in
[-1, 1] and, for binarized inputs, to +1 where that value is >= 0 (that is, ``p >= 128``)
and -1 elsewhere.

Every problem with the files (missing, truncated, corrupt, wrong shape, wrong checksum) raises
:class:`DataError`, whose message names the file.

Examples
--------
>>> data = load_mnist()                       # doctest: +SKIP
>>> data.train.X.shape, data.valid.y.shape    # doctest: +SKIP
((50000, 784), (10000,))
"""
from __future__ import absolute_import, division, print_function

import collections
import contextlib
import functools
import gzip
import logging
import numbers
import operator
import os
import struct
import zlib

import numpy as np

__all__ = ['DataError', 'FILES', 'SHA256', 'DATA_DIR_ENV', 'Split', 'Mnist', 'resolve_data_dir',
           'check_encoding',
           'find_file', 'read_idx', 'load_subset', 'load_raw', 'scale_pixels', 'load_mnist']

log = logging.getLogger(__name__)

#: Environment variable naming the MNIST folder.
DATA_DIR_ENV = 'QNN_DATA_DIR'

#: Canonical (uncompressed) IDX file names.
FILES = {
    'train_images': 'train-images-idx3-ubyte',
    'train_labels': 'train-labels-idx1-ubyte',
    'test_images': 't10k-images-idx3-ubyte',
    'test_labels': 't10k-labels-idx1-ubyte',
}

#: Official SHA-256 of the four gzipped files.
SHA256 = {
    'train-images-idx3-ubyte.gz':
        '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    'train-labels-idx1-ubyte.gz':
        '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    't10k-images-idx3-ubyte.gz':
        '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    't10k-labels-idx1-ubyte.gz':
        'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
}

#: Items per subset and image size, as published.
COUNTS = {'train': 60000, 'test': 10000}
IMAGE_SHAPE = (28, 28)
NUM_CLASSES = 10
#: The training file is split into the first TRAIN_COUNT (train) and the rest (validation).
TRAIN_COUNT = 50000

#: IDX magic number -> number of dimensions (unsigned bytes only).
_IDX_MAGIC = {0x00000801: 1, 0x00000803: 3}
_GZIP_MAGIC = b'\x1f\x8b'
_CHUNK = 1 << 16

class Split(collections.namedtuple('Split', ['X', 'y'])):
    """One split: ``X`` float (N, 784) pixels, ``y`` int32 (N,) labels."""
    __slots__ = ()


class Mnist(collections.namedtuple('Mnist', ['train', 'valid', 'test'])):
    """The three :class:`Split` s returned by :func:`load_mnist`."""
    __slots__ = ()


class DataError(ValueError):
    """A data file is missing, malformed, or does not match its published checksum."""


# --------------------------------------------------------------------------------------------
# Locating files
# --------------------------------------------------------------------------------------------

def resolve_data_dir(data_dir=None):
    """The MNIST folder to use.

    Parameters
    ----------
    data_dir : str, optional
        Explicit folder; wins when given.

    Returns
    -------
    str
        ``data_dir``, else ``$QNN_DATA_DIR``, else ``$XDG_CACHE_HOME/qnn/mnist``, else
        ``~/.cache/qnn/mnist``.
    """
    if data_dir:
        return os.path.expanduser(data_dir)
    if os.environ.get(DATA_DIR_ENV):
        return os.path.expanduser(os.environ[DATA_DIR_ENV])
    cache = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(cache, 'qnn', 'mnist')


def find_file(data_dir, name):
    """The path of ``name`` (uncompressed, preferred) or ``name + '.gz'`` in ``data_dir``.

    Parameters
    ----------
    data_dir : str
        Folder to look in.
    name : str
        IDX file name without ``.gz``, one of the values of :data:`FILES`.

    Returns
    -------
    str
        The existing file.

    Raises
    ------
    DataError
        If neither file exists.
    """
    if os.path.exists(data_dir) and not os.path.isdir(data_dir):
        raise DataError('the MNIST folder %s is a file, not a folder' % data_dir)
    for candidate in (name, name + '.gz'):
        path = os.path.join(data_dir, candidate)
        if os.path.isfile(path):
            return path
    raise DataError(
        'MNIST file %s(.gz) not found in %s. Run `qnn data download --data-dir %s`, or point '
        '--data-dir or $%s at a folder holding the four IDX files.'
        % (name, data_dir, data_dir, DATA_DIR_ENV))


# --------------------------------------------------------------------------------------------
# Reading IDX files
# --------------------------------------------------------------------------------------------

def _read_bytes(path):
    """All bytes of ``path``, gunzipped when the file starts with the gzip magic."""
    if not os.path.isfile(path):
        raise DataError('%s: no such file' % path)
    try:
        with open(path, 'rb') as handle:
            head = handle.read(2)
        opener = gzip.open if head == _GZIP_MAGIC else open
        with contextlib.closing(opener(path, 'rb')) as handle:
            return handle.read()
    except (IOError, OSError, EOFError, zlib.error, struct.error) as error:
        raise DataError('%s: cannot read, the file is corrupt or truncated (%s: %s)'
                        % (path, type(error).__name__, error))


def _parse_idx_header(path, data):
    """``(shape, header_size)`` of the IDX bytes ``data`` read from ``path``."""
    if len(data) < 4:
        raise DataError('%s: truncated, only %d bytes (an IDX header needs at least 4)'
                        % (path, len(data)))
    magic, = struct.unpack('>I', data[:4])
    if magic not in _IDX_MAGIC:
        raise DataError('%s: wrong magic number 0x%08x, expected 0x00000801 (labels) or '
                        '0x00000803 (images); not an MNIST IDX file' % (path, magic))
    ndim = _IDX_MAGIC[magic]
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise DataError('%s: truncated inside the header (%d of %d bytes)'
                        % (path, len(data), header_size))
    shape = struct.unpack('>%dI' % ndim, data[4:header_size])
    return tuple(int(n) for n in shape), header_size


def read_idx(path):
    """Read an IDX file of unsigned bytes, gzipped or not.

    Parameters
    ----------
    path : str
        The file. Gzip is recognised from the content, not the name.

    Returns
    -------
    numpy.ndarray
        uint8 array: 1-D for labels (magic 0x801), 3-D for images (magic 0x803).

    Raises
    ------
    DataError
        Missing file, corrupt or truncated gzip, wrong magic number, or a payload whose size
        is not exactly the product of the dimensions in the header.
    """
    data = _read_bytes(path)
    shape, header_size = _parse_idx_header(path, data)
    expected = functools.reduce(operator.mul, shape, 1)  # Python ints: no overflow
    found = len(data) - header_size
    if found < expected:
        raise DataError('%s: truncated, header announces shape %s (%d bytes of data) but only '
                        '%d bytes follow' % (path, shape, expected, found))
    if found > expected:
        raise DataError('%s: %d unexpected trailing bytes after the %d bytes of shape %s'
                        % (path, found - expected, expected, shape))
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(shape).copy()


# --------------------------------------------------------------------------------------------
# Loading and checking the data set
# --------------------------------------------------------------------------------------------

def _check_shape(path, array, expected):
    if array.shape != expected:
        raise DataError('%s: expected shape %s, found %s' % (path, expected, array.shape))


def _check_labels(path, labels):
    bad = np.flatnonzero(labels >= NUM_CLASSES)
    if bad.size:
        raise DataError('%s: %d labels outside 0..%d, the first is %d at index %d'
                        % (path, bad.size, NUM_CLASSES - 1, labels[bad[0]], bad[0]))


def load_subset(subset, data_dir=None):
    """Read and check the images and labels of one MNIST file pair.

    Parameters
    ----------
    subset : {'train', 'test'}
        Which pair.
    data_dir : str, optional
        Folder, see :func:`resolve_data_dir`.

    Returns
    -------
    images, labels : numpy.ndarray
        uint8 (N, 28, 28) and uint8 (N,), N = 60000 (train) or 10000 (test).

    Raises
    ------
    DataError
        Missing or malformed file, images/labels count mismatch, wrong count, label > 9.
    """
    if subset not in COUNTS:
        raise ValueError('subset must be one of %s, not %r' % (sorted(COUNTS), subset))
    data_dir = resolve_data_dir(data_dir)
    image_path = find_file(data_dir, FILES[subset + '_images'])
    label_path = find_file(data_dir, FILES[subset + '_labels'])
    images = read_idx(image_path)
    labels = read_idx(label_path)
    if images.ndim != 3 or images.shape[1:] != IMAGE_SHAPE:
        raise DataError('%s: expected images of shape (N, 28, 28), found %s'
                        % (image_path, images.shape))
    if labels.ndim != 1:
        raise DataError('%s: expected 1-D labels, found shape %s' % (label_path, labels.shape))
    if len(images) != len(labels):
        raise DataError('%s holds %d images but %s holds %d labels'
                        % (image_path, len(images), label_path, len(labels)))
    _check_shape(image_path, images, (COUNTS[subset],) + IMAGE_SHAPE)
    _check_labels(label_path, labels)
    return images, labels


def load_raw(data_dir=None):
    """The four MNIST arrays, unscaled.

    Parameters
    ----------
    data_dir : str, optional
        Folder, see :func:`resolve_data_dir`.

    Returns
    -------
    dict
        ``'train_images'`` uint8 (60000, 28, 28), ``'train_labels'`` uint8 (60000,),
        ``'test_images'`` uint8 (10000, 28, 28), ``'test_labels'`` uint8 (10000,).

    Raises
    ------
    DataError
        See :func:`load_subset`.
    """
    raw = {}
    for subset in ('test', 'train'):  # the small pair first: fail fast on a bad folder
        raw[subset + '_images'], raw[subset + '_labels'] = load_subset(subset, data_dir)
    return raw


def scale_pixels(pixels, binarize=False, dtype='float32'):
    """Flatten and scale 8-bit pixels to [-1, 1].

    Parameters
    ----------
    pixels : array_like
        Pixel values 0..255, shape (N, 28, 28) or (N, 784).
    binarize : bool
        If true return +1 where ``p >= 128`` and -1 elsewhere. This is exactly BNN-PYNQ's
        "+1 if 2 * p / 255 - 1 >= 0".
    dtype : str or numpy.dtype
        Output type.

    Returns
    -------
    numpy.ndarray
        (N, 784) array of ``dtype``: ``2 * p / 255 - 1``, or +-1 when ``binarize``.
    """
    pixels = np.asarray(pixels)
    flat = pixels.reshape(len(pixels), -1)
    if binarize:
        return np.where(flat >= 128, 1, -1).astype(dtype)
    scaled = flat.astype(dtype)
    scaled /= 127.5  # p / 127.5 is the correctly rounded 2 * p / 255; 255 maps to exactly 1
    scaled -= 1
    return scaled


def check_encoding(data, binarize):
    """Raise :class:`DataError` unless ``data`` was loaded with ``binarize`` as given.

    Looks at the first training images: binarised inputs hold only -1 and +1, scaled pixels
    also hold the grey values between (every MNIST digit has some).
    """
    sample = np.asarray(data.train.X[:100])
    binary = bool(np.all(np.abs(sample) == 1))
    if binary != bool(binarize):
        raise DataError('the MNIST arrays given hold %s inputs but the configuration asks for %s '
                        '(load them with binarize=%s)'
                        % ('binarised' if binary else '8-bit pixel',
                           'binarised' if binarize else '8-bit pixel', bool(binarize)))


def _check_train_size(train_size):
    if train_size is None:
        return TRAIN_COUNT
    if isinstance(train_size, bool) or not isinstance(train_size, numbers.Integral) \
            or not 1 <= train_size <= TRAIN_COUNT:
        raise ValueError('train_size must be an integer in 1..%d, got %r'
                         % (TRAIN_COUNT, train_size))
    return int(train_size)


def _split(images, labels, binarize, dtype):
    return Split(X=scale_pixels(images, binarize=binarize, dtype=dtype),
                 y=labels.astype(np.int32))


def load_mnist(data_dir=None, binarize=False, train_size=None, dtype='float32'):
    """MNIST split and scaled as in BNN-PYNQ.

    Parameters
    ----------
    data_dir : str, optional
        Folder, see :func:`resolve_data_dir`.
    binarize : bool
        Binarize the pixels to +-1 (see :func:`scale_pixels`).
    train_size : int, optional
        Keep only the first ``train_size`` (1..50000) training images.
    dtype : str or numpy.dtype
        Type of the pixel arrays.

    Returns
    -------
    Mnist
        ``train`` (the first 50 000, or ``train_size``, images of the training file),
        ``valid`` (its last 10 000) and ``test`` (the 10 000 test images), each a
        :class:`Split` with ``X`` (N, 784) and int32 ``y`` (N,).

    Raises
    ------
    ValueError
        ``train_size`` is not an integer in 1..50000.
    DataError
        A file is missing or malformed.
    """
    train_size = _check_train_size(train_size)
    raw = load_raw(data_dir)
    images, labels = raw['train_images'], raw['train_labels']
    return Mnist(
        train=_split(images[:train_size], labels[:train_size], binarize, dtype),
        valid=_split(images[TRAIN_COUNT:], labels[TRAIN_COUNT:], binarize, dtype),
        test=_split(raw['test_images'], raw['test_labels'], binarize, dtype))
