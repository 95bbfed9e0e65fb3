"""``qnn hwgen rtl RUN_DIR --out OUT`` through ``qnn.cli.main``."""
from __future__ import absolute_import, division, print_function

import json
import os

import pytest

from hwgen.trained.network import from_run
from hwgen.rtl.writer import read_rtl
from qnn import cli

from test_cli_hwgen import make_run

FOLDING = '8,8,8:8,8,8'


@pytest.fixture
def run_dir(tmpdir):
    return make_run(str(tmpdir.join('run')), wbits=2, abits=3)


def test_writes_the_runs_network(run_dir, tmpdir, capsys):
    out = str(tmpdir.join('rtl'))
    assert cli.main(['hwgen', 'rtl', run_dir, '--out', out, '--folding', FOLDING,
                     '--threshold-unit', 'search', '--name', 'w2a3']) == 0
    record, specs = read_rtl(out)
    assert specs == from_run(run_dir, folding=FOLDING).specs
    assert record['threshold_unit'] == 'search' and record['top'] == 'w2a3'
    assert os.path.isfile(os.path.join(out, 'w2a3.v'))
    printed = capsys.readouterr().out
    assert 'search threshold unit, 416 cycles per image' in printed and out in printed


def test_refuses_an_unknown_unit(run_dir, tmpdir):
    with pytest.raises(SystemExit) as info:
        cli.main(['hwgen', 'rtl', run_dir, '--out', str(tmpdir.join('rtl')),
                  '--threshold-unit', 'fast'])
    assert info.value.code == 2


def test_simulates_and_reports(run_dir, tmpdir, capsys, verilator, mnist_dir):
    out = str(tmpdir.join('rtl'))
    assert cli.main(['hwgen', 'rtl', run_dir, '--out', out, '--folding', FOLDING,
                     '--last-layer', 'scores', '--simulate', '20', '--data-dir', mnist_dir]) == 0
    with open(os.path.join(out, 'sim', 'report.json')) as handle:
        report = json.load(handle)
    assert report['passed'] and report['n_images'] == 20 and report['interval_cycles'] == 416
    printed = capsys.readouterr().out
    assert '20 images: 0 mismatches against the integer model (PASS)' in printed
    assert 'initiation interval 416 cycles' in printed
