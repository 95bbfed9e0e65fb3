"""The HLS project of a FINN-style MLP: ``config.h``, ``top.cpp``, testbench, Vivado settings.

One writer, :func:`write_hls_project`, fills the template files in ``hwgen/templates/`` (real
C++/TCL with ``@NAME@`` markers, see :mod:`hwgen.hls_render`) from a list of :class:`~hwgen.layerspec.LayerSpec`. :class:`HlsNetwork` checks
that finn-hlslib can build the network; :class:`HlsLayer` knows how one layer maps onto
finn-hlslib (commit
8b7f5f5): its weight memory (``BinaryWeights`` for 1-bit, ``FixedPointWeights`` for multi-bit
weights), its activation (``ThresholdsActivation`` or, for a last layer that emits class scores,
``PassThroughActivation``) and the interpretation types of ``StreamingFCLayer_Batch``:

==========================================  ===================  ====================
layer                                        input (TSrcI)        weights (TWeightI)
==========================================  ===================  ====================
XNOR popcount (W = I = A = 1)                ``Recast<XnorMul>``  (Identity)
binary weights, bipolar 1-bit input          ``Recast<Binary>``   ``Recast<Binary>``
binary weights, n-bit input                  ``Slice<ap_int<n>>``  ``Recast<Binary>``
multi-bit weights                            as above             ``Identity``
==========================================  ===================  ====================

The output (TDstI) is ``Slice<T>`` of the activation's output type ``T``: ``ap_uint<1>`` for
XNOR layers and ``ap_int<1>`` for other 1-bit outputs (as BNN-PYNQ), ``ap_int<A>`` when
ActVal < 0, else ``ap_uint<A>``; for a scores layer ``ap_int<S>``, its accumulator type, with
``S`` = ``acc_bits`` rounded up to 8, 16, 32 or 64 (:func:`~hwgen.layerspec.score_bits`).

finn-hlslib's width converters restrict the folding: where the producer's ``PE * A`` differs
from the consumer's ``SIMD * A``, one must divide the other; the last layer's ``PE * output
bits`` and 64 must divide one another. An inter-layer stream is declared at the producer's
``PE * A`` width, as BNN-PYNQ does, when ``PE * A`` divides the padded width (the consumer's
converter counts ``MW / stream width`` words), and at the consumer's ``SIMD * A`` width
otherwise (the producer's converter counts whole ``MH / PE`` words): with A = 3, 5, 6, 7 the
folding need not slow down. :class:`HlsNetwork` applies :func:`hwgen.folding.check_streams`,
the same rules by which :func:`hwgen.folding_policy.resolve_folding` refuses foldings and
:func:`hwgen.folding_policy.default_folding` chooses them, so every default folding can be
built.

Files written into the project folder (``OUT/hw``):

* ``config.h`` -- ``Lx_SIMD, Lx_PE, Lx_WMEM, Lx_TMEM, Lx_MW, Lx_MH, Lx_WPI, Lx_API, Lx_WPF,
  Lx_APF`` as finnthesizer writes them, plus ``Lx_IPI, Lx_NTH, Lx_ACC, Lx_ACTVAL`` and the
  network's I/O sizes ``HW_*``;
* ``top.cpp`` -- the ``BlackBoxJam`` top (``DoMemInit`` / ``DoCompute``);
* ``params.h`` -- only with ``bake_params``: the memories with their initial values;
* ``tb.cpp`` -- the C simulation testbench (see :mod:`hwgen.csim`);
* ``hls_config.tcl`` -- settings for ``Vivado_tcl/run_hls.tcl``;
* ``hwgen.json`` -- the layer records and I/O layout, read back by :func:`read_hls_project`.

Examples
--------
>>> from hwgen.layerspec import lfc_specs
>>> net = HlsNetwork(lfc_specs('W1A1'))
>>> net.layers[0].call_template_args
'L0_MW, L0_MH, L0_SIMD, L0_PE, Recast<XnorMul>, Slice<ap_uint<1>>'
>>> net.in_words, net.out_words
(13, 1)
"""
from __future__ import absolute_import, division, print_function

import json
import logging
import os

import numpy as np

from hwgen.datatype import cpp_int_type
from hwgen.errors import HwgenError
from hwgen.finn_files import LayerParams, read_layer, read_words, weights_path
from hwgen.folding import AXI_WORD_BITS, check_streams
from hwgen.hls_render import (DEFAULT_CLOCK_NS, DEFAULT_PART, DEFAULT_TOP, layer_call,
                              layer_config_block, layer_declarations, layer_meminit_cases,
                              layer_partition_pragmas, render_config_h, render_hls_config,
                              render_params_h, render_testbench, render_top_cpp)
from hwgen.layerspec import LayerSpec, validate_network, with_last_layer
from qnn import runs
from qnn.compat import atomic_write, makedirs

__all__ = ['PROJECT_FILE', 'HW_DIR', 'HlsLayer', 'HlsNetwork',
           'load_params', 'write_hls_project', 'write_hw', 'read_hls_project']

log = logging.getLogger(__name__)

#: Machine-readable project description inside the project folder.
PROJECT_FILE = 'hwgen.json'
PROJECT_FORMAT = 'hwgen-hls/1'
#: Sub-folders of an export folder (``qnn hwgen RUN --out OUT``): HLS project, FINN parameters.
HW_DIR = 'hw'
PARAMS_DIR = 'params'


class HlsLayer(object):
    """How one :class:`~hwgen.layerspec.LayerSpec` maps onto finn-hlslib; its C++ snippets.

    Parameters
    ----------
    index : int
        Layer number (the ``Lx_`` prefix).
    spec : LayerSpec
        A spec with ``scores`` emits the accumulator (``PassThroughActivation``,
        ``ap_int<score_bits(acc_bits)>`` outputs) instead of thresholding it.
    in_stream_bits, out_stream_bits : int
        Widths of the streams the stage reads and writes (64 at the network's ends, else
        :func:`hwgen.folding.link_stream_bits`).
    """

    def __init__(self, index, spec, in_stream_bits=AXI_WORD_BITS, out_stream_bits=None):
        self.index = index
        self.spec = spec
        self.in_stream_bits = in_stream_bits
        self.out_stream_bits = self.mvau_out_bits if out_stream_bits is None else out_stream_bits

    def macro(self, name):
        """``'L<index>_<name>'``."""
        return 'L%d_%s' % (self.index, name)

    @property
    def scores(self):
        return self.spec.scores

    @property
    def n_thresholds(self):
        return self.spec.hw_thresholds

    @property
    def out_bits(self):
        return self.spec.out_bits

    @property
    def out_signed(self):
        if self.scores:
            return True
        if self.spec.a_bits == 1:
            return not self.spec.xnor
        return self.spec.act_val < 0

    @property
    def mvau_in_bits(self):
        """Width of one input word of the matrix-vector unit (SIMD input elements)."""
        return self.spec.folding.simd * self.spec.in_bits

    @property
    def mvau_out_bits(self):
        """Width of one output word of the matrix-vector unit (PE output elements)."""
        return self.spec.folding.pe * self.out_bits

    @property
    def in_interpretation(self):
        spec = self.spec
        if spec.xnor:
            return 'Recast<XnorMul>'
        if spec.in_type.bipolar:
            return 'Recast<Binary>'
        return 'Slice<%s>' % spec.in_type.cpp_type

    @property
    def out_interpretation(self):
        return 'Slice<%s>' % cpp_int_type(self.out_signed, self.out_bits)

    @property
    def weight_interpretation(self):
        """``None`` for XNOR layers (finn-hlslib's default Identity, as BNN-PYNQ writes it)."""
        if self.spec.xnor:
            return None
        return 'Recast<Binary>' if self.spec.w_bits == 1 else 'Identity'

    @property
    def weights_name(self):
        return 'weights%d' % self.index

    @property
    def activation_name(self):
        return ('passthrough%d' if self.scores else 'threshs%d') % self.index

    @property
    def weights_type(self):
        m = self.macro
        if self.spec.w_bits == 1:
            return 'BinaryWeights<%s,%s,%s>' % (m('SIMD'), m('PE'), m('WMEM'))
        return 'FixedPointWeights<%s,ap_int<%s>,%s,%s>' % (m('SIMD'), m('WPI'), m('PE'),
                                                           m('WMEM'))

    @property
    def activation_type(self):
        m = self.macro
        if self.scores:
            return 'PassThroughActivation<ap_int<%s>>' % m('API')
        args = [m('TMEM'), m('PE'), m('NTH'), 'ap_int<%s>' % m('ACC'),
                cpp_int_type(self.out_signed, m('API'))]
        if self.spec.act_val != 0:
            args.append(m('ACTVAL'))
        return 'ThresholdsActivation<%s>' % ','.join(args)

    @property
    def call_template_args(self):
        """Template arguments of this layer's ``StreamingFCLayer_Batch`` call."""
        m = self.macro
        args = [m('MW'), m('MH'), m('SIMD'), m('PE'), self.in_interpretation,
                self.out_interpretation]
        if self.weight_interpretation is not None:
            args.append(self.weight_interpretation)
        return ', '.join(args)

    def config_block(self):
        """This layer's ``config.h`` section (:func:`~hwgen.hls_render.layer_config_block`)."""
        return layer_config_block(self)

    def declarations(self, params=None):
        """``static`` memory declarations (:func:`~hwgen.hls_render.layer_declarations`)."""
        return layer_declarations(self, params)

    def meminit_cases(self):
        return layer_meminit_cases(self)

    def partition_pragmas(self):
        return layer_partition_pragmas(self)

    def call(self, in_stream, out_stream, resource):
        return layer_call(self, in_stream, out_stream, resource)




class HlsNetwork(object):
    """The layers of one accelerator, checked against finn-hlslib's stream constraints.

    Parameters
    ----------
    specs : sequence of LayerSpec
        A valid network (:func:`~hwgen.layerspec.validate_network`).
    last_layer : {'thresholds', 'scores'}
        The output mode of the last layer (:func:`~hwgen.layerspec.with_last_layer`).
    name : str
        Network name, used in comments and as the Vivado HLS project name.

    Raises
    ------
    ValueError
        Bad specs, an unknown ``last_layer``, or streams finn-hlslib cannot convert
        (:func:`hwgen.folding.check_streams`): a layer whose ``PE * A`` and the next layer's
        ``SIMD * A`` do not divide one another, a last layer whose ``PE * output bits`` and 64 do not, or a stream wider than 32768 bits.
    """

    def __init__(self, specs, last_layer='thresholds', name='qnn'):
        specs = validate_network(with_last_layer(specs, last_layer))
        self.name, self.last_layer = name, last_layer
        self.layers = [HlsLayer(index, spec) for index, spec in enumerate(specs)]
        in_streams = check_streams([layer.spec.folding for layer in self.layers],
                                   [layer.spec.in_bits for layer in self.layers],
                                   [layer.out_bits for layer in self.layers])
        for layer, stream_bits in zip(self.layers, in_streams):
            layer.in_stream_bits = stream_bits
        for layer, stream_bits in zip(self.layers, in_streams[1:] + [AXI_WORD_BITS]):
            layer.out_stream_bits = stream_bits
        self.widest_stream = max(max(l.in_stream_bits, l.mvau_in_bits, l.mvau_out_bits,
                                     l.out_stream_bits) for l in self.layers)

    @property
    def specs(self):
        return [layer.spec for layer in self.layers]

    @property
    def in_bits(self):
        return self.layers[0].spec.in_bits

    @property
    def in_signed(self):
        return self.layers[0].spec.in_signed

    @property
    def in_padded(self):
        return self.layers[0].spec.folding.padded_mw

    @property
    def in_words(self):
        """64-bit words per input image."""
        return self.in_padded * self.in_bits // AXI_WORD_BITS

    @property
    def out_bits(self):
        return self.layers[-1].out_bits

    @property
    def out_signed(self):
        return self.layers[-1].out_signed

    @property
    def out_padded(self):
        return self.layers[-1].spec.folding.padded_mh

    @property
    def out_words(self):
        """64-bit words per output image."""
        return self.out_padded * self.out_bits // AXI_WORD_BITS

    def io_dict(self):
        first, last = self.layers[0].spec.folding, self.layers[-1].spec.folding
        return {'in_bits': self.in_bits, 'in_signed': self.in_signed, 'in_elements': first.mw,
                'in_padded': self.in_padded, 'in_words': self.in_words,
                'out_bits': self.out_bits, 'out_signed': self.out_signed,
                'out_elements': last.mh, 'out_padded': self.out_padded,
                'out_words': self.out_words}

    @classmethod
    def from_dict(cls, layers, last_layer, name):
        """Rebuild from the ``layers`` records of :meth:`~hwgen.layerspec.LayerSpec.to_dict`."""
        specs = [LayerSpec.from_dict(record, index, len(layers))
                 for index, record in enumerate(layers)]
        return cls(specs, last_layer=last_layer, name=name)


def load_params(params_dir, network):
    """Packed parameters of ``network`` from a FINN parameter folder.

    A scores layer needs only its weights files; its thresholds are returned as an empty
    (PE, TMEM, 0) array.

    Returns
    -------
    list of LayerParams
    """
    params = []
    for layer in network.layers:
        f = layer.spec.folding
        if layer.scores:
            weights = np.stack([read_words(weights_path(params_dir, layer.index, pe), f.wmem)
                                for pe in range(f.pe)])
            params.append(LayerParams(weights, np.zeros((f.pe, f.tmem, 0), dtype=np.int64)))
        else:
            params.append(read_layer(params_dir, layer.index, f, layer.n_thresholds))
    return params


def _params_reference(params_dir, hw_dir):
    """``params_dir`` relative to ``hw_dir`` when it is a sibling or below, else absolute."""
    params_dir = os.path.abspath(params_dir)
    relative = os.path.relpath(params_dir, os.path.abspath(hw_dir))
    if relative.split(os.sep).count(os.pardir) <= 1:
        return relative
    return params_dir


def _write_text(path, text):
    with atomic_write(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))
    return path


def write_hls_project(specs, hw_dir, params=None, params_dir=None, bake_params=False,
                      last_layer='thresholds', name='qnn', clock_ns=DEFAULT_CLOCK_NS,
                      part=DEFAULT_PART, resource='lut', m_axi_depth=256):
    """Write the HLS sources and Vivado settings of a network into ``hw_dir``.

    Parameters
    ----------
    specs : sequence of LayerSpec
        The layers (e.g. :func:`~hwgen.layerspec.lfc_specs` or the IR's specs).
    hw_dir : str
        Output folder (created), conventionally ``OUT/hw``.
    params : sequence of LayerParams, optional
        Packed parameters to bake into ``params.h`` (with ``bake_params``).
    params_dir : str, optional
        The FINN parameter folder (``OUT/params``): recorded for Vivado's C simulation and,
        with ``bake_params`` and no ``params``, read for ``params.h``.
    bake_params : bool
        Write ``params.h`` with initialised memories; the testbench then runs with ``-``.
    last_layer : {'thresholds', 'scores'}
        See :class:`HlsNetwork`.
    name : str
        Network and Vivado HLS project name.
    clock_ns : float
        Target clock period (BNN-PYNQ: 5 ns on the Z7020).
    part : str
        FPGA part.
    resource : {'lut', 'dsp', 'default'}
        Multiplier resource hint.
    m_axi_depth : int
        Depth of the m_axi ports for co-simulation.

    Returns
    -------
    dict
        File role (``'config.h'``, ``'top.cpp'``, ``'tb.cpp'``, ``'hls_config.tcl'``,
        ``'hwgen.json'`` and ``'params.h'`` when baked) -> path written.

    Raises
    ------
    ValueError
        See :class:`HlsNetwork`; bad clock, part or parameter shapes; ``bake_params`` without
        ``params`` or ``params_dir``.
    """
    network = HlsNetwork(specs, last_layer=last_layer, name=name)
    if bake_params and params is None:
        if params_dir is None:
            raise ValueError('bake_params needs params or params_dir')
        params = load_params(params_dir, network)
    makedirs(hw_dir)
    rel_params = '' if params_dir is None else _params_reference(params_dir, hw_dir)
    texts = {'config.h': render_config_h(network),
             'top.cpp': render_top_cpp(network, baked=bake_params, resource=resource,
                                       m_axi_depth=m_axi_depth),
             'tb.cpp': render_testbench(network),
             'hls_config.tcl': render_hls_config(network, part, clock_ns, rel_params,
                                                 bake_params)}
    if bake_params:
        source = params_dir if params_dir is not None else 'packed parameters'
        texts['params.h'] = render_params_h(network, params, source)
    elif os.path.exists(os.path.join(hw_dir, 'params.h')):
        os.remove(os.path.join(hw_dir, 'params.h'))
        log.info('removed the stale %s', os.path.join(hw_dir, 'params.h'))
    project = {'format': PROJECT_FORMAT, 'name': name, 'top': DEFAULT_TOP,
               'last_layer': last_layer, 'part': part, 'clock_ns': clock_ns,
               'resource': resource, 'baked_params': bool(bake_params),
               'params_dir': rel_params or None, 'io': network.io_dict(),
               'layers': [layer.spec.to_dict() for layer in network.layers]}
    texts[PROJECT_FILE] = json.dumps(project, indent=1, sort_keys=True,
                                     separators=(',', ': ')) + '\n'
    written = {}
    for role in sorted(texts):
        written[role] = _write_text(os.path.join(hw_dir, role), texts[role])
    log.info('wrote the HLS project of %s (%d layers, last layer: %s) to %s', name,
             len(network.layers), last_layer, hw_dir)
    return written


def write_hw(network, out_dir, last_layer='scores', **options):
    """Export hook: write ``OUT/hw`` for a network whose parameters are in ``OUT/params``.

    For :data:`hwgen.export.ARTIFACT_WRITERS` (``writer(network, out_dir) -> paths``).

    Parameters
    ----------
    network : object
        Anything with ``specs`` (list of LayerSpec) and optionally a ``metadata`` dict with
        ``wbits`` and ``abits`` (the project is then named ``W<w>A<a>``), e.g.
        :class:`hwgen.network.HardwareNetwork`.
    out_dir : str
    last_layer : {'scores', 'thresholds'}
        Default ``'scores'``: trained networks are read out through their class scores.
    **options
        Further arguments of :func:`write_hls_project`.

    Returns
    -------
    list of str
        The files written.
    """
    metadata = getattr(network, 'metadata', None) or {}
    name = options.pop('name', None)
    if name is None:
        name = ('W%sA%s' % (metadata['wbits'], metadata['abits'])
                if 'wbits' in metadata and 'abits' in metadata else 'qnn')
    paths = write_hls_project(network.specs, os.path.join(out_dir, HW_DIR),
                              params_dir=os.path.join(out_dir, PARAMS_DIR),
                              last_layer=last_layer, name=name, **options)
    return [paths[role] for role in sorted(paths)]


def read_hls_project(hw_dir):
    """Read back ``hwgen.json`` of a project folder.

    Returns
    -------
    network : HlsNetwork
    project : dict
        The whole record (``name``, ``last_layer``, ``params_dir`` relative to ``hw_dir`` or
        None, ``baked_params``, ``io``, ...).

    Raises
    ------
    HwgenError
        No ``hwgen.json`` in ``hw_dir``, or a broken one, or one of another format.
    """
    path = os.path.join(hw_dir, PROJECT_FILE)
    if not os.path.isfile(path):
        raise HwgenError('%s not found: %s is not an hwgen HLS project folder' % (path, hw_dir))
    try:
        project = runs.read_json(path)
    except runs.RunError as error:
        raise HwgenError(str(error))
    if not isinstance(project, dict) or project.get('format') != PROJECT_FORMAT:
        raise HwgenError('%s is not an hwgen project record (format %r, expected %r)'
                         % (path, project.get('format') if isinstance(project, dict) else None,
                            PROJECT_FORMAT))
    try:
        network = HlsNetwork.from_dict(project['layers'], project['last_layer'],
                                       str(project['name']))   # Python 2's json gives unicode
    except KeyError as error:
        raise HwgenError('%s lacks the field %s' % (path, error))
    except (TypeError, ValueError) as error:
        raise HwgenError('%s holds an invalid network: %s' % (path, error))
    return network, project