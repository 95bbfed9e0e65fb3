"""A training run's configuration: defaults (BNN-PYNQ's LFC recipe) and validation.

Pure Python (no Theano), so that tools outside the Theano environment can read and check run
configurations.
"""
from __future__ import absolute_import, division, print_function

__all__ = ['DEFAULTS', 'LAYER_ORDERS', 'ACTIVATION_NAMES', 'SCHEDULES', 'BNN_PYNQ_DECAY_EPOCHS',
           'LEGACY_VALUES', 'make_config', 'config_from_record', 'ConfigError']

#: ``'bn_act'``: Dense -> BN -> activation (BNN-PYNQ's lfc.py; the only order hardware
#: generation folds exactly into integer thresholds). ``'act_bn'``: Dense -> activation -> BN
#: (the paper's Fig. 4 as printed).
LAYER_ORDERS = ('bn_act', 'act_bn')

#: The quantized activations of :mod:`qnn.activations`, by name.
ACTIVATION_NAMES = ('hard_tanh', 'tanh')

#: The two readings of the paper's "accuracy after 10, 20, 30, 50 and 100 epochs":
#: ``'budget'``: one run per epoch budget, the learning rate decayed from ``lr_start`` to
#: ``lr_end`` over that budget; ``'bnn-pynq'``: BNN-PYNQ's ``mnist.py`` as shipped, the decay
#: spread over :data:`BNN_PYNQ_DECAY_EPOCHS` epochs whatever the run's length, so one run per
#: network gives every budget on its way (its first k epochs do not depend on its length).
SCHEDULES = ('budget', 'bnn-pynq')

#: ``num_epochs`` of BNN-PYNQ's ``mnist.py``: the horizon of its learning-rate decay.
BNN_PYNQ_DECAY_EPOCHS = 1000

#: Keys added after runs were first written, with the value those earlier runs had.
LEGACY_VALUES = {'schedule': 'budget'}

#: Every key a run configuration has, with its default.
DEFAULTS = {
    'wbits': 1,                 # weight precision, 1..8
    'abits': 1,                 # activation precision, 1..8
    'epochs': 10,               # epochs trained (for 'budget', the span of the LR decay)
    'schedule': 'budget',       # see SCHEDULES
    'seed': 1234,               # seeds initial weights, shuffling and dropout
    'layer_order': 'bn_act',    # see qnn.models.LAYER_ORDERS
    'activation': 'hard_tanh',  # see qnn.activations.ACTIVATIONS
    'train_size': 50000,        # first N of the 50 000 training images
    'binarize_input': True,     # +1/-1 inputs (pixel >= 128) as BNN-PYNQ's mnist.py, or
                                # False: 8-bit pixels scaled to 2p/255 - 1
    'batch_size': 100,
    'lr_start': 3e-3,
    'lr_end': 3e-7,
    'n_hidden_layers': 3,
    'num_units': 1024,
    'dropout_in': 0.2,
    'dropout_hidden': 0.5,
    'epsilon': 1e-4,
    'alpha': 0.1,
}


class ConfigError(ValueError):
    """A configuration value is out of range or unknown."""


def _check_int(config, key, low, high):
    value = config[key]
    try:
        valid = not isinstance(value, bool) and int(value) == value and low <= value <= high
    except (TypeError, ValueError, OverflowError):  # None, text, nan, inf, ...
        valid = False
    if not valid:
        raise ConfigError('%s must be an integer in %d..%d, got %r' % (key, low, high, value))
    config[key] = int(value)


def make_config(**overrides):
    """A complete, validated run configuration: :data:`DEFAULTS` updated with ``overrides``.

    Raises
    ------
    ConfigError
        On an unknown key or a value out of range.

    Examples
    --------
    >>> make_config(wbits=2, abits=3)['abits']
    3
    """
    unknown = sorted(set(overrides) - set(DEFAULTS))
    if unknown:
        raise ConfigError('unknown configuration keys: %s' % ', '.join(unknown))
    config = dict(DEFAULTS)
    config.update((key, value) for key, value in overrides.items() if value is not None)
    _check_int(config, 'wbits', 1, 8)
    _check_int(config, 'abits', 1, 8)
    _check_int(config, 'epochs', 1, 100000)
    _check_int(config, 'seed', 0, 2 ** 31 - 1)
    _check_int(config, 'train_size', 1, 50000)
    _check_int(config, 'batch_size', 1, 50000)
    _check_int(config, 'num_units', 1, 65536)
    _check_int(config, 'n_hidden_layers', 0, 64)
    if config['train_size'] < config['batch_size']:
        raise ConfigError('train_size (%d) must be at least batch_size (%d)'
                          % (config['train_size'], config['batch_size']))
    if config['layer_order'] not in LAYER_ORDERS:
        raise ConfigError('layer_order must be one of %s, got %r'
                          % (', '.join(LAYER_ORDERS), config['layer_order']))
    if config['activation'] not in ACTIVATION_NAMES:
        raise ConfigError('activation must be one of %s, got %r'
                          % (', '.join(ACTIVATION_NAMES), config['activation']))
    if config['schedule'] not in SCHEDULES:
        raise ConfigError('schedule must be one of %s, got %r'
                          % (', '.join(SCHEDULES), config['schedule']))
    if not all(isinstance(config[key], (int, float)) and not isinstance(config[key], bool)
               for key in ('lr_start', 'lr_end')) or not 0 < config['lr_end'] <= config['lr_start']:
        raise ConfigError('need 0 < lr_end <= lr_start, got lr_start=%r lr_end=%r'
                          % (config['lr_start'], config['lr_end']))
    config['binarize_input'] = bool(config['binarize_input'])
    return config


def config_from_record(record):
    """The configuration stored in a run's ``config.json`` (provenance dropped), validated.

    Keys that runs written before they existed lack take their :data:`LEGACY_VALUES`.

    Examples
    --------
    >>> config_from_record({'wbits': 2, 'abits': 2, 'software': {}})['schedule']
    'budget'
    """
    stored = dict(LEGACY_VALUES)
    stored.update((key, value) for key, value in record.items() if key in DEFAULTS)
    return make_config(**stored)
