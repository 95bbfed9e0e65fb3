"""Yosys runs on small hand-written modules: what must hold of any sound 7-series synthesis.

Each module's expectations follow from the fabric, not from a previous run: a W-bit adder is
one LUT per bit on a CARRY4 chain (4 bits each), a register with enable is W flip-flops and
no LUT, a 1024 x 32 ROM (32 Kbit) is two 18 Kbit block RAMs, a 32 x 8 register file with an
asynchronous read is distributed RAM, and so on.
"""
from __future__ import absolute_import, division

import os
import stat

import pytest

from hwgen.synth import SynthesisError, YosysNotFound, compose, synthesize
from hwgen.synth.yosys import YOSYS_ENV, find_yosys, synth_script

from synth_settings import SYNTH_REQUIRED_ENV, data_file, missing_yosys


def _only(resources, **expected):
    """Resources other than those named are zero; the named ones are as given."""
    for key, value in resources.items():
        assert value == expected.get(key, 0), (key, resources)


def test_adder_is_a_lut_per_bit_on_a_carry_chain(synthesised):
    # W = 8 set on the top (its default is 16): 8 LUTs, not 16, also shows the parameter took
    result = synthesised('adder.v', 'adder', {'W': 8})
    luts, carries = result['resources']['LUT'], result['resources']['CARRY4']
    assert 8 <= luts <= 10, result
    assert 2 <= carries <= 3, result                    # 4 bits per CARRY4, 9 with the carry
    _only(result['resources'], LUT=luts, CARRY4=carries)
    assert result['source'] == 'yosys-xc7' and result['tool'].startswith('Yosys ')
    assert result['parameters'] == {'W': 8}


def test_multiplier_uses_one_dsp_or_luts_without(synthesised):
    _only(synthesised('multiplier.v', 'multiplier')['resources'], DSP=1)
    in_luts = synthesised('multiplier.v', 'multiplier', dsp=False)['resources']
    assert in_luts['DSP'] == 0 and in_luts['BRAM_18K'] == 0 and in_luts['FF'] == 0
    assert in_luts['LUT'] >= 40       # 64 partial products of 2 bits each, 6-input LUTs


def test_register_is_flip_flops_only(synthesised):
    _only(synthesised('register.v', 'register')['resources'], FF=32)


def test_register_file_is_distributed_ram(synthesised):
    resources = synthesised('regfile.v', 'regfile')['resources']
    # 256 bits in 64-bit LUTs: at least 4, and no flip-flop holds a bit
    assert 4 <= resources['LUTRAM'] == resources['LUT'] <= 16
    _only(resources, LUT=resources['LUT'], LUTRAM=resources['LUTRAM'])


def test_rom_of_32_kbit_is_two_bram_18k(synthesised):
    _only(synthesised('rom.v', 'rom')['resources'], BRAM_18K=2)


def test_xnor_popcount_is_luts_and_its_output_register(synthesised):
    resources = synthesised('xnor_popcount.v', 'xnor_popcount')['resources']
    assert resources['FF'] == 7                          # the 7-bit count, 0..64
    assert 128 // 6 <= resources['LUT'] <= 3 * 64        # 128 inputs into 6-input LUTs
    assert resources['DSP'] == resources['BRAM_18K'] == resources['LUTRAM'] == 0


def test_hierarchy_is_the_sum_of_its_modules(yosys, synthesised):
    whole = synthesize([data_file(name) for name in ('rom.v', 'regfile.v', 'multiplier.v',
                                                     'register.v', 'mixed.v')],
                       'mixed', yosys=yosys)
    parts = dict((top, synthesised(top + '.v', top))
                 for top in ('rom', 'regfile', 'multiplier', 'register'))
    assert whole['resources'] == compose([(top, 1) for top in parts], parts)


def test_bad_verilog_fails_with_yosys_message(yosys, tmpdir):
    source = tmpdir.join('broken.v')
    source.write('module broken(input a, output b); assign b = ; endmodule\n')
    with pytest.raises(SynthesisError) as info:
        synthesize([str(source)], 'broken', yosys=yosys)
    assert 'failed' in str(info.value) and 'broken.v' in str(info.value)


def test_missing_top_fails(yosys):
    with pytest.raises(SynthesisError) as info:
        synthesize([data_file('adder.v')], 'nosuch', yosys=yosys)
    assert 'nosuch' in str(info.value)


def test_timeout_stops_yosys(yosys):
    with pytest.raises(SynthesisError) as info:
        synthesize([data_file('rom.v')], 'rom', yosys=yosys, timeout=0.5)
    assert 'timed out after' in str(info.value)


# --- without Yosys ----------------------------------------------------------------------------

def test_script_is_out_of_context_xc7_with_parameters():
    script = synth_script(['a.v', 'b.v'], 'top', {'W': 8, 'N': 3}, dsp=False)
    assert script.splitlines() == [
        'read_verilog -sv a.v b.v', 'chparam -set N 3 top', 'chparam -set W 8 top',
        'synth_xilinx -family xc7 -top top -noiopad -noclkbuf -nodsp',
        'tee -q -o stat.json stat -json -top top']


def test_negative_parameters_are_signed_32_bit_constants():
    script = synth_script(['a.v'], 'top', {'V': -3, 'F': 'w.mem'})
    assert "chparam -set V 32'sb%s top" % ('1' * 30 + '01') in script.splitlines()
    assert 'chparam -set F "w.mem" top' in script.splitlines()


@pytest.mark.parametrize('top,parameters', [('1top', None), ('top; shell', None),
                                            ('top', {'W': '"x"; shell'}),
                                            ('top', {'W': 'a/b.mem'}), ('top', {'W': True}),
                                            ('top', {'W': 2 ** 31}),
                                            ('top', {'bad name': 1})])
def test_bad_script_arguments_are_refused(top, parameters):
    with pytest.raises(SynthesisError):
        synth_script(['a.v'], top, parameters)


def test_missing_sources_are_refused_before_yosys_runs(tmpdir):
    fake = tmpdir.join('yosys')
    fake.write('#!/bin/sh\nexit 3\n')
    fake.chmod(stat.S_IRWXU)
    for sources in ([], [str(tmpdir.join('nosuch.v'))]):
        with pytest.raises(SynthesisError):
            synthesize(sources, 'top', yosys=str(fake))


def _fake_yosys(tmpdir, body):
    """An executable standing in for Yosys: runs ``body`` (sh) in the synthesis folder."""
    fake = tmpdir.join('fake-yosys')
    fake.write('#!/bin/sh\n' + body + '\n')
    fake.chmod(stat.S_IRWXU)
    return str(fake)


def test_cells_left_in_yosys_form_are_an_error(tmpdir):
    stat_json = '{"modules": {"adder": {"num_cells_by_type": {"LUT2": 8, "$_DFF_P_": 2}}}}'
    fake = _fake_yosys(tmpdir, "printf '%s' '" + stat_json + "' > stat.json")
    with pytest.raises(SynthesisError) as info:
        synthesize([data_file('adder.v')], 'adder', yosys=fake)
    assert '$_DFF_P_' in str(info.value) and 'unmapped' in str(info.value)


def test_a_yosys_that_writes_no_statistics_is_an_error(tmpdir):
    with pytest.raises(SynthesisError) as info:
        synthesize([data_file('adder.v')], 'adder', yosys=_fake_yosys(tmpdir, 'exit 0'))
    assert 'wrote no stat.json' in str(info.value)


def test_a_failing_yosys_reports_its_exit_status(tmpdir):
    fake = _fake_yosys(tmpdir, 'echo "ERROR: something" > yosys.log; exit 3')
    with pytest.raises(SynthesisError) as info:
        synthesize([data_file('adder.v')], 'adder', yosys=fake)
    assert 'exit 3' in str(info.value) and 'ERROR: something' in str(info.value)


def test_named_yosys_must_exist(monkeypatch, tmpdir):
    monkeypatch.setenv(YOSYS_ENV, str(tmpdir.join('no-yosys')))
    with pytest.raises(YosysNotFound) as info:
        find_yosys()
    assert '$' + YOSYS_ENV in str(info.value)
    with pytest.raises(YosysNotFound):
        find_yosys(str(tmpdir.join('other')))


def test_environment_names_the_yosys(monkeypatch, tmpdir):
    fake = tmpdir.join('my-yosys')
    fake.write('#!/bin/sh\n')
    fake.chmod(stat.S_IRWXU)
    monkeypatch.setenv(YOSYS_ENV, str(fake))
    assert find_yosys() == str(fake)
    assert os.path.basename(find_yosys(str(fake))) == 'my-yosys'


@pytest.mark.parametrize('required,outcome', [('', pytest.skip.Exception),
                                              ('0', pytest.skip.Exception),
                                              ('1', pytest.fail.Exception)])
def test_missing_yosys_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setenv(SYNTH_REQUIRED_ENV, required)
    with pytest.raises(outcome) as info:
        missing_yosys('Yosys not found')
    assert 'Yosys not found' in str(info.value)
