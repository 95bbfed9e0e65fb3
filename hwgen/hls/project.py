"""The HLS project folder: the one writer of its files, its record ``hwgen.json`` and its reader.

:func:`write_hls_project` fills the template files in ``hwgen/hls/templates/`` (real C++/TCL with
``@NAME@`` markers, :mod:`hwgen.hls.render`) for an :class:`~hwgen.hls.layers.HlsNetwork`.

Files written into the project folder (``OUT/hw``):

* ``config.h`` -- ``Lx_SIMD, Lx_PE, Lx_WMEM, Lx_TMEM, Lx_MW, Lx_MH, Lx_WPI, Lx_API, Lx_WPF,
  Lx_APF`` as finnthesizer writes them, plus ``Lx_IPI, Lx_NTH, Lx_ACC, Lx_ACTVAL`` and the
  network's I/O sizes ``HW_*``;
* ``top.cpp`` -- the ``BlackBoxJam`` top (``DoMemInit`` / ``DoCompute``);
* ``params.h`` -- only with ``bake_params``: the memories with their initial values;
* ``tb.cpp`` -- the C simulation testbench (see :mod:`hwgen.hls.csim`);
* ``hls_config.tcl`` -- settings for ``Vivado_tcl/run_hls.tcl``;
* ``hwgen.json`` -- the layer records and I/O layout, read back by :func:`read_hls_project`.
"""
from __future__ import absolute_import, division, print_function

import json
import logging
import os

import numpy as np

from hwgen.errors import HwgenError
from hwgen.finn.files import LayerParams, read_layer, read_words, weights_path
from hwgen.hls.layers import HlsNetwork
from hwgen.hls.render import (DEFAULT_CLOCK_NS, DEFAULT_PART, DEFAULT_TOP, render_config_h,
                              render_hls_config, render_params_h, render_testbench,
                              render_top_cpp)
from qnn import runs
from qnn.fileio import atomic_write, makedirs

__all__ = ['PROJECT_FILE', 'HW_DIR', 'PARAMS_DIR', 'load_params', 'write_hls_project',
           'write_hw', 'project_params_dir', 'read_hls_project']

log = logging.getLogger(__name__)

#: Machine-readable project description inside the project folder.
PROJECT_FILE = 'hwgen.json'
PROJECT_FORMAT = 'hwgen-hls/1'
#: Sub-folders of an export folder (``qnn hwgen RUN --out OUT``): HLS project, FINN parameters.
HW_DIR = 'hw'
PARAMS_DIR = 'params'


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

    For :data:`hwgen.trained.export.ARTIFACT_WRITERS` (``writer(network, out_dir) -> paths``).

    Parameters
    ----------
    network : object
        Anything with ``specs`` (list of LayerSpec) and optionally a ``metadata`` dict with
        ``wbits`` and ``abits`` (the project is then named ``W<w>A<a>``), e.g.
        :class:`hwgen.trained.network.HardwareNetwork`.
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


def project_params_dir(hw_dir, project, params_dir=None):
    """``params_dir`` if given, else the parameter folder ``project`` (``hwgen.json``) records
    relative to ``hw_dir``, else None."""
    if params_dir is not None:
        return params_dir
    if project.get('params_dir'):
        return os.path.normpath(os.path.join(hw_dir, project['params_dir']))
    return None


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