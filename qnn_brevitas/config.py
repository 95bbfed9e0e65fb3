"""A Brevitas run's configuration: qnn's (:mod:`qnn.config`), plus the backend and quantizers.

qnn's keys, defaults and checks come from :mod:`qnn.config` itself (pure Python, no Theano);
this module adds ``backend``, ``weight_quant`` and ``act_quant``. It imports neither torch nor
Brevitas, so reading run folders stays cheap.
"""
from __future__ import absolute_import, division, print_function

from qnn.config import ACTIVATION_NAMES, LAYER_ORDERS, ConfigError
from qnn.config import DEFAULTS as QNN_DEFAULTS
from qnn.config import make_config as make_qnn_config
from qnn.options import QUANTIZER_SETTINGS

__all__ = ['QNN_DEFAULTS', 'DEFAULTS', 'BACKEND', 'SETTINGS', 'ConfigError', 'make_config',
           'make_qnn_config', 'run_name', 'LAYER_ORDERS', 'ACTIVATION_NAMES']

#: The quantizer settings (see :mod:`qnn_brevitas.quantizers`): the paper's grid, or Brevitas'
#: own bnn_pynq defaults (the choices of ``--weight-quant`` in :mod:`qnn.options`).
SETTINGS = QUANTIZER_SETTINGS

#: The backend name recorded in every Brevitas run's config.json (qnn's runs have none:
#: a missing ``backend`` means Theano).
BACKEND = 'brevitas'

#: The keys a Brevitas run adds to qnn's, with their defaults. ``act_quant`` None means "the
#: same setting as ``weight_quant``".
BACKEND_DEFAULTS = {'backend': BACKEND, 'weight_quant': 'paper', 'act_quant': None}

#: Every key of a Brevitas run configuration, with its default.
DEFAULTS = dict(QNN_DEFAULTS, **BACKEND_DEFAULTS)

_CHOICES = (('weight_quant', SETTINGS), ('act_quant', SETTINGS), ('backend', (BACKEND,)))


def make_config(**overrides):
    """A complete, validated configuration: :data:`DEFAULTS` updated with ``overrides``.

    qnn's keys are checked by :func:`qnn.config.make_config`; None values mean "the default".

    Raises
    ------
    qnn.config.ConfigError
        On an unknown key or a value out of range.

    Examples
    --------
    >>> config = make_config(wbits=2, weight_quant='brevitas')
    >>> config['act_quant'], config['backend']
    ('brevitas', 'brevitas')
    """
    ours = {key: overrides.pop(key) for key in BACKEND_DEFAULTS if key in overrides}
    config = make_qnn_config(**overrides)
    config.update(BACKEND_DEFAULTS)
    config.update((key, value) for key, value in ours.items() if value is not None)
    if config['act_quant'] is None:
        config['act_quant'] = config['weight_quant']
    for key, choices in _CHOICES:
        if config[key] not in choices:
            raise ConfigError('%s must be one of %s, got %r'
                              % (key, ', '.join(choices), config[key]))
    return config


def run_name(config):
    """The run's folder name: qnn's ``W2A4-e10-s1234`` plus the quantizer setting.

    Examples
    --------
    >>> run_name(make_config(wbits=2, abits=4, epochs=10))
    'W2A4-e10-s1234-paper'
    >>> run_name(make_config(wbits=2, abits=4, epochs=10, act_quant='brevitas'))
    'W2A4-e10-s1234-wpaper-abrevitas'
    """
    base = 'W%(wbits)dA%(abits)d-e%(epochs)d-s%(seed)d' % config
    if config['act_quant'] == config['weight_quant']:
        return '%s-%s' % (base, config['weight_quant'])
    return '%s-w%s-a%s' % (base, config['weight_quant'], config['act_quant'])
