"""Sub-commands and back ends found through entry points, without qnn naming the packages."""
from __future__ import absolute_import

import json

from qnn import plugins
from qnn.backends import BREVITAS, brevitas_command
from qnn.cli import build_parser


def _setup_cfg(tmpdir, text):
    path = tmpdir.join('setup.cfg')
    path.write(text)
    return str(path)


def test_the_source_tree_declares_the_commands_and_the_brevitas_back_end():
    assert dict(plugins.entry_points(plugins.COMMANDS))['hwgen'] == 'hwgen.cli'
    assert dict(plugins.entry_points(plugins.COMMANDS))['experiments'] == 'experiments.cli'
    assert brevitas_command('py', 'train', ['--wbits', '2']) == [
        'py', '-m', 'qnn_brevitas', 'train', '--wbits', '2']
    assert dict(plugins.entry_points(plugins.BACKENDS))[BREVITAS] == 'qnn_brevitas'


def test_qnn_has_the_commands_of_the_packages_below_it():
    commands = build_parser()._subparsers._group_actions[0].choices
    assert {'train', 'hwgen', 'sweep', 'results', 'compare'} <= set(commands)


def test_setup_cfg_entries_come_first_and_missing_packages_are_skipped(tmpdir):
    path = _setup_cfg(tmpdir, u'[options.entry_points]\nqnn.test_group =\n'
                              u'    codec = json\n    gone = no_such_package_here.cli\n')
    assert plugins.entry_points('qnn.test_group', path)[:2] == [
        ('codec', 'json'), ('gone', 'no_such_package_here.cli')]
    assert plugins.load_modules('qnn.test_group', path) == [json]


def test_without_a_setup_cfg_the_installed_metadata_answers(tmpdir):
    missing = str(tmpdir.join('setup.cfg'))
    assert plugins.read_setup_cfg(missing, plugins.COMMANDS) is None
    assert ('qnn', 'qnn.cli:main') in plugins.entry_points('console_scripts', missing)
