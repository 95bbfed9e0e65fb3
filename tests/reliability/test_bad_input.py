"""Bad input, command by command: one line on stderr, exit status 2, nothing written.

Each row of :data:`CASES` is ``(command line, words the message must contain)``. ``{name}`` in
a command line is a bad (or good) input made by :class:`workspace.Workspace` in the case's own
folder; after the command, that folder must be exactly as it was, and no traceback may have
been printed. A new command or option is one more row.
"""
from __future__ import absolute_import, division

import string

import pytest

from reliability_helpers import run_cli, snapshot, train_argv
from workspace import Workspace

TRAIN = train_argv('{missing}')

CASES = [
    # qnn train ------------------------------------------------------------------------------
    (train_argv('{file}'), 'is a file'),
    (train_argv('{readonly}'), 'permission denied'),
    (train_argv(''), 'empty'),
    (train_argv('{run}', wbits='3'), 'different run'),
    (train_argv('{run}'), 'already holds this finished run'),
    (train_argv('{run_checkpoint_truncated}'), 'checkpoint.npz'),
    (train_argv('{run_config_truncated}'), 'config.json'),
    (train_argv('{missing}', wbits='x'), "invalid int value: 'x'"),
    (train_argv('{missing}', wbits='9'), 'wbits'),
    (train_argv('{missing}', abits='0'), 'abits'),
    (train_argv('{missing}', epochs='0'), 'epochs'),
    (train_argv('{missing}', epochs='1.5'), 'invalid int value'),
    (train_argv('{missing}', seed='-1'), 'seed'),
    (train_argv('{missing}', train_size='0'), 'train_size'),
    (train_argv('{missing}', train_size='60000'), 'train_size'),
    (train_argv('{missing}', num_units='0'), 'num_units'),
    (train_argv('{missing}', hidden_layers='-1'), 'n_hidden_layers'),
    (train_argv('{missing}', lr_start='-1'), 'lr_start'),
    (train_argv('{missing}', lr_end='0'), 'lr_end'),
    (train_argv('{missing}', lr_start='nan'), 'lr_start'),
    (train_argv('{missing}', lr_start='fast'), 'invalid float value'),
    (train_argv('{missing}', stop_after='0'), 'stop after'),
    (train_argv('{missing}', data_dir='{empty}'), 'MNIST'),
    (train_argv('{missing}', data_dir='{file}'), 'not a folder'),
    (train_argv('{missing}', data_dir='{mnist_truncated}'), 'truncated'),
    # qnn evaluate ---------------------------------------------------------------------------
    (['evaluate', '{missing}'], 'does not exist'),
    (['evaluate', '{empty}'], 'config.json'),
    (['evaluate', '{file}'], 'is a file'),
    (['evaluate', '{unreadable}'], 'permission denied'),
    (['evaluate', '{run_params_truncated}'], 'params.npz'),
    (['evaluate', '{run_params_flipped}'], 'params.npz'),
    (['evaluate', '{run_params_missing}'], 'params.npz'),
    (['evaluate', '{run_config_truncated}'], 'config.json'),
    (['evaluate', '{run_config_list}'], 'config.json'),
    (['evaluate', '{run_config_types}'], 'wbits'),
    (['evaluate', '{run}', '--data-dir', '{missing}'], 'MNIST'),
    (['evaluate', '{run}', '--data-dir', '{mnist_flipped}'], 't10k-labels'),
    # qnn verify -----------------------------------------------------------------------------
    (['verify', '{missing}'], 'does not exist'),
    (['verify', '{empty}'], 'config.json'),
    (['verify', '{file}'], 'is a file'),
    (['verify', '{run}', '--epochs', '0'], 'epochs'),
    (['verify', '{run}', '--epochs', 'all'], 'invalid int value'),
    (['verify', '{run}', '--epochs', '5'], 'epochs'),
    (['verify', '{run_params_truncated}'], 'params.npz'),
    (['verify', '{run_metrics_truncated}'], 'metrics.json'),
    (['verify', '{run_metrics_types}'], 'metrics.json'),
    (['verify', '{run_config_types}'], 'wbits'),
    # qnn data -------------------------------------------------------------------------------
    (['data', 'download', '--data-dir', '{file}'], 'file'),
    (['data', 'download', '--data-dir', '{readonly}'], 'permission denied'),
    (['data', 'verify', '--data-dir', '{missing}'], 'does not exist'),
    (['data', 'verify', '--data-dir', '{file}'], 'not a folder'),
    (['data', 'verify', '--data-dir', '{empty}'], 'no MNIST'),
    (['data', 'verify', '--data-dir', '{mnist_flipped}'], 'SHA-256 mismatch'),
    (['data', 'fetch'], 'invalid choice'),
    # qnn figure -----------------------------------------------------------------------------
    (['figure', 'quantizers', '--out', '{file}'], 'is a file'),
    (['figure', 'quantizers', '--out', '{readonly}'], 'permission denied'),
    (['figure', 'quantizers', '--kind', 'relu', '--out', '{missing}'], 'invalid choice'),
    # qnn hwgen export -----------------------------------------------------------------------
    (['hwgen', '{missing}', '--out', '{empty}'], 'does not exist'),
    (['hwgen', 'export', '{empty}', '--out', '{missing}'], 'config.json'),
    (['hwgen', 'export', '{file}', '--out', '{missing}'], 'is a file'),
    (['hwgen', 'export', '{unreadable}', '--out', '{missing}'], 'permission denied'),
    (['hwgen', 'export', '{run_params_truncated}', '--out', '{missing}'], 'params.npz'),
    (['hwgen', 'export', '{run_params_missing}', '--out', '{missing}'], 'params.npz'),
    (['hwgen', 'export', '{run_config_truncated}', '--out', '{missing}'], 'config.json'),
    (['hwgen', 'export', '{run_config_types}', '--out', '{missing}'], 'wbits'),
    (['hwgen', 'export', '{act_bn}', '--out', '{missing}'], 'act_bn'),
    (['hwgen', 'export', '{run}', '--out', '{file}'], 'is a file'),
    (['hwgen', 'export', '{run}', '--out', '{readonly}'], 'permission denied'),
    (['hwgen', 'export', '{run}', '--out', '{export}'], 'already holds an export'),
    (['hwgen', 'export', '{run}', '--out', '{export_escape}', '--force'], 'outside'),
    (['hwgen', 'export', '{run}', '--out', '{missing}', '--folding', 'fast'], 'folding'),
    (['hwgen', 'export', '{run}', '--out', '{missing}', '--folding', '3,3:5,5'],
     'does not divide'),
    (['hwgen', 'export', '{run}', '--out', '{missing}', '--folding', '64,16:16,1'],
     '64-bit weight word'),  # divides the layers, but finn-hlslib reads 64-bit weight words
    (['hwgen', 'export', '{run}', '--out', '{missing}', '--folding', '{file}'], 'folding'),
    (['hwgen', 'export', '{run}'], '--out'),
    # qnn hwgen eval -------------------------------------------------------------------------
    (['hwgen', 'eval', '{missing}'], 'not a folder'),
    (['hwgen', 'eval', '{empty}'], '--wbits'),
    (['hwgen', 'eval', '{file}'], 'not a folder'),
    (['hwgen', 'eval', '{export_hash}'], 'SHA-256'),
    (['hwgen', 'eval', '{export_manifest_truncated}'], 'manifest.json'),
    (['hwgen', 'eval', '{empty}', '--wbits', '0', '--abits', '1'], 'wbits'),
    (['hwgen', 'eval', '{empty}', '--wbits', 'one', '--abits', '1'], 'invalid int value'),
    (['hwgen', 'eval', '{export}', '--wbits', '1'], 'wbits'),
    (['hwgen', 'eval', '{export}', '--data-dir', '{empty}'], 'MNIST'),
    # qnn hwgen csim -------------------------------------------------------------------------
    (['hwgen', 'csim', '{export_no_hw}'], 'hwgen.json'),
    (['hwgen', 'csim', '{missing}'], 'does not exist'),
    (['hwgen', 'csim', '{empty}'], 'hwgen.json'),
    (['hwgen', 'csim', '{file}'], 'is a file'),
    (['hwgen', 'csim', '{export_hash}'], 'SHA-256'),
    (['hwgen', 'csim', '{export}', '--images', '0'], 'images'),
    (['hwgen', 'csim', '{export}', '--images', 'x'], 'invalid int value'),
    (['hwgen', 'csim', '{export}', '--offset', '-1'], 'images'),
    (['hwgen', 'csim', '{export}', '--images', '10001'], 'images'),
    (['hwgen', 'csim', '{export}', '--finn-hlslib', '{empty}'], 'finn-hlslib'),
    # qnn hwgen rtl --------------------------------------------------------------------------
    (['hwgen', 'rtl', '{missing}', '--out', '{empty}'], 'does not exist'),
    (['hwgen', 'rtl', '{file}', '--out', '{missing}'], 'is a file'),
    (['hwgen', 'rtl', '{run_params_missing}', '--out', '{missing}'], 'params.npz'),
    (['hwgen', 'rtl', '{run_config_truncated}', '--out', '{missing}'], 'config.json'),
    (['hwgen', 'rtl', '{run}', '--out', '{file}'], 'is a file'),
    (['hwgen', 'rtl', '{run}', '--out', '{missing}', '--threshold-unit', 'fast'],
     'invalid choice'),
    (['hwgen', 'rtl', '{run}', '--out', '{missing}', '--folding', 'fast'], 'folding'),
    (['hwgen', 'rtl', '{run}', '--out', '{missing}', '--simulate', '-1'], 'simulate'),
    (['hwgen', 'rtl', '{run}', '--out', '{missing}', '--simulate', '2', '--data-dir',
      '{empty}'], 'MNIST'),
    (['hwgen', 'rtl', '{run}'], '--out'),
    # qnn hwgen synth (refused before any Verilog is written) -------------------------------
    (['hwgen', 'synth', '{missing}', '--out', '{empty}'], 'does not exist'),
    (['hwgen', 'synth', '{run}', '--out', '{file}'], 'is a file'),
    (['hwgen', 'synth', '{run}', '--out', '{missing}', '--samples', '-1'], '--samples'),
    (['hwgen', 'synth', '{run}', '--out', '{missing}', '--jobs', '0'], '--jobs'),
    (['hwgen', 'synth', '{run}', '--out', '{missing}', '--timeout', '0'], '--timeout'),
    (['hwgen', 'synth', '{run}', '--out', '{missing}', '--lfc', 'W1A1', '--cycles', '64'],
     'give no --folding or --cycles'),
    (['hwgen', 'synth', '{run}'], '--out'),
    # qnn synthesize --------------------------------------------------------------------------
    (['synthesize', '{missing}'], 'does not exist'),
    (['synthesize', '{file}'], 'is a file'),
    (['synthesize', '{missing}', '--units', 'fast'], 'unknown threshold unit'),
    (['synthesize', '{missing}', '--jobs', '0'], '--jobs'),
    # qnn hwgen score / qonnx ----------------------------------------------------------------
    (['hwgen', 'score', '--all'], 'unrecognized arguments'),
    (['hwgen', 'qonnx', '{run}', '--batch-size', 'x'], 'invalid int value'),
    # qnn recommend --------------------------------------------------------------------------
    (['recommend', '{missing}', '--device', 'z7020'], 'does not exist'),
    (['recommend', '{study_no_store}', '--device', 'z7020'], 'no results store'),
    (['recommend', '{study_store_corrupt}', '--device', 'z7020'], 'results.h5'),
    (['recommend', '{study}', '--device', 'abacus'], 'invalid choice'),
    (['recommend', '{study}', '--clock-mhz', 'fast'], 'invalid float value'),
    # qnn sweep ------------------------------------------------------------------------------
    (['sweep', '--out', '{file}'], 'is a file'),
    (['sweep', '--out', '{readonly}'], 'permission denied'),
    (['sweep', '--wbits', '0..9', '--out', '{missing}'], 'outside 1..8'),
    (['sweep', '--abits', 'x', '--out', '{missing}'], 'list of integers'),
    (['sweep', '--epochs', '0', '--out', '{missing}'], 'outside 1'),
    (['sweep', '--seeds', '-1', '--out', '{missing}'], 'outside 0'),
    (['sweep', '--jobs', '0', '--out', '{missing}'], 'jobs'),
    (['sweep', '--jobs', 'two', '--out', '{missing}'], 'invalid int value'),
    (['sweep', '--train-size', '0', '--out', '{missing}'], 'train_size'),
    (['sweep', '--num-units', '-4', '--out', '{missing}'], 'num_units'),
    (['sweep', '--until', '0', '--out', '{missing}'], 'until'),
    (['sweep', '--quick', '--data-dir', '{empty}', '--out', '{missing}'], 'qnn data download'),
    (['sweep', '--quick', '--data-dir', '{mnist_truncated}', '--out', '{missing}'],
     'truncated'),
    (['sweep', '--cluster-config', '{missing}.yaml', '--out', '{missing}'], 'no such file'),
    (['sweep', '--wbits', '2', '--abits', '2', '--epochs', '1', '--out', '{study_edited}'],
     'train_size'),
    (['sweep', '--out', '{study_json_truncated}'], 'study.json'),
    (['sweep', '--out', '{study}', '--train-size', '300'], 'train_size'),
    # qnn results / figures / report / compare -----------------------------------------------
    (['results', '{missing}'], 'does not exist'),
    (['results', '{file}'], 'is a file'),
    (['results', '{empty}'], 'study.json'),
    (['results', '{study_edited}'], 'train_size'),
    (['results', '{study_metrics_truncated}'], 'metrics.json'),
    (['results', '{study_json_truncated}'], 'study.json'),
    (['results', '{study}', '--csv', '{empty}'], 'is a folder'),
    (['figures', '{missing}'], 'does not exist'),
    (['figures', '{study_no_store}'], 'no results store'),
    (['figures', '{study_store_corrupt}'], 'results.h5'),
    (['report', '{empty}'], 'study.json'),
    (['report', '{file}'], 'is a file'),
    (['report', '{study_metrics_truncated}'], 'metrics.json'),
    (['compare', '{missing}'], 'does not exist'),
    (['compare', '{empty}'], 'runs'),
    (['compare', '{study}', '--out', '{file}'], 'is a file'),
    (['summary', '{missing}', '{file}'], 'does not exist'),
    (['summary', '{study_no_store}', '{file}'], 'no results store'),
    # the command line itself ----------------------------------------------------------------
    ([], 'argument'),  # Python 3: arguments are required; 2: too few arguments
    (['tran'], 'invalid choice'),
]


def _case_id(case):
    argv, expected = case
    words = [word for word in argv if word not in TRAIN[:4] or word == 'train']
    return '%s [%s]' % (' '.join(words[:3]) if argv is not TRAIN else 'train', expected)


def _expand(argv, workspace):
    formatter = string.Formatter()
    return [formatter.vformat(word, (), workspace) for word in argv]


@pytest.mark.parametrize('argv,expected', CASES, ids=[_case_id(c) for c in CASES])
def test_bad_input_gives_one_line_and_status_2_and_writes_nothing(tmpdir, assets, argv,
                                                                    expected):
    folder = str(tmpdir.mkdir('case'))
    workspace = Workspace(folder, assets)
    args = _expand(argv, workspace)
    before = snapshot(folder)
    status, out, err = run_cli(args)
    lines = err.strip().splitlines()
    assert status == 2, (args, status, err)
    assert 'Traceback' not in err
    assert len(lines) == 1 and lines[0].startswith('qnn') and ': error: ' in lines[0], err
    assert expected.lower() in lines[0].lower(), (expected, lines[0])
    assert snapshot(folder) == before, 'the command wrote into %s' % folder


def test_every_command_has_cases():
    """Each ``qnn`` sub-command (and hwgen action) appears in the table."""
    from hwgen.cli import ACTIONS
    from qnn.cli import build_parser
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    covered = set()
    for argv, _ in CASES:
        words = [w for w in argv if not w.startswith('{') and not w.startswith('-')]
        covered.update(words[:1])
        if words[:1] == ['hwgen']:
            covered.add('hwgen ' + (words[1] if len(words) > 1 and words[1] in ACTIONS
                                    else 'export'))
    missing = (set(commands) | set('hwgen ' + action for action in ACTIONS)) - covered
    assert not missing, 'no bad-input case for: %s' % ', '.join(sorted(missing))


def test_verbose_shows_the_traceback(tmpdir):
    status, _, err = run_cli(['-v', 'evaluate', str(tmpdir.join('missing'))])
    assert status == 2 and 'Traceback' in err and err.strip().splitlines()[-1].startswith('qnn')

