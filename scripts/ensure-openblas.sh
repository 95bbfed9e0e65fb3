#!/usr/bin/env bash
# Install OpenBLAS headers/libraries when apt is available and they are missing.
# Theano links -lopenblas when it is present; without it training runs about 2x slower.
set -u
if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so '; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: apt-get not found; install OpenBLAS yourself for ~2x faster training" >&2; exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
    echo "note: not root; install libopenblas-dev for ~2x faster training" >&2; exit 0; fi
fi
$sudo apt-get install -y -q libopenblas-dev >/dev/null 2>&1 || {
  $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q libopenblas-dev >/dev/null 2>&1
} || echo "note: could not install libopenblas-dev; training will be slower" >&2
exit 0
