"""Scores a census against a synthetic hub's ground truth (evals/synthetic_hub.py).

- resolution: share of repos whose declared keys, family and inherited keys all equal the truth;
- conflicts: precision / recall over (repo, conflict kind) pairs.

    python -m evals.census_eval OUT/repos.parquet HUB.truth.parquet [--json]
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

import duckdb


def evaluate(repos_parquet: str, truth_parquet: str) -> dict:
    con = duckdb.connect()
    rows = con.execute(f"""
        SELECT t.id, list_sort(t.own_keys) tk, list_sort(c.declared_keys) ck, t.family tf, c.family cf,
               list_sort(t.inherited_keys) ti, list_sort(c.inherited_keys) ci, t.conflicts tc, c.conflicts cc
        FROM read_parquet('{truth_parquet}') t LEFT JOIN read_parquet('{repos_parquet}') c USING (id)
    """).fetchall()
    n = len(rows)
    ok_keys = sum(1 for r in rows if r[1] == r[2])
    ok_family = sum(1 for r in rows if r[3] == r[4])
    ok_inh = sum(1 for r in rows if r[5] == r[6])
    ok_all = sum(1 for r in rows if r[1] == r[2] and r[3] == r[4] and r[5] == r[6])
    tp = fp = fn = 0
    per_kind: dict[str, Counter] = {}
    errors = Counter()
    for r in rows:
        truth, got = set(r[7] or []), set(r[8] or [])
        for k in truth | got:
            c = per_kind.setdefault(k, Counter())
            if k in truth and k in got:
                tp += 1
                c["tp"] += 1
            elif k in got:
                fp += 1
                c["fp"] += 1
            else:
                fn += 1
                c["fn"] += 1
        if r[1] != r[2]:
            errors[f"keys {r[1]} -> {r[2]}"] += 1
    kinds = {k: {"precision": round(c["tp"] / max(c["tp"] + c["fp"], 1), 4),
                 "recall": round(c["tp"] / max(c["tp"] + c["fn"], 1), 4), **c} for k, c in sorted(per_kind.items())}
    return {"repos": n, "resolution": round(ok_all / n, 5) if n else 0.0, "declared_keys": round(ok_keys / n, 5),
            "family": round(ok_family / n, 5), "inherited_keys": round(ok_inh / n, 5),
            "conflict_precision": round(tp / max(tp + fp, 1), 4), "conflict_recall": round(tp / max(tp + fn, 1), 4),
            "conflict_pairs": {"tp": tp, "fp": fp, "fn": fn}, "by_kind": kinds,
            "top_resolution_errors": errors.most_common(8)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("repos")
    ap.add_argument("truth")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    r = evaluate(a.repos, a.truth)
    print(json.dumps(r, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
