# hwgen HLS helpers, included from the top Makefile (`include mk/hls.mk`); also usable alone:
#   make -f mk/hls.mk ap-types
#
#   make ap-types        download hls4ml $(HLS4ML_VERSION) (PyPI wheel, no dependencies) and unpack
#                        its Apache-2.0 ap_types headers (ap_int.h, hls_stream.h, ...) into
#                        $(AP_TYPES_DIR); hwgen.hls.csim finds them there or through $QNN_AP_TYPES
#   make finn-hlslib     check out the finn-hlslib submodule (commit 8b7f5f5)
#   make hls-check       print where the C simulation finds finn-hlslib and the ap_types
#   make test-csim       the g++ C-simulation tests (pytest -m csim) on $(CSIM_IMAGES) MNIST test
#                        images per network, as CI runs them (needs finn-hlslib, see hls-check)
#   make test-csim-full  the same on all 10 000 test images (hours: about 0.1 s per image for a
#                        multi-bit LFC network on one core)
#   make hls-syn HW=OUT/hw [HLS_STEPS=csim,csynth,export] [FINN_HLSLIB=DIR]
#                        run Vivado HLS 2018.3 on a generated project (Vivado_tcl/run_hls.sh;
#                        set VIVADO_HLS or XILINX_VIVADO if vivado_hls is not on the PATH)
#
# Nothing here is committed: third_party/ is git-ignored.

VENV ?= .venv
HLS4ML_VERSION ?= 1.3.0
HLS_THIRD_PARTY ?= third_party
AP_TYPES_DIR ?= $(HLS_THIRD_PARTY)/ap_types
HLS_DOWNLOADS ?= $(HLS_THIRD_PARTY)/downloads
HLS_PIP ?= $(firstword $(wildcard $(VENV)/bin/pip) pip3)
HLS_PYTHON ?= $(firstword $(wildcard $(VENV)/bin/python) python3)
# finn-hlslib for hls-syn: $QNN_FINN_HLSLIB, the submodule, or ../finn-hlslib (as hwgen.hls.csim)
FINN_HLSLIB ?= $(patsubst %/fclayer.h,%,$(firstword $(wildcard $(QNN_FINN_HLSLIB)/fclayer.h \
	finn-hlslib/fclayer.h ../finn-hlslib/fclayer.h)))
HLS_STEPS ?= csim,csynth,export
HW ?=
CSIM_IMAGES ?= 200
CSIM_TESTS ?= tests/hwgen

HLS4ML_WHEEL := $(HLS_DOWNLOADS)/hls4ml-$(HLS4ML_VERSION)-py3-none-any.whl
AP_TYPES_IN_WHEEL := hls4ml/templates/vivado/ap_types

.PHONY: ap-types finn-hlslib hls-check hls-syn clean-ap-types test-csim test-csim-full

ap-types: $(AP_TYPES_DIR)/ap_int.h

$(HLS4ML_WHEEL):
	@mkdir -p $(HLS_DOWNLOADS)
	$(HLS_PIP) download --quiet --no-deps --only-binary=:all: hls4ml==$(HLS4ML_VERSION) \
		-d $(HLS_DOWNLOADS)
	@test -f $@ || { echo "expected $@ after pip download" >&2; exit 1; }

$(AP_TYPES_DIR)/ap_int.h: $(HLS4ML_WHEEL)
	@rm -rf $(AP_TYPES_DIR).tmp && mkdir -p $(AP_TYPES_DIR).tmp
	$(HLS_PYTHON) -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
		z.extractall(sys.argv[2], [n for n in z.namelist() if n.startswith(sys.argv[3] + '/')])" \
		$< $(AP_TYPES_DIR).tmp $(AP_TYPES_IN_WHEEL)
	@rm -rf $(AP_TYPES_DIR) && mv $(AP_TYPES_DIR).tmp/$(AP_TYPES_IN_WHEEL) $(AP_TYPES_DIR) \
		&& rm -rf $(AP_TYPES_DIR).tmp
	@echo "ap_types of hls4ml $(HLS4ML_VERSION) in $(AP_TYPES_DIR)"

finn-hlslib:
	git submodule update --init finn-hlslib

hls-check:
	@$(HLS_PYTHON) -c "from hwgen.hls import toolchain; \
		print('finn-hlslib: %s' % toolchain.find_finn_hlslib()); \
		print('ap_types:    %s' % toolchain.find_ap_types())"

hls-syn:
	@test -n "$(HW)" || { echo "usage: make hls-syn HW=OUT/hw [HLS_STEPS=$(HLS_STEPS)]" >&2; exit 2; }
	@test -n "$(FINN_HLSLIB)" || { echo "finn-hlslib not found: make finn-hlslib or set FINN_HLSLIB" >&2; exit 2; }
	Vivado_tcl/run_hls.sh $(HW) $(FINN_HLSLIB) $(HLS_STEPS)

# A missing toolchain fails here instead of skipping: these targets exist to run the simulation.
test-csim: ap-types
	QNN_CSIM_REQUIRED=1 QNN_CSIM_IMAGES=$(CSIM_IMAGES) $(HLS_PYTHON) -m pytest $(CSIM_TESTS) \
		-m csim $(PYTEST_ARGS)

test-csim-full: ap-types
	QNN_CSIM_REQUIRED=1 QNN_CSIM_IMAGES=all $(HLS_PYTHON) -m pytest $(CSIM_TESTS) \
		-m csim $(PYTEST_ARGS)

clean-ap-types:
	rm -rf $(AP_TYPES_DIR) $(HLS4ML_WHEEL)
