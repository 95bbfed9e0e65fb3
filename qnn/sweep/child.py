"""One run of a sweep in its own process: the job it is handed, and the child's main.

The engine hands a child process its run as data: a JSON object on the child's standard input
(:func:`job`), which the child reads back (:func:`read_job`) and trains with its back end's
``train`` function (:func:`run_child`). Its output (one result line, or one error line) goes to
the run's ``train.log``. The exit status is 0 when training returned, 2 when the run was
refused (another process trains it, it is finished, its files are damaged, ...), 1 on anything
else (with the traceback).
"""
from __future__ import absolute_import, division, print_function

import json
import subprocess
import sys
import traceback

__all__ = ['JOB_KEYS', 'JobError', 'job', 'read_job', 'start_child', 'run_child']

#: The keys of a job: the run folder, its complete configuration, the epochs to stop after
#: (None: all), the MNIST folder (None: the default) and the threads of the run (None: the
#: back end's choice).
JOB_KEYS = ('run_dir', 'config', 'max_epochs', 'data_dir', 'threads')


class JobError(ValueError):
    """What a child read is not a job."""


def job(run_dir, config, max_epochs=None, data_dir=None, threads=None):
    """The job of one run, as the child reads it.

    Examples
    --------
    >>> sorted(job('study/runs/W1A1-e1-s1', {'wbits': 1}))
    ['config', 'data_dir', 'max_epochs', 'run_dir', 'threads']
    """
    return {'run_dir': run_dir, 'config': dict(config), 'max_epochs': max_epochs,
            'data_dir': data_dir, 'threads': threads}


def read_job(text):
    """The job in ``text`` (JSON), checked to have exactly :data:`JOB_KEYS`.

    Raises
    ------
    JobError
    """
    try:
        record = json.loads(text)
    except ValueError as error:
        raise JobError('the job on standard input is not JSON (%s)' % error)
    if not isinstance(record, dict) or sorted(record) != sorted(JOB_KEYS) or \
            not isinstance(record['config'], dict):
        raise JobError('the job on standard input must be an object with %s'
                       % ', '.join(JOB_KEYS))
    return record


def start_child(command, record, env, log_file):
    """Run ``command`` with the job ``record`` on its standard input; returns its exit status.

    Its standard output and error go to ``log_file`` (a binary file).
    """
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log_file,
                               stderr=subprocess.STDOUT, env=env)
    process.communicate(json.dumps(record, sort_keys=True).encode('utf-8'))
    return process.returncode


def _read_stdin():
    stream = getattr(sys.stdin, 'buffer', sys.stdin)
    return stream.read().decode('utf-8')


def run_child(train, options=(), text=None):
    """The main of a child process: read the job, train its run, print one line.

    Parameters
    ----------
    train : callable
        The back end's ``train(run_dir, data_dir=, progress=, max_epochs=, **config)``.
    options : sequence of str
        Further job keys ``train`` takes (e.g. ``('threads',)``).
    text : str, optional
        The job (default: standard input).

    Returns
    -------
    int
        The exit status (see the module docstring).
    """
    from ..runs import result_line
    try:
        record = read_job(_read_stdin() if text is None else text)
        extra = dict((key, record[key]) for key in options)
        extra.update(record['config'])
        metrics = train(record['run_dir'], data_dir=record['data_dir'], progress=False,
                        max_epochs=record['max_epochs'], **extra)
    except (ValueError, EnvironmentError) as error:  # refused: the message is the story
        sys.stderr.write('error: %s\n' % ' '.join(str(error).split()))
        return 2
    except Exception:  # pylint: disable=broad-except
        traceback.print_exc()
        return 1
    print(result_line(metrics, record['run_dir'], record['config']['epochs']))
    return 0
