"""``qnn hwgen``: generate the hardware parameters of a run, evaluate a parameter folder.

* ``qnn hwgen RUN_DIR --out OUT [--folding F | --cycles N] [--force]`` (same as
  ``qnn hwgen export ...``) writes ``OUT/params/``, the HLS project ``OUT/hw/`` and
  ``OUT/manifest.json`` (see :mod:`hwgen.trained.export`).
* ``qnn hwgen eval DIR [--wbits W --abits A] [--data-dir D] [--binarize-input]`` prints the
  integer model's MNIST test accuracy for an export (``DIR`` with ``manifest.json``) or a
  bare BNN-PYNQ parameter folder (then ``--wbits``/``--abits`` are required).
* ``qnn hwgen csim OUT [--finn-hlslib DIR] [--ap-types DIR] [--images N]`` compiles the
  generated C++ with g++ and checks every output against the integer model.
* ``qnn hwgen score`` prints the resource estimates against every published figure
  (:mod:`hwgen.estimate.scoring`) as Markdown tables.
* ``qnn hwgen qonnx RUN_DIR [--out FILE] [--batch-size N]`` writes the run as a QONNX model
  (see :mod:`hwgen.qonnx.export` and ``docs/qonnx.md``).
* ``qnn hwgen rtl RUN_DIR --out OUT [--threshold-unit parallel|search] [--simulate N]`` writes
  the run's Verilog and simulates it with Verilator (see :mod:`hwgen.rtl.cli`, ``docs/rtl.md``).
* ``qnn hwgen synth RUN_DIR --out OUT`` synthesises that Verilog with Yosys for the Z7020,
  module by module (see :mod:`hwgen.synth.cli`, ``docs/synthesis.md``).

Plugged into :mod:`qnn.cli` through :func:`add_commands` and :data:`ERRORS`.
"""
from __future__ import absolute_import, division, print_function

import os

from qnn.cli import OneLineErrorParser
from qnn.naming import network_name

from hwgen.errors import HwgenError
from hwgen.finn.thresholds import ThresholdError
from hwgen.folding.resolve import add_folding_arguments
from qnn.options import EVAL, add_options

__all__ = ['add_commands', 'ERRORS', 'ACTIONS', 'DEFAULT_ACTION']

#: Exceptions whose message ``qnn`` shows without a traceback (exit code 2).
ERRORS = (HwgenError, ThresholdError)

ACTIONS = ('export', 'eval', 'csim', 'score', 'qonnx', 'rtl', 'synth')
#: ``qnn hwgen RUN_DIR ...`` means ``qnn hwgen export RUN_DIR ...``.
DEFAULT_ACTION = 'export'
_HELP = ('-h', '--help')


class _DefaultActionParser(OneLineErrorParser):
    """An argument parser that inserts :data:`DEFAULT_ACTION` when no action is named.

    argparse cannot make a sub-command optional, and ``qnn hwgen RUN_DIR --out OUT`` must
    keep working next to ``qnn hwgen eval DIR``: this is the one place where the argument
    list is rewritten.
    """

    def parse_known_args(self, args=None, namespace=None):
        args = list(args) if args is not None else []
        if args and args[0] not in ACTIONS and args[0] not in _HELP:
            args.insert(0, DEFAULT_ACTION)
        return super(_DefaultActionParser, self).parse_known_args(args, namespace)


def _export(args):
    from hwgen.trained.export import MANIFEST, export_run
    manifest = export_run(args.run_dir, args.out, folding=args.folding, overwrite=args.force,
                          cycles=args.cycles)
    layers = manifest['layers']
    print('wrote %d files for %s %s (folding %s, %d cycles per image, acc_bits %s) and %s '
          'to %s' % (len(manifest['files']), '-'.join(map(str, manifest['network']['sizes'])),
                     network_name(manifest['network']['wbits'], manifest['network']['abits']),
                     manifest['folding'], max(layer['cycles'] for layer in layers),
                     ','.join(str(layer['acc_bits']) for layer in layers), MANIFEST,
                     os.path.abspath(args.out)))
    if manifest.get('hw_dir'):
        print('HLS project: %s (check it with: qnn hwgen csim %s)'
              % (os.path.join(os.path.abspath(args.out), manifest['hw_dir']), args.out))


def _eval(args):
    from hwgen.trained.readback import evaluate_folder
    accuracy, count = evaluate_folder(args.folder, data_dir=args.data_dir, wbits=args.wbits,
                                      abits=args.abits, binarize_input=args.binarize_input,
                                      folding=args.folding)
    print('accuracy %.2f%% (error %.2f%%) on %d MNIST test images'
          % (100 * accuracy, 100 * (1 - accuracy), count))


def _csim(args):
    from hwgen.trained.readback import csim_project
    summary = csim_project(args.out_dir, n_images=args.images, finn_hlslib=args.finn_hlslib,
                           ap_types=args.ap_types, data_dir=args.data_dir, offset=args.offset)
    print('C simulation of %d images: %d mismatches against the integer model (%s); '
          'accuracy %.2f%%' % (summary['n_images'], summary['n_mismatches'],
                               'PASS' if summary['passed'] else 'FAIL',
                               100 * summary['accuracy']))
    return 0 if summary['passed'] else 1


def _read_synthesis(paths):
    import json
    records = []
    for path in paths:
        try:
            with open(path) as handle:
                records.append(json.load(handle))
        except (IOError, OSError, ValueError) as error:
            raise HwgenError('--synth %s: not a qnn hwgen synth record (%s)' % (path, error))
    return records


def _score(args):
    from hwgen.estimate.scoring import render_markdown, score
    try:
        result = score(_read_synthesis(args.synth))
    except ValueError as error:
        raise HwgenError(str(error))
    print(render_markdown(result), end='')


def _add_score(actions):
    parser = actions.add_parser('score', help='the resource estimates against every published '
                                "figure (BNN-PYNQ's LFC designs, the paper's Table 2 and fit "
                                'counts), with errors')
    parser.add_argument('--synth', nargs='*', default=[], metavar='SYNTH_JSON',
                        help='also score these qnn hwgen synth records of BNN-PYNQ designs '
                        '(e.g. results/synthesis/*/synth.json)')
    parser.set_defaults(handler=_score)


def _qonnx(args):
    from hwgen.qonnx.export import export_qonnx
    out = args.out or os.path.join(args.run_dir, 'qonnx.onnx')
    model = export_qonnx(args.run_dir, out, batch_size=args.batch_size)
    print('wrote %s (%d nodes: %s)' % (os.path.abspath(out), len(model.graph.node),
                                       ', '.join(sorted(set(n.op_type
                                                            for n in model.graph.node)))))


def _add_qonnx(actions):
    parser = actions.add_parser('qonnx', help='write a run as a QONNX model (MatMul, Quant, '
                                'MultiThreshold) for FINN and QONNX tools; needs onnx')
    parser.add_argument('run_dir', help='a run folder (config.json, params.npz)')
    parser.add_argument('--out', help='the .onnx file (default: RUN_DIR/qonnx.onnx)')
    parser.add_argument('--batch-size', type=int, default=1,
                        help="the graph's fixed batch dimension (default 1, as FINN expects)")
    parser.set_defaults(handler=_qonnx)


def _add_csim(actions):
    parser = actions.add_parser('csim', help='compile OUT/hw with g++ and compare every output '
                                'with the integer model')
    parser.add_argument('out_dir', help='an export folder (with hw/ and params/)')
    parser.add_argument('--finn-hlslib', help='finn-hlslib at commit 8b7f5f5 (default: '
                        '$QNN_FINN_HLSLIB, the finn-hlslib/ submodule, ../finn-hlslib)')
    parser.add_argument('--ap-types', help="hls4ml's ap_types headers (default: "
                        '$QNN_AP_TYPES, third_party/ap_types from `make ap-types`)')
    parser.add_argument('--images', type=int, default=100, help='MNIST test images to run')
    parser.add_argument('--offset', type=int, default=0, help='first test image')
    parser.add_argument('--data-dir', help='MNIST folder (default: $QNN_DATA_DIR or cache)')
    parser.set_defaults(handler=_csim)


def _add_export(actions):
    parser = actions.add_parser('export', help='write OUT/params, OUT/hw and '
                                'OUT/manifest.json of a run (the default action)')
    parser.add_argument('run_dir', help='a run folder (config.json, params.npz)')
    parser.add_argument('--out', required=True, help='output folder')
    add_folding_arguments(parser)
    parser.add_argument('--force', action='store_true',
                        help='replace an earlier export in --out')
    parser.set_defaults(handler=_export)


def _add_eval(actions):
    parser = actions.add_parser('eval', help='MNIST test accuracy of the integer model of a '
                                'parameter folder')
    parser.add_argument('folder', help='an export (with manifest.json) or a bare BNN-PYNQ '
                        'parameter folder')
    add_options(parser, EVAL)
    parser.add_argument('--folding', help='folding of a bare folder (default: the default '
                        'folding of 784-1024x3-10 for --wbits/--abits, LFC for W1A1/W1A2)')
    parser.set_defaults(handler=_eval)


def add_commands(subparsers):
    """Add ``hwgen`` (with the actions ``export`` and ``eval``) to ``qnn``'s sub-commands."""
    parser = subparsers.add_parser(
        'hwgen', help='FINN-style hardware: export a run, evaluate a folder, C-simulate, QONNX',
        description='qnn hwgen RUN_DIR --out OUT (= qnn hwgen export ...) | '
                    'qnn hwgen eval DIR | qnn hwgen csim OUT | qnn hwgen score | '
                    'qnn hwgen qonnx RUN_DIR | qnn hwgen rtl RUN_DIR --out OUT | '
                    'qnn hwgen synth RUN_DIR --out OUT')
    parser.__class__ = _DefaultActionParser
    actions = parser.add_subparsers(dest='hwgen_action', metavar='ACTION',
                                    parser_class=OneLineErrorParser)
    actions.required = True
    _add_export(actions)
    _add_eval(actions)
    _add_csim(actions)
    _add_score(actions)
    _add_qonnx(actions)
    from hwgen.rtl.cli import add_parser as add_rtl
    from hwgen.synth.cli import add_parser as add_synth
    add_rtl(actions)
    add_synth(actions)
    return parser
