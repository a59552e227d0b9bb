"""`modelterms eval audit`: precision and recall of unmet duties and of license conflicts on the audit set.

A predicted unmet duty is a (repository, duty family) pair; a predicted conflict a (repository, kind) pair.
Repositories are materialised into temporary folders (evals/audit/materialise.py), so license texts come
from the installed LicenseDB and nothing is copied into the repository.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from agent.audit import Auditor
from corpus.settings import Settings

from .audit.materialise import load_specs, materialise


def _pr(pred: set, gold: set) -> dict:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return {"precision": round(p, 3), "recall": round(r, 3), "tp": tp, "fp": len(pred - gold), "fn": len(gold - pred),
            "false_positives": sorted(map(list, pred - gold)), "misses": sorted(map(list, gold - pred))}


def evaluate(settings: Settings, split: str = "all", auditor: Auditor | None = None) -> dict:
    auditor = auditor or Auditor(settings)
    specs = load_specs("all")
    rows = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mt-audit-eval-") as tmp:
        for spec in specs:
            dest = Path(tmp) / spec["id"]
            target, cache = materialise(spec, auditor.corpus, dest)
            auditor.cache_dir = cache
            res = auditor.audit(target)
            rows.append({"id": spec["id"], "split": spec.get("split", "tune"),
                         "unmet": sorted({d.id for d in res.unmet}),
                         "conflicts": sorted({k for d in res.conflicts for k in d.conflicts}),
                         "gold_unmet": sorted(spec["gold"].get("unmet", [])),
                         "gold_conflicts": sorted(spec["gold"].get("conflicts", [])),
                         "usable": res.usable, "problems": res.problems})
    report = {"repositories": len(rows), "seconds": round(time.perf_counter() - t0, 1), "splits": {}}
    for name in ("all", "tune", "heldout"):
        sel = [r for r in rows if name == "all" or r["split"] == name]
        pu = {(r["id"], d) for r in sel for d in r["unmet"]}
        gu = {(r["id"], d) for r in sel for d in r["gold_unmet"]}
        pc = {(r["id"], k) for r in sel for k in r["conflicts"]}
        gc = {(r["id"], k) for r in sel for k in r["gold_conflicts"]}
        report["splits"][name] = {"repositories": len(sel), "unmet": _pr(pu, gu), "conflicts": _pr(pc, gc),
                                  "exact": sum(r["unmet"] == r["gold_unmet"] and r["conflicts"] == r["gold_conflicts"]
                                               for r in sel)}
    report["rows"] = rows
    if split != "all":
        report["splits"] = {split: report["splits"][split]}
    return report


def format_report(report: dict, verbose: bool = False) -> str:
    lines = [f"audit eval: {report['repositories']} repositories in {report['seconds']} s"]
    for name, s in report["splits"].items():
        u, c = s["unmet"], s["conflicts"]
        lines.append(f"  {name:8s} n={s['repositories']:3d}  unmet duties P {u['precision']:.3f} R {u['recall']:.3f} "
                     f"(tp {u['tp']}, fp {u['fp']}, fn {u['fn']})  conflicts P {c['precision']:.3f} R {c['recall']:.3f} "
                     f"(tp {c['tp']}, fp {c['fp']}, fn {c['fn']})  exact {s['exact']}/{s['repositories']}")
        if verbose:
            for kind in ("unmet", "conflicts"):
                for fp in s[kind]["false_positives"]:
                    lines.append(f"    {kind} false positive: {fp[0]} {fp[1]}")
                for fn in s[kind]["misses"]:
                    lines.append(f"    {kind} miss: {fn[0]} {fn[1]}")
    return "\n".join(lines)
