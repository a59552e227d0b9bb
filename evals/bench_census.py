"""Census benchmark: a synthetic hub of N repos → `modelterms census` (local or Ray) → rates and truth scores.

    python -m evals.bench_census --n 100000 [--texts 0.0] [--ray auto] [--jobs 2] [--dir /tmp/census-bench]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from agent.census import CensusOptions, run_census
from corpus.settings import Settings
from evals import synthetic_hub
from evals.census_eval import evaluate
from evals.machine import describe


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--texts", type=float, default=0.0)
    ap.add_argument("--ray")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/census-bench"))
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    dump = a.dir / f"hub-{a.n}-{a.texts}.jsonl"
    if not dump.is_file():
        synthetic_hub.write(dump, a.n, seed=a.seed, texts=a.texts)
    truth = dump.with_name(dump.name.split(".")[0] + ".truth.parquet")
    out = a.dir / f"out-{a.n}-{a.texts}-{'ray' if a.ray else 'local'}-{int(time.time())}"
    t0 = time.perf_counter()
    r = run_census(Settings.from_env(), CensusOptions(out=out, input=dump, ray=a.ray, jobs=a.jobs, progress=False))
    dt = time.perf_counter() - t0
    report = {"machine": describe(), "repos": r.repos, "seconds": round(dt, 1), "repos_per_s": round(r.repos / dt),
              "distinct_texts": r.distinct_texts, "signatures": r.signatures, "engine": r.engine, "stages": r.stages,
              "score": {k: v for k, v in evaluate(str(r.tables["repos"]), str(truth)).items() if k != "by_kind"}}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
