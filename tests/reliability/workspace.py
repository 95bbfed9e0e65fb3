"""A case's folder of bad inputs, each made on first use from the shared tiny assets.

``Workspace(folder, assets)['run_params_truncated']`` copies the tiny run into the folder,
truncates its ``params.npz`` and returns the copy's path; command lines name inputs as
``{run_params_truncated}``. Adding a kind of bad input is one method ``make_<name>``.
"""
from __future__ import absolute_import, division

import json
import os
import stat

import pytest

from reliability_helpers import ROOT_SKIP, copy_tree, is_root, run_folder


def truncate(path, keep=0.5):
    """Cut a file to ``keep`` of its length."""
    size = os.path.getsize(path)
    with open(path, 'r+b') as handle:
        handle.truncate(int(size * keep))


def flip_bit(path, fraction=0.5, bit=3):
    """Flip one bit of a file, ``fraction`` of the way into it."""
    with open(path, 'r+b') as handle:
        handle.seek(int(os.path.getsize(path) * fraction))
        byte = bytearray(handle.read(1))
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes(bytearray([byte[0] ^ (1 << bit)])))


def write_text(path, text):
    with open(path, 'wb') as handle:
        handle.write(text.encode('utf-8'))


def edit_json(path, change):
    with open(path) as handle:
        record = json.load(handle)
    change(record)
    write_text(path, json.dumps(record))


class Workspace(dict):
    """Lazily made bad inputs below ``folder`` (a dict for ``str.format``)."""

    def __init__(self, folder, assets):
        super(Workspace, self).__init__()
        self.folder, self.assets = folder, assets

    def __missing__(self, name):
        maker = getattr(self, 'make_' + name, None)
        if maker is None:
            raise KeyError('no bad input named %r' % name)
        self[name] = maker(os.path.join(self.folder, name))
        return self[name]

    # --- plain paths ---------------------------------------------------------------------------
    def make_missing(self, path):
        return path

    def make_empty(self, path):
        os.mkdir(path)
        return path

    def make_file(self, path):
        write_text(path, 'not a folder\n')
        return path

    def make_unreadable(self, path):
        if is_root():
            pytest.skip(ROOT_SKIP)
        copy_tree(self.assets['run'], path)
        os.chmod(path, 0)
        return path

    def make_readonly(self, path):
        """A path inside a read-only folder."""
        if is_root():
            pytest.skip(ROOT_SKIP)
        os.mkdir(path)
        os.chmod(path, stat.S_IRUSR | stat.S_IXUSR)
        return os.path.join(path, 'out')

    # --- run folders ---------------------------------------------------------------------------
    def make_run(self, path):
        return copy_tree(self.assets['run'], path)

    def make_act_bn(self, path):
        return copy_tree(self.assets['act_bn'], path)

    def _broken_run(self, path, name, damage):
        copy_tree(self.assets['run'], path)
        damage(os.path.join(path, name))
        return path

    def make_run_params_truncated(self, path):
        return self._broken_run(path, 'params.npz', truncate)

    def make_run_params_flipped(self, path):
        return self._broken_run(path, 'params.npz', flip_bit)

    def make_run_params_missing(self, path):
        return self._broken_run(path, 'params.npz', os.remove)

    def make_run_checkpoint_truncated(self, path):
        """An unfinished run (so it would resume) whose checkpoint is cut short."""
        self._broken_run(path, 'checkpoint.npz', truncate)
        edit_json(os.path.join(path, 'metrics.json'), lambda record: record.update(finished=False))
        return path

    def make_run_config_truncated(self, path):
        return self._broken_run(path, 'config.json', truncate)

    def make_run_config_list(self, path):
        return self._broken_run(path, 'config.json', lambda p: write_text(p, '[1, 2]'))

    def make_run_config_types(self, path):
        return self._broken_run(path, 'config.json',
                                lambda p: edit_json(p, lambda r: r.update(wbits='two')))

    def make_run_metrics_truncated(self, path):
        return self._broken_run(path, 'metrics.json', truncate)

    def make_run_metrics_types(self, path):
        return self._broken_run(path, 'metrics.json',
                                lambda p: edit_json(p, lambda r: r.update(epochs=3)))

    # --- exports -------------------------------------------------------------------------------
    def make_export(self, path):
        return copy_tree(self.assets['export'], path)

    def make_export_hash(self, path):
        copy_tree(self.assets['export'], path)
        flip_bit(os.path.join(path, 'params', '0-0-weights.bin'))
        return path

    def make_export_no_hw(self, path):
        copy_tree(self.assets['export'], path)
        for name in os.listdir(os.path.join(path, 'hw')):
            os.remove(os.path.join(path, 'hw', name))
        os.rmdir(os.path.join(path, 'hw'))
        return path

    def make_export_manifest_truncated(self, path):
        copy_tree(self.assets['export'], path)
        truncate(os.path.join(path, 'manifest.json'))
        return path

    def make_export_escape(self, path):
        """An export whose manifest lists a file outside it (which exists: ``victim.txt``)."""
        copy_tree(self.assets['export'], path)
        write_text(os.path.join(self.folder, 'victim.txt'), 'keep me\n')
        edit_json(os.path.join(path, 'manifest.json'),
                  lambda record: record['files'].update({'../victim.txt': '0' * 64}))
        return path

    # --- studies -------------------------------------------------------------------------------
    def make_study(self, path):
        return copy_tree(self.assets['study'], path)

    def make_study_edited(self, path):
        """A study whose ``study.json`` disagrees with the settings its run was trained with."""
        copy_tree(self.assets['study'], path)
        edit_json(os.path.join(path, 'study.json'),
                  lambda record: record['settings'].update(train_size=200))
        return path

    def make_study_json_truncated(self, path):
        copy_tree(self.assets['study'], path)
        truncate(os.path.join(path, 'study.json'))
        return path

    def make_study_store_corrupt(self, path):
        copy_tree(self.assets['study'], path)
        truncate(os.path.join(path, 'results.h5'), 0.3)
        return path

    def make_study_no_store(self, path):
        copy_tree(self.assets['study'], path)
        os.remove(os.path.join(path, 'results.h5'))
        return path

    def make_study_metrics_truncated(self, path):
        copy_tree(self.assets['study'], path)
        truncate(os.path.join(run_folder(path), 'metrics.json'))
        return path

    # --- MNIST ---------------------------------------------------------------------------------
    def _mnist(self, path, damage):
        copy_tree(self.assets['mnist'], path)
        damage(os.path.join(path, 't10k-labels-idx1-ubyte.gz'))
        return path

    def make_mnist_flipped(self, path):
        return self._mnist(path, lambda p: flip_bit(p, 0.9))

    def make_mnist_truncated(self, path):
        return self._mnist(path, truncate)
