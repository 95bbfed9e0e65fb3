"""Downloading the MNIST files from public mirrors, and checking their SHA-256.

Never used by the tests or CI, which read local copies; ``qnn data download`` calls it.
"""
from __future__ import absolute_import, division, print_function

import contextlib
import hashlib
import logging
import os

from qnn.compat import HTTPException, urlopen
from qnn.fileio import atomic_write, file_sha256, makedirs

from . import mnist

__all__ = ['DEFAULT_MIRRORS', 'verify_checksums', 'download', 'default_opener']

log = logging.getLogger(__name__)

#: Mirrors tried in order by :func:`download`; each is a URL prefix for the four file names.
DEFAULT_MIRRORS = (
    'https://ossci-datasets.s3.amazonaws.com/mnist/',
    'https://storage.googleapis.com/cvdf-datasets/mnist/',
    'http://yann.lecun.com/exdb/mnist/',
)


def _checksum_error(path, expected, actual):
    return mnist.DataError('%s: SHA-256 mismatch, expected %s, got %s' % (path, expected, actual))


def verify_checksums(data_dir=None):
    """Check the gzipped MNIST files present in ``data_dir`` against :data:`qnn.data.mnist.SHA256`.

    Parameters
    ----------
    data_dir : str, optional
        Folder, see :func:`resolve_data_dir`.

    Returns
    -------
    list of str
        The verified files (uncompressed files are not checked).

    Raises
    ------
    DataError
        The folder is missing or holds no MNIST file, or a file does not match (the message
        names it and both hashes).
    """
    data_dir = mnist.resolve_data_dir(data_dir)
    if not os.path.isdir(data_dir):
        raise mnist.DataError('the MNIST folder %s %s' % (
            data_dir, 'is a file, not a folder' if os.path.exists(data_dir) else 'does not exist'))
    verified = []
    for name in sorted(mnist.SHA256):
        path = os.path.join(data_dir, name)
        if not os.path.isfile(path):
            continue
        actual = file_sha256(path)
        if actual != mnist.SHA256[name]:
            raise _checksum_error(path, mnist.SHA256[name], actual)
        verified.append(path)
    if not verified:
        raise mnist.DataError('no MNIST file in %s to verify; run `qnn data download --data-dir '
                              '%s`' % (data_dir, data_dir))
    return verified


def default_opener(url, timeout):
    """Open ``url`` with urllib (``urllib2`` on Python 2); the default for :func:`download`."""
    return urlopen(url, timeout=timeout)


def _content_length(response):
    """The Content-Length announced by ``response``, or None."""
    try:
        return int(response.info().get('Content-Length'))
    except (AttributeError, TypeError, ValueError):
        return None


def _progress_bar(total, name, enabled):
    """A tqdm byte counter, or None when disabled or tqdm is missing."""
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=name, unit='B', unit_scale=True, leave=False)


def _copy_and_hash(response, handle, bar):
    """Copy ``response`` into ``handle``; return the hex SHA-256 of what was copied."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: response.read(mnist._CHUNK), b''):
        digest.update(chunk)
        handle.write(chunk)
        if bar is not None:
            bar.update(len(chunk))
    return digest.hexdigest()


def _fetch(url, path, expected_sha256, opener, timeout, progress):
    """Download ``url`` to ``path`` atomically; DataError (and no file) on a bad checksum."""
    response = opener(url, timeout)
    with contextlib.closing(response):
        bar = _progress_bar(_content_length(response), os.path.basename(path), progress)
        try:
            with atomic_write(path, 'wb') as handle:
                actual = _copy_and_hash(response, handle, bar)
                if actual != expected_sha256:
                    raise _checksum_error(url, expected_sha256, actual)
        finally:
            if bar is not None:
                bar.close()


def _download_one(name, path, mirrors, opener, timeout, progress):
    """Try each mirror in turn for ``name``; DataError listing every failure if none works."""
    failures = []
    for mirror in mirrors:
        url = mirror.rstrip('/') + '/' + name
        log.info('downloading %s', url)
        try:
            _fetch(url, path, mnist.SHA256[name], opener, timeout, progress)
            return
        except (IOError, OSError, HTTPException, mnist.DataError) as error:
            log.warning('%s failed: %s', url, error)
            failures.append('%s: %s' % (url, error))
    raise mnist.DataError('could not download %s to %s from any mirror:\n  %s'
                    % (name, path, '\n  '.join(failures) or 'no mirror given'))


def download(data_dir=None, mirrors=DEFAULT_MIRRORS, progress=True, opener=None, timeout=60):
    """Download the four gzipped MNIST files and verify their SHA-256.

    Files already present with the right checksum are kept. Each file is written to a
    temporary name and renamed into place only once its checksum matches.

    Parameters
    ----------
    data_dir : str, optional
        Destination folder (created if needed), see :func:`resolve_data_dir`.
    mirrors : sequence of str
        URL prefixes tried in order.
    progress : bool
        Show a tqdm progress bar when tqdm is installed.
    opener : callable, optional
        ``opener(url, timeout)`` returns a file-like object with ``read(size)`` and
        ``close()`` (``info()`` optional); raises IOError/OSError on failure. Defaults to
        :func:`default_opener` (urllib).
    timeout : float
        Seconds, passed to ``opener``.

    Returns
    -------
    list of str
        Paths of the four files.

    Raises
    ------
    DataError
        A file could not be fetched from any mirror with the right checksum.
    """
    data_dir = mnist.resolve_data_dir(data_dir)
    opener = default_opener if opener is None else opener
    makedirs(data_dir)
    paths = []
    for name in sorted(mnist.SHA256):
        path = os.path.join(data_dir, name)
        if os.path.isfile(path) and file_sha256(path) == mnist.SHA256[name]:
            log.info('%s already present and verified', path)
        else:
            if os.path.isfile(path):
                log.warning('%s has the wrong checksum; downloading it again', path)
            _download_one(name, path, mirrors, opener, timeout, progress)
        paths.append(path)
    return paths
