"""The text of an HLS project: template files filled from an :class:`~hwgen.hls.layers.HlsNetwork`.

The template files in ``hwgen/hls/templates/`` are real C++/TCL with ``@NAME@`` markers;
:func:`fill_template` replaces them and refuses markers without a value and values without a
marker. The ``layer_*`` functions produce one layer's snippets (``config.h`` block, memory
declarations, ``DoMemInit`` cases, pragmas, the ``StreamingFCLayer_Batch`` call); the
``render_*`` functions produce whole files. Which finn-hlslib types a layer uses and whether
the network can be built at all is decided by :mod:`hwgen.hls.layers`
(:class:`~hwgen.hls.layers.HlsLayer`, :class:`~hwgen.hls.layers.HlsNetwork`).

Examples
--------
>>> print(fill_template('#define L0_PE @PE@', {'PE': 32}))
#define L0_PE 32
"""
from __future__ import absolute_import, division, print_function

import numbers
import os
import re

import numpy as np

from hwgen import tools
from hwgen.datatype import cpp_int_type
from hwgen.folding.streams import IO_FIFO_DEPTH, inter_fifo_depth
from hwgen.tools import fill_template

__all__ = ['TEMPLATE_DIR', 'RESOURCES', 'DEFAULT_PART', 'DEFAULT_CLOCK_NS', 'DEFAULT_TOP',
           'read_template', 'fill_template', 'layer_config_block', 'layer_declarations',
           'layer_meminit_cases', 'layer_partition_pragmas', 'layer_call', 'render_config_h',
           'render_top_cpp', 'render_params_h', 'render_testbench', 'render_hls_config']

#: Folder of the template files.
TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')
#: Multiplier resource hint passed to StreamingFCLayer_Batch.
RESOURCES = {'lut': 'ap_resource_lut', 'dsp': 'ap_resource_dsp', 'default': 'ap_resource_dflt'}
#: Zynq Z7020 of the PYNQ-Z1/Z2 and BNN-PYNQ's synthesis clock period.
DEFAULT_PART = 'xc7z020clg400-1'
DEFAULT_CLOCK_NS = 5
DEFAULT_TOP = 'BlackBoxJam'

_AP_INT_MAX_W = 1024        # ap_int's default width limit


def read_template(name):
    """The text of ``hwgen/hls/templates/<name>``."""
    return tools.read_template(TEMPLATE_DIR, name)


# ---------------------------------------------------------------------------------------------
# One layer.

def layer_config_block(layer):
    """The ``config.h`` section of an :class:`~hwgen.hls.layers.HlsLayer`."""
    f, s, m = layer.spec.folding, layer.spec, layer.macro
    lines = ['/**', ' * Fully-Connected Layer L%d:%s' % (
                 layer.index, ' (emits class scores)' if layer.scores else ''),
             ' *     MatW = %5d MatH = %5d' % (f.padded_mw, f.padded_mh),
             ' *     SIMD = %5d  PE  = %5d' % (f.simd, f.pe),
             ' *     WMEM = %5d TMEM = %5d' % (f.wmem, f.tmem),
             ' *     #Ops  = %d   Ext Latency  = %5d' % (2 * f.padded_mw * f.padded_mh,
                                                         f.cycles),
             '**/', '']
    values = [('SIMD', f.simd), ('PE', f.pe), ('WMEM', f.wmem), ('TMEM', f.tmem),
              ('MW', f.padded_mw), ('MH', f.padded_mh), ('WPI', s.w_bits),
              ('API', layer.out_bits), ('WPF', 0), ('APF', 0), ('IPI', s.in_bits),
              ('NTH', layer.n_thresholds), ('ACC', s.acc_bits), ('ACTVAL', s.act_val)]
    lines.extend('#define %s %d' % (m(name), value) for name, value in values)
    return '\n'.join(lines) + '\n'


def layer_declarations(layer, params=None):
    """``static`` declarations of the layer's weight memory and activation object.

    Parameters
    ----------
    params : LayerParams, optional
        Initial values: weights (PE, WMEM) and thresholds (PE, TMEM, NumTH).
    """
    weights_init = thresholds_init = ''
    if params is not None:
        weights_init = ' = {{\n%s\n}}' % ',\n'.join(
            _braced(_wrap(['0x%xULL' % int(w) for w in row])) for row in params.weights)
        thresholds_init = ' = {{\n%s\n}}' % ',\n'.join(
            _braced(_wrap(['{%s}' % ','.join('%d' % int(t) for t in entry)
                           for entry in pe_rows])) for pe_rows in params.thresholds)
    lines = ['static %s %s%s;' % (layer.weights_type, layer.weights_name, weights_init)]
    if layer.scores:
        lines.append('static %s %s;' % (layer.activation_type, layer.activation_name))
    else:
        lines.append('static %s %s%s;' % (layer.activation_type, layer.activation_name,
                                          thresholds_init))
    return lines


def layer_meminit_cases(layer):
    """The ``DoMemInit`` cases that load the layer's weights and thresholds."""
    cases = ['    case %d:' % (2 * layer.index),
             '      %s.m_weights[targetMem][targetInd] = val;' % layer.weights_name,
             '      break;']
    if not layer.scores:
        cases += ['    case %d:' % (2 * layer.index + 1),
                  '      %s.m_thresholds[targetMem][targetInd][targetThresh] = val;'
                  % layer.activation_name, '      break;']
    return cases


def layer_partition_pragmas(layer):
    """``ARRAY_PARTITION`` pragmas of the layer's memories (one bank per PE)."""
    pragma = '#pragma HLS ARRAY_PARTITION variable=%s complete dim=%d'
    lines = [pragma % (layer.weights_name + '.m_weights', 1)]
    if not layer.scores:
        lines.append(pragma % (layer.activation_name + '.m_thresholds', 1))
        if layer.n_thresholds > 1:
            lines.append(pragma % (layer.activation_name + '.m_thresholds', 3))
    return lines


def layer_call(layer, in_stream, out_stream, resource):
    """The layer's ``StreamingFCLayer_Batch`` call."""
    return ('  StreamingFCLayer_Batch<%s>\n    (%s, %s, %s, %s, numReps, %s());'
            % (layer.call_template_args, in_stream, out_stream, layer.weights_name,
               layer.activation_name, resource))


def _wrap(items, per_line=6):
    return ',\n   '.join(', '.join(items[i:i + per_line]) for i in range(0, len(items), per_line))


def _braced(text):
    return '  {%s}' % text


# ---------------------------------------------------------------------------------------------
# Whole files.

def render_config_h(network):
    """The text of ``config.h``."""
    io_ = network.io_dict()
    max_w = ''
    if network.widest_stream > _AP_INT_MAX_W:
        width = -(-network.widest_stream // _AP_INT_MAX_W) * _AP_INT_MAX_W
        max_w = '\n// streams up to %d bits wide\n#define AP_INT_MAX_W %d\n' % (
            network.widest_stream, width)
    note = ''
    if network.last_layer == 'scores':
        note = ',\n *           the last layer\'s signed accumulators (class scores)'
    values = {'NETWORK_NAME': network.name, 'AP_INT_MAX_W': max_w,
              'LAYER_CONFIGS': '\n'.join(layer_config_block(layer) for layer in network.layers),
              'N_LAYERS': len(network.layers), 'IN_BITS': io_['in_bits'],
              'IN_ELEMENTS': io_['in_elements'], 'IN_PADDED': io_['in_padded'],
              'IN_WORDS': io_['in_words'], 'OUT_BITS': io_['out_bits'],
              'OUT_SIGNED': int(io_['out_signed']), 'OUT_ELEMENTS': io_['out_elements'],
              'OUT_PADDED': io_['out_padded'], 'OUT_WORDS': io_['out_words'], 'OUT_NOTE': note}
    return fill_template(read_template('config.h.in'), values, 'config.h.in')


def _memory_declarations(network, params=None):
    lines = []
    for index, layer in enumerate(network.layers):
        lines.extend(layer_declarations(layer, None if params is None else params[index]))
    return '\n'.join(lines)


def _at_producer_width(producer, consumer):
    return consumer.in_stream_bits == producer.mvau_out_bits


def _inter_stream_width(producer, consumer):
    """The width expression of the stream between two layers: the producer's ``PE * (API +
    APF)`` as BNN-PYNQ writes it, or the consumer's ``SIMD * IPI`` where finn-hlslib could not
    count the producer's words (:func:`hwgen.folding.streams.link_stream_bits`)."""
    if _at_producer_width(producer, consumer):
        return '%s * (%s + %s)' % (producer.macro('PE'), producer.macro('API'),
                                   producer.macro('APF'))
    return '%s * %s' % (consumer.macro('SIMD'), consumer.macro('IPI'))


def _inter_fifo_depth(producer, consumer):
    """BNN-PYNQ's 512 / PE words at the producer's width; as many bits at the consumer's."""
    lanes = producer.spec.folding.pe if _at_producer_width(producer, consumer) else \
        consumer.spec.folding.simd
    return inter_fifo_depth(lanes)


def render_top_cpp(network, baked=False, resource='lut', m_axi_depth=256):
    """The text of ``top.cpp``.

    Parameters
    ----------
    network : HlsNetwork
    baked : bool
        Include ``params.h`` (memories with initial values) instead of declaring them.
    resource : {'lut', 'dsp', 'default'}
        Multiplier resource hint (BNN-PYNQ: ``ap_resource_lut``).
    m_axi_depth : int
        ``depth`` of the m_axi ports (used by C/RTL co-simulation only).
    """
    if resource not in RESOURCES:
        raise ValueError('resource must be one of %s, got %r' % (sorted(RESOURCES), resource))
    layers = network.layers
    streams = ['inter%d' % i for i in range(len(layers) - 1)]
    calls = []
    for index, layer in enumerate(layers):
        source = 'memInStrm' if index == 0 else streams[index - 1]
        target = 'memOutStrm' if index == len(layers) - 1 else streams[index]
        calls.append(layer_call(layer, source, target, RESOURCES[resource]))
    if baked:
        memories = '#include "params.h"  // weight and threshold memories with initial values'
    else:
        memories = _memory_declarations(network)
    values = {
        'NETWORK_NAME': network.name, 'N_LAYERS': len(layers), 'TOP': DEFAULT_TOP,
        'MEMORIES': memories,
        'MEMINIT_CASES': '\n'.join(c for layer in layers for c in layer_meminit_cases(layer)),
        'STREAM_DECLS': '\n'.join(
            '  hls::stream<%s>  %s("DoCompute.%s");'
            % (cpp_int_type(False, _inter_stream_width(producer, consumer)), name, name)
            for producer, consumer, name in zip(layers, layers[1:], streams)),
        'STREAM_PRAGMAS': '\n'.join(
            '#pragma HLS stream depth=%d variable=%s' % (_inter_fifo_depth(producer, consumer),
                                                         name)
            for producer, consumer, name in zip(layers, layers[1:], streams)),
        'IO_DEPTH': IO_FIFO_DEPTH, 'IN_BYTES': network.in_words * 8,
        'OUT_BYTES': network.out_words * 8, 'IN_PADDED': network.in_padded,
        'IN_BITS': network.in_bits, 'OUT_PADDED': network.out_padded,
        'OUT_BITS': network.out_bits, 'LAYER_CALLS': '\n'.join(calls),
        'IN_DEPTH': m_axi_depth, 'OUT_DEPTH': m_axi_depth,
        'PARTITION_PRAGMAS': '\n'.join(p for layer in layers
                                      for p in layer_partition_pragmas(layer)),
    }
    return fill_template(read_template('top.cpp.in'), values, 'top.cpp.in')


def render_params_h(network, params, source='packed parameters'):
    """The text of ``params.h``: every memory declared with its packed initial values."""
    params = list(params)
    if len(params) != len(network.layers):
        raise ValueError('%d parameter sets for %d layers' % (len(params), len(network.layers)))
    for layer, layer_params in zip(network.layers, params):
        _check_packed(layer, layer_params)
    values = {'NETWORK_NAME': network.name, 'PARAMS_SOURCE': source,
              'MEMORIES': _memory_declarations(network, params)}
    return fill_template(read_template('params.h.in'), values, 'params.h.in')


def _check_packed(layer, params):
    f = layer.spec.folding
    weights = np.asarray(params.weights)
    if weights.shape != (f.pe, f.wmem):
        raise ValueError('layer %d: weight memories have shape %s, expected (PE, WMEM) = %s'
                         % (layer.index, weights.shape, (f.pe, f.wmem)))
    if not layer.scores:
        expected = (f.pe, f.tmem, layer.n_thresholds)
        if np.shape(params.thresholds) != expected:
            raise ValueError('layer %d: threshold memories have shape %s, expected (PE, TMEM, '
                             'NumTH) = %s' % (layer.index, np.shape(params.thresholds),
                                              expected))


def render_testbench(network):
    """The text of ``tb.cpp``, the C simulation testbench."""
    rows = ['  {%d, %d, %d, %d},  // layer %d' % (l.spec.folding.pe, l.spec.folding.wmem,
                                                 l.spec.folding.tmem, l.n_thresholds, l.index)
            for l in network.layers]
    values = {'NETWORK_NAME': network.name, 'TOP': DEFAULT_TOP, 'TB_LAYERS': '\n'.join(rows)}
    return fill_template(read_template('tb.cpp.in'), values, 'tb.cpp.in')


def _tcl_word(value, what):
    text = u'%s' % (value,)
    if not text or re.search(r'[\s{}\[\]$"\\;]', text):
        raise ValueError('%s must be a non-empty word without spaces or Tcl special characters, '
                         'got %r' % (what, value))
    return text


def render_hls_config(network, part=DEFAULT_PART, clock_ns=DEFAULT_CLOCK_NS, params_dir='',
                      baked=False):
    """The text of ``hls_config.tcl`` (settings for ``Vivado_tcl/run_hls.tcl``).

    ``params_dir`` is relative to the project folder or absolute; empty when unknown.
    """
    if isinstance(clock_ns, bool) or not isinstance(clock_ns, numbers.Real) or clock_ns <= 0:
        raise ValueError('clock_ns must be a positive number, got %r' % (clock_ns,))
    values = {'NETWORK_NAME': network.name, 'PROJECT': _tcl_word(network.name, 'name'),
              'TOP': DEFAULT_TOP, 'PART': _tcl_word(part, 'part'), 'CLOCK_NS': '%g' % clock_ns,
              'CFLAGS': '-std=c++0x', 'PARAMS_DIR': _tcl_word(params_dir, 'params_dir')
              if params_dir else '', 'IN_WORDS': network.in_words, 'BAKED_PARAMS': int(baked)}
    return fill_template(read_template('hls_config.tcl.in'), values, 'hls_config.tcl.in')
