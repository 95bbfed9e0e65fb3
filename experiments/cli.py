"""``qnn sweep``, ``qnn results``, ``qnn figures``, ``qnn report``: the study's commands."""
from __future__ import absolute_import, division, print_function

import os
import sys

from qnn.cli import add_input_encoding_options
from qnn.config import ACTIVATION_NAMES, LAYER_ORDERS
from qnn.study import StudyError, parse_int_list, plan_runs

from . import plan
from .recommend import RecommendError
from .sweep import SweepError

__all__ = ['add_commands', 'ERRORS']

ERRORS = (StudyError, SweepError, RecommendError)


def _grid(args):
    profile = plan.PROFILES['quick' if args.quick else args.profile]
    wbits = parse_int_list(args.wbits, 1, 8) if args.wbits else profile['wbits']
    abits = parse_int_list(args.abits, 1, 8) if args.abits else profile['abits']
    epochs = parse_int_list(args.epochs, 1) if args.epochs else profile['epochs']
    seeds = parse_int_list(args.seeds, 0) if args.seeds else profile['seeds']
    overrides = dict(profile['settings'])
    for key in ('train_size', 'num_units', 'layer_order', 'activation', 'binarize_input',
                'schedule'):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    if args.until is not None and args.until < 1:
        raise StudyError('--until must be at least 1, got %d' % args.until)
    from .hardware import check_cycles
    settings = plan.load_or_create_study(
        args.out, overrides, epochs, cycles=args.cycles, seeds=seeds,
        check=lambda settings, cycles: check_cycles(wbits, abits, settings, cycles))
    return plan_runs(wbits, abits, epochs, seeds, settings['schedule']), settings


#: ``qnn sweep`` options the Brevitas flow does not have, as ``(dest, flag)``.
THEANO_SWEEP_OPTIONS = (('until', '--until'), ('jobs', '--jobs'), ('scheduler', '--scheduler'),
                        ('cluster_config', '--cluster-config'))
#: ``qnn sweep`` options ``python -m qnn_brevitas sweep`` has too (--no-report skips its
#: comparison, the step that follows its sweep).
BREVITAS_SWEEP_OPTIONS = (
    ('wbits', '--wbits'), ('abits', '--abits'), ('epochs', '--epochs'), ('seeds', '--seeds'),
    ('weight_quant', '--weight-quant'), ('act_quant', '--act-quant'),
    ('layer_order', '--layer-order'), ('activation', '--activation'),
    ('train_size', '--train-size'), ('schedule', '--schedule'),
    ('binarize_input', ('--binarize-input', '--pixel-input')), ('num_units', '--num-units'),
    ('threads', '--threads'), ('data_dir', '--data-dir'), ('no_progress', '--no-progress'),
    ('no_report', '--no-compare'), ('out', '--out'))


def _sweep_brevitas(args):
    """The same grid (the profile fills what is not given) trained by the Brevitas flow."""
    from qnn.backends import BREVITAS, check_options, forwarded_options, run_brevitas
    check_options(args, THEANO_SWEEP_OPTIONS, BREVITAS)
    profile = plan.PROFILES['quick' if args.quick else args.profile]
    for key in ('wbits', 'abits', 'epochs', 'seeds'):
        if getattr(args, key) is None:
            setattr(args, key, ','.join(str(value) for value in profile[key]))
    for key, value in profile['settings'].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    return run_brevitas('sweep', forwarded_options(args, BREVITAS_SWEEP_OPTIONS),
                        args.brevitas_python, args.verbose)


def _check_sweep_inputs(args):
    """What can be checked before the study folder is touched: options, files, MNIST."""
    if args.jobs is not None and args.jobs < 1:
        raise StudyError('--jobs must be at least 1, got %d' % args.jobs)
    if args.cluster_config and not os.path.isfile(args.cluster_config):
        raise StudyError('--cluster-config %s: no such file' % args.cluster_config)
    if not (args.scheduler or args.cluster_config):  # Dask workers read MNIST on their side
        from qnn.data.mnist import load_raw
        load_raw(args.data_dir)  # once, here, rather than in every run's train.log


def _sweep(args):
    from qnn.backends import BREVITAS, BREVITAS_ONLY, THEANO, check_options
    if args.backend == BREVITAS:
        return _sweep_brevitas(args)
    check_options(args, BREVITAS_ONLY, THEANO)
    from .sweep import make_dask_client, sweep
    _check_sweep_inputs(args)
    specs, settings = _grid(args)
    client = None
    if args.scheduler or args.cluster_config:
        client = make_dask_client(args.scheduler, args.cluster_config)
    try:
        counts = sweep(args.out, specs, settings, data_dir=args.data_dir, jobs=args.jobs or 1,
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
    if args.csv and os.path.isdir(args.csv):  # before the store is rebuilt
        raise StudyError('--csv %s is a folder, not a file' % args.csv)
    path = build_store(args.study_dir)
    results = read_store(args.study_dir)
    print('%s: %d finished runs, %d networks' % (path, len(results['runs']),
                                                 len(results['hardware'])))
    if args.csv:
        target = os.path.join(args.study_dir, 'results.csv') if args.csv == 'auto' else args.csv
        if target == '-':
            from .store import results_csv
            sys.stdout.write(results_csv(results))
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


def _summary(args):
    from .store import read_store
    from .summary import update_file
    results = read_store(args.study_dir)
    for path in args.files:
        print('%s: %s' % (path, 'updated' if update_file(path, results) else 'unchanged'))


def _compare(args):
    from qnn.compare import write_comparison
    result = write_comparison(args.study_dir, out_dir=args.out, plot=not args.no_plot)
    for path in result['paths']:
        print(path)


def _recommend(args):
    from . import recommend
    from .store import read_store
    budget, name = recommend.device_budget(args.device, args.lut, args.ff, args.bram)
    if args.plot:
        recommend.plot_format(args.plot)
    result = recommend.recommend(read_store(args.study_dir), budget, args.images_per_second,
                                 args.epochs, args.clock_mhz)
    sys.stdout.write(recommend.format_recommendation(result, name, budget,
                                                     args.images_per_second))
    if args.plot:
        print('plot: %s' % recommend.plot_front(result, budget, args.plot))


def _add_recommend(commands):
    from .recommend import DEFAULT_CLOCK_MHZ, DEVICES
    parser = commands.add_parser('recommend', help='the Pareto front of error vs resources and '
                                 'the best network that fits a device')
    parser.add_argument('study_dir')
    parser.add_argument('--device', type=str.lower, choices=sorted(DEVICES),
                        help='device whose capacity is the budget')
    parser.add_argument('--lut', type=int, help='LUT budget (overrides the device)')
    parser.add_argument('--ff', type=int, help='FF budget (overrides the device)')
    parser.add_argument('--bram', type=int, help='BRAM_18K budget (overrides the device)')
    parser.add_argument('--images-per-second', type=float, metavar='N',
                        help="minimum throughput (each network's cycles per image) at --clock-mhz")
    parser.add_argument('--epochs', type=int, metavar='E', help='epoch budget: each '
                        "network's error at its largest trained budget <= E")
    parser.add_argument('--clock-mhz', type=float,
                        help='accelerator clock (default: the HLS clock the store records for '
                             'each network, else %g MHz as BNN-PYNQ)' % DEFAULT_CLOCK_MHZ)
    parser.add_argument('--plot', metavar='FILE', help='draw the front (.png or .pdf)')
    parser.set_defaults(handler=_recommend)


def _add_sweep(commands):
    from qnn.backends import add_backend_options
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
    parser.add_argument('--layer-order', choices=LAYER_ORDERS)
    parser.add_argument('--activation', choices=ACTIVATION_NAMES)
    parser.add_argument('--schedule', choices=('budget', 'bnn-pynq'),
                        help="'budget': one run per epoch budget, the learning rate decayed over "
                             "it; 'bnn-pynq': one run per network, decay over 1000 epochs, "
                             "budgets read off on the way (default: qnn train's)")
    parser.add_argument('--until', type=int, metavar='K',
                        help='train each run only to epoch K for now (resumable)')
    add_input_encoding_options(parser)
    parser.add_argument('--cycles', type=int, metavar='N',
                        help="target cycles per image of every network's hardware folding "
                             "(default 512, LFC's; fixed in study.json); refused if a network "
                             'of the grid cannot meet it')
    parser.add_argument('--jobs', type=int, help='local worker processes (default 1)')
    parser.add_argument('--scheduler', help='Dask scheduler address (tcp://host:8786)')
    parser.add_argument('--cluster-config', help='dask-jobqueue cluster file (YAML/JSON)')
    parser.add_argument('--data-dir')
    parser.add_argument('--no-progress', action='store_true')
    parser.add_argument('--no-report', action='store_true',
                        help='skip building the store, figures and report afterwards')
    add_backend_options(parser)
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
    summary = commands.add_parser(
        'summary', help="fill the marked summary blocks of Markdown files with the study's "
        'numbers (<!-- qnn-summary:NAME --> ... <!-- /qnn-summary:NAME -->)')
    summary.add_argument('study_dir')
    summary.add_argument('files', nargs='+', help='Markdown files to update in place')
    summary.set_defaults(handler=_summary)
    compare = commands.add_parser('compare', help='Theano vs Brevitas runs of a study, side by '
                                  'side (table and plot; see docs/brevitas.md)')
    compare.add_argument('study_dir')
    compare.add_argument('--out', help='output folder (default <study>/compare)')
    compare.add_argument('--no-plot', action='store_true')
    compare.set_defaults(handler=_compare)
    _add_recommend(commands)
