# qnn: set up the two software stacks, run the tests, run the demo.
#   make demo   modern stack (.venv): the quick sweep, its figures and its report
#   make test   the whole test suite in the modern stack and in the paper stack (.venv-py27)
SHELL := /bin/bash
VENV := .venv
VENV27 := .venv-py27
PYTEST_ARGS ?=
# The test suite and the docstring examples of the three Theano-side packages.
TEST_PATHS := tests qnn hwgen experiments --doctest-modules --ignore=qnn/__main__.py
DEMO_DIR ?= studies/quick

include mk/hls.mk
include mk/brevitas.mk
include mk/qonnx.mk
include mk/synth.mk
include mk/rtl.mk

.PHONY: results study demo test test-modern test-paper env env-paper benchmark benchmark-jobs benchmark-hw \
	clean-env

env: $(VENV)/.installed
env-paper: $(VENV27)/.installed

$(VENV)/.installed: requirements/modern.txt setup.py
	@scripts/ensure-openblas.sh
	@test -x $(VENV)/bin/python || { py=$$(scripts/find-python.sh 3) && $$py -m venv $(VENV); }
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements/modern.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

# The paper stack: scripts/install-paper-stack.sh installs requirements/paper-lock.txt (paper.txt's
# pins with sha256 hashes) with --require-hashes, the same steps as docker/Dockerfile.py27.
$(VENV27)/.installed: requirements/paper.txt requirements/paper-lock.txt requirements/paper-tools.txt \
		scripts/install-paper-stack.sh setup.py $(VENV)/.installed
	scripts/install-paper-stack.sh --virtualenv $(VENV)/bin/virtualenv $(VENV27)
	@touch $@

# Both environments first: tests/qnn/test_stacks.py compares them.
test: $(VENV)/.installed $(VENV27)/.installed
	$(VENV)/bin/python -m pytest $(TEST_PATHS) $(PYTEST_ARGS)
	$(VENV27)/bin/python -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

test-modern: $(VENV)/.installed
	$(VENV)/bin/python -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

test-paper: $(VENV27)/.installed
	$(VENV27)/bin/python -m pytest $(TEST_PATHS) $(PYTEST_ARGS)

# results/ is a study folder whose run records are committed: the derived files (store, CSV,
# figures, report) are rebuilt from those records alone, nothing is retrained.
RESULTS_STUDY ?= results
results: $(VENV)/.installed
	$(VENV)/bin/qnn results $(RESULTS_STUDY) --csv
	$(VENV)/bin/qnn figures $(RESULTS_STUDY)
	$(VENV)/bin/qnn report $(RESULTS_STUDY)
	$(VENV)/bin/qnn summary $(RESULTS_STUDY) $(RESULTS_STUDY)/README.md \
		$(if $(filter results,$(RESULTS_STUDY)),README.md)

# The paper profile's study in results/, column after column (each resumable: finished runs
# are skipped, so on a fresh clone it trains only what results/runs/ does not hold yet):
# seed 1234 at 10 and 20 epochs, seeds 1235-1236 at 10, the 100-epoch column, seeds 1235-1236 of
# W1A1, W2A2, W3A3, W4A4, W8A8 at 100, then 50 and 30 epochs.
STUDY_SWEEP = $(VENV)/bin/qnn sweep --jobs 2 --no-report --out results
study: $(VENV)/.installed
	$(STUDY_SWEEP) --epochs 10 --seeds 1234
	$(STUDY_SWEEP) --epochs 20 --seeds 1234
	$(STUDY_SWEEP) --epochs 10 --seeds 1235,1236
	$(STUDY_SWEEP) --epochs 100 --seeds 1234
	for bits in 1 2 3 4 8; do \
		$(STUDY_SWEEP) --epochs 100 --seeds 1235,1236 --wbits $$bits --abits $$bits || exit 1; \
	done
	$(STUDY_SWEEP) --epochs 50 --seeds 1234
	$(STUDY_SWEEP) --epochs 30 --seeds 1234

demo: $(VENV)/.installed
	$(VENV)/bin/qnn data verify >/dev/null 2>&1 || $(VENV)/bin/qnn data download
	$(VENV)/bin/qnn sweep --quick --jobs 2 --out $(DEMO_DIR)

# Training step against the GEMM floor, W1A1, W2A2 and W8A8, in both stacks (docs/speed.md):
# with one BLAS thread (each run of a --jobs 2 sweep on 2 cores), then with two (--jobs 1).
benchmark: $(VENV)/.installed $(VENV27)/.installed
	OPENBLAS_NUM_THREADS=1 $(VENV)/bin/python benchmarks/bench_training.py
	OPENBLAS_NUM_THREADS=1 $(VENV27)/bin/python benchmarks/bench_training.py
	OPENBLAS_NUM_THREADS=2 $(VENV)/bin/python benchmarks/bench_training.py
	OPENBLAS_NUM_THREADS=2 $(VENV27)/bin/python benchmarks/bench_training.py

# Seconds per sweep epoch with --jobs 1 and --jobs 2 on a small grid (docs/speed.md).
benchmark-jobs: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/bench_jobs.py

benchmark-hw: $(VENV)/.installed
	$(VENV)/bin/python benchmarks/bench_intmodel.py --wbits 2 --abits 2
	$(VENV)/bin/python benchmarks/bench_intmodel.py --wbits 1 --abits 1

clean-env:
	rm -rf $(VENV) $(VENV27)
