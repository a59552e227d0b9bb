"""Benchmark: build the built-in index from scratch, re-index with nothing changed, raw encode rate.

    python -m evals.bench_index [--out artifacts/bench_index.json]

Each index run is a fresh `modelterms index --json` process (so its wall time includes
start-up, model load and Chroma writes); its peak RSS is read from the child's rusage.
The raw rate is `model.encode` alone on the very same clause texts, batch size 64; the
overhead ratio is pipeline seconds / raw encode seconds.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus.catalog import Corpus
from corpus.settings import Settings
from evals.machine import describe


def run_child(args: list[str]) -> tuple[float, int, str]:
    """(wall seconds, peak RSS MiB of this child, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    _, status, usage = proc.pid, proc.returncode, None
    if proc.returncode != 0:
        raise SystemExit(f"modelterms {' '.join(args)} failed: {err.strip()[-300:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, int(usage.ru_maxrss / 1024), out


def raw_encode(settings: Settings) -> dict:
    from retrieval.embed import load_embedder
    from retrieval.indexer import clauses_for, embedding_text

    corpus = Corpus(settings)
    texts = [embedding_text(c) for k in corpus.builtin_keys() for c in clauses_for(corpus.get(k), settings)]
    model = load_embedder(settings.embedding, settings.embed_batch_size)
    model.embed(texts[:64])  # warm-up
    t0 = time.perf_counter()
    model.embed(texts)
    secs = time.perf_counter() - t0
    return {"clauses": len(texts), "seconds": round(secs, 2), "clauses_per_second": round(len(texts) / secs, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("artifacts/bench_index.json"))
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="modelterms-bench-"))
    settings = Settings.from_env({}, home=home)

    wall, rss, out = run_child(["--home", str(home), "index", "--json"])
    build = json.loads(out)
    wall2, _, out2 = run_child(["--home", str(home), "index", "--json"])
    again = json.loads(out2)
    raw = raw_encode(settings)
    result = {
        "machine": describe(),
        "build": {"wall_seconds": round(wall, 1), "pipeline_seconds": build["seconds"],
                  "clauses": build["clauses_total"], "licenses": build["licenses_total"],
                  "clauses_per_second_wall": round(build["clauses_total"] / wall, 1),
                  "peak_rss_mib": rss},
        "raw_encode": raw,
        "overhead_ratio": round(build["seconds"] / raw["seconds"], 3),
        "reindex_unchanged": {"wall_seconds": round(wall2, 2), "pipeline_seconds": again["seconds"],
                              "clauses_embedded": again["clauses_embedded"]},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
