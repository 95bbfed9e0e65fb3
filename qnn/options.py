"""The options of ``train`` and ``sweep``, declared once for every command line and back end.

Each row of :data:`OPTIONS` is one option: its name, type, help, which commands (``train``,
``sweep``) and which back ends (:data:`qnn.backends.BACKENDS`) take it, and the configuration
key it sets (:data:`qnn.config.DEFAULTS`, whose defaults the help shows). From the table come

* the parsers of ``qnn train``, ``qnn sweep`` (every back end's options; ``--backend`` picks)
  and ``python -m qnn_brevitas train|sweep`` (the Brevitas back end's),
  :func:`add_options`;
* the refusal of an option the chosen back end does not take, :func:`check_backend`;
* the words ``qnn train|sweep --backend brevitas`` hands on to ``python -m qnn_brevitas``,
  :func:`forwarded_words`;
* a run's configuration values and a study's settings, :func:`config_values`.

In a sweep the *grid* options take lists (``--wbits 1..8``, ``--seeds 1,2``) and the study's
settings hold for every run. Nothing here imports Theano.
"""
from __future__ import absolute_import, division, print_function

import collections

from .backends import BACKENDS, BREVITAS, BREVITAS_PYTHON_ENV, BREVITAS_VENV, BackendError
from .config import ACTIVATION_NAMES, DEFAULTS, LAYER_ORDERS, SCHEDULES

__all__ = ['RunOption', 'OPTIONS', 'QNN', 'TRAIN', 'SWEEP', 'EVAL', 'QUANTIZER_SETTINGS', 'option',
           'add_options', 'check_backend', 'forwarded_words', 'config_values', 'grid_lists']

#: The programs whose parsers the table builds: ``qnn`` and ``python -m qnn_brevitas``.
QNN = 'qnn'

TRAIN = 'train'
SWEEP = 'sweep'
#: ``qnn hwgen eval``: a network's precisions and input encoding for a bare parameter folder.
EVAL = 'eval'
BOTH = (TRAIN, SWEEP)

#: The Brevitas back end's quantizer settings (``qnn_brevitas.config.SETTINGS``).
QUANTIZER_SETTINGS = ('paper', 'brevitas')

_FIELDS = ('name', 'flag', 'kind', 'help', 'commands', 'backends', 'config_key', 'choices',
           'metavar', 'grid', 'required', 'brevitas_flag', 'programs')


class RunOption(collections.namedtuple('RunOption', _FIELDS)):
    """One option of :data:`OPTIONS`.

    Attributes
    ----------
    name : str
        The option's name (:func:`grid_lists`' keys); :meth:`dest_for` gives its ``argparse``
        destination.
    flag : str or (str, str)
        ``--flag``; a pair ``(flag if True, flag if False)`` for a switch.
    kind : str
        ``'int'``, ``'float'``, ``'choice'``, ``'text'``, ``'flag'`` (present or not) or
        ``'switch'`` (either flag of the pair, or neither).
    help : str or dict
        The help text, or ``{command: text}``.
    commands, backends : tuple of str
        The commands and back ends that take the option.
    config_key : str or None
        The run configuration key it sets; its default is shown in the help.
    choices : tuple or None
    metavar : str or None
    grid : dict or None
        In a sweep, a list: ``{'flag': ..., 'low': ..., 'high': ..., 'default': ...}``
        (``flag`` when it differs, the range of its values, the default of a sweep without a
        profile).
    required : bool
        Needed to train a run (a sweep with a profile fills it from the profile).
    brevitas_flag : str or None
        The flag of ``python -m qnn_brevitas`` when it is spelt otherwise.
    programs : tuple of str
        The programs that have the option (:data:`QNN`, :data:`qnn.backends.BREVITAS`).
    """

    __slots__ = ()

    def flag_for(self, command, program=QNN):
        """The option's flag in ``command`` of ``program`` (:data:`QNN` or :data:`BREVITAS`)."""
        if program == BREVITAS and self.brevitas_flag:
            return self.brevitas_flag
        if command == SWEEP and self.grid and self.grid.get('flag'):
            return self.grid['flag']
        return self.flag

    def dest_for(self, command, program=QNN):
        """The attribute of the parsed arguments that holds the option."""
        if self.kind == 'switch':
            return self.name
        return self.flag_for(command, program).lstrip('-').replace('-', '_')

    def is_list(self, command):
        """True when ``command`` takes a list (a sweep's grid)."""
        return command == SWEEP and self.grid is not None

    def help_for(self, command, program=QNN, profile=False):
        """The help text in ``command`` of ``program`` (a pair for a switch), with the default
        (``profile``: a sweep's grid defaults to the profile's)."""
        text = self.help.get(command) if isinstance(self.help, dict) else self.help
        if self.kind == 'switch':
            default = DEFAULTS[self.config_key]
            return tuple('%s%s' % (part, ' (default)' if bool(default) == (i == 0) else '')
                         for i, part in enumerate(text))
        if program == QNN and tuple(self.backends) == (BREVITAS,):
            text = 'Brevitas back end: ' + text
        if self.is_list(command):
            default = 'from the profile' if profile and self.kind == 'int' else \
                self.grid.get('default')
        else:
            default = None if self.required else DEFAULTS.get(self.config_key)
        return text if default is None else '%s (default %s)' % (text, default)


def option(name, flag, kind, help, commands=BOTH, backends=BACKENDS, config_key=None,
           choices=None, metavar=None, grid=None, required=False, brevitas_flag=None,
           programs=(QNN, BREVITAS)):
    """A :class:`RunOption` with the usual defaults (every command, back end and program)."""
    return RunOption(name, flag, kind, help, tuple(commands), tuple(backends), config_key,
                     choices, metavar, grid, required, brevitas_flag, tuple(programs))


_LIST = 'e.g. 1..8 or 1,2,4'

#: Every option of ``train`` and ``sweep``; this order is the order of the help and of
#: forwarded words.
OPTIONS = (
    option('wbits', '--wbits', 'int',
           {TRAIN: 'weight bits, 1..8', SWEEP: 'weight bits, ' + _LIST,
            EVAL: 'weight bits (required for a bare parameter folder)'},
           commands=BOTH + (EVAL,), config_key='wbits', grid={'low': 1, 'high': 8},
           required=True),
    option('abits', '--abits', 'int',
           {TRAIN: 'activation bits, 1..8', SWEEP: 'activation bits, ' + _LIST,
            EVAL: 'activation bits (required for a bare parameter folder)'},
           commands=BOTH + (EVAL,), config_key='abits', grid={'low': 1, 'high': 8},
           required=True),
    option('epochs', '--epochs', 'int',
           {TRAIN: 'epoch budget', SWEEP: 'epoch budgets, e.g. 10,20,30,50,100'},
           config_key='epochs', grid={'low': 1}, required=True),
    option('seed', '--seed', 'int',
           {TRAIN: 'seed of the initial weights, the shuffles and the dropout masks',
            SWEEP: 'seeds, e.g. 1234 or 1..3'},
           config_key='seed', grid={'flag': '--seeds', 'low': 0, 'default': '1234'}),
    option('hidden_layers', '--hidden-layers', 'int', 'hidden layers', commands=(TRAIN,),
           config_key='n_hidden_layers'),
    option('lr_start', '--lr-start', 'float', 'learning rate of the first epoch',
           commands=(TRAIN,), config_key='lr_start'),
    option('lr_end', '--lr-end', 'float', 'learning rate the decay ends at', commands=(TRAIN,),
           config_key='lr_end'),
    option('weight_quant', '--weight-quant', 'choice',
           {TRAIN: "weight quantizers: 'paper' (the paper's grid, bit-exact with the Theano "
                   "back end) or 'brevitas' (bnn_pynq's CommonWeightQuant/CommonActQuant); "
                   "default 'paper'",
            SWEEP: "quantizer settings to run, e.g. 'paper' or 'paper,brevitas'"},
           backends=(BREVITAS,), config_key='weight_quant', choices=QUANTIZER_SETTINGS,
           grid={'default': ','.join(QUANTIZER_SETTINGS)}),
    option('act_quant', '--act-quant', 'choice',
           'activation quantizers (default: those of --weight-quant)', backends=(BREVITAS,),
           config_key='act_quant', choices=QUANTIZER_SETTINGS),
    option('layer_order', '--layer-order', 'choice',
           "'bn_act' (hardware-foldable) or 'act_bn' (Fig. 4)", config_key='layer_order',
           choices=LAYER_ORDERS),
    option('activation', '--activation', 'choice', 'quantized activation',
           config_key='activation', choices=ACTIVATION_NAMES),
    option('train_size', '--train-size', 'int', 'use the first N training images',
           config_key='train_size', metavar='N'),
    option('schedule', '--schedule', 'choice',
           {TRAIN: "learning-rate decay 3e-3 -> 3e-7 over the run's --epochs ('budget') or "
                   "over 1000 epochs as BNN-PYNQ's mnist.py ('bnn-pynq')",
            SWEEP: "'budget': one run per epoch budget, the learning rate decayed over it; "
                   "'bnn-pynq': one run per network, decay over 1000 epochs, budgets read off "
                   "on the way"},
           config_key='schedule', choices=SCHEDULES),
    option('binarize_input', ('--binarize-input', '--pixel-input'), 'switch',
           ('+1/-1 inputs (pixel >= 128), as BNN-PYNQ',
            '8-bit pixels scaled to [-1, 1] instead of binarised inputs'),
           commands=BOTH + (EVAL,), config_key='binarize_input'),
    option('num_units', '--num-units', 'int', 'hidden layer width', config_key='num_units'),
    option('stop_after', '--stop-after', 'int', 'stop (resumable) once K epochs are done',
           commands=(TRAIN,), metavar='K'),
    option('until', '--until', 'int', 'train each run only to epoch K for now (resumable)',
           commands=(SWEEP,), metavar='K'),
    option('threads', '--threads', 'int', "torch's threads (default: torch's choice; in a "
           'sweep, the cores shared among the --jobs)', backends=(BREVITAS,)),
    option('jobs', '--jobs', 'int', 'runs trained at once on this machine (default 1)',
           commands=(SWEEP,)),
    option('scheduler', '--scheduler', 'text', 'Dask scheduler address (tcp://host:8786)',
           commands=(SWEEP,)),
    option('cluster_config', '--cluster-config', 'text',
           'dask-jobqueue cluster file (YAML/JSON)', commands=(SWEEP,)),
    option('brevitas_python', '--brevitas-python', 'text',
           'interpreter of the Brevitas environment (default: $%s or %s/bin/python, built by '
           '`make brevitas-env`)' % (BREVITAS_PYTHON_ENV, BREVITAS_VENV), backends=(BREVITAS,),
           metavar='PATH', programs=(QNN,)),
    option('data_dir', '--data-dir', 'text', 'MNIST folder (default: $QNN_DATA_DIR or cache)',
           commands=BOTH + (EVAL,)),
    option('no_progress', '--no-progress', 'flag', 'no progress bars'),
    option('no_report', '--no-report', 'flag',
           'skip what follows the sweep (store, figures and report; the Brevitas back end: '
           'the comparison)', commands=(SWEEP,), brevitas_flag='--no-compare'),
    option('out', '--out', 'text', {TRAIN: 'run folder', SWEEP: 'study folder'}, required=True),
)


def _taken(command, backends, program=QNN):
    """The rows of :data:`OPTIONS` that ``command`` of ``program`` takes with one of
    ``backends``."""
    return [row for row in OPTIONS if command in row.commands and program in row.programs and
            set(row.backends) & set(backends)]


def _add_switch(parser, row, command):
    group = parser.add_mutually_exclusive_group()
    helps = row.help_for(command)
    group.add_argument(row.flag[0], dest=row.name, action='store_true', default=None,
                       help=helps[0])
    group.add_argument(row.flag[1], dest=row.name, action='store_false', help=helps[1])


def _add_one(parser, row, command, program, profile):
    """Add ``row`` to ``parser``; ``profile``: a sweep's grid is filled from a profile."""
    if row.kind == 'switch':
        return _add_switch(parser, row, command)
    keywords = {'dest': row.dest_for(command, program),
                'help': row.help_for(command, program, profile)}
    if row.kind == 'flag':
        keywords['action'] = 'store_true'
    elif row.is_list(command):
        keywords['required'] = row.required and not profile
        keywords['default'] = None if profile else row.grid.get('default')
    else:
        keywords.update(required=row.required and (command == TRAIN or row.name == 'out'),
                        type={'int': int, 'float': float}.get(row.kind), choices=row.choices,
                        metavar=row.metavar)
    parser.add_argument(row.flag_for(command, program), **keywords)


def add_options(parser, command, backends=BACKENDS, program=QNN, profile=False):
    """Add the options of ``command`` that ``backends`` take to an argparse parser.

    Parameters
    ----------
    parser : argparse.ArgumentParser
    command : str
        :data:`TRAIN`, :data:`SWEEP` or :data:`EVAL`.
    backends : sequence of str
        The back ends the program runs (``qnn``: all, ``--backend`` picks one).
    program : str
        :data:`QNN` or :data:`qnn.backends.BREVITAS` (``python -m qnn_brevitas``): the
        spelling of the flags.
    profile : bool
        A sweep's grid defaults to a profile: no grid option is required or has a default.
    """
    for row in _taken(command, backends, program):
        _add_one(parser, row, command, program, profile)


def _given(args, row, command):
    value = getattr(args, row.dest_for(command), None)
    return value is not None and value is not False


def check_backend(args, command, backend):
    """Refuse the options given in ``args`` (parsed by ``qnn``) that ``backend`` does not take.

    Raises
    ------
    qnn.backends.BackendError
        One line naming the options and the back end they belong to.
    """
    foreign = [row for row in _taken(command, BACKENDS)
               if backend not in row.backends and _given(args, row, command)]
    if foreign:
        owners = sorted(set(name for row in foreign for name in row.backends))
        flags = ['/'.join(row.flag) if row.kind == 'switch' else row.flag_for(command)
                 for row in foreign]
        raise BackendError('%s %s only with the %s back end' % (
            ', '.join(flags), 'works' if len(flags) == 1 else 'work', ' or '.join(owners)))


def forwarded_words(args, command, backend=BREVITAS):
    """The command-line words of ``python -m qnn_brevitas COMMAND`` for the options given in
    ``args`` (parsed by ``qnn``) that ``backend`` takes, in :data:`OPTIONS` order.

    Examples
    --------
    >>> import argparse
    >>> args = argparse.Namespace(wbits=2, binarize_input=False, no_progress=True, seed=None)
    >>> forwarded_words(args, TRAIN)
    ['--wbits', '2', '--pixel-input', '--no-progress']
    """
    words = []
    for row in _taken(command, (backend,), backend):
        value = getattr(args, row.dest_for(command), None)
        if value is None or value is False and row.kind != 'switch':
            continue
        if row.kind == 'switch':
            words.append(row.flag[0] if value else row.flag[1])
        elif row.kind == 'flag':
            words.append(row.flag_for(command, backend))
        else:
            words.extend([row.flag_for(command, backend), str(value)])
    return words


def config_values(args, command, backend, program=QNN):
    """The run configuration values given in ``args`` (None: not given), by configuration key.

    In a sweep these are the study's settings (:data:`qnn.study.STUDY_KEYS`; the grid's lists
    are :func:`grid_lists`).
    """
    from .study import STUDY_KEYS
    return dict((row.config_key, getattr(args, row.dest_for(command, program), None))
                for row in _taken(command, (backend,), program)
                if row.config_key and (command == TRAIN or row.config_key in STUDY_KEYS))


def grid_lists(args, program=QNN, fill=None):
    """The integer lists of a sweep's grid, by option name (``wbits``, ``abits``, ``epochs``,
    ``seed``), read from ``args``; ``fill`` (a dict) gives those not given.

    Raises
    ------
    qnn.study.StudyError
        A list that cannot be read or holds a value out of range.
    """
    from .study import parse_int_list
    lists = {}
    for row in OPTIONS:
        if row.is_list(SWEEP) and row.kind == 'int':
            text = getattr(args, row.dest_for(SWEEP, program), None)
            lists[row.name] = parse_int_list(text, row.grid.get('low'), row.grid.get('high')) \
                if text is not None else list((fill or {})[row.name])
    return lists
