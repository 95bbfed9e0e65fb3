"""qnn.options: one table makes the four parsers, the refusals and the forwarded words."""
from __future__ import absolute_import

import pytest

from qnn.backends import BackendError
from qnn.cli import build_parser
from qnn.options import SWEEP, TRAIN, check_backend, config_values, forwarded_words
from qnn_brevitas.cli import build_parser as brevitas_parser

#: The flags of each command, written out from the parsers as they were declared by hand
#: (plus what the one sweep engine gives the Brevitas back end: --stop-after, --until, --jobs,
#: --scheduler, --cluster-config).
RUN = {'--wbits', '--abits', '--epochs', '--layer-order', '--activation', '--train-size',
       '--schedule', '--binarize-input', '--pixel-input', '--num-units', '--data-dir',
       '--no-progress', '--out', '--weight-quant', '--act-quant', '--threads'}
TRAIN_ONLY = {'--seed', '--hidden-layers', '--lr-start', '--lr-end', '--stop-after'}
SWEEP_ONLY = {'--seeds', '--until', '--jobs', '--scheduler', '--cluster-config'}
EXPECTED = {
    ('qnn', TRAIN): RUN | TRAIN_ONLY | {'--backend', '--brevitas-python'},
    ('qnn', SWEEP): RUN | SWEEP_ONLY | {'--backend', '--brevitas-python', '--profile',
                                        '--quick', '--cycles', '--no-report'},
    ('brevitas', TRAIN): RUN | TRAIN_ONLY,
    ('brevitas', SWEEP): RUN | SWEEP_ONLY | {'--no-compare'},
}


def _commands(parser):
    return parser._subparsers._group_actions[0].choices


def _flags(parser):
    return set(flag for action in parser._actions for flag in action.option_strings
               if flag not in ('-h', '--help'))


@pytest.mark.parametrize('program, command', sorted(EXPECTED))
def test_every_parser_offers_its_options(program, command):
    parser = build_parser() if program == 'qnn' else brevitas_parser()
    assert _flags(_commands(parser)[command]) == EXPECTED[(program, command)]


TRAIN_ARGV = ['train', '--backend', 'brevitas', '--wbits', '3', '--abits', '2', '--epochs', '4',
              '--seed', '9', '--hidden-layers', '1', '--lr-start', '0.002', '--lr-end', '1e-05',
              '--weight-quant', 'brevitas', '--act-quant', 'paper', '--layer-order', 'act_bn',
              '--activation', 'tanh', '--train-size', '300', '--schedule', 'bnn-pynq',
              '--pixel-input', '--num-units', '16', '--stop-after', '2', '--threads', '1',
              '--data-dir', 'mnist', '--no-progress', '--out', 'r']


def test_forwarded_words_give_the_brevitas_parser_the_same_run():
    ours = build_parser().parse_args(TRAIN_ARGV)
    words = forwarded_words(ours, TRAIN)
    theirs = brevitas_parser().parse_args([TRAIN] + words)
    assert config_values(theirs, TRAIN, 'brevitas', 'brevitas') == {
        'wbits': 3, 'abits': 2, 'epochs': 4, 'seed': 9, 'n_hidden_layers': 1,
        'lr_start': 0.002, 'lr_end': 1e-05, 'weight_quant': 'brevitas', 'act_quant': 'paper',
        'layer_order': 'act_bn', 'activation': 'tanh', 'train_size': 300,
        'schedule': 'bnn-pynq', 'binarize_input': False, 'num_units': 16}
    assert (theirs.stop_after, theirs.threads, theirs.data_dir, theirs.no_progress,
            theirs.out) == (2, 1, 'mnist', True, 'r')
    assert '--backend' not in words and '--brevitas-python' not in words


def test_sweep_settings_are_the_study_keys_and_lists_stay_text():
    args = build_parser().parse_args(['sweep', '--wbits', '1..3', '--train-size', '200',
                                      '--act-quant', 'paper', '--no-report', '--out', 's'])
    settings = config_values(args, SWEEP, 'brevitas')
    assert settings['train_size'] == 200 and 'act_quant' not in settings
    assert 'wbits' not in settings and settings['num_units'] is None
    assert forwarded_words(args, SWEEP) == ['--wbits', '1..3', '--act-quant', 'paper',
                                            '--train-size', '200', '--no-compare', '--out', 's']


def test_options_of_another_back_end_are_named_in_one_message():
    args = build_parser().parse_args(['train', '--wbits', '1', '--abits', '1', '--epochs', '1',
                                      '--threads', '2', '--act-quant', 'paper', '--out', 'r'])
    with pytest.raises(BackendError) as error:
        check_backend(args, TRAIN, 'theano')
    assert str(error.value) == '--act-quant, --threads work only with the brevitas back end'
    check_backend(args, TRAIN, 'brevitas')
