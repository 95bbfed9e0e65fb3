"""The paper stack and the modern stack give the same bits for the same run.

Runs only where both environments of ``make test`` exist (``.venv/`` and ``.venv-py27/``), from
the modern one; the paper-stack run is a ``qnn train`` subprocess of the other interpreter.
"""
from __future__ import absolute_import

import os
import subprocess
import sys

import pytest

from qnn import runs

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
STACKS = {'modern': os.path.join(ROOT, '.venv', 'bin', 'python'),
          'paper': os.path.join(ROOT, '.venv-py27', 'bin', 'python')}


@pytest.mark.skipif(sys.version_info[0] == 2, reason='run once, from the modern stack')
@pytest.mark.skipif(not all(os.path.isfile(p) for p in STACKS.values()),
                    reason='needs both .venv/ and .venv-py27/ (make test creates them)')
def test_same_seed_same_bits_in_both_stacks(tmpdir, mnist_dir):
    digests = {}
    for stack, python in sorted(STACKS.items()):
        out = str(tmpdir.join(stack))
        subprocess.check_call([python, '-m', 'qnn', 'train', '--wbits', '2', '--abits', '2',
                               '--epochs', '2', '--train-size', '1000', '--num-units', '128',
                               '--data-dir', mnist_dir, '--no-progress', '--out', out])
        digests[stack] = [epoch['params_sha256'] for epoch in runs.read_metrics(out)['epochs']]
        assert runs.read_config(out)['software']['theano'] == ('1.0.5' if stack == 'modern'
                                                               else '0.9.0')
    assert digests['modern'] == digests['paper']
