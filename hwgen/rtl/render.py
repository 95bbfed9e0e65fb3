"""The Verilog text of a network: templates in ``hwgen/rtl/templates`` filled from its layers.

Templates are real Verilog with ``@NAME@`` markers (``layer.v.in``, ``top.v.in``);
:func:`fill_template` replaces each by its value and refuses a marker without a value or a
value without a marker. The library modules (``qnn_*.v``) are copied unchanged.

The instances and their parameters come from :mod:`hwgen.rtl.instances` (which the synthesis
reads too); this module adds their ports. Memory file names (:func:`weight_file`,
:func:`threshold_file`, :func:`search_file`) are relative: the simulator or synthesis tool reads
them from the folder the design is in.
"""
from __future__ import absolute_import, division, print_function

import os

from hwgen import tools
from hwgen.rtl.design import STREAM_BITS, address_bits
from hwgen.rtl.instances import layer_instances, search_file, threshold_file, top_instances, \
    weight_file
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


def _parameter_text(value):
    return '"%s"' % value if isinstance(value, str) else '%d' % value


def _instance_text(instance, ports, indent='    '):
    parameters = ', '.join('.%s(%s)' % (name, _parameter_text(value))
                           for name, value in sorted(instance.parameters.items()))
    lines = ['%s%s #(%s) %s (' % (indent, instance.module, parameters, instance.name)]
    lines.append(',\n'.join('%s    .%s(%s)' % (indent, port, wire) for port, wire in ports))
    lines.append('%s);' % indent)
    return '\n'.join(lines)


def _stream_ports(source, sink):
    """Ports of a stream stage reading ``source`` and writing ``sink`` (data, valid, ready)."""
    return ([('clk', 'clk'), ('rst', 'rst')] +
            list(zip(('in_data', 'in_valid', 'in_ready'), source)) +
            list(zip(('out_data', 'out_valid', 'out_ready'), sink)))


def _memory_ports(instance, addr, data, own_address=False):
    """A memory's ports: the shared address (or its slice of the address bus, when each has
    its own) and its slice of the data bus."""
    p = instance.parameters
    if own_address:
        addr = '%s[%d +: %d]' % (addr, instance.slot * p['ADDR_BITS'], p['ADDR_BITS'])
    return [('clk', 'clk'), ('en', 'en'), ('addr', addr),
            ('data', '%s[%d +: %d]' % (data, instance.slot * p['WIDTH'], p['WIDTH']))]


_UNIT_PORTS = [('clk', 'clk'), ('rst', 'rst'), ('en', 'en'), ('in_valid', 'acc_valid'),
               ('in_acc', 'acc'), ('in_nf', 'acc_nf'), ('rom_addr', 'th_addr'),
               ('rom_data', 'th_data'), ('out_valid', 'out_valid'), ('out_data', 'out_data')]
_LAYER_PORTS = {
    'in_fifo': _stream_ports(('in_data', 'in_valid', 'in_ready'),
                             ('queued_data', 'queued_valid', 'queued_ready')),
    'in_converter': _stream_ports(('queued_data', 'queued_valid', 'queued_ready'),
                                  ('x_data', 'x_valid', 'x_ready')),
    'mvau': [('clk', 'clk'), ('rst', 'rst'), ('en', 'en'), ('in_data', 'x_data'),
             ('in_valid', 'x_valid'), ('in_ready', 'x_ready'), ('w_addr', 'w_addr'),
             ('w_data', 'w_data'), ('out_valid', 'acc_valid'), ('out_acc', 'acc'),
             ('out_nf', 'acc_nf')],
    'activation': _UNIT_PORTS,
    'scores': [port for port in _UNIT_PORTS if not port[0].startswith(('in_nf', 'rom_'))]}


def _layer_ports(instance):
    if instance.name.startswith('weights_'):
        return _memory_ports(instance, 'w_addr', 'w_data')
    if instance.name.startswith('thresholds_s'):
        return _memory_ports(instance, 'th_addr', 'th_data', own_address=True)
    if instance.name.startswith('thresholds_'):
        return _memory_ports(instance, 'th_addr', 'th_data')
    return _LAYER_PORTS[instance.name]


def _threshold_wires(layer, instances):
    """The buses between the threshold memories and their unit (none for class scores)."""
    memories = [i for i in instances if i.name.startswith('thresholds_')]
    if not memories:
        return ''
    p = memories[0].parameters
    addresses = len(memories) if layer.activation == 'search' else 1
    return '    wire [%d:0] th_addr;\n    wire [%d:0] th_data;' % (
        addresses * p['ADDR_BITS'] - 1, len(memories) * p['WIDTH'] - 1)


_KINDS = {'scores': 'class scores output', 'parallel': 'parallel threshold unit',
          'search': 'binary-search threshold unit'}


def render_layer(network, layer):
    """The text of one layer's module (``layer<i>``)."""
    f, spec = layer.folding, layer.spec
    instances = layer_instances(layer)
    body = '\n'.join(_instance_text(i, _layer_ports(i)) for i in instances)
    values = {'NAME': network.name, 'INDEX': layer.index, 'DESCRIPTION': layer.describe(),
              'ACTIVATION_KIND': _KINDS[layer.activation], 'MODULE': layer.module,
              'IN_STREAM_BITS': layer.in_stream_bits, 'OUT_STREAM_BITS': layer.out_stream_bits,
              'SIMD_BITS': layer.simd_bits, 'WA_BITS': address_bits(f.wmem),
              'WEIGHT_WORD_BITS': layer.weight_word_bits, 'ACC_WORD_BITS': f.pe * spec.acc_bits,
              'NF_BITS': address_bits(f.nf),
              'THRESHOLD_WIRES': _threshold_wires(layer, instances), 'INSTANCES': body}
    return fill_template(read_template('layer.v.in'), values, 'layer.v.in')


def _chain(network):
    """The top's wires and instances: layers in a row, then the output converter and FIFO."""
    lines, previous = [], ('in_data', 'in_valid', 'in_ready')
    for layer in network.layers:
        prefix = 's%d' % (layer.index + 1)
        wires = ('%s_data' % prefix, '%s_valid' % prefix, '%s_ready' % prefix)
        lines.append('    wire [%d:0] %s;\n    wire %s, %s;'
                     % ((layer.out_stream_bits - 1,) + wires))
        lines.append('    %s %s (\n        .clk(clk), .rst(rst),\n'
                     '        .in_data(%s), .in_valid(%s), .in_ready(%s),\n'
                     '        .out_data(%s), .out_valid(%s), .out_ready(%s));'
                     % ((layer.module, layer.module) + previous + wires))
        previous = wires
    lines.append('    wire [%d:0] words_data;\n    wire words_valid, words_ready;'
                 % (STREAM_BITS - 1))
    words = ('words_data', 'words_valid', 'words_ready')
    converter, out_fifo = top_instances(network)
    lines.append(_instance_text(converter, _stream_ports(previous, words)))
    lines.append(_instance_text(out_fifo, _stream_ports(
        words, ('out_data', 'out_valid', 'out_ready'))))
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
