# QONNX export check (issue 13), included from the top Makefile (`include mk/qonnx.mk`);
# also usable alone: make -f mk/qonnx.mk check-qonnx
#
#   make qonnx-env       .venv-qonnx/: Python 3.11 and requirements/qonnx.txt (qonnx, onnx,
#                        onnxruntime, numpy 2); nothing of this repository is installed there
#   make test-qonnx      tests/hwgen/qonnx/test_qonnx_export.py in the modern stack, with qonnx's
#                        executor from .venv-qonnx (otherwise those tests are skipped)
#   make check-qonnx     W1A1, W2A2, W4A3, W8A8 x binarised / 8-bit pixel inputs: short runs,
#                        QONNX export, qonnx's executor against the integer model on the 10 000
#                        MNIST test images (benchmarks/bench_qonnx.py, in $(QONNX_CHECK_DIR))
#
# Not part of `make test`: CI checks the export with the numpy executor (hwgen.qonnx.execute).

VENV ?= .venv
VENV_QONNX ?= .venv-qonnx
PYTEST_ARGS ?=
QONNX_PIP_ARGS ?=
QONNX_CHECK_DIR ?= studies/qonnx-check
QONNX_CHECK_ARGS ?= --epochs 1 --train-size 5000

.PHONY: qonnx-env test-qonnx check-qonnx clean-qonnx-env

qonnx-env: $(VENV_QONNX)/.installed

$(VENV_QONNX)/.installed: requirements/qonnx.txt scripts/find-python.sh
	@test -x $(VENV_QONNX)/bin/python || { py=$$(scripts/find-python.sh 3.11) && \
		$$py -m venv $(VENV_QONNX); }
	$(VENV_QONNX)/bin/pip install -q --disable-pip-version-check $(QONNX_PIP_ARGS) \
		-r requirements/qonnx.txt
	$(VENV_QONNX)/bin/python -c "import qonnx.core.onnx_exec, onnxruntime"
	@touch $@

test-qonnx: $(VENV_QONNX)/.installed
	QNN_QONNX_PYTHON=$(VENV_QONNX)/bin/python $(VENV)/bin/python -m pytest \
		tests/hwgen/qonnx/test_qonnx_export.py -rs $(PYTEST_ARGS)

check-qonnx: $(VENV_QONNX)/.installed
	$(VENV)/bin/python benchmarks/bench_qonnx.py --qonnx-python $(VENV_QONNX)/bin/python \
		--out $(QONNX_CHECK_DIR) $(QONNX_CHECK_ARGS)

clean-qonnx-env:
	rm -rf $(VENV_QONNX)
