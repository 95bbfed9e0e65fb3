"""C simulation of a generated HLS project with g++, checked against the integer model.

No Vivado is needed: the project's ``top.cpp`` and testbench ``tb.cpp`` (see
:mod:`hwgen.hls.project`) are compiled (:mod:`hwgen.hls.toolchain`) against finn-hlslib
(commit 8b7f5f5) and the ap_types headers shipped in the hls4ml 1.3.0 wheel (Xilinx's
Apache-2.0 ``ap_int.h`` and ``hls_stream.h`` simulation model).
The testbench loads the FINN parameter files through ``doInit`` as the host driver does (or
runs with the baked ``params.h``), runs all images in one call and writes the output words;
:func:`run_csim` compares every output field with :class:`~hwgen.intmodel.IntegerModel`.

Files in ``<hw>/csim/``: ``input.bin`` (N x in_words little-endian 64-bit words),
``expected.bin`` (N x out_words, from the integer model), ``output.bin`` (the simulation's),
``tb`` (the binary) and ``report.json`` (:func:`hwgen.trained.readback.csim_project`).

Examples
--------
>>> result = run_csim('OUT/hw', 'OUT/params', images=test_images[:100])  # doctest: +SKIP
>>> result.n_mismatches                                                   # doctest: +SKIP
0
"""
from __future__ import absolute_import, division, print_function

import collections
import logging
import os
import time

import numpy as np

from hwgen.datatype import UINT
from hwgen.errors import HwgenError
from hwgen.finn.files import LayerParams, read_words, write_words
from hwgen.finn.packing import pack_fields, unpack_fields
from hwgen.hls.project import load_params, project_params_dir, read_hls_project
from hwgen.hls.toolchain import CsimError, build_testbench, run_testbench
from hwgen.intmodel import ComparedToModel, IntegerModel, classify_like_host
from hwgen.network import pixel_fields
from qnn.fileio import makedirs

__all__ = ['CsimResult', 'encode_images', 'integer_model', 'expected_outputs', 'prepare_csim',
           'run_csim', 'classify_outputs']

log = logging.getLogger(__name__)


class CsimResult(ComparedToModel, collections.namedtuple('CsimResult', [
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


def encode_images(images, network):
    """MNIST pixels -> input fields of the first layer of ``network``
    (:func:`hwgen.network.pixel_fields`; other encodings: pass in_fields to :func:`run_csim`)."""
    return pixel_fields(images, network.in_bits, network.in_signed)


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


def prepare_csim(hw_dir, params_dir=None, images=None, in_fields=None, work_dir=None):
    """Write ``input.bin`` and ``expected.bin`` for the testbench (g++ or Vivado's csim).

    Parameters
    ----------
    hw_dir : str
        Project folder written by :func:`~hwgen.hls.project.write_hls_project`.
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
    params_dir = project_params_dir(hw_dir, project, params_dir)
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
    mask = UINT(network.out_bits).mask
    paths = {'input': write_words(os.path.join(work_dir, 'input.bin'),
                                   pack_fields(padded, network.in_bits)),
             'expected': write_words(os.path.join(work_dir, 'expected.bin'),
                                      pack_fields(expected & mask, network.out_bits))}
    paths.update(n_images=len(padded), expected_values=expected, params_dir=params_dir,
                 network=network, project=project)
    return paths


def _read_outputs(path, n_rows, n_words):
    try:
        return read_words(path, n_rows * n_words).reshape(n_rows, n_words)
    except ValueError as error:
        raise CsimError('the simulation output is unreadable: %s' % error)


def run_csim(hw_dir, params_dir=None, finn_hlslib=None, ap_types=None, images=None,
             in_fields=None, work_dir=None, cxx='g++', timeout=None):
    """Build and run the C simulation of ``hw_dir``; compare it with the integer model.

    Parameters
    ----------
    hw_dir : str
        Project folder (:func:`~hwgen.hls.project.write_hls_project`).
    params_dir : str, optional
        FINN parameter folder; default the one recorded in the project. Baked projects still
        need it for the integer model but run the testbench without loading it.
    finn_hlslib, ap_types : str, optional
        Header folders, see :func:`~hwgen.hls.toolchain.find_finn_hlslib` and
        :func:`~hwgen.hls.toolchain.find_ap_types`.
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
    words = _read_outputs(output_path, prepared['n_images'], network.out_words)
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
