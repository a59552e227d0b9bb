"""The exemplar bank (corpus/exemplars/<term_id>.yaml) as typed values.

Each file holds, for one behavioural term, uses that fall in it (tagged with the facet that carries the
category: the category named, the actor, the sector, the activity, the object, or only context) and near
misses: allowed uses that share words or setting with the term but do not fall in it. The category layer
trains on these; they are written independently of the evaluation sets.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from corpus.taxonomy import load_taxonomy

FACETS = ("direct", "actor", "sector", "activity", "object", "indirect")
MIN_POSITIVES = 45
MIN_PER_FACET = 6
MIN_NEAR_MISSES = 20
# a use is something a person would say about their plan: not a bare keyword, not an essay
MIN_WORDS, MAX_WORDS = 6, 45


@dataclass(frozen=True)
class Exemplar:
    use: str
    facet: str


@dataclass(frozen=True)
class NearMiss:
    use: str
    why: str


@dataclass(frozen=True)
class ExemplarSet:
    term: str
    positives: tuple[Exemplar, ...]
    near_misses: tuple[NearMiss, ...]


def _read(name: str, text: str) -> ExemplarSet:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("term"), str):
        raise ValueError(f"{name}: expected a mapping with 'term', 'positives' and 'near_misses'")
    try:
        positives = tuple(Exemplar(use=str(p["use"]), facet=str(p["facet"])) for p in data.get("positives") or ())
        near = tuple(NearMiss(use=str(n["use"]), why=str(n["why"])) for n in data.get("near_misses") or ())
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{name}: an entry lacks a field ({exc})") from exc
    return ExemplarSet(term=data["term"], positives=positives, near_misses=near)


def load_exemplars(folder: Path | Traversable | None = None) -> dict[str, ExemplarSet]:
    """Every exemplar file, keyed by its file name (which is meant to equal its term id)."""
    folder = folder if folder is not None else resources.files("corpus").joinpath("exemplars")
    sets = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            sets[entry.name[: -len(".yaml")]] = _read(entry.name, entry.read_text(encoding="utf-8"))
    return sets


def _norm(text: str) -> str:
    # duplicates that differ only in case, spacing or final punctuation are still duplicates
    return " ".join(text.lower().split()).rstrip(".!?")


def validate(folder: Path | Traversable | None = None) -> list[str]:
    """Problems in the bank (an empty list when it is sound); the test suite runs this."""
    terms = load_taxonomy()
    # the taxonomy's own `uses` are a separate exemplar list: the bank must add wordings, not repeat them
    seen: dict[str, str] = {_norm(u): f"taxonomy.yaml:{t.id}:uses" for t in terms.values() for u in t.uses}
    problems = []
    for name, ex in load_exemplars(folder).items():
        if ex.term != name:
            problems.append(f"{name}.yaml: term is {ex.term!r}, the file name says {name!r}")
        if ex.term not in terms:
            problems.append(f"{name}.yaml: {ex.term!r} is not a taxonomy term")
        elif terms[ex.term].group != "behavioural":
            problems.append(f"{name}.yaml: {ex.term!r} is not a behavioural term")
        if len(ex.positives) < MIN_POSITIVES:
            problems.append(f"{name}.yaml: {len(ex.positives)} positives, at least {MIN_POSITIVES} needed")
        if len(ex.near_misses) < MIN_NEAR_MISSES:
            problems.append(f"{name}.yaml: {len(ex.near_misses)} near misses, at least {MIN_NEAR_MISSES} needed")
        for p in ex.positives:
            if p.facet not in FACETS:
                problems.append(f"{name}.yaml: unknown facet {p.facet!r} for {p.use!r}")
        for facet in FACETS:
            count = sum(p.facet == facet for p in ex.positives)
            if count < MIN_PER_FACET:
                problems.append(f"{name}.yaml: {count} positives of facet {facet}, at least {MIN_PER_FACET} needed")
        for n in ex.near_misses:
            if not n.why.strip():
                problems.append(f"{name}.yaml: near miss {n.use!r} has no reason")
        entries = [(p.use, "positive") for p in ex.positives] + [(n.use, "near miss") for n in ex.near_misses]
        for use, kind in entries:
            if not use.strip():
                problems.append(f"{name}.yaml: an empty {kind}")
                continue
            words = len(use.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"{name}.yaml: {kind} {use!r} has {words} words, {MIN_WORDS}-{MAX_WORDS} expected")
            key = _norm(use)
            where = f"{name}:{kind}"
            if key in seen:
                problems.append(f"{where} {use!r} duplicates {seen[key]}")
            else:
                seen[key] = where
    return problems


# --- use facts ------------------------------------------------------------------------------------
# corpus/exemplars/facts/<fact>.yaml: the same shape with `fact:` for `term:`; positives are uses where the
# fact holds (the outputs train another model, the weights pass to others, ...), near misses uses where it
# does not although the words overlap. Facets are kept where they help, but no facet quota applies.
# unlawful_act: the use as described is a crime (fraud, forgery, bribery, extortion ...): read by a fact head for the
# licences whose only relevant restriction is a duty to comply with the law (agent/check/rules/obey_the_law.py)
FACTS = ("outputs_for_training", "noncommercial_internal", "commercial", "distribution", "hosting", "unlawful_act")
MIN_FACT_POSITIVES = 40
MIN_FACT_NEAR_MISSES = 20


def _read_fact(name: str, text: str) -> ExemplarSet:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("fact"), str):
        raise ValueError(f"{name}: expected a mapping with 'fact', 'positives' and 'near_misses'")
    try:
        positives = tuple(Exemplar(use=str(p["use"]), facet=str(p["facet"])) for p in data.get("positives") or ())
        near = tuple(NearMiss(use=str(n["use"]), why=str(n["why"])) for n in data.get("near_misses") or ())
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{name}: an entry lacks a field ({exc})") from exc
    return ExemplarSet(term=data["fact"], positives=positives, near_misses=near)


def load_facts(folder: Path | Traversable | None = None) -> dict[str, ExemplarSet]:
    """Every use-fact exemplar file, keyed by its file name (which is meant to equal its fact)."""
    folder = folder if folder is not None else resources.files("corpus").joinpath("exemplars").joinpath("facts")
    sets = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            sets[entry.name[: -len(".yaml")]] = _read_fact(entry.name, entry.read_text(encoding="utf-8"))
    return sets


# corpus/exemplars/facts/heads/<fact>.yaml: a fact head's own larger bank, read by that head only
# (evals/train_categories.py: load_head_bank), so that enlarging it moves neither the category heads' bank nor their
# thresholds. Same shape as facts/<fact>.yaml.
def load_head_bank(fact: str) -> ExemplarSet:
    """The head-only bank of `fact` (an empty set when it has none)."""
    entry = resources.files("corpus").joinpath("exemplars").joinpath("facts").joinpath("heads").joinpath(f"{fact}.yaml")
    if not entry.is_file():
        return ExemplarSet(term=fact, positives=(), near_misses=())
    return _read_fact(entry.name, entry.read_text(encoding="utf-8"))


def validate_facts(folder: Path | Traversable | None = None) -> list[str]:
    """Problems in the use-fact bank (an empty list when it is sound)."""
    problems = []
    for name, ex in load_facts(folder).items():
        if ex.term != name:
            problems.append(f"facts/{name}.yaml: fact is {ex.term!r}, the file name says {name!r}")
        if ex.term not in FACTS:
            problems.append(f"facts/{name}.yaml: {ex.term!r} is not a use fact ({', '.join(FACTS)})")
        if len(ex.positives) < MIN_FACT_POSITIVES:
            problems.append(f"facts/{name}.yaml: {len(ex.positives)} positives, at least {MIN_FACT_POSITIVES} needed")
        if len(ex.near_misses) < MIN_FACT_NEAR_MISSES:
            problems.append(f"facts/{name}.yaml: {len(ex.near_misses)} near misses, "
                            f"at least {MIN_FACT_NEAR_MISSES} needed")
        for p in ex.positives:
            if p.facet not in FACETS:
                problems.append(f"facts/{name}.yaml: unknown facet {p.facet!r} for {p.use!r}")
        for n in ex.near_misses:
            if not n.why.strip():
                problems.append(f"facts/{name}.yaml: near miss {n.use!r} has no reason")
        seen: dict[str, str] = {}  # within one fact: a use may well be a positive of one fact and a near miss of another
        entries = [(p.use, "positive") for p in ex.positives] + [(n.use, "near miss") for n in ex.near_misses]
        for use, kind in entries:
            if not use.strip():
                problems.append(f"facts/{name}.yaml: an empty {kind}")
                continue
            words = len(use.split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                problems.append(f"facts/{name}.yaml: {kind} {use!r} has {words} words, {MIN_WORDS}-{MAX_WORDS} expected")
            key = _norm(use)
            if key in seen:
                problems.append(f"facts/{name}.yaml: {kind} {use!r} duplicates a {seen[key]}")
            else:
                seen[key] = kind
    return problems
