"""Reading an exported folder (or a bare BNN-PYNQ parameter folder) back as an integer model.

:func:`load_folder` rebuilds the integer model from such a folder alone (a bare BNN-PYNQ
parameter folder needs its precisions), :func:`verify_export` checks an export's files against
its manifest, :func:`evaluate_folder` measures the model's MNIST test accuracy and
:func:`csim_project` C-simulates the export's HLS project on MNIST test images.
"""
from __future__ import absolute_import, division, print_function

import json
import logging
import os

import numpy as np

from hwgen.errors import HwgenError
from hwgen.finn.files import read_params
from hwgen.finn.thresholds import ScoreMap
from hwgen.folding.base import LFC_SIZES
from hwgen.hls.csim import classify_outputs, run_csim
from hwgen.hls.project import HW_DIR, PARAMS_DIR, project_params_dir, read_hls_project
from hwgen.hls.toolchain import find_toolchain
from hwgen.intmodel import IntegerModel
from hwgen.layerspec import THRESHOLD_BITS, LayerSpec, validate_network
from hwgen.network import network_specs
from hwgen.trained.export import MANIFEST, ExportError, read_manifest
from hwgen.trained.network import IntegerClassifier
from qnn import runs
from qnn.fileio import atomic_write, file_sha256
from qnn.paths import contained_path, input_dir

__all__ = ['verify_export', 'load_folder', 'evaluate_folder', 'csim_project']

log = logging.getLogger(__name__)


def _find_manifest(folder):
    """``(out_dir, manifest)`` if ``folder`` is an export or its params folder, else None."""
    for out_dir in (folder, os.path.dirname(os.path.abspath(folder))):
        if os.path.isfile(os.path.join(out_dir, MANIFEST)):
            manifest = read_manifest(out_dir)
            params = os.path.join(out_dir, manifest['params_dir'])
            if out_dir == folder or os.path.samefile(params, folder):
                return out_dir, manifest
    return None


def verify_export(out_dir):
    """Check every file an export's manifest lists against its SHA-256 (ExportError if not).

    Folders without ``manifest.json`` (an HLS project written on its own) are not checked.
    """
    if os.path.isfile(os.path.join(out_dir, MANIFEST)):
        _check_hashes(out_dir, read_manifest(out_dir))


def _check_hashes(out_dir, manifest):
    for relative, expected in sorted(manifest['files'].items()):
        path = contained_path(out_dir, relative)
        if not os.path.isfile(path):
            raise ExportError('%s lists %s, which is missing' % (MANIFEST, path))
        actual = file_sha256(path)
        if actual != expected:
            raise ExportError('%s has SHA-256 %s, the manifest says %s' % (path, actual,
                                                                          expected))


def _check_agrees(manifest, wbits, abits, binarize_input):
    network = manifest['network']
    asked = {'wbits': wbits, 'abits': abits, 'binarize_input': binarize_input}
    wrong = ['%s=%r (the manifest says %r)' % (key, value, network[key])
             for key, value in sorted(asked.items())
             if value is not None and value != network[key]]
    if wrong:
        raise ExportError('the folder does not hold what was asked: %s' % ', '.join(wrong))


def _load_exported(out_dir, manifest, verify):
    if verify:
        _check_hashes(out_dir, manifest)
    n_layers = len(manifest['layers'])
    specs = validate_network([LayerSpec.from_dict(entry, entry['index'], n_layers)
                              for entry in manifest['layers']])
    params_dir = os.path.join(out_dir, manifest['params_dir'])
    model = _model_from_files(params_dir, specs)
    scores = runs.read_json(os.path.join(out_dir, *manifest['scores']['file'].split('/')))
    score_map = ScoreMap(np.asarray(scores['scale'], dtype=np.float64),
                         np.asarray(scores['offset'], dtype=np.float64))
    return IntegerClassifier(model, score_map, manifest['network']['binarize_input'], manifest)


def _model_from_files(folder, specs):
    try:
        params = read_params(folder, specs)
    except ValueError as error:
        raise ExportError('cannot read the parameter folder %s: %s' % (folder, error))
    return IntegerModel.from_packed(specs, params)


def load_folder(folder, wbits=None, abits=None, binarize_input=None, folding=None,
                verify=True):
    """The integer model of an exported folder or of a bare BNN-PYNQ parameter folder.

    Parameters
    ----------
    folder : str
        An export (with ``manifest.json``), its ``params`` folder, or a bare parameter folder.
    wbits, abits : int, optional
        Required for a bare folder; for an export they must match the manifest.
    binarize_input : bool, optional
        For a bare folder default True (BNN-PYNQ's LFC reads binarized pixels); for an export
        it must match the manifest.
    folding : optional
        Folding of a bare folder (see :func:`~hwgen.folding.resolve.resolve_folding`); default
        the default folding of the LFC sizes for these precisions (BNN-PYNQ's LFC folding for
        W1A1 and W1A2).
    verify : bool
        Check the SHA-256 of an export's files against its manifest.

    Returns
    -------
    hwgen.trained.network.IntegerClassifier
    """
    if not os.path.isdir(folder):
        raise ExportError('%s is not a folder' % folder)
    for name, bits in (('--wbits', wbits), ('--abits', abits)):
        if bits is not None and not 1 <= bits <= 8:
            raise ExportError('%s must be in 1..8, got %d' % (name, bits))
    found = _find_manifest(folder)
    if found is not None:
        _check_agrees(found[1], wbits, abits, binarize_input)
        return _load_exported(found[0], found[1], verify)
    if wbits is None or abits is None:
        raise ExportError('%s has no %s: give the precisions (--wbits, --abits) of this bare '
                          'parameter folder' % (folder, MANIFEST))
    binarize_input = True if binarize_input is None else binarize_input
    # the default is the one `qnn hwgen` exports with; a given folding need not stream in HLS;
    # BNN-PYNQ's accumulators and thresholds are ap_int<16>
    specs = validate_network(network_specs(
        LFC_SIZES, wbits, abits, binarize_input, folding,
        rules='streams' if folding is None else 'packing',
        acc_bits=[THRESHOLD_BITS] * (len(LFC_SIZES) - 1)))
    return IntegerClassifier(_model_from_files(folder, specs), None, binarize_input)


def evaluate_folder(folder, data_dir=None, batch_size=1000, **kwargs):
    """MNIST test accuracy of the integer model of a parameter folder.

    Parameters
    ----------
    folder : str
    data_dir : str, optional
        MNIST folder (see :func:`qnn.data.mnist.resolve_data_dir`).
    **kwargs
        See :func:`load_folder`.

    Returns
    -------
    (float, int)
        Accuracy in [0, 1] and the number of test images.
    """
    from qnn.data.mnist import load_subset
    loaded = load_folder(folder, **kwargs)
    images, labels = load_subset('test', data_dir)
    predicted = loaded.classify(images, batch_size)
    return float(np.mean(predicted == labels)), len(labels)


def csim_project(out_dir, n_images=100, finn_hlslib=None, ap_types=None, data_dir=None,
                 offset=0, cxx='g++'):
    """``qnn hwgen csim OUT``: C-simulate ``OUT/hw`` on MNIST test images.

    Parameters
    ----------
    out_dir : str
        Folder with ``hw/`` (:func:`~hwgen.hls.project.write_hls_project`) and ``params/``.
    n_images : int
        Test images ``offset .. offset + n_images - 1``.
    finn_hlslib, ap_types : str, optional
        Header folders (see :mod:`hwgen.hls.csim`).
    data_dir : str, optional
        MNIST folder (see :func:`qnn.data.mnist.resolve_data_dir`).

    Returns
    -------
    dict
        The summary also written to ``OUT/hw/csim/report.json``: ``n_images``,
        ``n_mismatches``, ``mismatched_images`` (first 100), ``passed``, ``accuracy`` (of the
        simulated outputs against the labels), ``seconds``.
    """
    from qnn.data.mnist import load_subset
    input_dir(out_dir, 'export folder')
    hw_dir = os.path.join(out_dir, HW_DIR)
    network, project = read_hls_project(hw_dir)
    verify_export(out_dir)
    params_dir = (project_params_dir(hw_dir, project)
                  or os.path.join(out_dir, PARAMS_DIR))
    images, labels = load_subset('test', data_dir)
    if n_images < 1 or offset < 0 or offset + n_images > len(images):
        raise HwgenError('images %d..%d are outside the %d test images'
                         % (offset, offset + n_images - 1, len(images)))
    find_toolchain(finn_hlslib, ap_types)  # before any file is written
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
