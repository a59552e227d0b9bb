"""Loading the embedding model (retrieval/embed.py) pauses the cyclic collector while the libraries' and
the model's long-lived objects are made, freezes them, and leaves the collector as the caller had it."""
from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from retrieval import embed

ROOT = Path(__file__).resolve().parents[1]


def test_a_fresh_process_loads_the_model_with_its_objects_frozen_and_the_collector_back_on():
    code = ("import gc; from retrieval.embed import load_embedder; before = gc.get_freeze_count(); "
            "e = load_embedder('sentence-transformers:all-MiniLM-L6-v2'); "
            "print(gc.isenabled(), before, gc.get_freeze_count(), e.embed(['a support bot']).shape)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})
    assert out.returncode == 0, out.stderr
    enabled, before, after, shape = out.stdout.split(maxsplit=3)
    assert enabled == "True" and int(before) == 0 and int(after) > 100_000
    assert shape.strip() == "(1, 384)"


def test_a_collector_the_caller_turned_off_stays_off():
    gc.disable()
    try:
        with embed._long_lived():
            assert not gc.isenabled()
        assert not gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
