from __future__ import absolute_import, division, print_function

import os
import shutil

import numpy as np
import pytest

from hwgen.finn.files import (LayerParams, read_classes, read_layer, read_params,
                              read_thresholds_file, read_words, write_classes, write_params)
from hwgen.folding.base import Folding, lfc_folding
from hwgen.layerspec import LayerSpec, lfc_specs


def bin_files(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith('.bin'))


def read_bytes(path):
    with open(path, 'rb') as handle:
        return handle.read()


def test_golden_folder_layout(lfc_w1a1_dir):
    names = bin_files(lfc_w1a1_dir)
    assert len(names) == 288                   # (32 + 64 + 32 + 16) PEs x 2 files
    assert read_classes(lfc_w1a1_dir) == [str(c) for c in range(10)]


def test_golden_hexdump_facts(lfc_w1a1_dir):
    words = read_words(os.path.join(lfc_w1a1_dir, '0-0-weights.bin'))
    assert words.dtype == np.uint64 and words.size == 416
    assert int(words[0]) == 0x31045f37f9987386
    thresholds = read_thresholds_file(os.path.join(lfc_w1a1_dir, '3-0-thres.bin'))
    assert thresholds.tolist() == [664, 32767, 32767, 32767]
    first = read_thresholds_file(os.path.join(lfc_w1a1_dir, '0-0-thres.bin'))
    assert first[:2].tolist() == [376, 386]


def test_read_golden_params_shapes(lfc_w1a1_dir):
    params = read_params(lfc_w1a1_dir, lfc_specs('W1A1'))
    for f, layer in zip(lfc_folding(), params):
        assert layer.weights.shape == (f.pe, f.wmem) and layer.weights.dtype == np.uint64
        assert layer.thresholds.shape == (f.pe, f.tmem, 1)
        assert layer.thresholds.dtype == np.int64
    assert params[3].thresholds[:, 0, 0].tolist()[:2] == [664, 645]


def test_golden_round_trip_is_byte_identical(lfc_w1a1_dir, tmpdir):
    params = read_params(lfc_w1a1_dir, lfc_specs('W1A1'))
    out = str(tmpdir.join('copy'))
    written = write_params(out, params, classes=read_classes(lfc_w1a1_dir))
    assert len(written) == 289
    assert bin_files(out) == bin_files(lfc_w1a1_dir)
    assert sorted(os.listdir(out)) == sorted(n for n in os.listdir(lfc_w1a1_dir)
                                             if n.endswith('.bin') or n == 'classes.txt')
    for name in bin_files(lfc_w1a1_dir) + ['classes.txt']:
        assert read_bytes(os.path.join(out, name)) == \
            read_bytes(os.path.join(lfc_w1a1_dir, name)), name


def test_reading_with_the_wrong_folding_fails(lfc_w1a1_dir):
    f = lfc_folding()[0]
    with pytest.raises(ValueError) as info:           # the folder has 32 PEs, not 16
        read_layer(lfc_w1a1_dir, 0, f._replace(pe=16))
    assert '0-16-weights.bin' in str(info.value)
    with pytest.raises(ValueError) as info:           # SIMD 32: 832 words, files hold 416
        read_layer(lfc_w1a1_dir, 0, f._replace(simd=32))
    assert '3328 bytes' in str(info.value) and '832 words' in str(info.value)
    with pytest.raises(ValueError) as info:           # A = 2 would need 2 thresholds
        read_params(lfc_w1a1_dir, lfc_specs('W1A2'))
    assert 'expected 2' in str(info.value)


def test_missing_file(lfc_w1a1_dir, tmpdir):
    folder = str(tmpdir.join('partial'))
    shutil.copytree(lfc_w1a1_dir, folder)
    os.remove(os.path.join(folder, '1-5-weights.bin'))
    with pytest.raises(ValueError) as info:
        read_params(folder, lfc_specs('W1A1'))
    assert '1-5-weights.bin' in str(info.value)


def test_multi_threshold_round_trip(tmpdir):
    f = Folding(mw=16, mh=8, simd=8, pe=4)
    rng = np.random.RandomState(0)
    params = [LayerParams(rng.randint(0, 2 ** 62, size=(4, f.wmem)).astype(np.uint64)
                          | np.uint64(1 << 63),
                          rng.randint(-300, 300, size=(4, f.tmem, 2)).astype(np.int64))]
    folder = str(tmpdir)
    write_params(folder, params)
    again = read_params(folder, [LayerSpec(f, w_bits=8, in_bits=2, a_bits=2)])[0]
    assert (again.weights == params[0].weights).all()
    assert (again.thresholds == params[0].thresholds).all()
    assert read_layer(folder, 0, f).thresholds.shape == (4, 2, 2)   # NumTH from the sizes
    raw = read_bytes(os.path.join(folder, '0-0-thres.bin'))
    assert np.frombuffer(raw, dtype='<i8').tolist() == params[0].thresholds[0].ravel().tolist()
    assert not [n for n in os.listdir(folder) if n.endswith('.tmp')]


def test_classes_file_format(tmpdir):
    folder = str(tmpdir)
    write_classes(folder, ['zero', 'one'])
    assert read_bytes(os.path.join(folder, 'classes.txt')) == b'zero\r\none'
    write_classes(folder, ['a', 'b'], newline='\n', final_newline=True)
    assert read_bytes(os.path.join(folder, 'classes.txt')) == b'a\nb\n'
    assert read_classes(folder) == ['a', 'b']
