# Two entry points for a fresh machine: `make run` (main job) and `make test`.
# Both create .venv and install what they need; re-running them does no work twice.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run index test bench clean-index

setup: $(STAMP)

# torch first and pinned: the CPU build lies on this project's machines, while an
# unpinned torch (pulled by sentence-transformers) would fetch a multi-GB CUDA build.
# ScanCode is installed without its dependencies: only its LicenseDB data files are read.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	$(BIN)/pip install -q --no-deps scancode-toolkit==32.5.0
	touch $(STAMP)

index: $(STAMP)
	$(BIN)/modelterms index

# The main job on the embedded defaults: build the index if needed, then answer a search.
run: index
	$(BIN)/modelterms search "Can I use the model for military purposes?" -k 5

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: index
	$(BIN)/python -m evals.bench_index
	$(BIN)/python -m evals.bench_search
