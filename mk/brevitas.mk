# The Brevitas comparison flow (issue #6), included from the top Makefile
# (`include mk/brevitas.mk`); also usable alone: make -f mk/brevitas.mk test-brevitas
#
#   make brevitas-env        .venv-brevitas/: Python 3.11, requirements/brevitas.txt (PyTorch CPU,
#                            Brevitas, qonnx, numpy 2) and this repository installed without its
#                            dependencies (qnn.data and qnn.runs are pure numpy; no Theano)
#   make test-brevitas       tests/brevitas and the doctests of qnn_brevitas, in that environment
#                            (not part of `make test`: CI stays fast and never installs torch)
#   make brevitas-compare    both flows on one small grid in $(BREVITAS_STUDY), then the
#                            comparison table and figure in $(BREVITAS_STUDY)/compare/
#   make bench-brevitas      seconds per epoch of both flows on the same configuration
#
# Nothing here needs the network beyond the package registry; MNIST comes from $QNN_DATA_DIR.

VENV ?= .venv
VENV_BREVITAS ?= .venv-brevitas
PYTEST_ARGS ?=
BREVITAS_PIP_ARGS ?=
BREVITAS_STUDY ?= studies/brevitas-compare
BREVITAS_GRID ?= --wbits 1,2,4 --abits 1,2,4 --epochs 2 --train-size 5000
BREVITAS_PIP := $(VENV_BREVITAS)/bin/pip install -q --disable-pip-version-check
# Python 3.11 (torch 2.13's wheel is cp311): on PATH, else the newest pyenv 3.11.x
BREVITAS_FIND_PYTHON := command -v python3.11 || { command -v pyenv >/dev/null && \
	ls -d "$$(pyenv root)"/versions/3.11.*/bin/python 2>/dev/null | sort -Vr | head -n 1; }

.PHONY: brevitas-env test-brevitas brevitas-compare bench-brevitas clean-brevitas-env

brevitas-env: $(VENV_BREVITAS)/.installed

$(VENV_BREVITAS)/.installed: requirements/brevitas.txt setup.py
	@test -x $(VENV_BREVITAS)/bin/python || { py=$$($(BREVITAS_FIND_PYTHON)); \
		test -n "$$py" || { echo "brevitas-env needs Python 3.11 (e.g. pyenv install 3.11)" >&2; \
		exit 1; }; $$py -m venv $(VENV_BREVITAS); }
	$(BREVITAS_PIP) $(BREVITAS_PIP_ARGS) -r requirements/brevitas.txt
	$(BREVITAS_PIP) --no-deps -e .
	@# until setup.py lists qnn_brevitas, make the source tree importable with a .pth file
	@$(VENV_BREVITAS)/bin/python -P -c "import qnn_brevitas" 2>/dev/null || \
		$(VENV_BREVITAS)/bin/python -c "import os, sys, sysconfig; \
		open(os.path.join(sysconfig.get_paths()['purelib'], 'qnn-source-tree.pth'), 'w') \
		.write(os.path.abspath(sys.argv[1]) + '\n')" .
	$(VENV_BREVITAS)/bin/python -P -c "import qnn_brevitas, qnn.data.mnist, qnn.runs, brevitas, qonnx"
	@touch $@

test-brevitas: $(VENV_BREVITAS)/.installed
	$(VENV_BREVITAS)/bin/python -m pytest tests/brevitas --doctest-modules qnn_brevitas \
		-p no:cacheprovider $(PYTEST_ARGS)

brevitas-compare: $(VENV_BREVITAS)/.installed
	@test -x $(VENV)/bin/qnn || { echo "the Theano flow needs the modern stack: make env" >&2; \
		exit 1; }
	$(VENV)/bin/qnn sweep $(BREVITAS_GRID) --jobs 1 --no-report --out $(BREVITAS_STUDY)
	$(VENV_BREVITAS)/bin/python -m qnn_brevitas sweep $(BREVITAS_GRID) --out $(BREVITAS_STUDY)

bench-brevitas: $(VENV_BREVITAS)/.installed
	$(VENV_BREVITAS)/bin/python benchmarks/bench_brevitas.py --theano-python $(VENV)/bin/python

clean-brevitas-env:
	rm -rf $(VENV_BREVITAS)
