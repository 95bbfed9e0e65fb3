"""``python -m qnn_brevitas``: argparse, one library call per command, an exit code.

Commands: ``train`` and ``sweep`` (the options of :mod:`qnn.options` the Brevitas back end
takes, the sweep run by qnn's sweep engine), ``compare`` and ``export``.
"""
from __future__ import absolute_import, division, print_function

import logging
import sys

from qnn.backends import BREVITAS
from qnn.cli import OneLineErrorParser
from qnn.options import SWEEP, TRAIN, add_options, config_values, grid_lists

__all__ = ['main', 'build_parser']


def _train(args):
    from qnn.runs import result_line
    from .train import train
    metrics = train(args.out, data_dir=args.data_dir, progress=not args.no_progress,
                    threads=args.threads, max_epochs=args.stop_after,
                    **config_values(args, TRAIN, BREVITAS, BREVITAS))
    print(result_line(metrics, args.out, args.epochs))


def _sweep(args):
    from qnn.sweep.command import check_inputs, run_sweep
    from . import sweep
    check_inputs(args)
    grid = grid_lists(args, BREVITAS)
    settings = sweep.load_or_create_study(
        args.out, config_values(args, SWEEP, BREVITAS, BREVITAS), grid['epochs'])
    configs = sweep.plan_runs(grid['wbits'], grid['abits'], grid['epochs'], grid['seed'],
                              sweep.parse_settings(args.weight_quant), settings,
                              act_quant=args.act_quant)
    run_sweep(args, sweep.BREVITAS_BACKEND, configs)
    if not args.no_compare:
        _print_comparison(args.out)


def _print_comparison(study_dir):
    from qnn.compare import write_comparison
    for path in write_comparison(study_dir)['paths']:
        print(path)


def _compare(args):
    from qnn.compare import write_comparison
    result = write_comparison(args.study_dir, out_dir=args.out, plot=not args.no_plot)
    with open(result['paths'][1]) as handle:
        sys.stdout.write(handle.read())
    for path in result['paths']:
        print(path)


def _export(args):
    from .export import export_run
    path, result = export_run(args.run_dir, data_dir=args.data_dir, images=args.images)
    print('%s: %d images, %d of %d activations differ (%d images; largest distance from a '
          'rounding midpoint %.3g), max |score difference| %.3g, classes agree %.2f%%: %s'
          % (path, result['images'], result['activation_mismatches'],
             result['activation_values'], result['images_with_mismatch'],
             result['max_mismatch_margin'], result['max_abs_score_diff'],
             100 * result['classes_agree_fraction'], 'OK' if result['ok'] else 'MISMATCH'))
    return 0 if result['ok'] else 1


def _add_run_command(commands, command, help_text, handler):
    parser = commands.add_parser(command, help=help_text)
    add_options(parser, command, backends=(BREVITAS,), program=BREVITAS)
    parser.set_defaults(handler=handler)


def build_parser():
    """The argument parser of ``python -m qnn_brevitas``."""
    parser = OneLineErrorParser(
        prog='python -m qnn_brevitas',
        description="The paper's quantized MLP in Brevitas: train, sweep, compare with the "
                    'Theano runs, export to QONNX.')
    parser.add_argument('-v', '--verbose', action='store_true', help='log progress details')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    commands.required = True
    _add_run_command(commands, TRAIN, 'train one quantized MLP with Brevitas', _train)
    _add_run_command(commands, SWEEP, 'train a grid of Brevitas runs into a study', _sweep)
    compare = commands.add_parser('compare', help='Theano vs Brevitas table and figure')
    compare.add_argument('study_dir')
    compare.add_argument('--out', help='output folder (default <study>/compare)')
    compare.add_argument('--no-plot', action='store_true', help='only the CSV and Markdown')
    compare.set_defaults(handler=_compare)
    export = commands.add_parser('export', help="export a run to QONNX and check the graph")
    export.add_argument('run_dir')
    export.add_argument('--images', type=int, default=10000, help='test images to check')
    export.add_argument('--data-dir')
    export.set_defaults(handler=_export)
    return parser


def main(argv=None):
    """Run the command; returns the exit code (0 ok, 1 a failed check, 2 a user error)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format='%(levelname)s %(name)s: %(message)s')
    from qnn.data.mnist import DataError
    from qnn.paths import PathError
    from qnn.runs import RunError
    from qnn.sweep.engine import SweepError
    from .config import ConfigError
    from .sweep import StudyError
    try:
        return args.handler(args) or 0
    except (ConfigError, DataError, PathError, RunError, StudyError, SweepError) as error:
        sys.stderr.write('qnn_brevitas %s: error: %s\n' % (args.command,
                                                            ' '.join(str(error).split())))
        return 2


if __name__ == '__main__':
    sys.exit(main())
