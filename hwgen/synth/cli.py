"""``qnn hwgen synth``: a network's ``yosys-xc7`` resources, module by module.

``qnn hwgen synth RUN_DIR --out OUT [--lfc W1A1|W1A2] [--folding F | --cycles N]
[--threshold-unit parallel|search] [--samples K] [--dsp] [--jobs J] [--cache DIR]`` writes the
network's Verilog into ``OUT/rtl`` (as ``qnn hwgen rtl``), synthesises each distinct module
with Yosys (:mod:`hwgen.synth.network`), prints the breakdown and the total and writes them to
``OUT/synth.json``. ``RUN_DIR`` may also be an RTL folder written by ``qnn hwgen rtl`` (it has
an ``rtl.json``): then it is synthesised as it is.
"""
from __future__ import absolute_import, division, print_function

import json
import os

from hwgen.rtl.cli import add_design_arguments, write_design
from hwgen.rtl.writer import RECORD_FILE
from hwgen.synth.network import DEFAULT_SAMPLES, check_settings, synthesize_network
from hwgen.synth.yosys import DEFAULT_TIMEOUT
from qnn.fileio import atomic_write, makedirs
from qnn.paths import output_dir

__all__ = ['SYNTH_FILE', 'add_parser', 'run', 'render_table']

SYNTH_FILE = 'synth.json'
_SHOWN = ('LUT', 'LUTRAM', 'FF', 'BRAM_18K', 'DSP')


def render_table(result):
    """The breakdown of a :func:`~hwgen.synth.network.synthesize_network` result as text."""
    width = max(len(line['label']) for line in result['parts'] + [{'label': 'total'}])
    header = '%-*s %s' % (width, 'part', ' '.join('%9s' % key for key in _SHOWN))
    rows = [header, '-' * len(header)]
    for line in result['parts'] + [{'label': 'total', 'resources': result['total'],
                                    'note': ''}]:
        cells = ' '.join('%9d' % line['resources'][key] for key in _SHOWN)
        rows.append(('%-*s %s  %s' % (width, line['label'], cells, line['note'])).rstrip())
    rows.insert(len(rows) - 1, '-' * len(header))
    return '\n'.join(rows) + '\n'


def _rtl_dir(args):
    if os.path.isfile(os.path.join(args.run_dir, RECORD_FILE)):
        return args.run_dir
    rtl_dir = os.path.join(args.out, 'rtl')
    write_design(args, rtl_dir)
    return rtl_dir


def run(args):
    """The handler of ``qnn hwgen synth``."""
    output_dir(args.out)
    check_settings(args.samples, args.jobs, args.timeout)
    rtl_dir = _rtl_dir(args)
    makedirs(args.out)
    result = synthesize_network(rtl_dir, cache_dir=args.cache or os.path.join(args.out, 'units'),
                                samples=args.samples, dsp=args.dsp, jobs=args.jobs,
                                timeout=args.timeout, progress=True)
    with atomic_write(os.path.join(args.out, SYNTH_FILE), 'w') as handle:
        handle.write(json.dumps(result, indent=1, sort_keys=True) + '\n')
    print('%s figures (%s, %s threshold unit, %d cycles per image, products in %s):'
          % (result['source'], result['tool'], result['rtl']['threshold_unit'],
             result['rtl']['cycles'], 'DSPs' if result['dsp'] else 'LUTs'))
    print(render_table(result), end='')
    print('%d Yosys runs, %.0f s CPU; written to %s'
          % (result['yosys_runs'], result['cpu_seconds'],
             os.path.abspath(os.path.join(args.out, SYNTH_FILE))))
    return 0


def add_parser(actions):
    """Add the ``synth`` action to ``qnn hwgen``'s actions."""
    parser = actions.add_parser('synth', help="synthesise a run's Verilog with Yosys for the "
                                'Z7020 (xc7), module by module: LUT, FF, BRAM_18K, DSP')
    add_design_arguments(parser)
    parser.add_argument('--out', required=True, help='output folder (rtl/, units/, synth.json)')
    parser.add_argument('--samples', type=int, default=DEFAULT_SAMPLES, metavar='K',
                        help='memories of one shape synthesised where their contents change '
                        'the count (0: all; default %d)' % DEFAULT_SAMPLES)
    parser.add_argument('--dsp', action='store_true',
                        help='let products use DSP48E1 slices (default: products in LUTs)')
    parser.add_argument('--jobs', type=int, default=1, help='Yosys runs at a time (default 1)')
    parser.add_argument('--cache', metavar='DIR',
                        help='where module counts are kept between runs (default OUT/units)')
    parser.add_argument('--timeout', type=float, default=DEFAULT_TIMEOUT,
                        help='seconds one module may take (default %d)' % DEFAULT_TIMEOUT)
    parser.set_defaults(handler=run)
    return parser
