"""``qnn hwgen rtl``: write the Verilog of a trained run, optionally simulate it.

``qnn hwgen rtl RUN_DIR --out OUT [--lfc W1A1|W1A2] [--folding F | --cycles N]
[--threshold-unit parallel|search] [--last-layer thresholds|scores] [--name NAME]
[--simulate N] [--data-dir D]`` writes the
design into ``OUT`` (:func:`~hwgen.rtl.writer.write_rtl`); with ``--simulate N`` it then runs
the first ``N`` MNIST test images through Verilator, compares every output with the integer
model and prints the latency and initiation interval (also written to ``OUT/sim/report.json``).
"""
from __future__ import absolute_import, division, print_function

import json
import os

from hwgen.rtl.design import THRESHOLD_UNITS
from hwgen.rtl.ir import LFC_CYCLES, HwgenError, IntegerModel, add_folding_arguments, from_run, \
    lfc_specs
from qnn.fileio import atomic_write
from qnn.paths import output_dir

__all__ = ['add_parser', 'run']


def _test_images(n_images, data_dir):
    """The first ``n_images`` MNIST test images, read before anything is written."""
    if n_images < 0:
        raise HwgenError('--simulate must be at least 0 images, got %d' % n_images)
    if not n_images:
        return None
    from qnn.data.mnist import load_subset
    return load_subset('test', data_dir)[0][:n_images]


def _simulate(out_dir, model, images):
    from hwgen.rtl.simulate import simulate
    result = simulate(out_dir, model, images=images)
    report = result.summary()
    with atomic_write(os.path.join(out_dir, 'sim', 'report.json'), 'wb') as handle:
        handle.write((json.dumps(report, indent=1, sort_keys=True) + '\n').encode('utf-8'))
    print('Verilator simulation of %d images: %d mismatches against the integer model (%s); '
          'latency %d cycles, initiation interval %s cycles'
          % (result.n_images, result.n_mismatches, 'PASS' if result.passed else 'FAIL',
             result.latency, result.interval))
    return 0 if result.passed else 1


def integer_model(args):
    """The integer model of ``args.run_dir``: a trained run, or with ``--lfc`` a BNN-PYNQ
    parameter folder of that LFC network at BNN-PYNQ's folding."""
    if args.lfc:
        if args.folding or args.cycles != LFC_CYCLES:
            raise HwgenError('--lfc reads BNN-PYNQ parameters at their own folding: '
                             'give no --folding or --cycles')
        return IntegerModel.from_folder(args.run_dir, lfc_specs(args.lfc))
    return from_run(args.run_dir, folding=args.folding, cycles=args.cycles).integer_model()


def write_design(args, out_dir):
    """Write the Verilog of the network ``args`` name into ``out_dir``; return the integer
    model and the folder's record."""
    from hwgen.rtl.writer import write_rtl
    model = integer_model(args)
    record = write_rtl(model, out_dir, last_layer=args.last_layer,
                       threshold_unit=args.threshold_unit, name=args.name)
    print('wrote %d Verilog files and %d memories (%s threshold unit, %d cycles per image) to %s'
          % (len(record['verilog']), len(record['memories']), record['threshold_unit'],
             record['cycles'], os.path.abspath(out_dir)))
    return model, record


def run(args):
    """The handler of ``qnn hwgen rtl``."""
    output_dir(args.out)
    images = _test_images(args.simulate, args.data_dir)
    model, _ = write_design(args, args.out)
    if images is not None:
        return _simulate(args.out, model, images)
    return 0


def add_design_arguments(parser):
    """The arguments that name a network and its design (``qnn hwgen rtl`` and ``synth``)."""
    parser.add_argument('run_dir', help='a run folder (config.json, params.npz), or with '
                        '--lfc a BNN-PYNQ parameter folder')
    parser.add_argument('--lfc', choices=('W1A1', 'W1A2'),
                        help="RUN_DIR is BNN-PYNQ's parameter folder of this LFC network")
    add_folding_arguments(parser)
    parser.add_argument('--threshold-unit', choices=THRESHOLD_UNITS, default='parallel',
                        help="'parallel': every threshold compared in one cycle (as "
                        "finn-hlslib); 'search': binary search, one comparator per output bit "
                        '(default parallel)')
    parser.add_argument('--last-layer', choices=('thresholds', 'scores'), default='thresholds',
                        help='the last layer outputs thresholded bits (as BNN-PYNQ) or its '
                        'class scores (default thresholds)')
    parser.add_argument('--name', default='qnn', help='name of the top module (default qnn)')


def add_parser(actions):
    """Add the ``rtl`` action to ``qnn hwgen``'s actions."""
    parser = actions.add_parser('rtl', help='write the Verilog of a run (and simulate it with '
                                'Verilator against the integer model)')
    add_design_arguments(parser)
    parser.add_argument('--out', required=True, help='output folder of the Verilog')
    parser.add_argument('--simulate', type=int, default=0, metavar='N',
                        help='simulate the first N MNIST test images with Verilator')
    parser.add_argument('--data-dir', help='MNIST folder (default: $QNN_DATA_DIR or cache)')
    parser.set_defaults(handler=run)
    return parser
