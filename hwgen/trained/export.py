"""Writing a :class:`~hwgen.trained.network.HardwareNetwork` to a folder, and reading it back.

``export(network, OUT)`` runs the :data:`ARTIFACT_WRITERS` in order and then writes
``OUT/manifest.json``:

* ``OUT/params/`` (:func:`write_parameters`): the BNN-PYNQ parameter files
  ``<layer>-<pe>-weights.bin`` / ``-thres.bin`` (:mod:`hwgen.finn.files`), ``classes.txt``
  and ``scores.json``. The FINN files are complete on their own: the last layer is
  thresholded to 1 bit (its BN output >= 0) as BNN-PYNQ's host decoding expects.
  ``scores.json`` holds what an exact argmax needs: per class ``scale`` and ``offset`` with
  ``score = scale * acc + offset`` on the last layer's hardware accumulator (float64).
* ``OUT/hw/`` (:func:`hwgen.hls.project.write_hw`): the HLS project for finn-hlslib --
  ``config.h``, ``top.cpp``, the C simulation testbench ``tb.cpp``, ``hls_config.tcl`` for
  ``Vivado_tcl/run_hls.tcl`` and ``hwgen.json`` -- reading its parameters from ``OUT/params``;
  the last layer emits its accumulators as class scores. ``qnn hwgen csim OUT`` compiles and
  checks it (results in ``OUT/hw/csim/``);
* ``OUT/manifest.json``: the network (sizes, precisions, activation, input encoding), every
  layer's folding and encoding (SIMD, PE, WMEM, TMEM, bit widths, ActVal, XNOR, acc_bits),
  the SHA-256 of every file the writers produced, and the source run's configuration.

:mod:`hwgen.trained.readback` reads such a folder back.
"""
from __future__ import absolute_import, division, print_function

import json
import logging
import os
import shutil
import tempfile

import numpy as np

from hwgen.errors import HwgenError
from hwgen.finn.files import LayerParams, write_params
from hwgen.finn.packing import pack_thresholds, pack_weights
from hwgen.folding.base import LFC_CYCLES
from hwgen.hls.project import HW_DIR, PARAMS_DIR, write_hw
from hwgen.trained.network import from_run
from qnn import runs
from qnn.fileio import atomic_write, current_umask, file_sha256, makedirs
from qnn.paths import contained_path, output_dir

__all__ = ['ExportError', 'FORMAT', 'MANIFEST', 'PARAMS_DIR', 'SCORES', 'CLASSES',
           'ARTIFACT_WRITERS', 'packed_params', 'write_parameters', 'export', 'export_run',
           'read_manifest']

log = logging.getLogger(__name__)

FORMAT = 'qnn-hwgen/1'
MANIFEST = 'manifest.json'
SCORES = 'scores.json'
CLASSES = [str(digit) for digit in range(10)]
_SCORE_RULE = ('class = argmax_c (scale[c] * acc[c] + offset[c]) in float64, acc[c] = the last '
               "layer's hardware accumulator of class c (XNOR popcount or signed sum)")


class ExportError(HwgenError):
    """An output folder cannot be written or read back as asked."""


def _write_json(path, obj):
    text = json.dumps(obj, indent=2, sort_keys=True) + '\n'
    with atomic_write(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))
    return path


def packed_params(network):
    """Per layer the PE memories: :class:`~hwgen.finn.files.LayerParams`."""
    return [LayerParams(pack_weights(layer.weights, layer.spec.folding, layer.spec.w_bits),
                        pack_thresholds(layer.thresholds, layer.spec.folding,
                                        layer.spec.acc_bits))
            for layer in network.layers]


def write_parameters(network, out_dir):
    """Artifact writer: ``OUT/params/`` (FINN files, classes.txt, scores.json).

    Returns
    -------
    list of str
        The files written.
    """
    folder = os.path.join(out_dir, PARAMS_DIR)
    paths = write_params(folder, packed_params(network), classes=CLASSES)
    scores = {'scale': [float(v) for v in network.scores.scale],
              'offset': [float(v) for v in network.scores.offset],
              'rule': _SCORE_RULE}
    paths.append(_write_json(os.path.join(folder, SCORES), scores))
    return paths


#: What :func:`export` writes, in order: ``writer(network, out_dir) -> list of paths``. Every
#: path a writer returns is hashed into the manifest. This is the one place where further
#: artifacts are added (or pass ``export(..., writers=...)``): the FINN parameters, then the
#: HLS project that reads them. Every network :func:`~hwgen.trained.network.from_run` accepts
#: can be written: its folding obeys finn-hlslib's stream rules (:mod:`hwgen.folding.policy`).
ARTIFACT_WRITERS = [write_parameters, write_hw]
#: Files ``qnn hwgen csim`` leaves in ``OUT/hw/csim`` (removed with the export they checked).
_CSIM_DIR = 'csim'
_CSIM_FILES = ('input.bin', 'expected.bin', 'output.bin', 'tb', 'report.json')


def _layer_entry(index, layer):
    spec, f = layer.spec, layer.spec.folding
    entry = spec.to_dict()
    entry.update(index=index, padded_mw=f.padded_mw, padded_mh=f.padded_mh, sf=f.sf, nf=f.nf,
                 wmem=f.wmem, tmem=f.tmem, cycles=f.cycles, pad_offset=spec.pad_offset,
                 negated_neurons=int(np.count_nonzero(layer.flip < 0)))
    return entry


def _manifest(network, out_dir, paths):
    meta = network.metadata
    files = {}
    for path in paths:
        relative = os.path.relpath(path, out_dir).replace(os.sep, '/')
        files[relative] = file_sha256(path)
    source_params = os.path.join(meta['run_dir'], runs.PARAMS)
    specs = network.specs
    return {
        'format': FORMAT,
        'network': {key: meta[key] for key in ('sizes', 'wbits', 'abits', 'activation',
                                               'layer_order', 'binarize_input', 'float_type')},
        'input': ({'encoding': 'bipolar bit per pixel, 1 iff pixel >= 128', 'bits': 1,
                   'signed': True} if meta['binarize_input'] else
                  {'encoding': 'unsigned 8-bit pixel p; training saw (p - 127.5) / 127.5',
                   'bits': 8, 'signed': False}),
        'folding': '%s:%s' % (','.join(str(spec.folding.simd) for spec in specs),
                              ','.join(str(spec.folding.pe) for spec in specs)),
        'layers': [_layer_entry(i, layer) for i, layer in enumerate(network.layers)],
        'params_dir': PARAMS_DIR,
        'hw_dir': HW_DIR if any(name.startswith(HW_DIR + '/') for name in files) else None,
        'scores': {'file': '%s/%s' % (PARAMS_DIR, SCORES), 'rule': _SCORE_RULE},
        'finn_last_layer': '1 bit per class, 1 iff its BN output >= 0 (BNN-PYNQ host decoding)',
        'files': files,
        'source_run': {'run_dir': meta['run_dir'], 'config': meta['config'],
                       'params_sha256': file_sha256(source_params)
                       if os.path.isfile(source_params) else None},
    }


def read_manifest(out_dir):
    """The ``manifest.json`` of an exported folder (ExportError if missing or foreign)."""
    path = os.path.join(out_dir, MANIFEST)
    try:
        manifest = runs.read_json(path)
    except runs.RunError as error:
        raise ExportError(str(error))
    if not isinstance(manifest, dict) or manifest.get('format') != FORMAT:
        raise ExportError('%s is not an hwgen manifest (format %r, expected %r)' % (
            path, manifest.get('format') if isinstance(manifest, dict) else None, FORMAT))
    if not isinstance(manifest.get('files'), dict):
        raise ExportError('%s lists no files' % path)
    return manifest


def _files_below(folder):
    """Paths of the files below ``folder`` (none if it does not exist)."""
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder)
                  for name in names)


def _remove_csim_results(out_dir):
    """Remove what ``qnn hwgen csim`` wrote into ``OUT/hw/csim`` (known names only)."""
    folder = os.path.join(out_dir, HW_DIR, _CSIM_DIR)
    for name in _CSIM_FILES:
        if os.path.isfile(os.path.join(folder, name)):
            os.remove(os.path.join(folder, name))
    if os.path.isdir(folder) and not os.listdir(folder):
        os.rmdir(folder)


def _clear_previous(out_dir, overwrite):
    """Refuse to write over an earlier export unless ``overwrite``; then remove its files.

    Only the files the earlier manifest lists and the C simulation's results are removed;
    anything else in ``params/`` or ``hw/`` stops the export.
    """
    manifest_path = os.path.join(out_dir, MANIFEST)
    folders = [os.path.join(out_dir, name) for name in (PARAMS_DIR, HW_DIR)]
    occupied = [name + '/' for name, folder in zip((PARAMS_DIR, HW_DIR), folders)
                if _files_below(folder)]
    if os.path.exists(manifest_path):
        occupied.insert(0, MANIFEST)
    if not occupied:
        return
    if not overwrite:
        raise ExportError('%s already holds an export (%s); use another --out or --force'
                          % (out_dir, ', '.join(occupied)))
    if os.path.exists(manifest_path):
        listed = [contained_path(out_dir, relative) for relative in
                  read_manifest(out_dir).get('files', {})]  # all checked before any is removed
        for path in listed:
            if os.path.isfile(path):
                os.remove(path)
        os.remove(manifest_path)
    _remove_csim_results(out_dir)
    for folder in folders:
        strangers = [os.path.relpath(path, folder) for path in _files_below(folder)]
        if strangers:
            raise ExportError('%s holds files that no earlier export listed (%s); remove them '
                              'first' % (folder, ', '.join(strangers[:5])))


def export(network, out_dir, writers=None, overwrite=False):
    """Write ``network`` into ``out_dir`` with every artifact writer, then the manifest.

    Parameters
    ----------
    network : HardwareNetwork
    out_dir : str
        Created if needed.
    writers : sequence of callables, optional
        Default :data:`ARTIFACT_WRITERS`.
    overwrite : bool
        Replace an earlier export in ``out_dir`` (only the files its manifest lists and the
        results of ``qnn hwgen csim`` are removed).

    Returns
    -------
    dict
        The manifest.

    A new ``out_dir`` is written as a temporary folder beside it and renamed when complete,
    so it holds either the whole export or does not exist.
    """
    output_dir(out_dir)
    if os.path.isdir(out_dir):
        return _export_into(network, out_dir, writers, overwrite)
    parent = os.path.dirname(os.path.abspath(out_dir))
    makedirs(parent)
    staging = tempfile.mkdtemp(prefix='.%s.' % os.path.basename(os.path.abspath(out_dir)),
                               suffix='.tmp', dir=parent)
    try:
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes 0700: usual permissions
        manifest = _export_into(network, staging, writers, overwrite)
        os.rename(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _export_into(network, out_dir, writers, overwrite):
    _clear_previous(out_dir, overwrite)
    paths = []
    for writer in ARTIFACT_WRITERS if writers is None else writers:
        paths.extend(writer(network, out_dir))
    manifest = _manifest(network, out_dir, paths)
    _write_json(os.path.join(out_dir, MANIFEST), manifest)
    log.info('exported %d files and %s to %s', len(paths), MANIFEST, out_dir)
    return manifest


def export_run(run_dir, out_dir, folding=None, overwrite=False, cycles=LFC_CYCLES):
    """:func:`~hwgen.trained.network.from_run` then :func:`export`; returns the manifest.

    ``cycles`` is the target cycles per image of the default folding (``folding`` None).
    """
    output_dir(out_dir)
    return export(from_run(run_dir, folding, cycles=cycles), out_dir, overwrite=overwrite)
