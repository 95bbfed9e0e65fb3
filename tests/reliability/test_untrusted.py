"""Untrusted files: no pickle is ever loaded, paths read from files stay inside their folder,
and the IDX and FINN ``.bin`` readers survive random truncations and bit flips."""
from __future__ import absolute_import, division

import io
import os
import re
import shutil

import numpy as np
import pytest

from hwgen.trained.export import read_manifest
from qnn.data.mnist import DataError, read_idx
from qnn.paths import PathError, contained_path

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = ('qnn', 'hwgen', 'experiments', 'qnn_brevitas')
#: Calls that can run code from a file unless told not to.
LOADERS = re.compile(r'\b(?:np|numpy)\.load\(|\bimport (?:c?[Pp]ickle|dill|joblib|shelve)\b|'
                     r'\b(?:c?[Pp]ickle|dill|joblib|marshal)\.loads?\(|\btorch\.load\(|'
                     r'\byaml\.load\(')
FUZZ_ROUNDS = 60


def _sources():
    for package in PACKAGES:
        for folder, _, names in os.walk(os.path.join(ROOT, package)):
            for name in sorted(names):
                if name.endswith('.py'):
                    yield os.path.join(folder, name)


def _calls(text, start):
    """The text of the call that starts at ``start`` (up to its closing parenthesis)."""
    depth, end = 0, start
    for end in range(text.index('(', start), len(text)):
        depth += {'(': 1, ')': -1}.get(text[end], 0)
        if depth == 0:
            break
    return text[start:end + 1]


def test_no_code_loads_a_pickle():
    offenders = []
    for path in _sources():
        with io.open(path, encoding='utf-8') as handle:
            text = handle.read()
        for match in LOADERS.finditer(text):
            call = _calls(text, match.start()) if match.group().endswith('(') else match.group()
            safe = ('allow_pickle=False' in call or 'weights_only=True' in call or
                    'SafeLoader' in call)
            if not safe:
                offenders.append('%s: %s' % (os.path.relpath(path, ROOT), call.splitlines()[0]))
    assert not offenders, 'loads that may unpickle:\n' + '\n'.join(offenders)
    assert len(list(_sources())) > 30  # the scan saw the code


@pytest.mark.parametrize('relative', ['../x', '/etc/passwd', 'a/../../x', '', 'C:/x'])
def test_paths_from_files_cannot_leave_their_folder(relative):
    with pytest.raises(PathError):
        contained_path('out', relative)


def test_a_manifest_cannot_point_outside_its_export(tmpdir, assets):
    """Reading an export whose manifest names ../victim: refused before anything is read."""
    from hwgen.trained.readback import load_folder
    export = str(tmpdir.join('export'))
    shutil.copytree(assets['export'], export)
    path = os.path.join(export, 'manifest.json')
    with open(path) as handle:
        text = handle.read()
    with open(path, 'w') as handle:
        handle.write(text.replace('"hw/config.h"', '"../../victim"'))
    assert '../../victim' in read_manifest(export)['files']
    with pytest.raises(PathError):
        load_folder(export)


def _damaged(data, rng):
    """A random truncation or a few random bit flips of ``data``."""
    data = bytearray(data)
    if rng.rand() < 0.5:
        return bytes(data[:rng.randint(0, len(data))])
    for _ in range(rng.randint(1, 8)):
        position = rng.randint(0, len(data))
        data[position] ^= 1 << rng.randint(0, 8)
    return bytes(data)


def _small_idx(mnist_dir, name, keep):
    """The first ``keep`` records of an MNIST file as an uncompressed IDX file's bytes."""
    array = read_idx(os.path.join(mnist_dir, name))[:keep]
    header = b'\x00\x00\x08' + bytearray([array.ndim])
    header += b''.join(int(n).to_bytes(4, 'big') if hasattr(int, 'to_bytes') else
                       np.array([n], '>u4').tobytes() for n in array.shape)
    return bytes(header) + array.tobytes()


@pytest.mark.parametrize('name', ['t10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz'])
@pytest.mark.parametrize('gzipped', [False, True])
def test_idx_reader_fails_only_with_its_own_error(tmpdir, mnist_dir, name, gzipped):
    import gzip
    good = _small_idx(mnist_dir, name, 50)
    if gzipped:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode='wb', mtime=0) as handle:
            handle.write(good)
        good = buffer.getvalue()
    rng = np.random.RandomState(20240 + len(name) + gzipped)
    path = str(tmpdir.join('fuzzed'))
    outcomes = {'read': 0, 'refused': 0}
    for _ in range(FUZZ_ROUNDS):
        with open(path, 'wb') as handle:
            handle.write(_damaged(good, rng))
        try:
            array = read_idx(path)
            assert array.dtype == np.uint8
            outcomes['read'] += 1
        except DataError:
            outcomes['refused'] += 1
    assert outcomes['refused'] > 0


def test_finn_parameter_reader_fails_only_with_its_own_error(tmpdir, assets):
    """Damaged ``.bin`` files of an export, read without the hash check that would catch them."""
    from hwgen.trained.readback import load_folder
    params = os.path.join('params')
    names = sorted(name for name in os.listdir(os.path.join(assets['export'], params))
                   if name.endswith('.bin'))
    rng = np.random.RandomState(8)
    refused = 0
    for round_index in range(FUZZ_ROUNDS):
        export = str(tmpdir.join('export-%d' % round_index))
        shutil.copytree(assets['export'], export)
        victim = os.path.join(export, params, names[rng.randint(0, len(names))])
        with open(victim, 'rb') as handle:
            data = handle.read()
        with open(victim, 'wb') as handle:
            handle.write(_damaged(data, rng))
        try:
            load_folder(export, verify=False)
        except ValueError:  # hwgen's readers raise ValueError (HwgenError is one) and no other
            refused += 1
        shutil.rmtree(export)
    assert refused > 0
