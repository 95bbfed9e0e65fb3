# hwgen RTL helpers, included from the top Makefile (`include mk/rtl.mk`); also usable alone:
#   make -f mk/rtl.mk rtl-tools
#
#   make rtl-tools       install Verilator, Yosys and Icarus Verilog with apt-get where one is
#                        missing (Debian bookworm: Verilator 5.006, Yosys 0.23, Icarus 11);
#                        run as root or with sudo available
#   make rtl-check       print which of them are found and their versions
#   make test-rtl        the RTL tests (pytest -m rtl: Verilator simulations against the integer
#                        model, Yosys and Icarus reading the Verilog) on $(RTL_IMAGES) MNIST test
#                        images per network, as CI runs them; a missing tool fails
#   make test-rtl-full   the same on all 10 000 test images

RTL_TOOLS := verilator yosys iverilog
RTL_PACKAGES := verilator yosys iverilog
RTL_IMAGES ?= 200
RTL_TESTS ?= tests/hwgen/rtl
RTL_PYTHON ?= $(firstword $(wildcard $(VENV)/bin/python) python3)
RTL_SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: rtl-tools rtl-check test-rtl test-rtl-full

rtl-tools:
	@missing=""; for tool in $(RTL_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing with apt-get"; \
		$(RTL_SUDO) apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $(RTL_SUDO) apt-get install -y -q --no-install-recommends $(RTL_PACKAGES); \
	fi
	@$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) rtl-check

rtl-check:
	@for tool in $(RTL_TOOLS); do command -v $$tool >/dev/null || { echo "$$tool: not found" >&2; exit 1; }; done
	@echo "verilator: $$(verilator --version)"
	@echo "yosys:     $$(yosys -V)"
	@echo "iverilog:  $$(iverilog -V 2>/dev/null | head -n 1)"

# A missing tool fails here instead of skipping: these targets exist to run the simulations.
test-rtl:
	QNN_RTL_REQUIRED=1 QNN_RTL_IMAGES=$(RTL_IMAGES) $(RTL_PYTHON) -m pytest $(RTL_TESTS) \
		-m rtl $(PYTEST_ARGS)

test-rtl-full:
	QNN_RTL_REQUIRED=1 QNN_RTL_IMAGES=all $(RTL_PYTHON) -m pytest $(RTL_TESTS) \
		-m rtl $(PYTEST_ARGS)
