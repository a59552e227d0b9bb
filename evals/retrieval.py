"""Retrieval evaluation: recall@k and MRR of dense, lexical and fused search.

Each query in retrieval_queries.yaml lists gold clause ids; any of them answers it.
recall@k = |gold ∩ top-k| / min(|gold|, k), so a query with many equally good clauses
(the same restriction in several licenses) is not penalised for k being small.
MRR = mean of 1 / rank of the first gold clause (0 when none is in the top 50).
"""
from __future__ import annotations

from importlib import resources

import yaml

from agent.deps import Deps
from corpus.settings import Settings

MODES = ("dense", "lexical", "fused")


def load_queries() -> list[dict]:
    return yaml.safe_load(resources.files("evals").joinpath("retrieval_queries.yaml").read_text(encoding="utf-8"))


def evaluate(deps: Deps | Settings, k: int = 5, queries: list[dict] | None = None, searcher=None) -> dict:
    queries = queries if queries is not None else load_queries()
    searcher = searcher or Deps.of(deps).searcher
    report = {"queries": len(queries), "k": k, "modes": {}, "misses": {}}
    for mode in MODES:
        recall_sum = rr_sum = 0.0
        misses = []
        for q in queries:
            gold = set(q["gold"])
            hits = [h.clause_id for h in searcher.search(q["query"], k=50, license=q.get("license"), mode=mode)]
            top = hits[:k]
            recall_sum += len(gold & set(top)) / min(len(gold), k)
            rank = next((i for i, cid in enumerate(hits, 1) if cid in gold), None)
            rr_sum += 1.0 / rank if rank else 0.0
            if not gold & set(top):
                misses.append(q["id"])
        report["modes"][mode] = {"recall@k": round(recall_sum / len(queries), 4), "mrr": round(rr_sum / len(queries), 4)}
        report["misses"][mode] = misses
    return report


def format_table(report: dict) -> str:
    k = report["k"]
    lines = [f"retrieval eval: {report['queries']} queries", f"{'mode':8s} {'recall@' + str(k):>10s} {'MRR':>7s}"]
    for mode, m in report["modes"].items():
        lines.append(f"{mode:8s} {m['recall@k']:10.3f} {m['mrr']:7.3f}")
    return "\n".join(lines)
