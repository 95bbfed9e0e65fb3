"""C simulation of a generated HLS project with g++, checked against the integer model.

No Vivado is needed: the project's ``top.cpp`` and testbench ``tb.cpp`` (see :mod:`hwgen.hls`)
are compiled against finn-hlslib (commit 8b7f5f5) and the ap_types headers shipped in the
hls4ml 1.3.0 wheel (Xilinx's Apache-2.0 ``ap_int.h`` and ``hls_stream.h`` simulation model).
The testbench loads the FINN parameter files through ``doInit`` as the host driver does (or
runs with the baked ``params.h``), runs all images in one call and writes the output words;
:func:`run_csim` compares every output field with :class:`~hwgen.intmodel.IntegerModel`.

Where the headers are found (first hit wins):

* finn-hlslib: the ``finn_hlslib`` argument, ``$QNN_FINN_HLSLIB``, the ``finn-hlslib/``
  submodule of the repository, ``../finn-hlslib`` beside the repository;
* ap_types: the ``ap_types`` argument, ``$QNN_AP_TYPES``, ``third_party/ap_types`` of the
  repository (``make ap-types``, see ``mk/hls.mk``).

Files in ``<hw>/csim/``: ``input.bin`` (N x in_words little-endian 64-bit words),
``expected.bin`` (N x out_words, from the integer model), ``output.bin`` (the simulation's),
``tb`` (the binary) and ``report.json`` (:func:`csim_project`).

Examples
--------
>>> result = run_csim('OUT/hw', 'OUT/params', images=test_images[:100])  # doctest: +SKIP
>>> result.n_mismatches                                                   # doctest: +SKIP
0
"""
from __future__ import absolute_import, division, print_function

import collections
import json
import logging
import os
import subprocess
import threading
import time

import numpy as np

from hwgen.datatype import INT
from hwgen.errors import HwgenError
from hwgen.finn_files import LayerParams
from hwgen.folding import AXI_WORD_BITS
from hwgen.hls_project import HW_DIR, PARAMS_DIR, load_params, read_hls_project
from hwgen.intmodel import IntegerModel, classify_like_host
from hwgen.network import encode_input
from qnn.compat import atomic_write, makedirs
from qnn.paths import input_dir

__all__ = ['FINN_HLSLIB_ENV', 'AP_TYPES_ENV', 'CXXFLAGS', 'CsimError', 'CsimResult',
           'find_finn_hlslib', 'find_ap_types', 'encode_images', 'pack_fields',
           'unpack_fields', 'integer_model', 'expected_outputs', 'prepare_csim',
           'build_testbench', 'run_testbench', 'run_csim', 'classify_outputs', 'csim_project']

log = logging.getLogger(__name__)

FINN_HLSLIB_ENV = 'QNN_FINN_HLSLIB'
AP_TYPES_ENV = 'QNN_AP_TYPES'
#: g++ flags of the C simulation (finn-hlslib needs C++11; -w hides its HLS pragma warnings).
CXXFLAGS = ('-std=c++14', '-O2', '-w')

_REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_FINN_HLSLIB_FILES = ('bnn-library.h', 'fclayer.h', 'mvau.hpp', 'weights.hpp', 'activations.hpp')
_AP_TYPES_FILES = ('ap_int.h', 'hls_stream.h')


class CsimError(HwgenError):
    """The testbench did not compile or did not run."""


class CsimResult(collections.namedtuple('CsimResult', [
        'n_images', 'outputs', 'expected', 'mismatched_images', 'binary', 'seconds'])):
    """Outcome of :func:`run_csim`.

    Attributes
    ----------
    n_images : int
    outputs, expected : numpy.ndarray of int64, shape (N, padded outputs)
        Output values of the simulation and of the integer model: raw fields of the thresholded
        last layer, or the signed scores of a scores layer (padding included).
    mismatched_images : numpy.ndarray of int64
        Indices of the images whose outputs differ anywhere.
    binary : str
        The compiled testbench.
    seconds : dict
        ``'build'`` and ``'run'`` wall times.
    """
    __slots__ = ()

    @property
    def n_mismatches(self):
        return int(len(self.mismatched_images))

    @property
    def passed(self):
        return self.n_mismatches == 0


def _has_files(folder, names):
    return bool(folder) and all(os.path.isfile(os.path.join(folder, n)) for n in names)


def _find(explicit, env, candidates, names, what):
    if explicit is not None:
        if not _has_files(explicit, names):
            raise HwgenError('%s %s lacks one of %s' % (what, explicit, ', '.join(names)))
        return os.path.abspath(explicit)
    if os.environ.get(env):
        if not _has_files(os.environ[env], names):
            raise HwgenError('$%s=%s lacks one of %s' % (env, os.environ[env], ', '.join(names)))
        return os.path.abspath(os.environ[env])
    for candidate in candidates:
        if _has_files(candidate, names):
            return os.path.abspath(candidate)
    return None


def find_finn_hlslib(path=None):
    """The finn-hlslib checkout (8b7f5f5 layout, with ``fclayer.h``), or None if none is found.

    Raises
    ------
    HwgenError
        ``path`` or ``$QNN_FINN_HLSLIB`` is given but is no such checkout.
    """
    return _find(path, FINN_HLSLIB_ENV,
                 [os.path.join(_REPO, 'finn-hlslib'),
                  os.path.join(os.path.dirname(_REPO), 'finn-hlslib')],
                 _FINN_HLSLIB_FILES, 'finn-hlslib folder')


def find_ap_types(path=None):
    """The ap_types folder (``ap_int.h``, ``hls_stream.h``), or None if none is found.

    Raises
    ------
    HwgenError
        ``path`` or ``$QNN_AP_TYPES`` is given but holds no ap_types.
    """
    return _find(path, AP_TYPES_ENV, [os.path.join(_REPO, 'third_party', 'ap_types')],
                 _AP_TYPES_FILES, 'ap_types folder')


def encode_images(images, network):
    """MNIST pixels -> input fields of the first layer (see :func:`hwgen.network.encode_input`).

    Raises
    ------
    HwgenError
        An input encoding other than bipolar bits or unsigned 8-bit pixels (pass input fields
        to :func:`run_csim` instead).
    """
    if network.in_bits == 1 and network.in_signed:
        return encode_input(images, binarize_input=True)
    if network.in_bits == 8 and not network.in_signed:
        return encode_input(images, binarize_input=False)
    raise HwgenError('no pixel encoding for %d-bit %s inputs; pass in_fields'
                     % (network.in_bits, 'signed' if network.in_signed else 'unsigned'))


def pack_fields(fields, bits):
    """(N, n) raw fields -> (N, n * bits / 64) uint64 words, one LSB-first bit stream per row.

    Examples
    --------
    >>> [hex(int(w)) for w in pack_fields(np.array([[1, 2, 3] + [0] * 61]), 1)[0]]
    ['0x5']
    """
    fields = np.asarray(fields).astype(np.uint64)
    n_rows, n_fields = fields.shape
    if (n_fields * bits) % AXI_WORD_BITS:
        raise HwgenError('%d fields of %d bits do not fill whole %d-bit words'
                         % (n_fields, bits, AXI_WORD_BITS))
    n_words = n_fields * bits // AXI_WORD_BITS
    if AXI_WORD_BITS % bits == 0:
        lanes = AXI_WORD_BITS // bits
        shifts = (np.arange(lanes, dtype=np.uint64) * np.uint64(bits))
        grouped = fields.reshape(n_rows, n_words, lanes) & np.uint64(2 ** bits - 1)
        return np.bitwise_or.reduce(grouped << shifts, axis=2)
    stream = (fields[:, :, None] >> np.arange(bits, dtype=np.uint64)) & np.uint64(1)
    stream = stream.reshape(n_rows, n_words, AXI_WORD_BITS)
    return np.bitwise_or.reduce(stream << np.arange(AXI_WORD_BITS, dtype=np.uint64), axis=2)


def unpack_fields(words, bits, signed=False):
    """(N, words) uint64 -> (N, words * 64 / bits) int64 fields; inverse of :func:`pack_fields`.

    Examples
    --------
    >>> unpack_fields(np.array([[0xfffe]], dtype=np.uint64), 16, signed=True)[0, :2].tolist()
    [-2, 0]
    """
    words = np.asarray(words, dtype=np.uint64)
    n_rows, n_words = words.shape
    if (n_words * AXI_WORD_BITS) % bits:
        raise HwgenError('%d words do not hold whole %d-bit fields' % (n_words, bits))
    bit_stream = (words[:, :, None] >> np.arange(AXI_WORD_BITS, dtype=np.uint64)) & np.uint64(1)
    bit_stream = bit_stream.reshape(n_rows, -1, bits).astype(np.int64)
    fields = (bit_stream << np.arange(bits, dtype=np.int64)).sum(axis=2)
    if signed:
        fields = INT(bits).decode(fields)
    return fields


def integer_model(network, params):
    """The :class:`~hwgen.intmodel.IntegerModel` of ``network`` with packed ``params``.

    A scores layer gets all-zero thresholds: only its accumulators are compared.
    """
    layers = []
    for layer, layer_params in zip(network.layers, params):
        if layer.scores:
            f = layer.spec.folding
            layer_params = LayerParams(layer_params.weights,
                                       np.zeros((f.pe, f.tmem, layer.spec.n_thresholds),
                                                dtype=np.int64))
        layers.append(layer_params)
    return IntegerModel.from_packed(network.specs, layers)


def expected_outputs(network, model, in_fields, batch_size=500):
    """Output values of every padded output (N, padded MH): raw fields or signed accumulators."""
    outputs = []
    for start in range(0, len(in_fields), batch_size):
        fields, acc = model.trace(in_fields[start:start + batch_size])[-1]
        outputs.append(acc if network.layers[-1].scores else fields.astype(np.int64))
    return np.concatenate(outputs)


def _write_words(path, words):
    with atomic_write(path, 'wb') as handle:
        handle.write(np.ascontiguousarray(words, dtype='<u8').tobytes())
    return path


def _project_params_dir(hw_dir, project, params_dir):
    if params_dir is not None:
        return params_dir
    if project.get('params_dir'):
        return os.path.normpath(os.path.join(hw_dir, project['params_dir']))
    return None


def prepare_csim(hw_dir, params_dir=None, images=None, in_fields=None, work_dir=None):
    """Write ``input.bin`` and ``expected.bin`` for the testbench (g++ or Vivado's csim).

    Parameters
    ----------
    hw_dir : str
        Project folder written by :func:`~hwgen.hls_project.write_hls_project`.
    params_dir : str, optional
        FINN parameter folder; default the one recorded in the project.
    images : array_like of uint8, shape (N, 28, 28) or (N, 784), optional
        MNIST pixels, encoded by :func:`encode_images`.
    in_fields : array_like of int, shape (N, MW) or (N, padded MW), optional
        Raw input fields instead of ``images``.
    work_dir : str, optional
        Default ``<hw_dir>/csim``.

    Returns
    -------
    dict
        ``'input'``, ``'expected'`` (paths), ``'n_images'``, ``'expected_values'`` (N, padded
        outputs), ``'params_dir'``, ``'network'``, ``'project'``.
    """
    network, project = read_hls_project(hw_dir)
    params_dir = _project_params_dir(hw_dir, project, params_dir)
    if params_dir is None:
        raise HwgenError('%s records no parameter folder: pass params_dir' % hw_dir)
    if (images is None) == (in_fields is None):
        raise HwgenError('pass exactly one of images and in_fields')
    if in_fields is None:
        in_fields = encode_images(images, network)
    model = integer_model(network, load_params(params_dir, network))
    padded = model.pad_input(in_fields)
    if len(padded) == 0:
        raise HwgenError('no input images (shape %s)' % (np.shape(in_fields),))
    expected = expected_outputs(network, model, padded)
    work_dir = work_dir or os.path.join(hw_dir, 'csim')
    makedirs(work_dir)
    mask = 2 ** network.out_bits - 1
    paths = {'input': _write_words(os.path.join(work_dir, 'input.bin'),
                                   pack_fields(padded, network.in_bits)),
             'expected': _write_words(os.path.join(work_dir, 'expected.bin'),
                                      pack_fields(expected & mask, network.out_bits))}
    paths.update(n_images=len(padded), expected_values=expected, params_dir=params_dir,
                 network=network, project=project)
    return paths


def _run(command, timeout, cwd=None):
    """Run ``command``; return (exit status, combined output). Kills it after ``timeout`` s."""
    log.info('running %s', ' '.join(command))
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   cwd=cwd)
    except OSError as error:
        raise CsimError('cannot run %s: %s' % (command[0], error))
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        output = process.communicate()[0]
    finally:
        timed_out = not timer.is_alive()
        timer.cancel()
    text = output.decode('utf-8', 'replace')
    if timed_out and process.returncode != 0:
        raise CsimError('%s timed out after %d s:\n%s' % (command[0], timeout, text[-2000:]))
    return process.returncode, text


def _toolchain(finn_hlslib=None, ap_types=None):
    """The finn-hlslib and ap_types folders, found before any work is done (HwgenError)."""
    finn_dir = find_finn_hlslib(finn_hlslib)
    if finn_dir is None:
        raise HwgenError('finn-hlslib (commit 8b7f5f5) not found: pass its folder or set $%s'
                         % FINN_HLSLIB_ENV)
    ap_dir = find_ap_types(ap_types)
    if ap_dir is None:
        raise HwgenError('ap_types not found: run `make ap-types` or set $%s' % AP_TYPES_ENV)
    return finn_dir, ap_dir


def build_testbench(hw_dir, finn_hlslib=None, ap_types=None, binary=None, cxx='g++',
                    cxxflags=CXXFLAGS, timeout=600):
    """Compile ``top.cpp`` and ``tb.cpp`` of ``hw_dir`` into a testbench binary.

    Returns
    -------
    str
        The binary (default ``<hw_dir>/csim/tb``).

    Raises
    ------
    HwgenError
        finn-hlslib or ap_types not found (see the module docstring).
    CsimError
        The compiler failed (its output is in the message).
    """
    finn_dir, ap_dir = _toolchain(finn_hlslib, ap_types)
    hw_dir = os.path.abspath(hw_dir)
    binary = os.path.abspath(binary or os.path.join(hw_dir, 'csim', 'tb'))
    makedirs(os.path.dirname(binary))
    command = ([cxx] + list(cxxflags) + ['-I' + ap_dir, '-I' + finn_dir, '-I' + hw_dir,
               os.path.join(hw_dir, 'top.cpp'), os.path.join(hw_dir, 'tb.cpp'), '-o', binary])
    status, output = _run(command, timeout)
    if status != 0:
        raise CsimError('compiling the testbench of %s failed (exit %d):\n%s'
                        % (hw_dir, status, output[-4000:]))
    return binary


def run_testbench(binary, params_dir, input_path, n_images, output_path, expected_path=None,
                  timeout=3600):
    """Run a testbench binary; return its output text.

    ``params_dir`` None runs with the memories as compiled in (baked parameters).

    Raises
    ------
    CsimError
        The testbench failed (exit 1 means outputs differ from ``expected_path``).
    """
    command = [binary, params_dir if params_dir is not None else '-', input_path,
               str(int(n_images)), output_path]
    if expected_path is not None:
        command.append(expected_path)
    status, output = _run(command, timeout)
    if status not in (0, 1):
        raise CsimError('testbench %s failed (exit %d):\n%s' % (binary, status, output[-4000:]))
    return output


def _read_words(path, n_rows, n_words):
    data = np.fromfile(path, dtype='<u8').astype(np.uint64)
    if data.size != n_rows * n_words:
        raise CsimError('%s holds %d words, expected %d x %d' % (path, data.size, n_rows,
                                                                 n_words))
    return data.reshape(n_rows, n_words)


def run_csim(hw_dir, params_dir=None, finn_hlslib=None, ap_types=None, images=None,
             in_fields=None, work_dir=None, cxx='g++', timeout=None):
    """Build and run the C simulation of ``hw_dir``; compare it with the integer model.

    Parameters
    ----------
    hw_dir : str
        Project folder (:func:`~hwgen.hls_project.write_hls_project`).
    params_dir : str, optional
        FINN parameter folder; default the one recorded in the project. Baked projects still
        need it for the integer model but run the testbench without loading it.
    finn_hlslib, ap_types : str, optional
        Header folders, see :func:`find_finn_hlslib` and :func:`find_ap_types`.
    images, in_fields : array_like
        MNIST pixels or raw input fields (exactly one).
    work_dir : str, optional
        Default ``<hw_dir>/csim``.
    cxx : str
        C++ compiler.
    timeout : float, optional
        Seconds for the simulation run; default one hour plus one second per image (the
        multi-bit LFC networks simulate at about 0.1 s per image on one core).

    Returns
    -------
    CsimResult
    """
    prepared = prepare_csim(hw_dir, params_dir, images, in_fields, work_dir)
    network, project = prepared['network'], prepared['project']
    work_dir = os.path.dirname(prepared['input'])
    started = time.time()
    binary = build_testbench(hw_dir, finn_hlslib, ap_types, os.path.join(work_dir, 'tb'), cxx)
    built = time.time()
    output_path = os.path.join(work_dir, 'output.bin')
    if os.path.exists(output_path):
        os.remove(output_path)
    text = run_testbench(binary, None if project['baked_params'] else prepared['params_dir'],
                         prepared['input'], prepared['n_images'], output_path,
                         prepared['expected'],
                         3600 + prepared['n_images'] if timeout is None else timeout)
    finished = time.time()
    log.info('%s', text.strip())
    words = _read_words(output_path, prepared['n_images'], network.out_words)
    outputs = unpack_fields(words, network.out_bits, signed=network.layers[-1].scores)
    expected = prepared['expected_values']
    mismatched = np.flatnonzero((outputs != expected).any(axis=1)).astype(np.int64)
    if mismatched.size:
        log.warning('C simulation of %s: %d of %d images differ from the integer model, the '
                    'first is image %d', hw_dir, mismatched.size, len(outputs), mismatched[0])
    return CsimResult(len(outputs), outputs, expected, mismatched, binary,
                      {'build': built - started, 'run': finished - built})


def classify_outputs(network, outputs):
    """Classes from simulated outputs: host decoding of 1-bit outputs, else the argmax.

    For a scores layer this is the argmax of the raw accumulators (any per-class affine
    BatchNorm of the trained model is not applied).
    """
    real = outputs[:, :network.layers[-1].spec.folding.mh]
    if network.layers[-1].scores or network.out_bits > 1:
        return np.argmax(real, axis=1)
    return classify_like_host(real)


def csim_project(out_dir, n_images=100, finn_hlslib=None, ap_types=None, data_dir=None,
                 offset=0, cxx='g++'):
    """``qnn hwgen csim OUT``: C-simulate ``OUT/hw`` on MNIST test images.

    Parameters
    ----------
    out_dir : str
        Folder with ``hw/`` (:func:`~hwgen.hls_project.write_hls_project`) and ``params/``.
    n_images : int
        Test images ``offset .. offset + n_images - 1``.
    finn_hlslib, ap_types : str, optional
        Header folders (see the module docstring).
    data_dir : str, optional
        MNIST folder (see :func:`qnn.data.mnist.resolve_data_dir`).

    Returns
    -------
    dict
        The summary also written to ``OUT/hw/csim/report.json``: ``n_images``,
        ``n_mismatches``, ``mismatched_images`` (first 100), ``passed``, ``accuracy`` (of the
        simulated outputs against the labels), ``seconds``.
    """
    from hwgen.export import verify_export
    from qnn.data.mnist import load_subset
    input_dir(out_dir, 'export folder')
    hw_dir = os.path.join(out_dir, HW_DIR)
    network, project = read_hls_project(hw_dir)
    verify_export(out_dir)
    params_dir = (_project_params_dir(hw_dir, project, None)
                  or os.path.join(out_dir, PARAMS_DIR))
    images, labels = load_subset('test', data_dir)
    if n_images < 1 or offset < 0 or offset + n_images > len(images):
        raise HwgenError('images %d..%d are outside the %d test images'
                         % (offset, offset + n_images - 1, len(images)))
    _toolchain(finn_hlslib, ap_types)  # before any file is written
    images, labels = images[offset:offset + n_images], labels[offset:offset + n_images]
    result = run_csim(hw_dir, params_dir, finn_hlslib, ap_types, images=images, cxx=cxx)
    predicted = classify_outputs(network, result.outputs)
    report = {'n_images': result.n_images, 'offset': offset,
              'n_mismatches': result.n_mismatches, 'passed': result.passed,
              'mismatched_images': [int(i) + offset for i in result.mismatched_images[:100]],
              'accuracy': float(np.mean(predicted == labels)),
              'seconds': {k: round(v, 3) for k, v in result.seconds.items()}}
    path = os.path.join(hw_dir, 'csim', 'report.json')
    with atomic_write(path, 'wb') as handle:
        handle.write((json.dumps(report, indent=1, sort_keys=True) + '\n').encode('utf-8'))
    log.info('C simulation of %s on %d images: %d mismatches, accuracy %.4f', hw_dir,
             result.n_images, result.n_mismatches, report['accuracy'])
    return report
