# Two entry points for a fresh machine: `make run` (main job) and `make test`.
# Both create .venv and install what they need; re-running them does no work twice.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run index test bench clean-index chromium

setup: $(STAMP)

# Two stamps: the main job (`make run`) installs only what it uses; the tests add the dev tools, the
# census extra (Arrow, DuckDB, Ray Data) and llama-cpp-python (the llm-server extra: `modelterms
# serve-llm` and the real llama.cpp test), which compiles llama.cpp (~7–10 min on 2 cores): its wheel is built once into a cache outside the clone
# and reused by every later setup on this machine.
RUN_STAMP := $(VENV)/.installed-run
# Bytecode for the installed packages, once, in parallel (~30 s on 2 cores). Where PYTHONDONTWRITEBYTECODE is set, as
# on this project's machines, Python never writes it at import, and a cold `check` spent ~7 s compiling torch,
# transformers and scipy from source on every run (11 s instead of 4 s). Some third-party files are written for newer
# Pythons and do not compile here (torch's py312 test helpers); they are never imported, so their errors are ignored.
COMPILE = $(BIN)/python -m compileall -qq -j 0 $(VENV)/lib || true
WHEELS ?= $(HOME)/.cache/modelterms/wheels
LLAMA_CPP_VERSION := 0.3.36

# torch pinned: the CPU build lies on this project's machines, while an
# unpinned torch (pulled by sentence-transformers) would fetch a multi-GB CUDA build.
# ScanCode is installed without its dependencies: only its LicenseDB data files are read. One resolve for torch
# and the project; no byte-compiling of every installed module (Python compiles what it imports, once).
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --no-compile torch==2.13.0 -e .
	$(BIN)/pip install -q --no-compile --no-deps scancode-toolkit==32.5.0
	$(COMPILE)
	touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	mkdir -p $(WHEELS)
	ls $(WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_BUILD_PARALLEL_LEVEL=2 $(BIN)/pip wheel -q --no-deps -w $(WHEELS) llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(BIN)/pip install -q --find-links $(WHEELS) -e '.[dev,llm-server,census]'
	$(COMPILE)
	touch $(STAMP)

index: $(RUN_STAMP)
	$(BIN)/modelterms index

# The main job on the embedded defaults: serve the web UI on http://$(HOST):$(PORT) until Ctrl-C. The page
# opens first and indexes the built-in texts behind itself when the index lacks any (minutes on 2 cores; checks
# answer meanwhile, progress is on the page). Non-interactive runs (CI, tests) start the UI themselves.
HOST ?= 127.0.0.1
PORT ?= 7860
run: $(RUN_STAMP)
	$(BIN)/modelterms ui --host $(HOST) --port $(PORT) --build-index

# The browser tests drive Debian's Chromium (playwright's own browser download is not reachable).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

bench: $(STAMP) index
	$(BIN)/python -m evals.bench_index
	$(BIN)/python -m evals.bench_search
	$(BIN)/python -m evals.bench_ui
