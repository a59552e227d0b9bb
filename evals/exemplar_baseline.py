"""How the current use reader (agent/usecase.parse_use) reads the exemplar bank: a baseline for the category layer.

For each category: positives read as that category, and near misses flagged (a category) or made possible.
For each use fact: how often the fact is set on positives and on near misses.

    python -m evals.exemplar_baseline [--no-embed]
"""
from __future__ import annotations

import argparse

import numpy as np

from agent.usecase import UseFacts, parse_use
from corpus.exemplars import load_exemplars, load_facts


def _fact(facts: UseFacts, name: str) -> bool:
    if name == "noncommercial_internal":
        return bool(facts.internal or facts.research) and not (facts.hosting or facts.distribution)
    if name == "commercial":
        return facts.commercial is True
    return bool(getattr(facts, name))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-embed", action="store_true", help="patterns only, no MiniLM exemplar similarity")
    args = ap.parse_args()
    embed = None
    if not args.no_embed:
        from retrieval.embed import SentenceTransformerEmbedder, resolve_model_path  # heavy optional backend

        model = SentenceTransformerEmbedder(resolve_model_path("all-MiniLM-L6-v2"), "all-MiniLM-L6-v2")
        cache: dict[str, np.ndarray] = {}

        def embed(texts: list[str]) -> np.ndarray:
            missing = [t for t in texts if t not in cache]
            if missing:
                cache.update(zip(missing, model.embed(missing)))
            return np.stack([cache[t] for t in texts])

    hit = pos = flagged = possible = near = 0
    for term, ex in load_exemplars().items():
        p = [parse_use(e.use, embed=embed) for e in ex.positives]
        n = [parse_use(e.use, embed=embed) for e in ex.near_misses]
        h, f, q = (sum(term in x.categories for x in p), sum(term in x.categories for x in n),
                   sum(term in x.possible for x in n))
        print(f"{term:26s} positives read {h}/{len(p)}  near misses flagged {f} + possible {q} of {len(n)}")
        hit, pos, flagged, possible, near = hit + h, pos + len(p), flagged + f, possible + q, near + len(n)
    if pos:
        print(f"{'all categories':26s} positives read {hit}/{pos} ({hit / pos:.1%})  near misses flagged "
              f"{flagged} + possible {possible} of {near} ({(flagged + possible) / near:.1%})")
    for name, ex in load_facts().items():
        p = sum(_fact(parse_use(e.use), name) for e in ex.positives)
        n = sum(_fact(parse_use(e.use), name) for e in ex.near_misses)
        print(f"fact {name:21s} set on positives {p}/{len(ex.positives)}  on near misses {n}/{len(ex.near_misses)}")


if __name__ == "__main__":
    main()
