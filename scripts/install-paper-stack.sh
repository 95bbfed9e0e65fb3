#!/usr/bin/env bash
# Build or update the paper stack (Python 2.7, Theano 0.9.0, numpy 1.15.4, ...) in a virtualenv,
# from hash-pinned requirements only. `make` (.venv-py27), CI and docker/Dockerfile.py27 all run it.
#
#   scripts/install-paper-stack.sh [--python PY] [--virtualenv CMD] [--lasagne pypi|master]
#                                  [--no-project] VENV_DIR
#
#   --python PY       the Python 2.7 to create VENV_DIR with (default: scripts/find-python.sh 2.7);
#                     only used when VENV_DIR/bin/python does not exist yet
#   --virtualenv CMD  the virtualenv command that creates VENV_DIR (e.g. .venv/bin/virtualenv);
#                     default: virtualenv 16.7.12, hash-pinned in requirements/paper-bootstrap.txt,
#                     installed with PY's own pip into a temporary folder (PY needs pip)
#   --lasagne WHICH   pypi: Lasagne 0.1 from requirements/paper-lock.txt (default; make, CI);
#                     master: Lasagne 0.2.dev1, GitHub master at the commit pinned in
#                     requirements/paper-lasagne-master.txt (the Docker image; needs github.com).
#                     Default: $QNN_LASAGNE, else pypi.
#   --no-project      do not install qnn itself (pip install --no-deps -e .)
#
# Steps: create VENV_DIR if needed; pip, setuptools and wheel from requirements/paper-tools.txt;
# every package of requirements/paper-lock.txt with `pip install --require-hashes` (pip refuses
# any file whose sha256 is not listed and any dependency that is not pinned there); Lasagne
# master if asked for; qnn in editable mode. Running it again on an up-to-date VENV_DIR only
# checks. $QNN_LASAGNE_ARCHIVE may name another copy (path or URL) of the pinned Lasagne
# archive, e.g. for an offline build: its contents are checked against the same sha256.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=""
virtualenv=""
lasagne=${QNN_LASAGNE:-pypi}
project=1
venv=""
while [ "$#" -gt 0 ]; do
    case "$1" in
        --python) python=${2:?--python needs a value}; shift 2 ;;
        --virtualenv) virtualenv=${2:?--virtualenv needs a value}; shift 2 ;;
        --lasagne) lasagne=${2:?--lasagne needs a value}; shift 2 ;;
        --no-project) project=0; shift ;;
        -h|--help) usage ;;
        -*) echo "install-paper-stack.sh: unknown option $1" >&2; usage ;;
        *) [ -z "$venv" ] || usage; venv=$1; shift ;;
    esac
done
[ -n "$venv" ] || usage
case "$lasagne" in
    pypi|master) ;;
    *) echo "install-paper-stack.sh: --lasagne must be pypi or master, not '$lasagne'" >&2; exit 2 ;;
esac

requirements=$root/requirements
lock=$requirements/paper-lock.txt
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_PYTHON_VERSION_WARNING=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. the virtualenv
if [ ! -x "$venv/bin/python" ]; then
    [ -n "$python" ] || python=$("$root/scripts/find-python.sh" 2.7)
    if [ -n "$virtualenv" ]; then
        $virtualenv -q -p "$python" "$venv"
    else
        "$python" -m pip install -q --no-deps --require-hashes --target "$tmp/virtualenv" \
            -r "$requirements/paper-bootstrap.txt"
        "$python" "$tmp/virtualenv/virtualenv.py" -q --no-download -p "$python" "$venv"
    fi
fi
pip=("$venv/bin/python" -m pip)

# 2. the installers, then the stack, every file checked against its sha256
"${pip[@]}" install -q --require-hashes --no-deps -r "$requirements/paper-tools.txt"
if [ "$lasagne" = master ]; then
    grep -v '^Lasagne==' "$lock" > "$tmp/paper-lock.txt"
    lock=$tmp/paper-lock.txt
fi
"${pip[@]}" install -q --require-hashes -r "$lock"

# 3. Lasagne master: GitHub serves the archive of a commit with gzip bytes it does not promise to
#    keep, so the check is on the uncompressed tar (the output of `git archive` for the commit).
marker=$venv/.lasagne-master
if [ "$lasagne" = master ]; then
    pins=$requirements/paper-lasagne-master.txt
    url=$(sed -n 's/^Lasagne @ \(https:[^ ]*\).*/\1/p' "$pins")
    tar_sha256=$(sed -n 's/^# tar-sha256: \([0-9a-f]\{64\}\)$/\1/p' "$pins")
    if [ -z "$url" ] || [ -z "$tar_sha256" ]; then
        echo "install-paper-stack.sh: no 'Lasagne @ URL' or '# tar-sha256:' line in $pins" >&2
        exit 1
    fi
    if [ "$(cat "$marker" 2>/dev/null)" != "$url $tar_sha256" ]; then
        commit=$(basename "$url" .tar.gz)
        "$venv/bin/python" - "${QNN_LASAGNE_ARCHIVE:-$url}" "$tar_sha256" \
            "$tmp/Lasagne-$commit.tar" <<'EOF'
import gzip, hashlib, io, shutil, sys
try:
    from urllib.request import urlopen
except ImportError:  # Python 2
    from urllib2 import urlopen
source, expected, target = sys.argv[1:]
if '://' in source:
    response = urlopen(source)
    data = response.read()
    response.close()
else:
    with open(source, 'rb') as f:
        data = f.read()
print('Lasagne archive: %s (%d bytes, sha256 %s)' % (source, len(data), hashlib.sha256(data).hexdigest()))
tar = gzip.GzipFile(fileobj=io.BytesIO(data)).read()
found = hashlib.sha256(tar).hexdigest()
if found != expected:
    sys.exit('Lasagne archive: the uncompressed tar has sha256 %s, expected %s' % (found, expected))
with open(target, 'wb') as f:
    f.write(tar)
EOF
        "${pip[@]}" install -q --no-deps --force-reinstall "$tmp/Lasagne-$commit.tar"
        echo "$url $tar_sha256" > "$marker"
    fi
else
    rm -f "$marker"
fi

# 4. qnn itself
if [ "$project" = 1 ]; then
    "${pip[@]}" install -q --no-deps -e "$root"
fi
"$venv/bin/python" - "$venv" <<'EOF'
import sys
import pkg_resources
names = ['numpy', 'scipy', 'Theano', 'Lasagne']
print('paper stack in %s: Python %s, %s' % (sys.argv[1], sys.version.split()[0], ', '.join(
    '%s %s' % (name, pkg_resources.get_distribution(name).version) for name in names)))
EOF
