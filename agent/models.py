"""Model → license resolution: the registry (corpus/models.yaml), model cards, local model folders.

A fine-tune inherits its base model's terms, so `base_model` chains are followed through the
registry and through local cards. What cannot be resolved is reported in `missing`, never guessed.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corpus.catalog import Corpus
from corpus.entry import LicenseEntry, guess_kind
from corpus.errors import ModeltermsError
from corpus.frontmatter import split_front_matter
from corpus.keys import shown
from corpus.paths import path_exists, path_problem
from corpus.textfile import read_text_file

_LICENSE_FILES = re.compile(r"^(licen[cs]e|use[_-]?policy|acceptable[_-]?use|notice|terms|model[_-]?licen[cs]e)", re.I)
_MAX_DEPTH = 8


@lru_cache(maxsize=1)
def registry() -> dict:
    return yaml.safe_load(resources.files("corpus").joinpath("models.yaml").read_text(encoding="utf-8"))


@dataclass
class Resolution:
    query: str
    model: str | None = None
    licenses: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(self.licenses + self.policies))

    def as_json(self) -> dict:
        return {"query": self.query, "model": self.model, "licenses": self.licenses, "policies": self.policies,
                "missing": self.missing, "chain": self.chain, "notes": self.notes, "conflicts": self.conflicts}

    def _add(self, licenses=(), policies=(), missing=()):
        for k in licenses:
            if k not in self.licenses:
                self.licenses.append(k)
        for k in policies:
            if k not in self.policies:
                self.policies.append(k)
        for m in missing:
            if m["key"] not in {x["key"] for x in self.missing}:
                self.missing.append(dict(m))


class ModelResolver:
    def __init__(self, corpus: Corpus, identifier=None, local_paths: bool = True):
        self.corpus = corpus
        self._identifier = identifier
        # False for inputs from the web UI: a model id or an uploaded card's base_model never names a
        # server path (base models resolve through the registry, the corpus and the HF cache only).
        self.local_paths = local_paths

    # --- public ------------------------------------------------------------
    def resolve_model(self, model_id: str) -> Resolution:
        res = Resolution(query=model_id)
        if self.local_paths and path_exists(model_id):
            return self.resolve_card(Path(model_id).expanduser())
        self._model(model_id, res, depth=0)
        return res

    def resolve_card(self, path: Path) -> Resolution:
        path = Path(path)
        res = Resolution(query=str(path))
        self._card(path, res, depth=0)
        return res

    def resolve_hf_license(self, hf_id: str, res: Resolution) -> bool:
        """Adds the corpus keys an HF license id stands for; False if the id is unknown."""
        spec = _hf_lookup(hf_id)
        if spec is None:
            return False
        licenses = [k for k in spec.get("licenses", [])]
        policies = [k for k in spec.get("policies", [])]
        missing = list(spec.get("missing", []))
        # A text the registry lists as missing counts once the user has added it under that key.
        for m in list(missing):
            if self.corpus.exists(m["key"]):
                missing.remove(m)
                entry = self.corpus.get(m["key"])
                (policies if entry.kind == "aup" else licenses).append(m["key"])
        res._add(licenses, policies, [{**m, "why": f"applies to {hf_id} models but is not in the corpus"} for m in missing])
        if spec.get("note"):
            res.notes.append(spec["note"])
        return True

    # --- internals -----------------------------------------------------------
    def _model(self, model_id: str, res: Resolution, depth: int) -> None:
        if depth > _MAX_DEPTH or model_id.lower() in (c.lower() for c in res.chain):
            res.notes.append(f"base_model chain stops at {model_id} (cycle or too deep)")
            return
        res.chain.append(model_id)
        if res.model is None:
            res.model = model_id
        entry = _registry_lookup(model_id)
        if entry is None:
            res.missing.append({"key": None, "name": f"license of {model_id}",
                                "why": f"{model_id} is not in the model registry; supply --license KEY or --card PATH"})
            return
        if not self.resolve_hf_license(entry["license"], res):
            res.missing.append({"key": None, "name": entry["license"], "why": f"unknown license id {entry['license']!r}"})
        if entry.get("base_model"):
            self._model(entry["base_model"], res, depth + 1)

    def _card(self, path: Path, res: Resolution, depth: int) -> None:
        folder = path if path.is_dir() else path.parent
        card_path = path / "README.md" if path.is_dir() else path
        meta: dict = {}
        if card_path.is_file():
            meta = read_card(card_path)
        elif not path.is_dir():
            raise ModeltermsError(f"{path}: no such model card")
        name = meta.get("model_name") or meta.get("name") or folder.name
        res.chain.append(str(card_path if card_path.is_file() else folder))
        if res.model is None:
            res.model = str(name)

        declared: list[str] = []
        lic = meta.get("license")
        lic_ids = lic if isinstance(lic, list) else [lic] if lic else []
        for lid in lic_ids:
            lid = str(lid).strip()
            if lid.lower() == "other":
                other = meta.get("license_name")
                if other and self.resolve_hf_license(str(other), res):
                    declared.append(str(other))
                elif other and self.corpus.exists(str(other)):
                    res._add(licenses=[str(other)])
                    declared.append(str(other))
                else:
                    res.notes.append(f"card license 'other' ({other or 'no license_name'}): reading the license files instead")
            elif self.resolve_hf_license(lid, res):
                declared.append(lid)
            elif self.corpus.exists(lid):
                res._add(licenses=[lid])
                declared.append(lid)
            else:
                res.missing.append({"key": None, "name": lid, "why": f"card license {lid!r} is not a known license id"})
        if meta.get("license_name") and lic_ids and str(lic_ids[0]).lower() != "other":
            other = str(meta["license_name"])
            if _hf_lookup(other) and _hf_lookup(other) != _hf_lookup(str(lic_ids[0])):
                res.conflicts.append(f"card says license {lic_ids[0]!r} but license_name {other!r}")
                self.resolve_hf_license(other, res)

        # License files in the folder: identified against the corpus, or read as new texts (not beside an
        # uploaded card: its folder is the server's, not the model's).
        before = set(res.keys)
        for f in sorted(folder.iterdir()) if folder.is_dir() and self.local_paths else []:
            if f.is_file() and _LICENSE_FILES.match(f.name) and f.suffix.lower() in ("", ".txt", ".md", ".html", ".pdf"):
                key = self._license_file(f, res)
                if key and declared and key not in before and not _same_family(key, before):
                    res.conflicts.append(f"{f.name} is {key}, which the card's license ({', '.join(declared)}) does not name")

        bases = meta.get("base_model")
        bases = bases if isinstance(bases, list) else [bases] if bases else []
        for base in bases:
            base = str(base)
            base_before = set(res.licenses)
            local = _inside(folder, base) if self.local_paths else None
            if _looks_like_path(base) and local is None:
                res.notes.append(f"base_model {shown(base)} is a file path outside the card's own folder: not followed"
                                 if self.local_paths else
                                 f"base_model {shown(base)} is a file path: not followed for an uploaded card")
                continue
            if local is not None and local.exists() and depth < _MAX_DEPTH:
                self._card(local, res, depth + 1)
            else:
                self._model(base, res, depth + 1)
            inherited = [k for k in res.licenses if k not in base_before]
            if inherited and declared and not set(inherited) & set(before):
                res.notes.append(f"base model {base} brings {', '.join(inherited)}: a fine-tune stays bound by its base model's terms")
                if any(_permissive(d) for d in declared) and any(not _permissive_key(k) for k in inherited):
                    res.conflicts.append(f"the card declares {', '.join(declared)}, but base model {base} is under "
                                         f"{', '.join(inherited)}, whose terms carry over to derivatives")
        if not res.keys and not res.missing:
            res.missing.append({"key": None, "name": "license", "why": "the card names no license and the folder has no license file"})

    def _license_file(self, f: Path, res: Resolution) -> str | None:
        try:
            text = read_text_file(f, self.corpus.settings.max_file_bytes)
        except ModeltermsError as e:
            res.notes.append(str(e))
            return None
        ident = self.identifier.identify(text, n=3) if self.identifier else None
        if ident is not None and not ident.unknown:
            key = ident.matches[0].license
            entry = self.corpus.get(key)
            res._add(policies=[key]) if entry.kind == "aup" else res._add(licenses=[key])
            res.notes.append(f"{f.name}: identified as {key} (score {ident.matches[0].score:.2f})")
            return key
        # Not a corpus text: analyse it as it is, under a key derived from the folder.
        key = re.sub(r"[^a-z0-9.+-]+", "-", f"local-{f.parent.name}-{f.stem}".lower()).strip("-")[:100]
        entry = LicenseEntry(key=key, name=f"{f.name} of {f.parent.name}", kind=guess_kind(f.name, text), text=text,
                             source="local", origin_file=str(f.resolve()), family=f"local:{key}")
        self.corpus.add_transient(entry)
        res._add(policies=[key]) if entry.kind == "aup" else res._add(licenses=[key])
        res.notes.append(f"{f.name}: not a corpus text; analysed as {key}")
        return key

    @property
    def identifier(self):
        if self._identifier is None:
            try:
                from agent.identify import Identifier
            except ImportError:
                return None
            self._identifier = Identifier(self.corpus.settings, self.corpus)
        return self._identifier


def policies_for_license(key: str, corpus: Corpus) -> tuple[list[str], list[dict]]:
    """Use policies that go with a license key per the registry: (keys in the corpus, missing ones)."""
    present: list[str] = []
    missing: list[dict] = []
    for hf_id, spec in registry()["hf_licenses"].items():
        if key not in spec.get("licenses", []):
            continue
        for p in spec.get("policies", []):
            if p not in present:
                present.append(p)
        for m in spec.get("missing", []):
            if m["key"] == key or any(m["key"] == x["key"] for x in missing) or m["key"] in present:
                continue
            if corpus.exists(m["key"]):
                present.append(m["key"])
            else:
                missing.append({**m, "why": f"{m['name']} applies with {key} but is not in the corpus"})
    return present, missing


MAX_CARD_BYTES = 1_000_000


def read_card(path: Path) -> dict:
    """The card's front matter, parsed safely and bounded (corpus/frontmatter.py); the file passes the
    size, encoding and binary checks every text does first."""
    text = read_text_file(Path(path), MAX_CARD_BYTES, suffixes=None)
    meta, _body = split_front_matter(text, str(path))
    return meta


def _looks_like_path(base: str) -> bool:
    return base.startswith(("/", "~", ".", "\\")) or "\\" in base or base.count("/") > 1 or path_problem(base) is not None


def _inside(folder: Path, base: str) -> Path | None:
    """`folder/base` when that stays inside the card's folder (no absolute path, no '..' out of it)."""
    if path_problem(base) or Path(base).is_absolute() or base.startswith("~"):
        return None
    try:
        root = folder.resolve()
        target = (folder / base).resolve()
    except (OSError, RuntimeError):
        return None
    return target if target != root and root in target.parents else None


def _hf_lookup(hf_id: str) -> dict | None:
    table = registry()["hf_licenses"]
    hf_id = hf_id.strip().lower()
    return table.get(hf_id) or table.get(hf_id.replace("_", "-"))


def _registry_lookup(model_id: str) -> dict | None:
    mid = model_id.strip().lower().removeprefix("https://huggingface.co/").strip("/")
    for entry in registry()["models"]:
        if fnmatch.fnmatchcase(mid, entry["id"]):
            return entry
    if "/" in mid:
        return None
    # A bare name as people write it ("Llama 3.1 8B", "gemma-2", "Qwen2.5 72B Instruct"): match the
    # part of the patterns after the organisation; "-x" lets "gemma-2" meet "gemma-2-*".
    name = re.sub(r"[\s_]+", "-", mid).strip("-")
    for entry in registry()["models"]:
        suffix = entry["id"].split("/", 1)[-1]
        if fnmatch.fnmatchcase(name, suffix) or fnmatch.fnmatchcase(name + "-x", suffix):
            return entry
    return None


_PERMISSIVE = {"apache-2.0", "mit", "bsd-3-clause", "bsd-2-clause", "isc", "unlicense", "cc0-1.0", "cc-by-4.0"}


def _permissive(hf_id: str) -> bool:
    return hf_id.lower() in _PERMISSIVE


def _permissive_key(key: str) -> bool:
    return key in {"apache-2.0", "mit", "bsd-new", "bsd-simplified", "isc", "unlicense", "cc0-1.0", "cc-by-4.0"}


def _same_family(key: str, keys: set[str]) -> bool:
    from corpus.catalog import builtin_spec

    fam = builtin_spec().get(key, {}).get("family")
    return fam is not None and any(builtin_spec().get(k, {}).get("family") == fam for k in keys)
