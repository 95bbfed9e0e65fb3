"""The module instances of a generated design and their parameters: one list, two readers.

:func:`layer_instances` and :func:`top_instances` say which library module each part of the
design instantiates and with which parameters. :mod:`hwgen.rtl.render` writes them as
Verilog; :mod:`hwgen.synth.network` synthesises each distinct one. An :class:`Instance` with
``per_pe`` set is the part of a layer that repeats in every PE: its module has a ``PE``
parameter, and the design holds it at the layer's PE.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> from hwgen.rtl.design import RtlNetwork
>>> layer = RtlNetwork(lfc_specs('W1A1')).layers[3]
>>> [(i.name, i.module) for i in layer_instances(layer)][1:4]
[('in_converter', 'qnn_width_converter'), ('weights_pe0', 'qnn_rom'), ('weights_pe1', 'qnn_rom')]
>>> layer_instances(layer)[-1].parameters['N_TH']
1
"""
from __future__ import absolute_import, division, print_function

from hwgen.rtl.design import STREAM_BITS, address_bits, fifo_depth

__all__ = ['Instance', 'fifo', 'width_converter', 'rom', 'layer_instances', 'top_instances',
           'weight_file', 'threshold_file', 'search_file']


class Instance(object):
    """One instance of a library module.

    Parameters
    ----------
    name : str
        Instance name in its layer (or the top).
    module : str
        The library module (``qnn_*``).
    parameters : dict
        Parameter name -> int, or the file name of a memory's ``INIT_FILE``.
    per_pe : bool
        The module is PE lanes of identical logic (its ``PE`` parameter is the layer's PE).
    slot : int, optional
        A memory's place among the memories that share its address and data buses.
    """

    def __init__(self, name, module, parameters, per_pe=False, slot=None):
        self.name, self.module, self.parameters, self.per_pe = name, module, parameters, per_pe
        self.slot = slot

    @property
    def memory(self):
        """The memory file it reads, or None."""
        return self.parameters.get('INIT_FILE')

    def __repr__(self):
        return 'Instance(%r, %r, %r)' % (self.name, self.module, self.parameters)


def weight_file(layer, pe):
    return 'layer%d_weights_pe%d.mem' % (layer.index, pe)


def threshold_file(layer, pe):
    return 'layer%d_thresholds_pe%d.mem' % (layer.index, pe)


def search_file(layer, stage, pe):
    return 'layer%d_search_s%d_pe%d.mem' % (layer.index, stage, pe)


def fifo(name, width, words):
    """A FIFO of ``width``-bit words holding ``words`` words (depth: the next power of two)."""
    depth = fifo_depth(words)
    return Instance(name, 'qnn_fifo', {'WIDTH': width, 'DEPTH': depth,
                                       'ADDR_BITS': address_bits(depth)})


def width_converter(name, in_bits, out_bits):
    return Instance(name, 'qnn_width_converter', {'IN_BITS': in_bits, 'OUT_BITS': out_bits})


def rom(name, width, depth, addr_bits, init_file, slot):
    return Instance(name, 'qnn_rom', {'WIDTH': width, 'DEPTH': depth, 'ADDR_BITS': addr_bits,
                                      'INIT_FILE': init_file}, slot=slot)


def _nf_bits(layer):
    return address_bits(layer.folding.nf)


def mvau(layer):
    f, spec = layer.folding, layer.spec
    return Instance('mvau', 'qnn_mvau', {
        'SIMD': f.simd, 'PE': f.pe, 'SF': f.sf, 'NF': f.nf, 'SF_BITS': address_bits(f.sf),
        'NF_BITS': _nf_bits(layer), 'WA_BITS': address_bits(f.wmem), 'W_BITS': spec.w_bits,
        'W_BIPOLAR': int(spec.weight_type.bipolar), 'IN_BITS': spec.in_bits,
        'IN_MODE': layer.in_mode, 'XNOR': int(spec.xnor), 'ACC_BITS': spec.acc_bits},
        per_pe=True)


def weight_memories(layer):
    """One weight memory per PE (as FINN partitions them), read at the MVAU's address."""
    f = layer.folding
    return [rom('weights_pe%d' % pe, f.simd * layer.spec.w_bits, f.wmem, address_bits(f.wmem),
                weight_file(layer, pe), pe) for pe in range(f.pe)]


def _unit_parameters(layer):
    spec = layer.spec
    return {'PE': layer.folding.pe, 'ACC_BITS': spec.acc_bits, 'TH_BITS': layer.th_bits,
            'A_BITS': spec.a_bits, 'ACT_VAL': spec.act_val, 'NF_BITS': _nf_bits(layer)}


def _scores(layer):
    spec = layer.spec
    return [Instance('scores', 'qnn_scores', {'PE': layer.folding.pe, 'ACC_BITS': spec.acc_bits,
                                              'OUT_BITS': spec.out_bits}, per_pe=True)]


def _parallel(layer):
    f, nth = layer.folding, layer.spec.n_thresholds
    memories = [rom('thresholds_pe%d' % pe, nth * layer.th_bits, f.tmem, _nf_bits(layer),
                    threshold_file(layer, pe), pe) for pe in range(f.pe)]
    parameters = dict(_unit_parameters(layer), N_TH=nth)
    return memories + [Instance('activation', 'qnn_threshold_parallel', parameters, True)]


def _search(layer):
    f, stages = layer.folding, layer.search_stages
    addr_bits = _nf_bits(layer) + stages
    memories = [rom('thresholds_s%d_pe%d' % (stage, pe), layer.th_bits, f.tmem * 2 ** stage,
                    addr_bits, search_file(layer, stage, pe), stage * f.pe + pe)
                for stage in range(stages) for pe in range(f.pe)]
    parameters = dict(_unit_parameters(layer), STAGES=stages, ADDR_BITS=addr_bits)
    return memories + [Instance('activation', 'qnn_threshold_search', parameters, True)]


_ACTIVATIONS = {'scores': _scores, 'parallel': _parallel, 'search': _search}


def layer_instances(layer):
    """The instances of a layer's module, in the order it declares them.

    The input FIFO and width converter, the weight memories (one per PE), the MVAU, then the
    activation's memories and unit (or the class-score output).
    """
    return ([fifo('in_fifo', layer.in_stream_bits, layer.in_stream_words),
             width_converter('in_converter', layer.in_stream_bits, layer.simd_bits)] +
            weight_memories(layer) + [mvau(layer)] + _ACTIVATIONS[layer.activation](layer))


def top_instances(network):
    """The top's own instances after the layers: the output width converter and FIFO."""
    return [width_converter('out_converter', network.layers[-1].out_stream_bits, STREAM_BITS),
            fifo('out_fifo', STREAM_BITS, network.out_words)]
