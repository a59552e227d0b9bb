"""Benchmark: warm in-process search latency (p50/p95 per mode), CLI cold start, peak RSS.

    python -m evals.bench_search [--home DIR] [--out artifacts/bench_search.json]

Uses the index under --home (default: $MODELTERMS_HOME or ~/.modelterms); run
`modelterms index` first. Queries are those of the retrieval eval set, each run 3 times.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from agent.deps import Deps
from corpus.settings import Settings
from evals.machine import describe
from evals.retrieval import load_queries


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path)
    ap.add_argument("--out", type=Path, default=Path("artifacts/bench_search.json"))
    args = ap.parse_args()
    settings = Settings.from_env(home=args.home)
    t0 = time.perf_counter()
    searcher = Deps(settings).searcher
    load = time.perf_counter() - t0
    queries = [q["query"] for q in load_queries()]
    searcher.search(queries[0])  # warm-up
    modes = {}
    for mode in ("dense", "lexical", "fused"):
        times = []
        for _ in range(3):
            for q in queries:
                t = time.perf_counter()
                searcher.search(q, k=5, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
        modes[mode] = {"p50_ms": round(pct(times, 50), 1), "p95_ms": round(pct(times, 95), 1), "n": len(times)}
    rss_search = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    cold = []
    env = {**os.environ, "MODELTERMS_HOME": str(settings.home)}
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ui.cli", "search", "military use", "-k", "3"], env=env,
                       capture_output=True, check=True)
        cold.append(time.perf_counter() - t)
    result = {"machine": describe(), "index_load_seconds": round(load, 2), "warm": modes,
              "cli_cold_search_seconds_median": round(statistics.median(cold), 2),
              "peak_rss_mib_search_process": rss_search}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
