"""The generated Verilog in the other open-source tools, and what a missing tool means.

Icarus compiles a whole design and Yosys elaborates it (the subset of Verilog both read), for
a small network using every module: the parallel and the search threshold units, class scores.
"""
from __future__ import absolute_import, division, print_function

import os
import subprocess

import numpy as np
import pytest

from hwgen.folding.base import network_folding
from hwgen.intmodel import IntegerLayer, IntegerModel
from hwgen.layerspec import LayerSpec
from hwgen.rtl.writer import write_rtl

from rtl_settings import missing_tool


def _small_model():
    """784-16-16-10 on 8-bit pixels (input word gathering), 3-bit weights and activations."""
    rng = np.random.RandomState(0)
    foldings = network_folding([784, 16, 16, 10], [16, 8, 4], [4, 4, 8])
    specs = [LayerSpec(foldings[0], w_bits=3, in_bits=8, a_bits=3, in_signed=False),
             LayerSpec(foldings[1], w_bits=3, in_bits=3, a_bits=3),
             LayerSpec(foldings[2], w_bits=3, in_bits=3, a_bits=1)]
    layers = []
    for spec in specs:
        f = spec.folding
        weights = rng.randint(-4, 4, size=(f.padded_mh, f.padded_mw))
        thresholds = np.sort(rng.randint(-300, 300, size=(f.padded_mh, spec.n_thresholds)),
                             axis=1)
        layers.append(IntegerLayer(spec, weights, thresholds))
    return IntegerModel(layers)


@pytest.fixture(scope='module', params=[('search', 'thresholds'), ('parallel', 'scores')],
                ids=['search', 'parallel-scores'])
def small_design(request, tmpdir_factory):
    unit, last_layer = request.param
    folder = str(tmpdir_factory.mktemp('small') / 'rtl')
    record = write_rtl(_small_model(), folder, last_layer=last_layer, threshold_unit=unit,
                       name='net')
    return folder, [os.path.join(folder, name) for name in record['verilog']]


def _run(command, cwd):
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.communicate()[0].decode('utf-8', 'replace')
    return process.returncode, output


def test_icarus_compiles_the_design(small_design, iverilog, tmp_path):
    folder, files = small_design
    status, output = _run([iverilog, '-g2005', '-s', 'net', '-o', str(tmp_path / 'net.vvp')]
                          + files, folder)
    assert status == 0, output
    assert 'warning' not in output.lower(), output


def test_yosys_elaborates_the_design(small_design, yosys):
    folder, files = small_design
    script = 'read_verilog %s; hierarchy -check -top net; proc; stat' % ' '.join(files)
    status, output = _run([yosys, '-p', script], folder)
    assert status == 0, output[-3000:]
    assert 'ERROR' not in output
    assert '$memrd' in output or 'memrd' in output          # the memories stay memories


@pytest.mark.parametrize('required, outcome', [('', pytest.skip.Exception),
                                               ('0', pytest.skip.Exception),
                                               ('1', pytest.fail.Exception)])
def test_missing_tool_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setenv('QNN_RTL_REQUIRED', required)
    with pytest.raises(outcome) as info:
        missing_tool('verilator not found')
    assert 'verilator not found' in str(info.value)


@pytest.mark.parametrize('text, expected', [(None, 200), ('', 200), (' 150 ', 150),
                                             ('ALL', 10000)])
def test_rtl_image_count(text, expected):
    from rtl_settings import rtl_image_count
    assert rtl_image_count(text) == expected


@pytest.mark.parametrize('text', ['0', '10001', 'many'])
def test_rtl_image_count_rejects(text):
    from rtl_settings import rtl_image_count
    with pytest.raises(pytest.UsageError):
        rtl_image_count(text)
