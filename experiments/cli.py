"""``qnn sweep``, ``qnn results``, ``qnn figures``, ``qnn report``: the study's commands."""
from __future__ import absolute_import, division, print_function

import os
import sys

from qnn.backends import BREVITAS, THEANO, BackendError, add_backend_options, run_brevitas
from qnn.options import (OPTIONS, SWEEP, add_options, check_backend, config_values,
                         forwarded_words, grid_lists)
from qnn.study import StudyError
from qnn.sweep.command import check_inputs, run_sweep
from qnn.sweep.engine import SweepError
from qnn.sweep.plan import plan_configs
from qnn.sweep.theano_backend import THEANO_BACKEND

from . import plan
from .recommend import RecommendError
from .sweep import open_study

__all__ = ['add_commands', 'ERRORS']

ERRORS = (StudyError, SweepError, RecommendError)


def _profile_grid(args):
    """The grid of ``args``, what is not given filled from the profile (``--quick``,
    ``--profile``): ``{option name: list}`` (see :func:`qnn.options.grid_lists`)."""
    profile = plan.PROFILES['quick' if args.quick else args.profile]
    fill = {'wbits': profile['wbits'], 'abits': profile['abits'], 'epochs': profile['epochs'],
            'seed': profile['seeds']}
    return grid_lists(args, fill=fill), profile


def _sweep_brevitas(args):
    """The same grid (the profile fills what is not given) trained by the Brevitas flow."""
    if args.cycles is not None:
        raise BackendError('--cycles works only with the theano back end')
    grid, profile = _profile_grid(args)
    for row in OPTIONS:
        if row.is_list(SWEEP) and row.name in grid:
            setattr(args, row.dest_for(SWEEP), ','.join(str(value) for value in grid[row.name]))
    for key, value in profile['settings'].items():
        if getattr(args, key, None) is None:
            setattr(args, key, value)
    return run_brevitas(SWEEP, forwarded_words(args, SWEEP), args.brevitas_python, args.verbose)


def _sweep(args):
    check_backend(args, SWEEP, args.backend)
    if args.backend == BREVITAS:
        return _sweep_brevitas(args)
    check_inputs(args)
    grid, profile = _profile_grid(args)
    overrides = dict(profile['settings'])
    overrides.update((key, value) for key, value in config_values(args, SWEEP, THEANO).items()
                     if value is not None)
    settings = open_study(args.out, overrides, grid['wbits'], grid['abits'], grid['epochs'],
                          args.cycles, grid['seed'])
    run_sweep(args, THEANO_BACKEND, plan_configs(THEANO_BACKEND, settings, grid['wbits'],
                                                 grid['abits'], grid['epochs'], grid['seed']))
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


def _synthesize(args):
    from hwgen.rtl.design import THRESHOLD_UNITS
    from hwgen.synth.network import check_settings
    from hwgen.synth.yosys import DEFAULT_TIMEOUT
    from .synthesis import synthesize_study
    units = args.units.split(',')
    unknown = [unit for unit in units if unit not in THRESHOLD_UNITS]
    if unknown:
        raise StudyError('--units: unknown threshold unit %s (known: %s)'
                         % (', '.join(unknown), ', '.join(THRESHOLD_UNITS)))
    check_settings(args.samples, args.jobs, DEFAULT_TIMEOUT)
    networks = args.networks.split(',') if args.networks else None
    synthesize_study(args.study_dir, networks, units, samples=args.samples, jobs=args.jobs,
                     progress=not args.no_progress)


def _add_synthesize(commands):
    from hwgen.synth.network import DEFAULT_SAMPLES
    parser = commands.add_parser(
        'synthesize', help="yosys-xc7 figures of the study's networks (Yosys, module by "
        'module) into <study>/synthesis/<network>-<unit>/synth.json; resumable')
    parser.add_argument('study_dir')
    parser.add_argument('--networks', help='comma-separated, in this order (default: every '
                        'network with runs, by W then A)')
    parser.add_argument('--units', default='parallel,search',
                        help='threshold units (default parallel,search)')
    parser.add_argument('--samples', type=int, default=DEFAULT_SAMPLES, metavar='K',
                        help='memories of one shape synthesised where contents change the count '
                        '(default %d)' % DEFAULT_SAMPLES)
    parser.add_argument('--jobs', type=int, default=1, help='Yosys runs at a time (default 1)')
    parser.add_argument('--no-progress', action='store_true')
    parser.set_defaults(handler=_synthesize)


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
    parser = commands.add_parser('sweep', help="run the study's grid of training runs")
    parser.add_argument('--profile', choices=sorted(plan.PROFILES), default='paper',
                        help="'paper': 64 networks x 10,20,30,50,100 epochs (default); "
                             "'quick': W,A in 1,2,4,8, 1 and 2 epochs, 5000 images; the grid "
                             'options below replace its parts')
    parser.add_argument('--quick', action='store_true', help='same as --profile quick')
    parser.add_argument('--cycles', type=int, metavar='N',
                        help="target cycles per image of every network's hardware folding "
                             "(default 512, LFC's; fixed in study.json); refused if a network "
                             'of the grid cannot meet it')
    add_backend_options(parser)
    add_options(parser, SWEEP, profile=True)
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
    _add_synthesize(commands)
