"""Which reading of "accuracy after 10 epochs" matches the paper: train and compare.

Trains W1A1, W2A2, W3A3 and W4A4 on the full 50 000 training images with binarised inputs under
both schedules (``budget``: a 10-epoch run whose learning-rate decay spans 10 epochs;
``bnn-pynq``: the first 10 epochs of a 100-epoch run whose decay spans 1000 epochs, as
BNN-PYNQ's ``mnist.py``), then prints the test errors beside the paper's 10-epoch band as a
Markdown table (the one in ``docs/fidelity.md``). Runs that exist are resumed or reused, so the
script can be interrupted and started again.

    python benchmarks/fidelity_schedules.py --out studies/fidelity [--jobs 2] [--seed 1234]

Each study folder (``<out>/budget``, ``<out>/bnn-pynq``) is an ordinary qnn study: ``qnn sweep``
with the same settings continues it.
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from experiments import store  # noqa: E402
from experiments.sweep import sweep  # noqa: E402
from qnn.study import RunSpec  # noqa: E402

NETWORKS = (1, 2, 3, 4)
BUDGET = 10
#: The paper's band at 10-20 epochs: (low, high) test error in % for 1-3-bit weights, and the
#: upper bound for >= 4-bit weights.
PAPER_LOW_BITS = (3.9, 4.7)
PAPER_HIGH_BITS_BELOW = 3.7


def _specs(schedule, seed):
    length = 100 if schedule == 'bnn-pynq' else BUDGET
    return [RunSpec(bits, bits, length, seed) for bits in NETWORKS]


def train_both(out_dir, seed, jobs, data_dir):
    """Train (or resume) the eight runs; returns ``{schedule: study folder}``."""
    studies = {}
    for schedule in ('budget', 'bnn-pynq'):
        study_dir = os.path.join(out_dir, schedule)
        sweep(study_dir, _specs(schedule, seed), {'schedule': schedule, 'binarize_input': True},
              data_dir, jobs=jobs, until=BUDGET, readouts=[BUDGET])
        studies[schedule] = study_dir
    return studies


def paper_band(wbits):
    """The paper's 10-epoch test-error claim for ``wbits`` as text, and a test of a value."""
    if wbits <= 3:
        low, high = PAPER_LOW_BITS
        return '%.1f-%.1f %%' % (low, high), lambda error: low <= error <= high
    return '< %.1f %%' % PAPER_HIGH_BITS_BELOW, lambda error: error < PAPER_HIGH_BITS_BELOW


def ten_epoch_errors(study_dir):
    """``{wbits: test error in %}`` at the 10-epoch readout of a study's diagonal runs."""
    return {record['wbits']: 100. * record['test_error']
            for record in store.result_records(study_dir, [BUDGET])
            if record['epochs'] == BUDGET and record['wbits'] == record['abits']}


def markdown_table(studies, seed):
    """The comparison as Markdown lines."""
    errors = {schedule: ten_epoch_errors(folder) for schedule, folder in studies.items()}
    lines = ['| network | budget (decay over 10 epochs) | bnn-pynq (decay over 1000) | paper, 10 epochs |',
             '|---|---|---|---|']
    inside = {'budget': 0, 'bnn-pynq': 0}
    for bits in NETWORKS:
        band, holds = paper_band(bits)
        cells = []
        for schedule in ('budget', 'bnn-pynq'):
            value = errors[schedule].get(bits)
            if value is None:
                cells.append('not yet trained')
                continue
            inside[schedule] += holds(value)
            cells.append('%.2f %%%s' % (value, '' if holds(value) else ' (outside)'))
        lines.append('| W%dA%d | %s | %s | %s |' % (bits, bits, cells[0], cells[1], band))
    lines.append('')
    lines.append('Seed %d, 50 000 training images, binarised inputs; test error at the '
                 'best-validation epoch of the first 10. Inside the paper\'s band: budget %d of '
                 '%d, bnn-pynq %d of %d.' % (seed, inside['budget'], len(NETWORKS),
                                             inside['bnn-pynq'], len(NETWORKS)))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True, help='folder for the two studies')
    parser.add_argument('--seed', type=int, default=1234)
    parser.add_argument('--jobs', type=int, default=2)
    parser.add_argument('--data-dir')
    parser.add_argument('--table-only', action='store_true', help='do not train, only print')
    args = parser.parse_args(argv)
    if args.table_only:
        studies = {s: os.path.join(args.out, s) for s in ('budget', 'bnn-pynq')}
    else:
        studies = train_both(args.out, args.seed, args.jobs, args.data_dir)
    print('\n'.join(markdown_table(studies, args.seed)))


if __name__ == '__main__':
    main()
