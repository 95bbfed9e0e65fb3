"""Vivado_tcl/run_hls.tcl and run_hls.sh, run by tclsh against a stub of the Vivado HLS commands.

``tests/hwgen/hls/tcl_stub/stub.tcl`` defines ``open_project``, ``add_files``, ... as
procedures that append each call to ``$HLS_STUB_LOG``; the tests assert the recorded sequence.
"""
from __future__ import absolute_import, division, print_function

import os
import stat
import subprocess

import numpy as np
import pytest

try:
    from shutil import which
except ImportError:   # Python 2
    from distutils.spawn import find_executable as which

from hwgen.hls.project import write_hls_project
from hwgen.layerspec import lfc_specs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
RUN_HLS_TCL = os.path.join(ROOT, 'Vivado_tcl', 'run_hls.tcl')
RUN_HLS_SH = os.path.join(ROOT, 'Vivado_tcl', 'run_hls.sh')
STUB = os.path.join(HERE, 'tcl_stub', 'stub.tcl')
TCLSH = which('tclsh')

pytestmark = pytest.mark.skipif(TCLSH is None, reason='tclsh not found (apt-get install tcl)')


@pytest.fixture
def hw(tmp_path):
    """An LFC W1A1 project in tmp/out/hw with params in tmp/out/params, and a fake finn-hlslib."""
    out = tmp_path / 'out'
    finn = tmp_path / 'finn-hlslib'
    finn.mkdir()
    (finn / 'fclayer.h').write_bytes(b'// stub\n')
    (out / 'params').mkdir(parents=True)
    write_hls_project(lfc_specs('W1A1'), str(out / 'hw'), params_dir=str(out / 'params'),
                      name='lfcW1A1')
    return {'hw': str(out / 'hw'), 'out': str(out), 'finn': str(finn), 'tmp': str(tmp_path),
            'log': str(tmp_path / 'calls.log')}


def write_csim_inputs(hw_dir, n_images, expected=True):
    os.mkdir(os.path.join(hw_dir, 'csim'))
    np.zeros(n_images * 13, '<u8').tofile(os.path.join(hw_dir, 'csim', 'input.bin'))
    if expected:
        np.zeros(n_images, '<u8').tofile(os.path.join(hw_dir, 'csim', 'expected.bin'))


def run(hw, args, command=None, env=None, plain_argv=False):
    """Run the flow (default: the stub on run_hls.tcl); return (status, output, recorded calls)."""
    environ = dict(os.environ, HLS_STUB_LOG=hw['log'])
    if plain_argv:
        environ['HLS_STUB_PLAIN_ARGV'] = '1'
    environ.update(env or {})
    command = command or [TCLSH, STUB, RUN_HLS_TCL]
    process = subprocess.Popen(command + list(args), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, cwd=hw['tmp'], env=environ)
    output = process.communicate()[0].decode('utf-8', 'replace')
    calls = []
    if os.path.exists(hw['log']):
        with open(hw['log']) as handle:
            calls = handle.read().splitlines()
    return process.returncode, output, calls


def setup_calls(hw, project='lfcW1A1', part='xc7z020clg400-1', clock='5'):
    cflags = '{-std=c++0x -I%s -I%s}' % (hw['finn'], hw['hw'])
    return ['open_project -reset %s' % project,
            'set_top BlackBoxJam',
            'add_files %s/top.cpp -cflags %s' % (hw['hw'], cflags),
            'add_files -tb %s/tb.cpp -cflags %s' % (hw['hw'], cflags),
            'open_solution -reset sol1',
            'set_part %s' % part,
            'config_interface -m_axi_addr64',
            'create_clock -period %s -name default' % clock]


def test_default_flow_runs_csim_csynth_export(hw):
    write_csim_inputs(hw['hw'], 3)
    status, output, calls = run(hw, [hw['hw'], hw['finn']])
    assert status == 0, output
    tb_argv = '%s/params %s/csim/input.bin 3 %s/csim/output.bin %s/csim/expected.bin' % (
        hw['out'], hw['hw'], hw['hw'], hw['hw'])
    assert calls == setup_calls(hw) + [
        'csim_design -argv {%s} -compiler clang' % tb_argv,
        'csynth_design',
        'export_design -format ip_catalog',
        'exit 0']
    assert os.path.isdir(os.path.join(hw['out'], 'hls'))    # the default build folder
    assert 'reports in %s/hls/lfcW1A1/sol1/syn/report' % hw['out'] in output


def test_default_flow_skips_csim_without_inputs(hw):
    status, output, calls = run(hw, [hw['hw'], hw['finn']])
    assert status == 0, output
    assert 'warning: no %s/csim/input.bin, skipping csim' % hw['hw'] in output
    assert calls == setup_calls(hw) + ['csynth_design', 'export_design -format ip_catalog',
                                       'exit 0']


def test_explicit_csim_needs_inputs(hw):
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'csim'])
    assert status == 1
    assert 'csim needs %s/csim/input.bin' % hw['hw'] in output
    assert not [c for c in calls if c.startswith('csim_design')] and calls[-1] == 'exit 1'


def test_steps_and_overrides(hw):
    build = os.path.join(hw['tmp'], 'build')
    write_csim_inputs(hw['hw'], 1, expected=False)
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'csim,csynth',
                                     'part=xczu3eg-sbva484-1-i', 'clock=3', 'build=' + build,
                                     'project=u96', 'compiler=gcc',
                                     'params=' + hw['tmp']])
    assert status == 0, output
    assert calls == setup_calls(hw, 'u96', 'xczu3eg-sbva484-1-i', '3') + [
        'csim_design -argv {%s %s/csim/input.bin 1 %s/csim/output.bin} -compiler gcc'
        % (hw['tmp'], hw['hw'], hw['hw']),
        'csynth_design', 'exit 0']
    assert os.path.isdir(build)


def test_cosim_and_export_format(hw):
    write_csim_inputs(hw['hw'], 2)
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'export,cosim', 'format=syn_dcp'])
    assert status == 0, output
    # steps always run in flow order: cosim before export
    assert calls[-3].startswith('cosim_design -argv {%s/params ' % hw['out'])
    assert calls[-2:] == ['export_design -format syn_dcp', 'exit 0']


def test_plain_tclsh_argv_is_accepted(hw):
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'csynth'], plain_argv=True)
    assert status == 0, output
    assert calls == setup_calls(hw) + ['csynth_design', 'exit 0']


def test_baked_project_runs_the_testbench_without_params(hw, tmp_path):
    hw_dir = str(tmp_path / 'baked')
    write_hls_project(lfc_specs('W1A1'), hw_dir, bake_params=True,
                      params=_zero_params(), name='baked')
    write_csim_inputs(hw_dir, 1)
    status, output, calls = run(hw, [hw_dir, hw['finn'], 'csim'])
    assert status == 0, output
    assert calls[-2].startswith('csim_design -argv {- %s/csim/input.bin 1 ' % hw_dir)


def _zero_params():
    from hwgen.finn.files import LayerParams
    return [LayerParams(np.zeros((s.folding.pe, s.folding.wmem), np.uint64),
                        np.zeros((s.folding.pe, s.folding.tmem, 1), np.int64))
            for s in lfc_specs('W1A1')]


@pytest.mark.parametrize('args, message', [
    (['{hw}'], 'usage: vivado_hls -f run_hls.tcl -tclargs HW_DIR FINN_HLSLIB'),
    (['{hw}', '{finn}', 'csim,route'], 'unknown step "route"; steps are csim,csynth,cosim,export'),
    (['{hw}', '{finn}', 'csynth', 'speed=fast'], 'bad option "speed=fast"'),
    (['{hw}', '{finn}', 'csynth', 'clock=-1'], 'clock must be a positive period in ns, got "-1"'),
    (['{tmp}', '{finn}'], 'has no hls_config.tcl: not an hwgen HLS project folder'),
    (['{hw}', '{tmp}'], 'has no fclayer.h: not a finn-hlslib checkout at commit 8b7f5f5'),
])
def test_bad_arguments_fail_before_any_vivado_command(hw, args, message):
    status, output, calls = run(hw, [a.format(**hw) for a in args])
    assert status == 1 and message in output
    assert calls == ['exit 1']


# --- run_hls.sh: finding vivado_hls ------------------------------------------------------------

def fake_vivado_hls(folder):
    """An executable ``vivado_hls`` that runs its -f script under the stub."""
    os.makedirs(folder)
    path = os.path.join(folder, 'vivado_hls')
    with open(path, 'w') as handle:
        handle.write('#!/bin/sh\n[ "$1" = "-f" ] || exit 2\nscript=$2; shift 2\n'
                     '[ "$1" = "-tclargs" ] && shift\nexec %s %s "$script" "$@"\n'
                     % (TCLSH, STUB))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


BASE_PATH = '/usr/bin:/bin'


def test_shell_wrapper_uses_vivado_hls_variable(hw):
    fake = fake_vivado_hls(os.path.join(hw['tmp'], 'xilinx', 'bin'))
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'csynth'], ['bash', RUN_HLS_SH],
                                env={'VIVADO_HLS': fake, 'PATH': BASE_PATH})
    assert status == 0, output
    assert calls == setup_calls(hw) + ['csynth_design', 'exit 0']


def test_shell_wrapper_sources_settings64(hw):
    vivado = os.path.join(hw['tmp'], 'Vivado', '2018.3')
    fake_vivado_hls(os.path.join(vivado, 'bin'))
    with open(os.path.join(vivado, 'settings64.sh'), 'w') as handle:
        handle.write('export PATH=%s/bin:$PATH\n' % vivado)
    status, output, calls = run(hw, [hw['hw'], hw['finn'], 'csynth'], ['bash', RUN_HLS_SH],
                                env={'XILINX_VIVADO': vivado, 'PATH': BASE_PATH})
    assert status == 0, output
    assert calls[-2:] == ['csynth_design', 'exit 0']


def test_shell_wrapper_without_vivado(hw):
    status, output, calls = run(hw, [hw['hw'], hw['finn']], ['bash', RUN_HLS_SH],
                                env={'XILINX_VIVADO': hw['tmp'], 'PATH': BASE_PATH})
    assert status == 127 and 'vivado_hls not found' in output and calls == []
