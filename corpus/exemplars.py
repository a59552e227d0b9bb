"""The exemplar bank: described uses per behavioural category (and per use fact), with near-miss negatives.

Read by the category layer's trainer. Each file is plain YAML so reviewers can read and extend it:
corpus/exemplars/<term_id>.yaml and corpus/exemplars/facts/<fact>.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from corpus.taxonomy import load_taxonomy

EXEMPLAR_DIR = Path(__file__).with_name("exemplars")
FACTS_DIR = EXEMPLAR_DIR / "facts"
FACETS = ("direct", "actor", "sector", "activity", "object", "indirect")
FACTS = ("outputs_for_training", "noncommercial_internal", "commercial", "distribution", "hosting")
MIN_POSITIVES, MIN_NEAR_MISSES, MIN_PER_FACET = 45, 20, 6
MIN_FACT_POSITIVES, MIN_FACT_NEAR_MISSES = 40, 20
MIN_WORDS, MAX_WORDS = 6, 45  # a use as a person would describe it: not a keyword, not an essay


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
    term: str  # a taxonomy term id, or a fact name for the facts files
    positives: tuple[Exemplar, ...]
    near_misses: tuple[NearMiss, ...]


def _read(path: Path, key: str) -> ExemplarSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name}: expected a mapping with '{key}', 'positives', 'near_misses'")
    positives = tuple(Exemplar(str(p["use"]).strip(), str(p.get("facet", "")).strip())
                      for p in data.get("positives") or ())
    near = tuple(NearMiss(str(n["use"]).strip(), str(n.get("why", "")).strip())
                 for n in data.get("near_misses") or ())
    return ExemplarSet(str(data.get(key, path.stem)), positives, near)


def load_exemplars(directory: Path = EXEMPLAR_DIR) -> dict[str, ExemplarSet]:
    """Category id -> its exemplar set, one file per behavioural category."""
    return {p.stem: _read(p, "term") for p in sorted(directory.glob("*.yaml"))}


def load_facts(directory: Path = FACTS_DIR) -> dict[str, ExemplarSet]:
    """Use fact (commercial, hosting, outputs_for_training, ...) -> its exemplar set."""
    return {p.stem: _read(p, "fact") for p in sorted(directory.glob("*.yaml"))}


def _problems(name: str, ex: ExemplarSet, min_pos: int, min_near: int, per_facet: int) -> list[str]:
    out: list[str] = []
    if ex.term != name:
        out.append(f"{name}: file names '{ex.term}' inside")
    if len(ex.positives) < min_pos:
        out.append(f"{name}: {len(ex.positives)} positives, need {min_pos}")
    if len(ex.near_misses) < min_near:
        out.append(f"{name}: {len(ex.near_misses)} near misses, need {min_near}")
    texts = [p.use.lower() for p in ex.positives] + [n.use.lower() for n in ex.near_misses]
    dupes = sorted({t for t in texts if texts.count(t) > 1})
    out += [f"{name}: duplicate use '{d}'" for d in dupes]
    out += [f"{name}: empty use or why" for n in ex.near_misses if not n.use or not n.why]
    out += [f"{name}: empty use" for p in ex.positives if not p.use]
    out += [f"{name}: {len(u.split())} words, want {MIN_WORDS}-{MAX_WORDS}: '{u}'"
            for u in [p.use for p in ex.positives] + [n.use for n in ex.near_misses]
            if not MIN_WORDS <= len(u.split()) <= MAX_WORDS]
    if per_facet:
        out += [f"{name}: unknown facet '{p.facet}'" for p in ex.positives if p.facet not in FACETS]
        for facet in FACETS:
            count = sum(p.facet == facet for p in ex.positives)
            if count < per_facet:
                out.append(f"{name}: {count} '{facet}' positives, need {per_facet}")
    return out


def validate(directory: Path = EXEMPLAR_DIR) -> list[str]:
    """Problems in the category bank (unknown term, too few uses, a facet left thin, duplicates)."""
    known = set(load_taxonomy())
    out: list[str] = []
    for name, ex in load_exemplars(directory).items():
        if name not in known:
            out.append(f"{name}: not a taxonomy term")
        out += _problems(name, ex, MIN_POSITIVES, MIN_NEAR_MISSES, MIN_PER_FACET)
    return out


def validate_facts(directory: Path = FACTS_DIR) -> list[str]:
    """Problems in the facts bank (unknown fact, too few uses, duplicates)."""
    out: list[str] = []
    for name, ex in load_facts(directory).items():
        if name not in FACTS:
            out.append(f"{name}: not a known use fact")
        out += _problems(name, ex, MIN_FACT_POSITIVES, MIN_FACT_NEAR_MISSES, 0)
    return out
