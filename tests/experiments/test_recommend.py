"""experiments.recommend / ``qnn recommend``: on a hand-built study whose front is known.

Six networks, errors (%) after 1 and 3 epochs and resources chosen by hand:

=======  =====  =====  =======  =======  ====  =========================
network  e1     e3     LUT      FF       BRAM  note
=======  =====  =====  =======  =======  ====  =========================
W1A1     4.0    3.8    30 000   20 000   200
W1A2     4.5    3.0    45 000   30 000   200
W2A1     6.0    4.5    35 000   25 000   400   beaten by W1A1 everywhere
W2A2     4.0    2.5    50 000   40 000   400   Vivado HLS report
W4A4     3.5    2.0    90 000   80 000   800
W8A8     3.4    2.2    200 000  unknown  1600  no FF figure: not on the front
=======  =====  =====  =======  =======  ====  =========================

Front after 3 epochs: W4A4, W2A2, W1A2, W1A1. On a Z7020 (53 200 LUT, 106 400 FF, 280 BRAM_18K,
the paper's figures) only W1A1 and W1A2 fit: the best is W1A2 (3.0 %); after at most 2 epochs
W1A1 (4.0 % vs 4.5 %). With 500 BRAM W2A2 fits too. The default foldings of 784-1024x3-10 at
W, A <= 4 run at LFC's 512 cycles per image: 195 312.5 images/s at 100 MHz.
"""
from __future__ import absolute_import, division, print_function

import os

import pytest

from experiments import plan, recommend
from qnn.study import RunSpec
from experiments.store import build_store, read_store
from fakes import fake_hardware, write_fake_run
from hwgen.estimate import device
from qnn.cli import main

ERRORS = {(1, 1): (4.0, 3.8), (1, 2): (4.5, 3.0), (2, 1): (6.0, 4.5), (2, 2): (4.0, 2.5),
          (4, 4): (3.5, 2.0), (8, 8): (3.4, 2.2)}
RESOURCES = {(1, 1): (30000, 20000, 200), (1, 2): (45000, 30000, 200),
             (2, 1): (35000, 25000, 400), (2, 2): (50000, 40000, 400),
             (4, 4): (90000, 80000, 800), (8, 8): (200000, None, 1600)}
REPORT = os.path.join('hw', 'W2A2', 'sol1', 'syn', 'report', 'BlackBoxJam_csynth.xml')
ESTIMATE_MODELS = {'LUT': 'finn-mvau', 'FF': 'qnn-ff-registers', 'BRAM_18K': 'finn-r-2018'}
LFC_IMAGES_PER_SECOND = 100e6 / 512


def hand_hardware(wbits, abits):
    lut, ff, bram = RESOURCES[(wbits, abits)]
    figures = {'LUT': lut, 'FF': ff, 'BRAM_18K': bram, 'DSP': 0}
    if (wbits, abits) == (2, 2):
        figures.update(source='vivado-hls', models={}, report=REPORT)
    else:
        figures.update(source='estimate', models=ESTIMATE_MODELS, report=None)
    return figures


@pytest.fixture
def hand_study(tmpdir):
    study_dir = str(tmpdir.join('study'))
    settings = plan.load_or_create_study(study_dir, {'train_size': 1000})
    for (wbits, abits), finals in sorted(ERRORS.items()):
        for epochs, final in zip((1, 3), finals):
            spec = RunSpec(wbits, abits, epochs, 7)
            history = [(final + 1.0 * (epochs - i - 1)) / 100 for i in range(epochs)]
            write_fake_run(study_dir, spec, history, settings)
    build_store(study_dir, hardware=hand_hardware)
    return study_dir


def names(found):
    return [c.network for c in found]


def test_z7020_is_hwgens_capacity_table():
    assert recommend.DEVICES['z7020'] is device.Z7020
    budget, name = recommend.device_budget('Z7020')
    assert dict(budget) == {'LUT': 53200, 'FF': 106400, 'BRAM_18K': 280}  # the paper's figures
    assert name == 'z7020 (xc7z020clg400-1)'


def test_front_and_best_on_a_z7020(hand_study):
    budget = recommend.device_budget('z7020')[0]
    result = recommend.recommend(read_store(hand_study), budget)
    assert names(result['front']) == ['W4A4', 'W2A2', 'W1A2', 'W1A1']
    assert [c.test_error for c in result['front']] == pytest.approx([2.0, 2.5, 3.0, 3.8])
    assert names(result['fitting']) == ['W1A2', 'W1A1']
    assert result['best'].network == 'W1A2' and result['best'].epochs == 3
    assert result['misses']['W2A2'] == ['BRAM_18K 400 > 280']
    assert result['misses']['W4A4'] == ['LUT 90000 > 53200', 'BRAM_18K 800 > 280']
    assert result['misses']['W8A8'] == ['FF unknown']
    for candidate in result['candidates'][:-1]:        # W8A8's default folding may be slower
        assert candidate.images_per_second == pytest.approx(LFC_IMAGES_PER_SECOND)


def test_budgets_epochs_and_throughput(hand_study):
    results = read_store(hand_study)
    z7020 = recommend.device_budget('z7020')[0]
    # after at most 2 epochs each network is read at its 1-epoch run
    early = recommend.recommend(results, z7020, epochs=2)
    assert early['best'].network == 'W1A1' and early['best'].test_error == pytest.approx(4.0)
    # W1A1's 4.0 % ties W2A2's with fewer resources, and beats W1A2's 4.5 %
    assert names(early['front']) == ['W4A4', 'W1A1']
    more_bram = recommend.device_budget('z7020', bram=500)[0]
    assert recommend.recommend(results, more_bram)['best'].network == 'W2A2'
    only_lut = recommend.device_budget(lut=40000)[0]
    assert dict(only_lut) == {'LUT': 40000, 'FF': None, 'BRAM_18K': None}
    assert recommend.recommend(results, only_lut)['best'].network == 'W1A1'
    too_fast = recommend.recommend(results, z7020, images_per_second=200000)
    assert too_fast['best'] is None
    assert too_fast['misses']['W1A2'] == ['195312 images/s < 200000']
    assert recommend.recommend(results, z7020, images_per_second=200000,
                               clock_mhz=200)['best'].network == 'W1A2'
    with pytest.raises(recommend.RecommendError):
        recommend.recommend(results, z7020, epochs=0)


def test_bad_budgets():
    with pytest.raises(recommend.RecommendError) as error:
        recommend.device_budget()
    assert '--device' in str(error.value)
    with pytest.raises(recommend.RecommendError):
        recommend.device_budget('z9999')
    with pytest.raises(recommend.RecommendError):
        recommend.device_budget(lut=-1)


def test_cli_prints_front_sources_and_best(hand_study, capsys):
    assert main(['recommend', hand_study, '--device', 'z7020']) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == 'budget: z7020 (xc7z020clg400-1): LUT 53200, FF 106400, BRAM_18K 280'
    assert 'Pareto front of test error vs LUT, FF, BRAM_18K (4 of 6 networks):' in lines[1]
    rows = dict((line.split()[0], line) for line in lines[3:7])
    assert sorted(rows) == ['W1A1', 'W1A2', 'W2A2', 'W4A4']
    assert rows['W2A2'].endswith('vivado-hls (%s)' % REPORT)
    assert rows['W1A1'].endswith('estimate (LUT finn-mvau, FF qnn-ff-registers, '
                                 'BRAM_18K finn-r-2018)')
    assert 'no: BRAM_18K 400 > 280' in rows['W2A2'] and ' yes ' in rows['W1A2']
    assert lines[-1].startswith('best network that fits: W1A2 (3.00 % test error after 3 '
                                'epochs; LUT 45000, FF 30000, BRAM_18K 200; resources: '
                                'estimate (')


@pytest.mark.parametrize('extension, magic', [('png', b'\x89PNG'), ('pdf', b'%PDF')])
def test_cli_plot(hand_study, tmpdir, capsys, extension, magic):
    path = str(tmpdir.join('front.' + extension))
    assert main(['recommend', hand_study, '--lut', '60000', '--bram', '300',
                 '--plot', path]) == 0
    assert 'plot: %s' % path in capsys.readouterr().out
    with open(path, 'rb') as handle:
        assert handle.read(4) == magic
    assert sorted(os.listdir(str(tmpdir))) == ['front.' + extension, 'study']  # no temporaries


@pytest.mark.parametrize('argv, message', [
    ([], 'no budget: give --device'),
    (['--device', 'z7020', '--plot', 'front.svg'], 'must end in .png or .pdf'),
    (['--device', 'z7020', '--epochs', '0'], 'no network of the study is trained'),
    (['--device', 'z7020', '--images-per-second', '0'], 'must be positive'),
])
def test_cli_errors_are_one_line(hand_study, capsys, argv, message):
    assert main(['recommend', hand_study] + argv) == 2
    err = capsys.readouterr().err
    assert err.count('\n') == 1 and message in err and err.startswith('qnn recommend: error:')


def test_cli_without_a_store(tmpdir, capsys):
    assert main(['recommend', str(tmpdir), '--device', 'z7020']) == 2
    assert 'qnn results' in capsys.readouterr().err


def test_throughput_at_the_clock_the_store_records(tmpdir):
    """A store that records its HLS clock (200 MHz here) is read at it unless --clock-mhz says
    otherwise: LFC's 512 cycles per image are 390 625 images/s at 200 MHz, 195 312.5 at 100."""
    study_dir = str(tmpdir.join('clocked'))
    settings = plan.load_or_create_study(study_dir, {'train_size': 1000})
    write_fake_run(study_dir, RunSpec(1, 1, 1, 7), [0.04], settings)
    build_store(study_dir, hardware=fake_hardware)
    results = read_store(study_dir)
    budget = recommend.device_budget('z7020')[0]
    recorded = recommend.recommend(results, budget)
    assert recorded['candidates'][0].images_per_second == 200e6 / 512
    assert recorded['clocks_mhz'] == [200.0]
    assert "cycles per image at 200 MHz" in recommend.format_recommendation(recorded, 'z7020',
                                                                            budget)
    board = recommend.recommend(results, budget, clock_mhz=100)
    assert board['candidates'][0].images_per_second == 100e6 / 512
    for bad in (0, -5):
        with pytest.raises(recommend.RecommendError) as error:
            recommend.recommend(results, budget, clock_mhz=bad)
        assert str(error.value) == '--clock-mhz must be positive, got %r' % bad


def test_recommendation_on_the_synthesis_of_every_network(tmpdir):
    """Every estimated network synthesised: the yosys-xc7 figures decide (W1A2's LUTs now
    exceed the Z7020, so W1A1 is best); the Vivado report of W2A2 stays."""
    def synthesised(wbits, abits):
        figures = hand_hardware(wbits, abits)
        lut = 60000 if (wbits, abits) == (1, 2) else figures['LUT']
        figures['synthesis'] = {'parallel': {
            'LUT': lut, 'FF': figures['FF'] or 1, 'BRAM_18K': figures['BRAM_18K'], 'DSP': 0,
            'source': 'yosys-xc7'}}
        return figures
    study_dir = str(tmpdir.join('study'))
    settings = plan.load_or_create_study(study_dir, {'train_size': 1000})
    for (wbits, abits), finals in sorted(ERRORS.items()):
        write_fake_run(study_dir, RunSpec(wbits, abits, 1, 7), [finals[0] / 100], settings)
    build_store(study_dir, hardware=synthesised)
    result = recommend.recommend(read_store(study_dir), recommend.device_budget('z7020')[0])
    assert result['misses']['W1A2'] == ['LUT 60000 > 53200']
    assert result['best'].network == 'W1A1'
    assert result['misses']['W2A2'] == ['BRAM_18K 400 > 280']
