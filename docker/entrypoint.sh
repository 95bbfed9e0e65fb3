#!/bin/sh
# Entry point of the paper-stack image (docker/Dockerfile.py27): runs its arguments with the
# Python 2.7 environment first on PATH, e.g.
#   docker run IMAGE qnn train --wbits 2 --abits 2 --epochs 10 --out runs/W2A2-e10
#   docker run IMAGE python -m pytest tests -q
#   docker run IMAGE make test
# The image has only the paper stack, not the modern one (.venv, Python 3.9-3.11). So for make,
# the goal `test` means `test-paper`, and make is told with `-o .venv/.installed` not to build
# .venv (which .venv-py27 depends on outside the image only for its virtualenv command).
set -eu
venv=${QNN_VENV27:-/opt/venv-py27}
PATH="$venv/bin:$PATH"
VIRTUAL_ENV=$venv
export PATH VIRTUAL_ENV
if [ "$#" -eq 0 ]; then
    set -- qnn --help
fi
if [ "$1" = make ]; then
    shift
    count=$#
    while [ "$count" -gt 0 ]; do
        arg=$1
        shift
        if [ "$arg" = test ]; then
            arg=test-paper
        fi
        set -- "$@" "$arg"
        count=$((count - 1))
    done
    set -- make -o .venv/.installed "$@"
fi
exec "$@"
