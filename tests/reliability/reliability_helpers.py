"""Helpers of the reliability tests: copies, snapshots, the tiny run's command line."""
from __future__ import absolute_import, division

import io
import os
import shutil
import sys

from qnn.study import RunSpec, run_dir

#: The tiny training settings of every real run in these tests.
TINY = {'train_size': 100, 'num_units': 16, 'n_hidden_layers': 1}
SPEC = RunSpec(2, 2, 1, 1234)
ROOT_SKIP = 'running as root: permissions do not stop root'


def train_argv(out, **changes):
    """``qnn train`` arguments of the tiny run (``changes`` override options, by flag name)."""
    options = {'wbits': '2', 'abits': '2', 'epochs': '1', 'seed': '1234', 'train-size': '100',
               'num-units': '16', 'hidden-layers': '1'}
    options.update((key.replace('_', '-'), value) for key, value in changes.items())
    argv = ['train', '--no-progress', '--out', out]
    for flag in sorted(options):
        argv += ['--' + flag, options[flag]]
    return argv


def copy_tree(source, target):
    """Copy a folder (a fresh, writable copy for one case)."""
    shutil.copytree(source, target)
    return target


def run_folder(study_dir):
    """The single run folder of a copied tiny study."""
    return run_dir(study_dir, SPEC)


def is_root():
    return hasattr(os, 'geteuid') and os.geteuid() == 0


def snapshot(folder):
    """Every file and folder below ``folder`` with its size, mtime and permission bits."""
    entries = {}
    for path, names, files in os.walk(folder):
        for name in names + files:
            full = os.path.join(path, name)
            status = os.lstat(full)
            entries[os.path.relpath(full, folder)] = (status.st_size, status.st_mtime,
                                                       status.st_mode)
    return entries


def run_cli(argv):
    """Run ``qnn`` in this process; returns ``(exit status, stdout, stderr)``."""
    from qnn.cli import main
    out, err = _Capture(), _Capture()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        try:
            status = main(argv)
        except SystemExit as stop:  # argparse
            status = stop.code
    finally:
        sys.stdout, sys.stderr = saved
    return status, out.getvalue(), err.getvalue()


class _Capture(io.StringIO):
    """A text buffer that also takes Python 2 byte strings."""

    def write(self, text):
        if isinstance(text, bytes):
            text = text.decode('utf-8')
        return super(_Capture, self).write(text)
