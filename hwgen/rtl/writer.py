"""``write_rtl``: the Verilog of a network, its memories and its record, in one folder.

The one writer of an RTL folder. From an :class:`~hwgen.intmodel.IntegerModel` (the layer
specs with their padded integer weights and thresholds: the same IR the HLS writer and the
integer model use) it writes:

* ``<name>.v`` -- the top module; ``layer<i>.v`` -- one module per layer;
* ``qnn_*.v`` -- the parametric library modules (:data:`~hwgen.rtl.render.LIBRARY_MODULES`);
* ``*.mem`` -- the weight and threshold memories (:mod:`hwgen.rtl.memories`);
* ``files.f`` -- the Verilog files in compile order;
* ``rtl.json`` -- the record :func:`read_rtl` reads back: layer specs, I/O layout, threshold
  unit, files, and every module's instances with their parameters (what
  :mod:`hwgen.synth.network` synthesises).

Examples
--------
>>> from hwgen.rtl.ir import IntegerModel
>>> from hwgen.layerspec import lfc_specs
>>> model = IntegerModel.from_folder('lfcW1A1', lfc_specs('W1A1'))   # doctest: +SKIP
>>> write_rtl(model, 'out/rtl', threshold_unit='search')            # doctest: +SKIP
"""
from __future__ import absolute_import, division, print_function

import json
import os
import re

from hwgen.rtl.design import RtlNetwork
from hwgen.rtl.instances import layer_instances, top_instances
from hwgen.rtl.ir import HwgenError, LayerSpec
from hwgen.rtl.memories import parallel_threshold_words, search_threshold_words, weight_words
from hwgen.rtl.render import (LIBRARY_MODULES, read_template, render_layer, render_top,
                              search_file, threshold_file, weight_file)
from qnn.fileio import atomic_write, makedirs

__all__ = ['RECORD_FILE', 'RECORD_FORMAT', 'write_rtl', 'read_rtl', 'network_of']

RECORD_FILE = 'rtl.json'
RECORD_FORMAT = 'hwgen-rtl/2'
_MEMORY_FILE = re.compile(r'^layer\d+_\w+\.mem$')


def _write_text(path, text):
    with atomic_write(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))
    return path


def _write_lines(path, lines):
    return _write_text(path, u'\n'.join(lines) + u'\n')


def _remove_stale_memories(out_dir, keep):
    """Delete the memory files of an earlier design in ``out_dir`` that this one does not use."""
    for name in os.listdir(out_dir):
        if _MEMORY_FILE.match(name) and name not in keep:
            os.remove(os.path.join(out_dir, name))


def network_of(model, last_layer='thresholds', threshold_unit='parallel', name='qnn'):
    """The :class:`~hwgen.rtl.design.RtlNetwork` of an integer model."""
    return RtlNetwork(model.specs, [layer.thresholds for layer in model.layers],
                      last_layer=last_layer, threshold_unit=threshold_unit, name=name)


def _layer_memories(layer, model_layer):
    """``{file name: lines}`` of one layer's memories."""
    spec = layer.spec
    memories = dict((weight_file(layer, pe), lines)
                    for pe, lines in enumerate(weight_words(spec, model_layer.weights)))
    if layer.activation == 'parallel':
        words = parallel_threshold_words(spec, model_layer.thresholds, layer.th_bits)
        memories.update((threshold_file(layer, pe), lines) for pe, lines in enumerate(words))
    elif layer.activation == 'search':
        words = search_threshold_words(spec, model_layer.thresholds, layer.search_stages,
                                       layer.th_bits)
        for stage, per_pe in enumerate(words):
            for pe, lines in enumerate(per_pe):
                memories[search_file(layer, stage, pe)] = lines
    return memories


def _instances(network):
    """``{module: [instance dicts]}`` of every layer module and the top's own instances."""
    def as_dicts(instances):
        return [{'name': i.name, 'module': i.module, 'parameters': i.parameters,
                 'per_pe': i.per_pe} for i in instances]
    instances = dict((layer.module, as_dicts(layer_instances(layer)))
                     for layer in network.layers)
    instances[network.name] = as_dicts(top_instances(network))
    return instances


def write_rtl(model, out_dir, last_layer='thresholds', threshold_unit='parallel', name='qnn'):
    """Write the Verilog of ``model`` into ``out_dir``.

    Parameters
    ----------
    model : IntegerModel
        The network: its specs and padded integer weights and thresholds.
    out_dir : str
        Created if missing; the files of an earlier design there are replaced, its memory
        files that this design does not use removed.
    last_layer : {'thresholds', 'scores'}
        The last layer's output mode (see :func:`~hwgen.layerspec.with_last_layer`).
    threshold_unit : {'parallel', 'search'}
        See :mod:`hwgen.rtl.design`.
    name : str
        The top module's name.

    Returns
    -------
    dict
        The record written to ``rtl.json``.

    Raises
    ------
    HwgenError
        The network cannot be generated (see :class:`~hwgen.rtl.design.RtlNetwork`).
    """
    network = network_of(model, last_layer, threshold_unit, name)
    makedirs(out_dir)
    verilog = list(LIBRARY_MODULES)
    for module in LIBRARY_MODULES:
        _write_text(os.path.join(out_dir, module), read_template(module))
    memories = {}
    for layer, model_layer in zip(network.layers, model.layers):
        verilog.append(layer.module + '.v')
        _write_text(os.path.join(out_dir, verilog[-1]), render_layer(network, layer))
        memories.update(_layer_memories(layer, model_layer))
    _remove_stale_memories(out_dir, memories)
    for file_name, lines in sorted(memories.items()):
        _write_lines(os.path.join(out_dir, file_name), lines)
    verilog.append(name + '.v')
    _write_text(os.path.join(out_dir, verilog[-1]), render_top(network))
    _write_lines(os.path.join(out_dir, 'files.f'), verilog)
    record = {'format': RECORD_FORMAT, 'top': name, 'last_layer': last_layer,
              'threshold_unit': threshold_unit, 'io': network.io_dict(),
              'cycles': network.cycles, 'layers': [spec.to_dict() for spec in network.specs],
              'instances': _instances(network), 'verilog': verilog,
              'memories': sorted(memories)}
    _write_text(os.path.join(out_dir, RECORD_FILE),
                json.dumps(record, indent=1, sort_keys=True) + '\n')
    return record


def read_rtl(rtl_dir):
    """The record of an RTL folder and the layer specs it was written for.

    Returns
    -------
    (dict, list of LayerSpec)

    Raises
    ------
    HwgenError
        No readable record of this format.
    """
    path = os.path.join(rtl_dir, RECORD_FILE)
    try:
        with open(path) as handle:
            record = json.load(handle)
    except (IOError, OSError, ValueError) as error:
        raise HwgenError('%s is not an RTL folder written by hwgen.rtl: %s' % (rtl_dir, error))
    if record.get('format') != RECORD_FORMAT:
        raise HwgenError('%s: format %r, expected %r' % (path, record.get('format'),
                                                         RECORD_FORMAT))
    layers = record['layers']
    specs = [LayerSpec.from_dict(layer, index, len(layers)) for index, layer in enumerate(layers)]
    return record, specs
