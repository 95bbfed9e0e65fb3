"""``qnn sweep``, ``qnn results``, ``qnn figures``, ``qnn report``: the study's commands."""
from __future__ import absolute_import, division, print_function

import os
import sys

from . import plan
from .sweep import SweepError

__all__ = ['add_commands', 'ERRORS']

ERRORS = (plan.StudyError, SweepError)


def _grid(args):
    profile = plan.PROFILES['quick' if args.quick else args.profile]
    wbits = plan.parse_int_list(args.wbits, 1, 8) if args.wbits else profile['wbits']
    abits = plan.parse_int_list(args.abits, 1, 8) if args.abits else profile['abits']
    epochs = plan.parse_int_list(args.epochs, 1) if args.epochs else profile['epochs']
    seeds = plan.parse_int_list(args.seeds, 0) if args.seeds else profile['seeds']
    overrides = dict(profile['settings'])
    for key in ('train_size', 'num_units', 'layer_order', 'activation', 'binarize_input',
                'schedule'):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    if args.until is not None and args.until < 1:
        raise plan.StudyError('--until must be at least 1, got %d' % args.until)
    from .hardware import check_cycles
    settings = plan.load_or_create_study(
        args.out, overrides, epochs, cycles=args.cycles,
        check=lambda settings, cycles: check_cycles(wbits, abits, settings, cycles))
    return plan.plan_runs(wbits, abits, epochs, seeds, settings['schedule']), settings


def _sweep(args):
    from .sweep import make_dask_client, sweep
    specs, settings = _grid(args)
    client = None
    if args.scheduler or args.cluster_config:
        client = make_dask_client(args.scheduler, args.cluster_config)
    try:
        counts = sweep(args.out, specs, settings, data_dir=args.data_dir, jobs=args.jobs,
                       client=client, progress=not args.no_progress, until=args.until)
    finally:
        if client is not None:
            client.close()
    print('%(planned)d runs planned, %(skipped)d already done, %(ran)d trained '
          'in %(seconds).0f s' % counts)
    if not args.no_report:
        _publish(args.out)


def _publish(study_dir):
    from .figures import draw_all
    from .report import write_report
    from .store import build_store, read_store
    print('results store: %s' % build_store(study_dir))
    results = read_store(study_dir)
    figures = draw_all(results, os.path.join(study_dir, 'figures'))
    for path in write_report(results, figures, study_dir):
        print('report: %s' % path)


def _results(args):
    from .store import build_store, read_store, write_csv
    path = build_store(args.study_dir)
    results = read_store(args.study_dir)
    print('%s: %d finished runs, %d networks' % (path, len(results['runs']),
                                                 len(results['hardware'])))
    if args.csv:
        target = os.path.join(args.study_dir, 'results.csv') if args.csv == 'auto' else args.csv
        if target == '-':
            from .store import csv_text
            sys.stdout.write(csv_text(results))
        else:
            print('csv: %s' % write_csv(results, target))


def _figures(args):
    from .figures import draw_all
    from .store import read_store
    for name, paths in sorted(draw_all(read_store(args.study_dir),
                                       os.path.join(args.study_dir, 'figures')).items()):
        print('%s: %s' % (name, ', '.join(paths)))


def _report(args):
    _publish(args.study_dir)


def _compare(args):
    from qnn_brevitas.compare import write_comparison
    result = write_comparison(args.study_dir, out_dir=args.out, plot=not args.no_plot)
    for path in result['paths']:
        print(path)


def _add_sweep(commands):
    parser = commands.add_parser('sweep', help="run the study's grid of training runs")
    parser.add_argument('--profile', choices=sorted(plan.PROFILES), default='paper',
                        help="'paper': 64 networks x 10,20,30,50,100 epochs (default); "
                             "'quick': W,A in 1,2,4,8, 1 and 2 epochs, 5000 images")
    parser.add_argument('--quick', action='store_true', help='same as --profile quick')
    parser.add_argument('--wbits', help='e.g. 1..8 or 1,2,4')
    parser.add_argument('--abits', help='e.g. 1..8 or 1,2,4')
    parser.add_argument('--epochs', help='epoch budgets, e.g. 10,20,30,50,100')
    parser.add_argument('--seeds', help='e.g. 1234 or 1..3')
    parser.add_argument('--train-size', type=int)
    parser.add_argument('--num-units', type=int)
    parser.add_argument('--layer-order', choices=('bn_act', 'act_bn'))
    parser.add_argument('--activation', choices=('hard_tanh', 'tanh'))
    parser.add_argument('--schedule', choices=('budget', 'bnn-pynq'),
                        help="'budget': one run per epoch budget, the learning rate decayed over "
                             "it; 'bnn-pynq': one run per network, decay over 1000 epochs, "
                             "budgets read off on the way (default: qnn train's)")
    parser.add_argument('--until', type=int, metavar='K',
                        help='train each run only to epoch K for now (resumable)')
    inputs = parser.add_mutually_exclusive_group()
    inputs.add_argument('--binarize-input', dest='binarize_input', action='store_true',
                        default=None, help='+1/-1 inputs (default)')
    inputs.add_argument('--pixel-input', dest='binarize_input', action='store_false',
                        help='8-bit pixels scaled to [-1, 1]')
    parser.add_argument('--cycles', type=int, metavar='N',
                        help="target cycles per image of every network's hardware folding "
                             "(default 512, LFC's; fixed in study.json); refused if a network "
                             'of the grid cannot meet it')
    parser.add_argument('--jobs', type=int, default=1, help='local worker processes')
    parser.add_argument('--scheduler', help='Dask scheduler address (tcp://host:8786)')
    parser.add_argument('--cluster-config', help='dask-jobqueue cluster file (YAML/JSON)')
    parser.add_argument('--data-dir')
    parser.add_argument('--no-progress', action='store_true')
    parser.add_argument('--no-report', action='store_true',
                        help='skip building the store, figures and report afterwards')
    parser.add_argument('--out', required=True, help='study folder')
    parser.set_defaults(handler=_sweep)


def add_commands(commands):
    """Register the study's commands on the ``qnn`` argument parser."""
    _add_sweep(commands)
    results = commands.add_parser('results', help='build the results store (and CSV)')
    results.add_argument('study_dir')
    results.add_argument('--csv', nargs='?', const='auto',
                         help='write a flat CSV (default <study>/results.csv; - for stdout)')
    results.set_defaults(handler=_results)
    figures = commands.add_parser('figures', help="draw the study's figures from its store")
    figures.add_argument('study_dir')
    figures.set_defaults(handler=_figures)
    report = commands.add_parser('report', help='store, figures and the reproduction report')
    report.add_argument('study_dir')
    report.set_defaults(handler=_report)
    compare = commands.add_parser('compare', help='Theano vs Brevitas runs of a study, side by '
                                  'side (table and plot; see docs/brevitas.md)')
    compare.add_argument('study_dir')
    compare.add_argument('--out', help='output folder (default <study>/compare)')
    compare.add_argument('--no-plot', action='store_true')
    compare.set_defaults(handler=_compare)
