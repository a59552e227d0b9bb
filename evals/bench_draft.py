"""Benchmark: draft generation time (grounded and not), and a cold CLI draft.

    python -m evals.bench_draft [--home DIR] [--out artifacts/bench_draft.json]

Uses the index under --home (default: $MODELTERMS_HOME or ~/.modelterms); run `modelterms index`
first. The drafts are the round-trip eval's configurations (evals/draft_roundtrip.py). In-process
figures: `grounded_uncached` clears every cache before each draft (every clause of the draft is
searched: the worst case, as on the first draft after a re-index); `grounded` keeps the provenance
cache that earlier drafts on this index left (on disk, beside the index), as a user sees it, while
custom restrictions are still searched each time; `ungrounded` skips the corpus search. The CLI
figure is a fresh process drafting with the provenance cache warm. The machine's load average is
recorded, since other processes on a shared machine change the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpus.settings import Settings
from evals.bench_search import pct
from evals.draft_roundtrip import configurations
from evals.machine import describe


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _stats(times: list[float]) -> dict:
    return {"p50_s": round(pct(times, 50), 3), "p95_s": round(pct(times, 95), 3), "max_s": round(max(times), 3),
            "n": len(times)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path)
    ap.add_argument("--out", type=Path, default=Path("artifacts/bench_draft.json"))
    ap.add_argument("--cli-runs", type=int, default=3)
    args = ap.parse_args()
    settings = Settings.from_env(home=args.home)
    from agent.draft.drafter import Drafter
    from agent.draft.grounding import Grounding

    load_before = _load()
    specs = configurations()
    grounding = Grounding(settings)
    if not grounding.available:
        sys.exit(f"no index under {settings.home}: {grounding.error}")
    drafter = Drafter(settings, grounding=grounding)
    t0 = time.perf_counter()
    grounding.clear(disk=True)
    drafter.draft(specs[0])  # loads the index and the embedding model
    first_s = time.perf_counter() - t0

    uncached, cached, plain = [], [], []
    for spec in specs:
        grounding.clear(disk=True)
        t = time.perf_counter()
        drafter.draft(spec)
        uncached.append(time.perf_counter() - t)
    for spec in specs:  # fill the provenance cache once, then time drafts that find it
        drafter.draft(spec)
    for spec in specs:
        grounding.clear(disk=False)
        t = time.perf_counter()
        drafter.draft(spec)
        cached.append(time.perf_counter() - t)
    ungrounded = Drafter(settings, grounding=False)
    for spec in specs:
        t = time.perf_counter()
        ungrounded.draft(spec, provenance=False)
        plain.append(time.perf_counter() - t)

    cli = []
    env = {**os.environ, "MODELTERMS_HOME": str(settings.home)}
    cmd = [sys.executable, "-m", "ui.cli", "draft", "--licensor", "Acme Labs", "-r", "core,military_weapons",
           "--user-threshold", "700M", "--notice", "Built with Acme", "--format", "json"]
    for _ in range(args.cli_runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        cli.append(time.perf_counter() - t)

    result = {
        "machine": describe(), "load_average_before": load_before, "load_average_after": _load(),
        "configs": len(specs), "first_draft_seconds_with_index_load": round(first_s, 2),
        "grounded_uncached": _stats(uncached), "grounded": _stats(cached), "ungrounded": _stats(plain),
        "cli_cold_draft_seconds_median": round(statistics.median(cli), 2) if cli else None,
        "command": "python -m evals.bench_draft" + (f" --home {args.home}" if args.home else ""),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
