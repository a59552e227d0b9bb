"""Loading and validating the hand-made evaluation data: annotated licenses and use-case questions."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corpus.taxonomy import ATTITUDES, load_taxonomy


def _folder(name: str) -> Path:
    return Path(str(resources.files("evals"))) / name


@lru_cache(maxsize=1)
def annotations() -> dict[str, dict]:
    """license key -> annotation (terms: {term: {attitude, evidence, params}})."""
    out = {}
    for f in sorted(_folder("annotations").glob("*.yaml")):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        data["terms"] = data.get("terms") or {}
        data["_file"] = f.name
        out[data["license"]] = data
    return out


@lru_cache(maxsize=1)
def usecases() -> list[dict]:
    out = []
    for f in sorted(_folder("usecases").glob("*.yaml")):
        for q in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            q["_file"] = f.name
            out.append(q)
    return out


def validate(clause_ids: dict[str, set[str]]) -> list[str]:
    """Problems in the data given each license's clause ids; an empty list when all is sound."""
    problems = []
    terms = load_taxonomy()
    for key, ann in annotations().items():
        if ann["_file"] != f"{key}.yaml":
            problems.append(f"{ann['_file']}: license {key!r} does not match the file name")
        if key not in clause_ids:
            problems.append(f"{ann['_file']}: unknown license {key!r}")
            continue
        for tid, t in ann["terms"].items():
            if tid not in terms:
                problems.append(f"{key}: unknown term {tid!r}")
            if t.get("attitude") not in ATTITUDES:
                problems.append(f"{key}.{tid}: bad attitude {t.get('attitude')!r}")
            if not t.get("evidence"):
                problems.append(f"{key}.{tid}: no evidence")
            for cid in t.get("evidence") or []:
                if cid not in clause_ids[key]:
                    problems.append(f"{key}.{tid}: evidence {cid!r} is not a clause of {key}")
    seen = set()
    all_ids = set().union(*clause_ids.values()) if clause_ids else set()
    for q in usecases():
        qid = q.get("id")
        if qid in seen:
            problems.append(f"{q['_file']}: duplicate id {qid}")
        seen.add(qid)
        if q.get("verdict") not in ("prohibited", "conditional", "allowed", "unclear"):
            problems.append(f"{qid}: bad verdict {q.get('verdict')!r}")
        if not q.get("use") or not (q.get("license") or q.get("model") or q.get("card")):
            problems.append(f"{qid}: needs `use` and one of license/model/card")
        if q.get("license") and q["license"] not in clause_ids:
            problems.append(f"{qid}: unknown license {q['license']!r}")
        for cid in q.get("deciding") or []:
            if cid not in all_ids:
                problems.append(f"{qid}: deciding clause {cid!r} does not exist")
    return problems
