"""Benchmark `modelterms audit`: cold (process start to first report: embedding model, profiles) and warm
audits of local repositories in one process, and the whole audit eval.

    python -m evals.bench_audit [--runs 20] [--json]

Uses the index under $MODELTERMS_HOME (clause vectors are reused; without an index they are computed).
The repositories are eval specs (evals/audit/repos) materialised into a temporary folder. Timings belong
here, not in tests.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from corpus.settings import Settings
from evals.machine import describe

SPECS = ("l31-ft-compliant", "gemma2-ft-apache", "sd15-ft-apache", "flux-lora-compliant", "chain-quant-of-llama-ft")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20, help="warm audits per repository")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    settings = Settings.from_env()
    t0 = time.perf_counter()
    from agent.audit import Auditor
    from evals.audit.materialise import load_specs, materialise
    from evals.audit_eval import evaluate

    auditor = Auditor(settings)
    specs = {s["id"]: s for s in load_specs()}
    out = {"machine": describe(), "repositories": {}}
    with tempfile.TemporaryDirectory(prefix="mt-bench-audit-") as tmp:
        for i, sid in enumerate(SPECS):
            target, cache = materialise(specs[sid], auditor.corpus, Path(tmp) / sid)
            auditor.cache_dir = cache
            t = time.perf_counter()
            auditor.audit(target)
            first = time.perf_counter() - t
            if i == 0:
                out["cold_first_audit_s"] = round(time.perf_counter() - t0, 2)
            warm = []
            for _ in range(args.runs):
                t = time.perf_counter()
                auditor.audit(target)
                warm.append(time.perf_counter() - t)
            out["repositories"][sid] = {"first_s": round(first, 3), "warm_p50_s": round(statistics.median(warm), 4),
                                        "warm_p95_s": round(pct(warm, 95), 4)}
    t = time.perf_counter()
    report = evaluate(settings, auditor=auditor)
    out["eval_s"] = round(time.perf_counter() - t, 1)
    out["eval"] = {k: {"unmet": {m: v["unmet"][m] for m in ("precision", "recall")},
                       "conflicts": {m: v["conflicts"][m] for m in ("precision", "recall")}}
                   for k, v in report["splits"].items()}
    all_warm = [r["warm_p95_s"] for r in out["repositories"].values()]
    out["warm_p95_max_s"] = max(all_warm)
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"machine: {out['machine']}")
    print(f"cold (imports, embedding model, profiles, first audit): {out['cold_first_audit_s']} s")
    for sid, r in out["repositories"].items():
        print(f"  {sid:28s} first {r['first_s']:.3f} s  warm p50 {r['warm_p50_s']:.4f} s  p95 {r['warm_p95_s']:.4f} s")
    print(f"eval audit (74 repositories, warm process): {out['eval_s']} s")


if __name__ == "__main__":
    main()
