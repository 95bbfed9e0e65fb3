"""Tests for qnn.data.mnist: real MNIST (when present), synthetic bad files, fake downloads."""
from __future__ import absolute_import, division, print_function

import gzip
import hashlib
import io
import os
import struct

import numpy as np
import pytest

from qnn.data import download, mnist
from qnn.data.mnist import DataError

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def idx_bytes(array, magic=None):
    """IDX encoding of a uint8 array (magic 0x801 for 1-D, 0x803 for 3-D unless given)."""
    array = np.asarray(array, dtype=np.uint8)
    if magic is None:
        magic = 0x800 + array.ndim
    header = struct.pack('>I', magic) + struct.pack('>%dI' % array.ndim, *array.shape)
    return header + array.tobytes()


def gzip_bytes(data):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode='wb', mtime=0) as handle:
        handle.write(data)
    return buf.getvalue()


def write(path, data):
    with open(str(path), 'wb') as handle:
        handle.write(data)
    return str(path)


def write_pair(directory, n_images, n_labels=None, subset='test', labels=None,
               image_shape=(28, 28)):
    """Write a synthetic (images, labels) IDX pair into ``directory``; return both paths."""
    n_labels = n_images if n_labels is None else n_labels
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(n_images,) + image_shape)
    labels = rng.randint(0, 10, size=n_labels) if labels is None else labels
    image_path = write(directory.join(mnist.FILES[subset + '_images']), idx_bytes(images))
    label_path = write(directory.join(mnist.FILES[subset + '_labels'] + '.gz'),
                       gzip_bytes(idx_bytes(labels)))
    return image_path, label_path


def raises_naming(path, function, *args, **kwargs):
    """Assert ``function`` raises DataError whose message names ``path``; return the message."""
    with pytest.raises(DataError) as excinfo:
        function(*args, **kwargs)
    message = str(excinfo.value)
    assert os.path.basename(str(path)) in message, message
    return message


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------
# Real MNIST
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope='module')
def raw(mnist_dir):
    return mnist.load_raw(mnist_dir)


def first_label(mnist_dir, name):
    """The first label of an IDX label file, read without qnn (offset 8 after the header)."""
    path = os.path.join(mnist_dir, name)
    if os.path.isfile(path):
        with open(path, 'rb') as handle:
            return bytearray(handle.read(9))[8]
    with gzip.open(path + '.gz', 'rb') as handle:
        return bytearray(handle.read(9))[8]


def test_raw_shapes_and_dtypes(raw):
    assert raw['train_images'].shape == (60000, 28, 28)
    assert raw['train_labels'].shape == (60000,)
    assert raw['test_images'].shape == (10000, 28, 28)
    assert raw['test_labels'].shape == (10000,)
    for array in raw.values():
        assert array.dtype == np.uint8
    assert raw['train_images'].max() == 255 and raw['train_images'].min() == 0
    assert sorted(np.unique(raw['train_labels'])) == list(range(10))


def test_first_labels_are_5_and_7(raw, mnist_dir):
    assert first_label(mnist_dir, mnist.FILES['train_labels']) == 5
    assert first_label(mnist_dir, mnist.FILES['test_labels']) == 7
    assert raw['train_labels'][0] == 5
    assert raw['test_labels'][0] == 7


def test_load_mnist_splits(mnist_dir, raw):
    data = mnist.load_mnist(mnist_dir)
    assert [len(s.X) for s in data] == [50000, 10000, 10000]
    for split in data:
        assert split.X.dtype == np.float32 and split.X.shape[1] == 784
        assert split.y.dtype == np.int32 and split.y.shape == (len(split.X),)
        assert split.X.min() == -1.0 and split.X.max() == 1.0
    np.testing.assert_array_equal(data.train.y, raw['train_labels'][:50000])
    np.testing.assert_array_equal(data.valid.y, raw['train_labels'][50000:])
    np.testing.assert_array_equal(data.test.y, raw['test_labels'])
    expected = 2 * raw['test_images'][0].reshape(-1).astype(np.float64) / 255 - 1
    np.testing.assert_allclose(data.test.X[0], expected, atol=1e-7)


def test_load_mnist_binarized_and_subset(mnist_dir, raw):
    data = mnist.load_mnist(mnist_dir, binarize=True, train_size=1000)
    assert [len(s.X) for s in data] == [1000, 10000, 10000]
    assert set(np.unique(data.train.X)) == {-1.0, 1.0}
    expected = np.where(raw['train_images'][:1000].reshape(1000, -1) >= 128, 1, -1)
    np.testing.assert_array_equal(data.train.X, expected)
    np.testing.assert_array_equal(data.valid.y, raw['train_labels'][50000:])


def test_real_checksums(mnist_dir):
    verified = download.verify_checksums(mnist_dir)
    assert sorted(os.path.basename(p) for p in verified) == sorted(mnist.SHA256)
    sums = os.path.join(mnist_dir, 'SHA256SUMS')
    if os.path.isfile(sums):
        with open(sums) as handle:
            published = dict(reversed(line.split()) for line in handle if line.strip())
        assert published == mnist.SHA256


# --------------------------------------------------------------------------------------------
# Scaling, arguments, folders
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize('dtype', ['float32', 'float64'])
def test_binarize_equals_bnn_pynq_rule_for_all_pixels(dtype):
    pixels = np.arange(256, dtype=np.uint8).reshape(1, 256)
    scaled = 2 * (pixels.astype(dtype) / np.array(255, dtype)) - 1  # pylearn2/BNN-PYNQ order
    bnn_pynq = np.where(scaled >= 0, 1, -1)
    np.testing.assert_array_equal(mnist.scale_pixels(pixels, binarize=True, dtype=dtype),
                                  bnn_pynq)
    np.testing.assert_array_equal(bnn_pynq[0], np.where(np.arange(256) >= 128, 1, -1))
    np.testing.assert_allclose(mnist.scale_pixels(pixels, dtype=dtype), scaled, atol=1e-6)


def test_scale_pixels_range_and_shape():
    pixels = np.array([[[0, 255], [127, 128]]], dtype=np.uint8)
    scaled = mnist.scale_pixels(pixels)
    assert scaled.shape == (1, 4) and scaled.dtype == np.float32
    assert scaled[0, 0] == -1.0 and scaled[0, 1] == 1.0
    assert scaled[0, 2] < 0 < scaled[0, 3]


@pytest.mark.parametrize('bad', [0, -1, 50001, 1.5, True, '100'])
def test_load_mnist_rejects_train_size(bad, tmpdir):
    with pytest.raises(ValueError) as excinfo:
        mnist.load_mnist(str(tmpdir), train_size=bad)
    assert not isinstance(excinfo.value, DataError)
    assert repr(bad) in str(excinfo.value)


def test_resolve_data_dir(monkeypatch, tmpdir):
    monkeypatch.setenv('QNN_DATA_DIR', str(tmpdir.join('env')))
    assert mnist.resolve_data_dir(str(tmpdir)) == str(tmpdir)
    assert mnist.resolve_data_dir() == str(tmpdir.join('env'))
    monkeypatch.delenv('QNN_DATA_DIR')
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmpdir.join('cache')))
    assert mnist.resolve_data_dir() == os.path.join(str(tmpdir), 'cache', 'qnn', 'mnist')
    monkeypatch.delenv('XDG_CACHE_HOME')
    monkeypatch.setenv('HOME', str(tmpdir))
    assert mnist.resolve_data_dir() == os.path.join(str(tmpdir), '.cache', 'qnn', 'mnist')


def test_find_file_prefers_uncompressed(tmpdir):
    write(tmpdir.join('a.gz'), b'')
    assert mnist.find_file(str(tmpdir), 'a') == str(tmpdir.join('a.gz'))
    write(tmpdir.join('a'), b'')
    assert mnist.find_file(str(tmpdir), 'a') == str(tmpdir.join('a'))


# --------------------------------------------------------------------------------------------
# Bad files
# --------------------------------------------------------------------------------------------


def test_missing_file(tmpdir):
    message = raises_naming('t10k-images-idx3-ubyte', mnist.load_raw, str(tmpdir))
    assert 'qnn data download' in message and 'QNN_DATA_DIR' in message
    assert '--data-dir' in message and str(tmpdir) in message
    raises_naming('nothing-here', mnist.read_idx, str(tmpdir.join('nothing-here')))


@pytest.mark.parametrize('compress', [False, True])
def test_read_idx_roundtrip(tmpdir, compress):
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    data = idx_bytes(images)
    path = write(tmpdir.join('x'), gzip_bytes(data) if compress else data)
    array = mnist.read_idx(path)
    assert array.dtype == np.uint8 and array.flags.writeable
    np.testing.assert_array_equal(array, images)


def test_wrong_magic(tmpdir):
    path = write(tmpdir.join('magic.gz'), gzip_bytes(idx_bytes(np.zeros(3), magic=0x802)))
    assert '0x00000802' in raises_naming(path, mnist.read_idx, path)
    path = write(tmpdir.join('text'), b'<html>Not found</html>')
    assert 'magic' in raises_naming(path, mnist.read_idx, path)


@pytest.mark.parametrize('compress', [False, True])
def test_truncated_payload(tmpdir, compress):
    data = idx_bytes(np.zeros((3, 28, 28)))[:-1]
    path = write(tmpdir.join('short'), gzip_bytes(data) if compress else data)
    assert 'truncated' in raises_naming(path, mnist.read_idx, path)


def test_truncated_header_and_trailing_bytes(tmpdir):
    path = write(tmpdir.join('header'), idx_bytes(np.zeros((3, 28, 28)))[:10])
    assert 'header' in raises_naming(path, mnist.read_idx, path)
    path = write(tmpdir.join('tiny'), b'\0\0')
    assert 'truncated' in raises_naming(path, mnist.read_idx, path)
    path = write(tmpdir.join('long'), idx_bytes(np.zeros(5)) + b'\0\0')
    assert 'trailing' in raises_naming(path, mnist.read_idx, path)


def test_truncated_gzip(tmpdir):
    compressed = gzip_bytes(idx_bytes(np.arange(1000) % 10))
    for cut in (len(compressed) // 2, len(compressed) - 4):
        path = write(tmpdir.join('cut%d.gz' % cut), compressed[:cut])
        assert 'corrupt or truncated' in raises_naming(path, mnist.read_idx, path)


def test_garbage_gzip(tmpdir):
    compressed = gzip_bytes(idx_bytes(np.arange(1000) % 10))
    garbage = compressed[:10] + np.random.RandomState(1).bytes(200)
    path = write(tmpdir.join('garbage.gz'), garbage)
    assert 'corrupt' in raises_naming(path, mnist.read_idx, path)
    bad_crc = compressed[:-8] + b'\0\0\0\0' + compressed[-4:]
    path = write(tmpdir.join('crc.gz'), bad_crc)
    raises_naming(path, mnist.read_idx, path)


def test_wrong_count(tmpdir):
    image_path, _ = write_pair(tmpdir, 10)
    assert '10000' in raises_naming(image_path, mnist.load_raw, str(tmpdir))


def test_images_labels_mismatch(tmpdir):
    image_path, label_path = write_pair(tmpdir, 10, 9)
    message = raises_naming(image_path, mnist.load_subset, 'test', str(tmpdir))
    assert os.path.basename(label_path) in message


def test_wrong_image_shape(tmpdir):
    image_path, _ = write_pair(tmpdir, 10, image_shape=(28, 27))
    raises_naming(image_path, mnist.load_subset, 'test', str(tmpdir))


def test_labels_file_holding_images(tmpdir):
    _, label_path = write_pair(tmpdir, 10)
    write(label_path, gzip_bytes(idx_bytes(np.zeros((10, 28, 28)))))
    raises_naming(label_path, mnist.load_subset, 'test', str(tmpdir))


def test_label_out_of_range(tmpdir):
    labels = np.zeros(10000, dtype=np.uint8)
    labels[7] = 10
    _, label_path = write_pair(tmpdir, 10000, labels=labels)
    message = raises_naming(label_path, mnist.load_subset, 'test', str(tmpdir))
    assert 'index 7' in message


def test_load_subset_synthetic_ok(tmpdir):
    write_pair(tmpdir, 10000)
    images, labels = mnist.load_subset('test', str(tmpdir))
    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)


def test_checksum_mismatch(tmpdir):
    path = write(tmpdir.join('train-labels-idx1-ubyte.gz'), b'not mnist')
    message = raises_naming(path, download.verify_checksums, str(tmpdir))
    assert mnist.SHA256['train-labels-idx1-ubyte.gz'] in message
    assert sha256(b'not mnist') in message


def test_verify_checksums_without_files(tmpdir):
    with pytest.raises(mnist.DataError) as info:  # nothing verified is not "all is well"
        download.verify_checksums(str(tmpdir))
    assert 'no MNIST file' in str(info.value) and 'qnn data download' in str(info.value)
    with pytest.raises(mnist.DataError) as info:
        download.verify_checksums(str(tmpdir.join('absent')))
    assert 'does not exist' in str(info.value)


# --------------------------------------------------------------------------------------------
# Download with a fake opener (no network)
# --------------------------------------------------------------------------------------------

MIRROR_A = 'https://a.example/mnist/'
MIRROR_B = 'https://b.example/mnist'


class FakeResponse(io.BytesIO):
    def info(self):
        return {'Content-Length': str(len(self.getvalue()))}


class FakeOpener(object):
    """Serves ``{url: bytes}``; a missing URL raises IOError like urllib's URLError."""

    def __init__(self, pages):
        self.pages = pages
        self.urls = []

    def __call__(self, url, timeout):
        self.urls.append(url)
        if url not in self.pages:
            raise IOError('HTTP Error 404: Not Found: %s' % url)
        return FakeResponse(self.pages[url])


@pytest.fixture
def payloads(monkeypatch):
    """Small stand-ins for the four .gz files, with SHA256 patched to match them."""
    contents = dict((name, ('fake %s' % name).encode('ascii')) for name in mnist.SHA256)
    monkeypatch.setattr(mnist, 'SHA256', dict((n, sha256(c)) for n, c in contents.items()))
    return contents


def served(payloads, mirror):
    return dict((mirror.rstrip('/') + '/' + name, data) for name, data in payloads.items())


def read(path):
    with open(path, 'rb') as handle:
        return handle.read()


def test_download_and_skip_present(tmpdir, payloads):
    target = str(tmpdir.join('new', 'mnist'))
    opener = FakeOpener(served(payloads, MIRROR_A))
    paths = download.download(target, mirrors=[MIRROR_A], progress=True, opener=opener)
    assert sorted(os.path.basename(p) for p in paths) == sorted(payloads)
    for path in paths:
        assert read(path) == payloads[os.path.basename(path)]
    assert sorted(opener.urls) == sorted(MIRROR_A + name for name in payloads)
    assert sorted(os.listdir(target)) == sorted(payloads)
    assert sorted(download.verify_checksums(target)) == sorted(paths)

    again = FakeOpener({})
    assert download.download(target, mirrors=[MIRROR_A], progress=False, opener=again) == paths
    assert again.urls == []


def test_download_falls_back_to_next_mirror(tmpdir, payloads):
    pages = served(payloads, MIRROR_B)
    name = sorted(payloads)[0]
    pages[MIRROR_A + name] = b'corrupted'  # one corrupt file on mirror A, the rest missing
    opener = FakeOpener(pages)
    paths = download.download(str(tmpdir), mirrors=[MIRROR_A, MIRROR_B], progress=False,
                           opener=opener)
    for path in paths:
        assert read(path) == payloads[os.path.basename(path)]
    assert len(opener.urls) == 8
    assert sorted(os.listdir(str(tmpdir))) == sorted(payloads)


def test_download_corrupt_bytes_leave_no_file(tmpdir, payloads):
    name = sorted(payloads)[0]
    opener = FakeOpener({MIRROR_A + name: b'corrupted'})
    message = raises_naming(name, download.download, str(tmpdir), mirrors=[MIRROR_A],
                            progress=False, opener=opener)
    assert mnist.SHA256[name] in message and sha256(b'corrupted') in message
    assert os.listdir(str(tmpdir)) == []


def test_download_replaces_file_with_wrong_checksum(tmpdir, payloads):
    name = sorted(payloads)[0]
    write(tmpdir.join(name), b'stale')
    download.download(str(tmpdir), mirrors=[MIRROR_A], progress=False,
                   opener=FakeOpener(served(payloads, MIRROR_A)))
    assert read(str(tmpdir.join(name))) == payloads[name]


def test_download_all_mirrors_fail(tmpdir, payloads):
    message = raises_naming(sorted(payloads)[0], download.download, str(tmpdir),
                            mirrors=[MIRROR_A, MIRROR_B], progress=False, opener=FakeOpener({}))
    assert MIRROR_A in message and '404' in message
    assert os.listdir(str(tmpdir)) == []


def test_download_with_urllib_from_file_url(tmpdir, mnist_dir):
    """The default (urllib) opener and the real hashes, with a local file:// mirror."""
    mirror = 'file://' + os.path.abspath(mnist_dir).replace(os.sep, '/') + '/'
    paths = download.download(str(tmpdir), mirrors=['file:///nonexistent/', mirror],
                           progress=False)
    assert sorted(os.listdir(str(tmpdir))) == sorted(mnist.SHA256)
    assert sorted(download.verify_checksums(str(tmpdir))) == sorted(paths)
