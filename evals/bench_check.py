"""Benchmark the grounded analysis: warm `check` latency in process, `explain` of an unseen ~15 kB text,
and the whole use-case eval.

    python -m evals.bench_check [--unseen PATH] [--json] [--warm-only]

Uses the index under $MODELTERMS_HOME (run `modelterms index` first). The unseen text is PATH when
given; otherwise the first license-like file of ../shared/external between 10 and 25 kB that is
not in the corpus, else a synthetic text assembled from the test fixtures (so the script runs
anywhere). Timings belong here, not in tests.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from corpus.catalog import Corpus
from corpus.entry import LicenseEntry
from corpus.settings import Settings
from evals.data import usecases
from evals.machine import describe

ROOT = Path(__file__).resolve().parent.parent


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def unseen_text(path: str | None) -> tuple[str, str]:
    if path:
        return Path(path).read_text(encoding="utf-8", errors="replace"), path
    ext = ROOT.parent / "shared" / "external"
    if ext.is_dir():
        for f in sorted(ext.rglob("*")):
            if f.is_file() and f.suffix.lower() in (".txt", ".md", "") and 10_000 <= f.stat().st_size <= 25_000 \
                    and "licen" in f.name.lower():
                return f.read_text(encoding="utf-8", errors="replace"), str(f.relative_to(ext.parent))
    parts = [f.read_text(encoding="utf-8") for f in sorted((ROOT / "tests" / "fixtures").glob("*.txt"))]
    text = "\n\n".join(parts)
    while len(text) < 15_000:
        text += "\n\n" + "\n\n".join(parts)
    return text[:15_000], "synthetic (tests/fixtures, repeated)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--unseen")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--warm-only", action="store_true", help="only the warm check latency (no explain, no eval)")
    args = ap.parse_args()
    settings = Settings.from_env()
    from agent.check import Checker
    from agent.terms.profile import Profiler

    t0 = time.perf_counter()
    checker = Checker(settings)
    cases = usecases()
    # warm-up: every license's profile once, the embedder loaded
    for c in cases:
        checker.check(c["use"], license=c["license"])
    warmup = time.perf_counter() - t0
    lat = []
    for c in cases:
        t = time.perf_counter()
        checker.check(c["use"], license=c["license"])
        lat.append(time.perf_counter() - t)

    if args.warm_only:
        out = {"machine": describe(), "questions": len(cases), "warmup_s": round(warmup, 2),
               "check_p50_ms": round(1000 * statistics.median(lat), 1), "check_p95_ms": round(1000 * pct(lat, 95), 1)}
        print(json.dumps(out, indent=2) if args.json else
              f"check, warm, in process: p50 {out['check_p50_ms']} ms, p95 {out['check_p95_ms']} ms over {len(cases)} "
              f"questions (first pass incl. profiles: {out['warmup_s']} s)")
        return

    text, source = unseen_text(args.unseen)
    corpus = Corpus(settings)
    entry = LicenseEntry(key="bench-unseen", name="Unseen license", kind="license", text=text, source="file")
    corpus.add_transient(entry)
    profiler = Profiler(settings, corpus, checker.store)
    profiler.features("mit")  # the embedder and classifier are loaded, as in any warm process
    t = time.perf_counter()
    prof = profiler.profile("bench-unseen")
    explain_s = time.perf_counter() - t

    from evals.usecase_eval import evaluate

    t = time.perf_counter()
    rep = evaluate(settings)
    eval_s = time.perf_counter() - t

    out = {"machine": describe(), "questions": len(cases), "warmup_s": round(warmup, 2),
           "check_p50_ms": round(1000 * statistics.median(lat), 1), "check_p95_ms": round(1000 * pct(lat, 95), 1),
           "explain_unseen": {"source": source, "chars": len(text), "seconds": round(explain_s, 2),
                              "terms": len(prof.terms)},
           "eval_usecases_s": round(eval_s, 1), "eval_accuracy": rep["accuracy"]}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"machine: {out['machine']}")
    print(f"check, warm, in process: p50 {out['check_p50_ms']} ms, p95 {out['check_p95_ms']} ms over {len(cases)} "
          f"questions (first pass incl. profiles: {out['warmup_s']} s)")
    print(f"explain of an unseen {len(text):,}-char text ({source}): {explain_s:.2f} s, {len(prof.terms)} terms")
    print(f"modelterms eval (use-case set, in process, fresh checker): {eval_s:.1f} s, accuracy {rep['accuracy']}")


if __name__ == "__main__":
    main()
