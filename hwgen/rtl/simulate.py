"""Verilator simulation of a generated design against the integer model, image by image.

:func:`simulate` streams images through the design of an RTL folder
(:func:`~hwgen.rtl.writer.write_rtl`) and compares every output field -- the thresholded
last layer's codes, or its class scores -- with :class:`~hwgen.intmodel.IntegerModel`. The
same run measures per image the **latency**, the cycles from the handshake of its first input
word to that of its last output word, and the **initiation interval**, the cycles between the
last output words of consecutive images while images stream back to back.

Files in ``<rtl>/sim/``: ``input.bin`` (N x in_words little-endian 64-bit words),
``output.bin`` (N x out_words) and ``timing.txt`` (first input and last output cycle per
image). The testbench binary lives in the build cache (:mod:`hwgen.rtl.verilator`).
"""
from __future__ import absolute_import, division, print_function

import collections
import logging
import os
import time

import numpy as np

from hwgen.rtl.ir import ComparedToModel, HwgenError, images_to_fields, pack_fields, \
    unpack_fields, with_last_layer
from hwgen.rtl.verilator import RtlSimError, build_simulation, run_simulation
from hwgen.rtl.writer import read_rtl
from qnn.fileio import atomic_write, makedirs

__all__ = ['RtlSimResult', 'expected_outputs', 'simulate']

log = logging.getLogger(__name__)


class RtlSimResult(ComparedToModel, collections.namedtuple('RtlSimResult', [
        'n_images', 'outputs', 'expected', 'mismatched_images', 'first_in', 'last_out',
        'binary', 'seconds'])):
    """Outcome of :func:`simulate`.

    Attributes
    ----------
    n_images : int
    outputs, expected : numpy.ndarray of int64, shape (N, padded outputs)
        Output values of the simulation and of the integer model (raw fields, or signed class
        scores).
    mismatched_images : numpy.ndarray of int64
        Indices of the images whose outputs differ anywhere.
    first_in, last_out : numpy.ndarray of int64, shape (N,)
        Cycle of each image's first input word and of its last output word.
    binary : str
        The testbench (reusable for this folder: :func:`simulate` ``binary=``).
    seconds : dict
        ``'build'`` and ``'run'`` wall times.
    """
    __slots__ = ()

    @property
    def latencies(self):
        """Cycles from each image's first input word to its last output word."""
        return self.last_out - self.first_in

    @property
    def latency(self):
        """The first image's latency: through an empty pipeline."""
        return int(self.latencies[0])

    @property
    def interval(self):
        """Median cycles between consecutive images' last output words (None for one image)."""
        if self.n_images < 2:
            return None
        return int(np.median(np.diff(self.last_out)))

    def summary(self):
        """The JSON record of the run."""
        return {'n_images': self.n_images, 'n_mismatches': self.n_mismatches,
                'passed': self.passed,
                'mismatched_images': [int(i) for i in self.mismatched_images[:100]],
                'latency_cycles': self.latency, 'max_latency_cycles': int(self.latencies.max()),
                'interval_cycles': self.interval,
                'seconds': dict((k, round(v, 3)) for k, v in self.seconds.items())}


def expected_outputs(model, padded_fields, scores, batch_size=500):
    """The integer model's last-layer outputs (N, padded MH): raw fields, or accumulators if
    ``scores``."""
    outputs = []
    for start in range(0, len(padded_fields), batch_size):
        fields, acc = model.trace(padded_fields[start:start + batch_size])[-1]
        outputs.append(acc if scores else fields.astype(np.int64))
    return np.concatenate(outputs)


def _check_model(record, specs, model):
    mine = [s.to_dict() for s in with_last_layer(model.specs, record['last_layer'])]
    if mine != [s.to_dict() for s in specs]:
        raise HwgenError('the integer model is not the network the RTL folder was written for')


def _input_fields(model, specs, images, in_fields):
    if (images is None) == (in_fields is None):
        raise HwgenError('pass exactly one of images and in_fields')
    if in_fields is None:
        in_fields = images_to_fields(images, specs[0])
    padded = model.pad_input(in_fields)
    if len(padded) == 0:
        raise HwgenError('no input images (shape %s)' % (np.shape(in_fields),))
    return padded


def _write_words(path, words):
    with atomic_write(path, 'wb') as handle:
        handle.write(np.ascontiguousarray(words, dtype='<u8').tobytes())
    return path


def simulate(rtl_dir, model, images=None, in_fields=None, binary=None, verilator=None,
             jobs=2):
    """Simulate the design of ``rtl_dir`` with Verilator and compare it with ``model``.

    Parameters
    ----------
    rtl_dir : str
        A folder written by :func:`~hwgen.rtl.writer.write_rtl`.
    model : IntegerModel
        The network it was written from (checked against its record).
    images, in_fields : array_like
        MNIST pixels (N, 28, 28) or raw first-layer input fields (N, MW); exactly one.
    binary : str, optional
        A testbench already built for this folder; default build it
        (:func:`~hwgen.rtl.verilator.build_simulation`).
    verilator : str, optional
        The Verilator executable.
    jobs : int
        Parallel compile jobs.

    Returns
    -------
    RtlSimResult

    Raises
    ------
    HwgenError
        A folder of another network, no images.
    RtlSimError
        Verilator is missing or failed, or the design stalled.
    """
    record, specs = read_rtl(rtl_dir)
    _check_model(record, specs, model)
    padded = _input_fields(model, specs, images, in_fields)
    io_, n_images = record['io'], len(padded)
    work_dir = makedirs(os.path.join(rtl_dir, 'sim'))
    paths = dict((name, os.path.join(work_dir, name))
                 for name in ('input.bin', 'output.bin', 'timing.txt'))
    _write_words(paths['input.bin'], pack_fields(padded, io_['in_bits']))
    started = time.time()
    binary = binary or build_simulation(rtl_dir, record['top'], verilator=verilator, jobs=jobs)
    built = time.time()
    per_image = record['cycles'] + io_['in_words'] + io_['out_words']
    text = run_simulation(binary, rtl_dir, paths['input.bin'], n_images, io_['in_words'],
                          io_['out_words'], paths['output.bin'], paths['timing.txt'],
                          max_cycles=4 * (n_images + 8) * per_image + 100000)
    finished = time.time()
    log.info('%s', text.strip())
    words = np.fromfile(paths['output.bin'], '<u8')
    if words.size != n_images * io_['out_words']:
        raise RtlSimError('%s holds %d words, expected %d' % (paths['output.bin'], words.size,
                                                              n_images * io_['out_words']))
    outputs = unpack_fields(words.reshape(n_images, io_['out_words']), io_['out_bits'],
                            signed=io_['out_signed'])
    expected = expected_outputs(model, padded, io_['out_signed'])
    mismatched = np.flatnonzero((outputs != expected).any(axis=1)).astype(np.int64)
    if mismatched.size:
        log.warning('Verilator simulation of %s: %d of %d images differ from the integer '
                    'model, the first is image %d', rtl_dir, mismatched.size, n_images,
                    mismatched[0])
    timing = np.loadtxt(paths['timing.txt'], dtype=np.int64, ndmin=2)
    return RtlSimResult(n_images, outputs, expected, mismatched, timing[:, 0], timing[:, 1],
                        binary, {'build': built - started, 'run': finished - built})
