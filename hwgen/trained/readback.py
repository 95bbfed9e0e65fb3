"""Reading an exported folder (or a bare BNN-PYNQ parameter folder) back as an integer model.

:func:`load_folder` rebuilds the integer model from such a folder alone (a bare BNN-PYNQ
parameter folder needs its precisions), :func:`verify_export` checks an export's files against
its manifest and :func:`evaluate_folder` measures the model's MNIST test accuracy.
"""
from __future__ import absolute_import, division, print_function

import os

import numpy as np

from hwgen.trained.export import MANIFEST, ExportError, read_manifest
from hwgen.finn.files import read_params
from hwgen.finn.thresholds import ScoreMap
from hwgen.folding.base import LFC_SIZES
from hwgen.intmodel import IntegerModel
from hwgen.layerspec import THRESHOLD_BITS, LayerSpec, validate_network
from hwgen.network import network_specs
from hwgen.trained.network import IntegerClassifier
from qnn import runs
from qnn.fileio import file_sha256
from qnn.paths import contained_path

__all__ = ['verify_export', 'load_folder', 'evaluate_folder']


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
        params = read_params(folder, [s.folding for s in specs], [s.w_bits for s in specs],
                             n_thresholds=[s.n_thresholds for s in specs])
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
