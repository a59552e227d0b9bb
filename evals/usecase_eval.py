"""Use-case evaluation: the grounded check over the annotated questions in evals/usecases/.

Scores verdict accuracy, the confusion matrix, dangerous misses (gold prohibited → predicted
allowed: the one error modelterms must never make), citation accuracy (a predicted deciding
clause is among the gold ones), per-term F1 of the categories the findings name against the
question's gold terms, and quote integrity (every quote a verbatim substring of its license).

`answer(case)` is pluggable so the same scoring runs through the agent (`modelterms eval --llm`).
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

from corpus.atomic import atomic_write
from corpus.settings import Settings
from evals.data import usecases

VERDICTS = ("prohibited", "conditional", "allowed", "unclear")


def grounded_answerer(settings: Settings) -> Callable[[dict], dict]:
    from agent.check import Checker

    checker = Checker(settings)

    def answer(case: dict) -> dict:
        return checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                             card=case.get("card")).as_json()

    answer.corpus = checker.corpus  # type: ignore[attr-defined]
    return answer


def leave_family_out_answerer(settings: Settings) -> Callable[[dict], dict]:
    """The grounded check with, for each annotated license, a term classifier trained without its
    family: how the check does on license texts the classifier never saw."""
    from collections import defaultdict

    from agent.check import Checker
    from agent.profile import Profiler
    from evals.data import annotations
    from evals.profile_eval import dataset, train_on

    checker = Checker(settings)
    anns = annotations()
    data = dataset(settings, checker.corpus, checker.store)
    families = defaultdict(list)
    for key in data:
        families[anns[key].get("family") or key].append(key)
    models = {fam: train_on(data, [k for k in data if k not in members]) for fam, members in families.items()}
    fam_of = {k: fam for fam, members in families.items() for k in members}

    class _HeldOut(Profiler):
        def classifier_for(self, key):
            # a held-out family's classifier; the profiler's own for texts outside the annotated set
            return models[fam_of[key]] if key in fam_of else None

    checker.profiler = _HeldOut(settings, checker.corpus, checker.store)

    def answer(case: dict) -> dict:
        return checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                             card=case.get("card")).as_json()

    answer.corpus = checker.corpus  # type: ignore[attr-defined]
    return answer


def evaluate(settings: Settings, answer: Callable[[dict], dict] | None = None, cases: list[dict] | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
    answer = answer or grounded_answerer(settings)
    corpus = getattr(answer, "corpus", None)
    if corpus is None:
        from corpus.catalog import Corpus

        corpus = Corpus(settings)
    cases = cases if cases is not None else usecases()
    confusion: dict[str, Counter] = {g: Counter() for g in VERDICTS}
    rows, dangerous, bad_quotes, errors = [], [], [], []
    cite_ok = cite_n = 0
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    latencies = []
    texts: dict[str, str] = {}
    start = time.perf_counter()
    for i, case in enumerate(cases):
        t0 = time.perf_counter()
        try:
            out = answer(case)
        except Exception as e:  # a failing case is scored as unclear and reported, not fatal to the run
            errors.append({"id": case["id"], "error": f"{type(e).__name__}: {e}"})
            out = {"verdict": "unclear", "findings": [], "deciding": []}
        latencies.append(time.perf_counter() - t0)
        gold, pred = case["verdict"], out["verdict"]
        confusion[gold][pred] += 1
        if gold == "prohibited" and pred == "allowed":
            dangerous.append(case["id"])
        gold_cites = set(case.get("deciding") or [])
        deciding = out.get("deciding") or [f["clause_id"] for f in out.get("findings", [])]
        if gold_cites:
            cite_n += 1
            cite_ok += bool(gold_cites & set(deciding))
        gold_terms = set(case.get("terms") or [])
        pred_terms = {f["category"] for f in out.get("findings", []) if f.get("effect") in (None, "prohibited", "condition", "review")}
        for t in gold_terms | pred_terms:
            if t in gold_terms and t in pred_terms:
                tp[t] += 1
            elif t in pred_terms:
                fp[t] += 1
            else:
                fn[t] += 1
        for f in out.get("findings", []):
            key = f["license"]
            if key not in texts:
                texts[key] = corpus.get(key).text
            if f["quote"] not in texts[key]:
                bad_quotes.append({"id": case["id"], "clause_id": f["clause_id"]})
        rows.append({"id": case["id"], "license": case.get("license") or case.get("model") or case.get("card"),
                     "gold": gold, "predicted": pred, "deciding": deciding[:5], "gold_deciding": sorted(gold_cites)})
        if progress:
            progress(i + 1, len(cases))
    wall = time.perf_counter() - start
    n = len(cases)
    correct = sum(confusion[v][v] for v in VERDICTS)
    per_term = {}
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        per_term[t] = {"precision": round(p, 3), "recall": round(r, 3),
                       "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp[t], "fp": fp[t], "fn": fn[t]}
    lat = sorted(latencies)
    return {
        "questions": n,
        "licenses": len({c.get("license") or c.get("model") or c.get("card") for c in cases}),
        "accuracy": round(correct / n, 3) if n else 0.0,
        "dangerous_misses": dangerous,
        "citation_accuracy": round(cite_ok / cite_n, 3) if cite_n else 0.0,
        "quote_failures": bad_quotes,
        "errors": errors,
        "confusion": {g: {p: confusion[g][p] for p in VERDICTS} for g in VERDICTS},
        "per_verdict_recall": {g: round(confusion[g][g] / max(1, sum(confusion[g].values())), 3) for g in VERDICTS},
        "per_term": per_term,
        "macro_term_f1": round(sum(v["f1"] for v in per_term.values()) / len(per_term), 3) if per_term else 0.0,
        "wall_s": round(wall, 2),
        "p50_ms": round(1000 * lat[len(lat) // 2], 1) if lat else 0.0,
        "rows": rows,
    }


def format_report(r: dict) -> str:
    lines = [f"use-case eval: {r['questions']} questions over {r['licenses']} licenses",
             f"verdict accuracy   {r['accuracy']:.3f}",
             f"dangerous misses   {len(r['dangerous_misses'])}" + (f"  ({', '.join(r['dangerous_misses'])})"
                                                                  if r["dangerous_misses"] else ""),
             f"citation accuracy  {r['citation_accuracy']:.3f}",
             f"term macro-F1      {r['macro_term_f1']:.3f}",
             f"quote failures     {len(r['quote_failures'])}",
             f"errors             {len(r['errors'])}",
             f"time               {r['wall_s']:.1f} s (p50 {r['p50_ms']:.0f} ms per question)",
             "",
             "confusion (rows gold, columns predicted):",
             f"{'':13s}" + "".join(f"{v:>13s}" for v in VERDICTS)]
    for g in VERDICTS:
        lines.append(f"{g:13s}" + "".join(f"{r['confusion'][g][p]:13d}" for p in VERDICTS))
    lines.append("\nper term: precision recall f1 (tp/fp/fn)")
    for t, v in sorted(r["per_term"].items(), key=lambda kv: kv[1]["f1"]):
        lines.append(f"  {t:26s} {v['precision']:.2f} {v['recall']:.2f} {v['f1']:.2f}  ({v['tp']}/{v['fp']}/{v['fn']})")
    wrong = [row for row in r["rows"] if row["gold"] != row["predicted"]]
    if wrong:
        lines.append(f"\nwrong verdicts ({len(wrong)}):")
        for row in wrong:
            lines.append(f"  {row['id']:8s} {row['license']:34s} gold {row['gold']:12s} got {row['predicted']}")
    return "\n".join(lines)


def write_report(report: dict, path: Path) -> None:
    """Atomic: a failed run never leaves half a report."""
    atomic_write(path, json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    import sys

    rep = evaluate(Settings.from_env())
    print(format_report(rep))
    if "--json" in sys.argv:
        print(json.dumps(rep, indent=2))
