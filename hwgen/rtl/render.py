"""The Verilog text of a network: templates in ``hwgen/rtl/templates`` filled from its layers.

Templates are real Verilog with ``@NAME@`` markers (``layer.v.in``, ``top.v.in``);
:func:`fill_template` replaces each by its value and refuses a marker without a value or a
value without a marker. The library modules (``qnn_*.v``) are copied unchanged.

Memory file names (:func:`weight_file`, :func:`threshold_file`, :func:`search_file`) are
relative: the simulator or synthesis tool reads them from the folder the design is in.
"""
from __future__ import absolute_import, division, print_function

import os

from hwgen import tools
from hwgen.rtl.design import STREAM_BITS, address_bits
from hwgen.tools import fill_template

__all__ = ['TEMPLATE_DIR', 'LIBRARY_MODULES', 'read_template', 'fill_template', 'weight_file',
           'threshold_file', 'search_file', 'render_layer', 'render_top']

TEMPLATE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'templates')
#: The parametric modules every design uses, in dependency order.
LIBRARY_MODULES = ('qnn_adder_tree.v', 'qnn_rom.v', 'qnn_fifo.v', 'qnn_width_converter.v',
                   'qnn_mvau.v', 'qnn_threshold_parallel.v', 'qnn_threshold_search.v',
                   'qnn_scores.v')


def read_template(name):
    """The text of ``hwgen/rtl/templates/<name>``."""
    return tools.read_template(TEMPLATE_DIR, name)


def weight_file(layer, pe):
    return 'layer%d_weights_pe%d.mem' % (layer.index, pe)


def threshold_file(layer, pe):
    return 'layer%d_thresholds_pe%d.mem' % (layer.index, pe)


def search_file(layer, stage, pe):
    return 'layer%d_search_s%d_pe%d.mem' % (layer.index, stage, pe)


def _parameters(values):
    return ', '.join('.%s(%s)' % item for item in values)


def _instance(module, parameters, name, ports, indent='    '):
    lines = ['%s%s #(%s) %s (' % (indent, module, _parameters(parameters), name)]
    lines.append(',\n'.join('%s    .%s(%s)' % (indent, port, wire) for port, wire in ports))
    lines.append('%s);' % indent)
    return '\n'.join(lines)


def _nf_bits(layer):
    return address_bits(layer.folding.nf)


def _scores(layer):
    spec = layer.spec
    return _instance('qnn_scores', [('PE', layer.folding.pe), ('ACC_BITS', spec.acc_bits),
                                    ('OUT_BITS', spec.out_bits)], 'scores',
                     [('clk', 'clk'), ('rst', 'rst'), ('en', 'en'), ('in_valid', 'acc_valid'),
                      ('in_acc', 'acc'), ('out_valid', 'out_valid'), ('out_data', 'out_data')])


def _unit_ports(rom_addr, rom_data):
    return [('clk', 'clk'), ('rst', 'rst'), ('en', 'en'), ('in_valid', 'acc_valid'),
            ('in_acc', 'acc'), ('in_nf', 'acc_nf'), ('rom_addr', rom_addr),
            ('rom_data', rom_data), ('out_valid', 'out_valid'), ('out_data', 'out_data')]


def _unit_parameters(layer):
    spec = layer.spec
    return [('PE', layer.folding.pe), ('ACC_BITS', spec.acc_bits), ('TH_BITS', layer.th_bits),
            ('A_BITS', spec.a_bits), ('ACT_VAL', spec.act_val), ('NF_BITS', _nf_bits(layer))]


def _rom(width, depth, addr_bits, init_file, name, addr, data):
    return _instance('qnn_rom', [('WIDTH', width), ('DEPTH', depth), ('ADDR_BITS', addr_bits),
                                 ('INIT_FILE', '"%s"' % init_file)], name,
                     [('clk', 'clk'), ('en', 'en'), ('addr', addr), ('data', data)])


def _weights(layer):
    """One weight memory per PE (as FINN partitions them), read at the MVAU's address."""
    f, width = layer.folding, layer.folding.simd * layer.spec.w_bits
    return '\n'.join(_rom(width, f.wmem, address_bits(f.wmem), weight_file(layer, pe),
                          'weights_pe%d' % pe, 'w_addr', 'w_data[%d +: %d]' % (pe * width, width))
                     for pe in range(f.pe))


def _parallel(layer):
    f, nth, nf_bits = layer.folding, layer.spec.n_thresholds, _nf_bits(layer)
    width = nth * layer.th_bits
    lines = ['    wire [%d:0] th_addr;' % (nf_bits - 1),
             '    wire [%d:0] th_data;' % (f.pe * width - 1)]
    lines.extend(_rom(width, f.tmem, nf_bits, threshold_file(layer, pe), 'thresholds_pe%d' % pe,
                      'th_addr', 'th_data[%d +: %d]' % (pe * width, width))
                 for pe in range(f.pe))
    lines.append(_instance('qnn_threshold_parallel', _unit_parameters(layer) + [('N_TH', nth)],
                           'activation', _unit_ports('th_addr', 'th_data')))
    return '\n'.join(lines)


def _search(layer):
    f, stages, th = layer.folding, layer.search_stages, layer.th_bits
    addr_bits = _nf_bits(layer) + stages
    lines = ['    wire [%d:0] th_addr;' % (stages * f.pe * addr_bits - 1),
             '    wire [%d:0] th_data;' % (stages * f.pe * th - 1)]
    for stage in range(stages):
        for pe in range(f.pe):
            slot = stage * f.pe + pe
            lines.append(_rom(th, f.tmem * 2 ** stage, addr_bits, search_file(layer, stage, pe),
                              'thresholds_s%d_pe%d' % (stage, pe),
                              'th_addr[%d +: %d]' % (slot * addr_bits, addr_bits),
                              'th_data[%d +: %d]' % (slot * th, th)))
    lines.append(_instance('qnn_threshold_search', _unit_parameters(layer) +
                           [('STAGES', stages), ('ADDR_BITS', addr_bits)], 'activation',
                           _unit_ports('th_addr', 'th_data')))
    return '\n'.join(lines)


_ACTIVATIONS = {'scores': (_scores, 'class scores output'),
                'parallel': (_parallel, 'parallel threshold unit'),
                'search': (_search, 'binary-search threshold unit')}


def render_layer(network, layer):
    """The text of one layer's module (``layer<i>``)."""
    f, spec = layer.folding, layer.spec
    render, kind = _ACTIVATIONS[layer.activation]
    values = {'NAME': network.name, 'INDEX': layer.index, 'DESCRIPTION': layer.describe(),
              'ACTIVATION_KIND': kind, 'MODULE': layer.module,
              'IN_STREAM_BITS': layer.in_stream_bits, 'OUT_STREAM_BITS': layer.out_stream_bits,
              'FIFO_DEPTH': layer.fifo_depth, 'FIFO_ADDR_BITS': address_bits(layer.fifo_depth),
              'SIMD_BITS': layer.simd_bits, 'WA_BITS': address_bits(f.wmem),
              'WEIGHT_WORD_BITS': layer.weight_word_bits, 'WEIGHTS': _weights(layer),
              'PE': f.pe, 'SIMD': f.simd, 'SF': f.sf,
              'NF': f.nf, 'SF_BITS': address_bits(f.sf), 'NF_BITS': address_bits(f.nf),
              'W_BITS': spec.w_bits, 'W_BIPOLAR': int(spec.weight_type.bipolar),
              'IN_BITS': spec.in_bits, 'IN_MODE': layer.in_mode, 'XNOR': int(spec.xnor),
              'ACC_BITS': spec.acc_bits, 'ACTIVATION': render(layer)}
    return fill_template(read_template('layer.v.in'), values, 'layer.v.in')


def _chain(network):
    """The top's wires and instances: layers in a row, then the output converter and FIFO."""
    lines, previous = [], ('in_data', 'in_valid', 'in_ready')
    for layer in network.layers:
        prefix = 's%d' % (layer.index + 1)
        wires = ('%s_data' % prefix, '%s_valid' % prefix, '%s_ready' % prefix)
        lines.append('    wire [%d:0] %s;\n    wire %s, %s;' % ((layer.out_stream_bits - 1,)
                                                           + wires))
        lines.append('    %s %s (\n        .clk(clk), .rst(rst),\n'
                     '        .in_data(%s), .in_valid(%s), .in_ready(%s),\n'
                     '        .out_data(%s), .out_valid(%s), .out_ready(%s));'
                     % ((layer.module, layer.module) + previous + wires))
        previous = wires
    lines.append('    wire [%d:0] words_data;\n    wire words_valid, words_ready;'
                 % (STREAM_BITS - 1))
    lines.append(_instance('qnn_width_converter', [('IN_BITS', network.layers[-1].out_stream_bits),
                                                   ('OUT_BITS', STREAM_BITS)], 'out_converter',
                           [('clk', 'clk'), ('rst', 'rst'), ('in_data', previous[0]),
                            ('in_valid', previous[1]), ('in_ready', previous[2]),
                            ('out_data', 'words_data'), ('out_valid', 'words_valid'),
                            ('out_ready', 'words_ready')]))
    depth = network.out_fifo_depth
    lines.append(_instance('qnn_fifo', [('WIDTH', STREAM_BITS), ('DEPTH', depth),
                                        ('ADDR_BITS', address_bits(depth))], 'out_fifo',
                           [('clk', 'clk'), ('rst', 'rst'), ('in_data', 'words_data'),
                            ('in_valid', 'words_valid'), ('in_ready', 'words_ready'),
                            ('out_data', 'out_data'), ('out_valid', 'out_valid'),
                            ('out_ready', 'out_ready')]))
    return '\n'.join(lines)


def render_top(network):
    """The text of the top module (named after the network)."""
    io_ = network.io_dict()
    sizes = '-'.join(str(s) for s in [network.layers[0].folding.mw] +
                     [layer.folding.mh for layer in network.layers])
    description = '%s network, %s threshold unit, %d cycles per image' % (
        sizes, network.threshold_unit, network.cycles)
    values = {'NAME': network.name, 'DESCRIPTION': description, 'IN_WORDS': io_['in_words'],
              'IN_BITS': io_['in_bits'], 'IN_PADDED': io_['in_padded'],
              'OUT_WORDS': io_['out_words'], 'OUT_BITS': io_['out_bits'],
              'OUT_PADDED': io_['out_padded'], 'OUT_REAL': io_['out_real'],
              'CHAIN': _chain(network)}
    return fill_template(read_template('top.v.in'), values, 'top.v.in')
