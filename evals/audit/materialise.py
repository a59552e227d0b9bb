"""Turns an audit spec (evals/audit/repos/*.yaml) into real folders: the repository, its sibling base
folders, and a Hugging Face cache in the real layout (models--ORG--NAME/refs/main, snapshots/REV/)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from corpus.catalog import Corpus

REPOS = Path(__file__).parent / "repos"


def load_specs(split: str = "all") -> list[dict]:
    specs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(REPOS.glob("*.yaml"))]
    return [s for s in specs if split == "all" or s.get("split") == split]


def _content(value, corpus: Corpus) -> bytes:
    if isinstance(value, str):
        return value.encode("utf-8")
    if "from_corpus" in value:
        return corpus.get(value["from_corpus"]).text.encode("utf-8")
    if "bytes" in value:
        return b"\0" * int(value["bytes"])
    if "binary" in value:
        return bytes(range(256)) * int(value["binary"])
    raise ValueError(f"unknown file spec {value!r}")


def write_repo(folder: Path, card: str | None, files: dict, corpus: Corpus) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if card is not None:
        (folder / "README.md").write_text(card, encoding="utf-8")
    for rel, value in (files or {}).items():
        p = folder / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(_content(value, corpus))
    return folder


def write_cached(cache: Path, repo_id: str, card: str | None, files: dict, corpus: Corpus) -> Path:
    rev = hashlib.sha1(repo_id.encode()).hexdigest()
    base = cache / ("models--" + repo_id.replace("/", "--"))
    (base / "refs").mkdir(parents=True, exist_ok=True)
    (base / "refs" / "main").write_text(rev, encoding="utf-8")
    return write_repo(base / "snapshots" / rev, card, files, corpus)


def materialise(spec: dict, corpus: Corpus, dest: Path) -> tuple[str, Path]:
    """(target to audit, HF cache folder) for one spec, written under dest."""
    cache = dest / "hf-cache"
    cache.mkdir(parents=True, exist_ok=True)
    for name, sib in (spec.get("siblings") or {}).items():
        write_repo(dest / name, sib.get("card"), sib.get("files"), corpus)
    for repo_id, sub in (spec.get("cache") or {}).items():
        write_cached(cache, repo_id, sub.get("card"), sub.get("files"), corpus)
    if spec.get("target"):
        write_cached(cache, spec["target"], spec.get("card"), spec.get("files"), corpus)
        return spec["target"], cache
    folder = write_repo(dest / spec["name"], spec.get("card"), spec.get("files"), corpus)
    return str(folder), cache
