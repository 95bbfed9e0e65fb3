"""``python -m qnn_brevitas``: argparse, one library call per command, an exit code.

Commands: ``train`` (the options of ``qnn train``, plus the quantizer settings), ``sweep``,
``compare`` and ``export``.
"""
from __future__ import absolute_import, division, print_function

import argparse
import logging
import sys

from qnn.cli import add_input_encoding_options
from qnn.config import ACTIVATION_NAMES, LAYER_ORDERS

__all__ = ['main', 'build_parser']


def _train(args):
    from .train import train
    metrics = train(args.out, data_dir=args.data_dir, progress=not args.no_progress,
                    threads=args.threads, wbits=args.wbits, abits=args.abits,
                    epochs=args.epochs, layer_order=args.layer_order,
                    activation=args.activation, seed=args.seed, train_size=args.train_size,
                    binarize_input=args.binarize_input, num_units=args.num_units,
                    n_hidden_layers=args.hidden_layers, lr_start=args.lr_start,
                    lr_end=args.lr_end, weight_quant=args.weight_quant,
                    act_quant=args.act_quant, schedule=args.schedule)
    print('test error %.2f%% at best-validation epoch %d (val error %.2f%%); run in %s'
          % (100 * metrics['test_error'], metrics['best_epoch'] + 1,
             100 * metrics['best_val_error'], args.out))


def _sweep(args):
    from . import sweep
    budgets = sweep.parse_int_list(args.epochs, 1)
    settings = sweep.load_or_create_study(args.out, {
        'train_size': args.train_size, 'num_units': args.num_units,
        'layer_order': args.layer_order, 'activation': args.activation,
        'binarize_input': args.binarize_input, 'schedule': args.schedule}, budgets)
    configs = sweep.plan_runs(sweep.parse_int_list(args.wbits, 1, 8),
                              sweep.parse_int_list(args.abits, 1, 8), budgets,
                              sweep.parse_int_list(args.seeds, 0),
                              sweep.parse_settings(args.weight_quant), settings,
                              act_quant=args.act_quant)
    counts = sweep.sweep(args.out, configs, data_dir=args.data_dir, threads=args.threads,
                         progress=not args.no_progress)
    print('%(planned)d runs planned, %(skipped)d already finished, %(ran)d trained '
          'in %(seconds).0f s' % counts)
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


def _add_train_options(parser):
    parser.add_argument('--layer-order', choices=LAYER_ORDERS,
                        help="'bn_act' (default, hardware-foldable) or 'act_bn' (Fig. 4)")
    parser.add_argument('--activation', choices=ACTIVATION_NAMES)
    parser.add_argument('--train-size', type=int, help='use the first N training images')
    parser.add_argument('--schedule', choices=('budget', 'bnn-pynq'),
                        help="learning-rate decay over the run's epochs ('budget') or over "
                             "1000 epochs as BNN-PYNQ's mnist.py ('bnn-pynq')")
    add_input_encoding_options(parser)
    parser.add_argument('--num-units', type=int, help='hidden layer width (default 1024)')
    parser.add_argument('--act-quant', choices=('paper', 'brevitas'),
                        help='activation quantizers (default: the weight quantizer setting)')
    parser.add_argument('--threads', type=int, help="torch's threads (default: torch's choice)")
    parser.add_argument('--data-dir', help='MNIST folder (default: $QNN_DATA_DIR or cache)')
    parser.add_argument('--no-progress', action='store_true', help='no progress bars')


def _add_train(commands):
    parser = commands.add_parser('train', help='train one quantized MLP with Brevitas')
    parser.add_argument('--wbits', type=int, required=True, help='weight bits, 1..8')
    parser.add_argument('--abits', type=int, required=True, help='activation bits, 1..8')
    parser.add_argument('--epochs', type=int, required=True, help='epoch budget')
    parser.add_argument('--seed', type=int)
    parser.add_argument('--hidden-layers', type=int, help='hidden layers (default 3)')
    parser.add_argument('--lr-start', type=float)
    parser.add_argument('--lr-end', type=float)
    parser.add_argument('--weight-quant', choices=('paper', 'brevitas'),
                        help="'paper' (default): the paper's grid, bit-exact with qnn; "
                             "'brevitas': bnn_pynq's CommonWeightQuant/CommonActQuant")
    _add_train_options(parser)
    parser.add_argument('--out', required=True, help='run folder')
    parser.set_defaults(handler=_train)


def _add_sweep(commands):
    parser = commands.add_parser('sweep', help='train a grid of Brevitas runs into a study')
    parser.add_argument('--wbits', required=True, help='e.g. 1..8 or 1,2,4')
    parser.add_argument('--abits', required=True, help='e.g. 1..8 or 1,2,4')
    parser.add_argument('--epochs', required=True, help='epoch budgets, e.g. 10,20')
    parser.add_argument('--seeds', default='1234', help='e.g. 1234 or 1..3 (default 1234)')
    parser.add_argument('--weight-quant', default='paper,brevitas',
                        help="quantizer settings to run (default 'paper,brevitas')")
    _add_train_options(parser)
    parser.add_argument('--no-compare', action='store_true',
                        help='skip writing the comparison afterwards')
    parser.add_argument('--out', required=True, help='study folder')
    parser.set_defaults(handler=_sweep)


def build_parser():
    """The argument parser of ``python -m qnn_brevitas``."""
    parser = argparse.ArgumentParser(
        prog='python -m qnn_brevitas',
        description="The paper's quantized MLP in Brevitas: train, sweep, compare with the "
                    'Theano runs, export to QONNX.')
    parser.add_argument('-v', '--verbose', action='store_true', help='log progress details')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    commands.required = True
    _add_train(commands)
    _add_sweep(commands)
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
    from .config import ConfigError
    from .sweep import StudyError
    try:
        return args.handler(args) or 0
    except (ConfigError, DataError, PathError, RunError, StudyError) as error:
        sys.stderr.write('qnn_brevitas %s: error: %s\n' % (args.command, error))
        return 2


if __name__ == '__main__':
    sys.exit(main())
