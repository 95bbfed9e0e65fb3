"""The BNN-PYNQ parameter folder: ``<layer>-<pe>-weights.bin``, ``-thres.bin``, ``classes.txt``.

* ``<layer>-<pe>-weights.bin``: the PE's WMEM weight words, little-endian uint64.
* ``<layer>-<pe>-thres.bin``: the PE's TMEM x NumTH thresholds, little-endian int64, the
  thresholds of one neuron consecutive.
* ``classes.txt``: one class name per line (BNN-PYNQ's files use CRLF and no final newline).

The host loads these words one by one into the accelerator's memories (``DoMemInit``). Reading
and writing are exact inverses: a folder read with its folding and written again is
byte-identical.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> params = read_params('lfcW1A1', lfc_specs('W1A1'))  # doctest: +SKIP
>>> params[3].thresholds.shape                         # doctest: +SKIP
(16, 4, 1)
"""
from __future__ import absolute_import, division, print_function

import collections
import logging
import os

import numpy as np

from hwgen.folding.base import validate_folding
from qnn.fileio import atomic_write, makedirs

__all__ = ['WORD_BYTES', 'LayerParams', 'weights_path', 'thresholds_path', 'classes_path',
           'read_words', 'write_words', 'read_thresholds_file', 'write_thresholds_file',
           'read_layer', 'read_params', 'write_layer', 'write_params', 'read_classes',
           'write_classes']

log = logging.getLogger(__name__)

#: Bytes per stored word (weights and thresholds alike).
WORD_BYTES = 8
_WEIGHT_DTYPE = np.dtype('<u8')
_THRESHOLD_DTYPE = np.dtype('<i8')


class LayerParams(collections.namedtuple('LayerParams', ['weights', 'thresholds'])):
    """Packed parameters of one layer.

    Attributes
    ----------
    weights : numpy.ndarray of uint64, shape (PE, WMEM)
    thresholds : numpy.ndarray of int64, shape (PE, TMEM, NumTH)
    """
    __slots__ = ()


def weights_path(folder, layer, pe):
    """``folder/<layer>-<pe>-weights.bin``."""
    return os.path.join(folder, '%d-%d-weights.bin' % (layer, pe))


def thresholds_path(folder, layer, pe):
    """``folder/<layer>-<pe>-thres.bin``."""
    return os.path.join(folder, '%d-%d-thres.bin' % (layer, pe))


def classes_path(folder):
    """``folder/classes.txt``."""
    return os.path.join(folder, 'classes.txt')


def _read_array(path, dtype, count):
    if not os.path.isfile(path):
        raise ValueError('parameter file %s does not exist' % path)
    size = os.path.getsize(path)
    if size % WORD_BYTES or (count is not None and size != count * WORD_BYTES):
        expected = '%d words' % count if count is not None else 'a multiple of 8 bytes'
        raise ValueError('%s has %d bytes, expected %s' % (path, size, expected))
    return np.fromfile(path, dtype=dtype)


def _write_array(path, array, dtype):
    with atomic_write(path, 'wb') as handle:
        handle.write(np.ascontiguousarray(array, dtype=dtype).tobytes())
    return path


def read_words(path, count=None):
    """Little-endian uint64 words of a weights file (exactly ``count`` of them if given)."""
    return _read_array(path, _WEIGHT_DTYPE, count).astype(np.uint64)


def write_words(path, words):
    """Write uint64 ``words`` little-endian (atomically); return ``path``."""
    return _write_array(path, np.asarray(words, dtype=np.uint64).ravel(), _WEIGHT_DTYPE)


def read_thresholds_file(path, count=None):
    """Little-endian int64 values of a thresholds file (exactly ``count`` if given)."""
    return _read_array(path, _THRESHOLD_DTYPE, count).astype(np.int64)


def write_thresholds_file(path, values):
    """Write int64 ``values`` little-endian (atomically); return ``path``."""
    return _write_array(path, np.asarray(values, dtype=np.int64).ravel(), _THRESHOLD_DTYPE)


def _n_thresholds_of(folder, layer, folding, expected):
    """NumTH from the size of PE 0's thresholds file; check it against ``expected``."""
    path = thresholds_path(folder, layer, 0)
    values = read_thresholds_file(path)
    n_thresholds, remainder = divmod(values.size, folding.tmem)
    if remainder or n_thresholds < 1:
        raise ValueError('%s holds %d thresholds, not a positive multiple of TMEM %d'
                         % (path, values.size, folding.tmem))
    if expected is not None and n_thresholds != expected:
        raise ValueError('%s holds %d thresholds per neuron (%d values / TMEM %d), expected %d'
                         % (path, n_thresholds, values.size, folding.tmem, expected))
    return n_thresholds


def read_layer(folder, layer, folding, n_thresholds=None):
    """Read the packed weights and thresholds of one layer.

    Parameters
    ----------
    folder : str
    layer : int
        Layer index (file name prefix).
    folding : Folding
        Gives PE, WMEM and TMEM.
    n_thresholds : int, optional
        Thresholds per neuron; inferred from the file size when omitted.

    Returns
    -------
    LayerParams

    Raises
    ------
    ValueError
        A file is missing or has the wrong size, or the folder holds a file for a PE beyond
        ``folding.pe`` (the folder was written with a different folding).
    """
    for extra in (weights_path(folder, layer, folding.pe),
                  thresholds_path(folder, layer, folding.pe)):
        if os.path.exists(extra):
            raise ValueError('%s exists but layer %d has only PE %d: wrong folding for %s'
                             % (extra, layer, folding.pe, folder))
    n_thresholds = _n_thresholds_of(folder, layer, folding, n_thresholds)
    weights = np.stack([read_words(weights_path(folder, layer, pe), folding.wmem)
                        for pe in range(folding.pe)])
    count = folding.tmem * n_thresholds
    thresholds = np.stack([read_thresholds_file(thresholds_path(folder, layer, pe), count)
                           for pe in range(folding.pe)])
    return LayerParams(weights, thresholds.reshape(folding.pe, folding.tmem, n_thresholds))


def read_params(folder, specs):
    """Read the packed parameters of a whole network.

    Parameters
    ----------
    folder : str
    specs : sequence of LayerSpec
        Per layer its folding, ``w_bits`` (checked against SIMD: SIMD * w_bits <= 64) and
        ``n_thresholds``, the NumTH the files must hold.

    Returns
    -------
    list of LayerParams
    """
    specs = list(specs)
    params = []
    for layer, spec in enumerate(specs):
        validate_folding(spec.folding, spec.w_bits, layer)
        params.append(read_layer(folder, layer, spec.folding, spec.n_thresholds))
    if os.path.exists(weights_path(folder, len(specs), 0)):
        log.warning('%s holds more than the %d layers read', folder, len(specs))
    return params


def write_layer(folder, layer, params):
    """Write one layer's ``<layer>-<pe>-weights.bin`` and ``-thres.bin`` files.

    Parameters
    ----------
    folder : str
        Existing folder.
    layer : int
    params : LayerParams
        Weights (PE, WMEM) and thresholds (PE, TMEM, NumTH).

    Returns
    -------
    list of str
        The files written.
    """
    weights, thresholds = np.asarray(params.weights), np.asarray(params.thresholds)
    if weights.ndim != 2 or thresholds.ndim != 3 or weights.shape[0] != thresholds.shape[0]:
        raise ValueError('layer %d: need weights (PE, WMEM) and thresholds (PE, TMEM, NumTH) '
                         'with the same PE, got %s and %s'
                         % (layer, weights.shape, thresholds.shape))
    paths = []
    for pe in range(weights.shape[0]):
        paths.append(write_words(weights_path(folder, layer, pe), weights[pe]))
        paths.append(write_thresholds_file(thresholds_path(folder, layer, pe), thresholds[pe]))
    return paths


def write_params(folder, params, classes=None):
    """Write a whole network's parameter folder (created if needed).

    Parameters
    ----------
    folder : str
    params : sequence of LayerParams
    classes : sequence of str, optional
        Class names for ``classes.txt``.

    Returns
    -------
    list of str
        The files written.
    """
    makedirs(folder)
    paths = []
    for layer, layer_params in enumerate(params):
        paths.extend(write_layer(folder, layer, layer_params))
    if classes is not None:
        paths.append(write_classes(folder, classes))
    log.info('wrote %d parameter files to %s', len(paths), folder)
    return paths


def read_classes(folder):
    """Class names from ``classes.txt`` (any line ending).

    Returns
    -------
    list of str
    """
    with open(classes_path(folder), 'rb') as handle:
        return handle.read().decode('utf-8').splitlines()


def write_classes(folder, names, newline='\r\n', final_newline=False):
    """Write ``classes.txt``; the defaults reproduce BNN-PYNQ's files byte for byte.

    Returns
    -------
    str
        The file written.
    """
    text = newline.join(u'%s' % (name,) for name in names)
    if final_newline:
        text += newline
    path = classes_path(folder)
    with atomic_write(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))
    return path
