"""Model → license resolution: the registry (corpus/models.yaml), model cards, local model folders.

A fine-tune inherits its base model's terms, so `base_model` chains are followed through the
registry and through local cards. What cannot be resolved is reported in `missing`, never guessed.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from corpus.catalog import Corpus, builtin_spec
from corpus.entry import LicenseEntry, guess_kind
from corpus.errors import ModeltermsError, UnreachableError
from corpus.fetch import Fetcher, latest_version, registry_texts
from corpus.frontmatter import split_front_matter
from corpus.modelrepo import MAX_CARD_BYTES, ModelRepo, is_repo_id, open_local, open_repo
from corpus.keys import shown
from corpus.paths import path_exists, path_problem
from corpus.textfile import read_text_file

from corpus.yamldata import read_yaml

from .identify import Identifier

_MAX_DEPTH = 8


@lru_cache(maxsize=1)
def registry() -> dict:
    return read_yaml(resources.files("corpus").joinpath("models.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Note:
    """A remark on how a target was resolved (agent/present/text.py words each kind)."""
    kind: str  # registry | repo | fetched | error | registry_fallback: `text` as the registry, the repository
    #            reader, the fetcher or the failure gave it; chain_stops | base_outside | base_uploaded |
    #            base_brings: about base model `model`; other_license; identified | registry_text |
    #            unidentified: the license file `path` read as `key`; read_as_model: `model` read under `key`
    text: str = ""
    model: str = ""
    path: str = ""
    key: str = ""
    name: str = ""  # other_license: the card's license_name; registry_text: the text's name
    score: float | None = None  # identified: the identifier's score
    source: str = ""  # registry_text: the repository and revision the file was read from
    licenses: tuple[str, ...] = ()  # base_brings: the keys the base model brings

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, ())}


@dataclass(frozen=True)
class Unresolved:
    """A text that applies and cannot be read, and why (agent/present/text.py `UNRESOLVED_WORDS` words each kind)."""
    kind: str  # registry: the registry lists it for license id `of` | with_license: it goes with license `of` |
    #            model_unknown: `model` is in no registry or cache | unknown_id: license id `license_id` |
    #            card_unknown_id: the card's id | base_unknown_id: base model `model`'s card id |
    #            no_license: the card names none | unidentified: a license file analysed as `key_read` |
    #            error: `text` as the reader or fetcher gave it | policy_unchecked: license `of` incorporates it
    name: str
    key: str | None = None
    # registry, with_license: the registry's record of the text (key, name, kind, url, repo, file) as it has it;
    # `corpus fetch` finds the text through it (policy_unchecked: the url the incorporating license gives)
    record: dict = field(default_factory=dict)
    of: str = ""
    model: str = ""
    license_id: str = ""
    key_read: str = ""  # unidentified: the key it was analysed under
    origin: str = ""  # unidentified: the file, where there is no repository id to fetch it by
    text: str = ""

    @property
    def url(self) -> str | None:
        return self.record.get("url")

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, {})}


@dataclass(frozen=True)
class Conflict:
    """The card's terms disagree with themselves (agent/present/text.py `CONFLICT_WORDS` words each kind)."""
    kind: str  # license_name: `declared` id vs license_name `other` | undeclared_file: the file `path` is `key`,
    #            which the declared licenses do not name | base_terms: a permissive declaration over base model
    #            `base`, whose `inherited` terms carry over
    declared: tuple[str, ...] = ()
    other: str = ""
    path: str = ""
    key: str = ""
    base: str = ""
    inherited: tuple[str, ...] = ()

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", ())}


@dataclass
class Resolution:
    query: str
    model: str | None = None
    licenses: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    missing: list[Unresolved] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    modality: str | None = None  # multimodal | text: the model's, from its card's pipeline_tag or the registry

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(self.licenses + self.policies))

    def as_json(self) -> dict:
        return {"query": self.query, "model": self.model, "licenses": self.licenses, "policies": self.policies,
                "missing": [m.as_json() for m in self.missing], "chain": self.chain,
                "notes": [n.as_json() for n in self.notes], "conflicts": [c.as_json() for c in self.conflicts],
                **({"modality": self.modality} if self.modality else {})}

    def _add(self, licenses=(), policies=(), missing=()):
        for k in licenses:
            if k not in self.licenses:
                self.licenses.append(k)
        for k in policies:
            if k not in self.policies:
                self.policies.append(k)
        for m in missing:
            if m.key not in {x.key for x in self.missing}:
                self.missing.append(m)


class ModelResolver:
    def __init__(self, corpus: Corpus, identifier=None, local_paths: bool = True):
        self.corpus = corpus
        self._identifier = identifier
        # False for inputs from the web UI: a model id or an uploaded card's base_model never names a
        # server path (base models resolve through the registry, the corpus and the HF cache only).
        self.local_paths = local_paths
        self._fetch_failed: set[str] = set()

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
        spec = hf_lookup(hf_id)
        if spec is None:
            return False
        licenses = [k for k in spec.get("licenses", [])]
        policies = [k for k in spec.get("policies", [])]
        missing = list(spec.get("missing", []))
        # A text the registry lists as missing counts once the user has added (or fetched) it under that
        # key; its newest version applies.
        for m in list(missing):
            key = self._present(m, res)
            if key:
                missing.remove(m)
                entry = self.corpus.get(key)
                (policies if entry.kind == "aup" else licenses).append(key)
        res._add(licenses, policies, [Unresolved("registry", m["name"], m["key"], dict(m), of=hf_id) for m in missing])
        if spec.get("note"):
            res.notes.append(Note("registry", text=spec["note"]))
        return True

    def _present(self, m: dict, res: Resolution) -> str | None:
        """The corpus key (newest version) of a text the registry names, fetching it when allowed."""
        if self.corpus.exists(m["key"]):
            return latest_version(self.corpus, m["key"])
        if self.corpus.settings.fetch and m["key"] in registry_texts():
            if m["key"] in self._fetch_failed:
                return None
            got = Fetcher(self.corpus.settings, self.corpus).fetch_key(m["key"])
            res.notes.append(Note("fetched", text=got.message))
            if got.ok and got.entry is not None:
                return got.entry.key
            self._fetch_failed.add(m["key"])
        return None

    # --- internals -----------------------------------------------------------
    def _model(self, model_id: str, res: Resolution, depth: int) -> None:
        if depth > _MAX_DEPTH or model_id.lower() in (c.lower() for c in res.chain):
            res.notes.append(Note("chain_stops", model=model_id))
            return
        # The repository itself first: the HF cache, then the Hub when fetching is allowed. A card that
        # declares a license decides; a snapshot without one (the cache often holds only some files)
        # leaves the license to the registry, and its license files are still read.
        repo = self._open(model_id, res) if is_repo_id(model_id) else None
        entry = registry_lookup(model_id)
        if repo is not None and (repo.licenses or entry is None):
            self._repo(repo, res, depth, label=model_id)
            return
        res.chain.append(model_id)
        if res.model is None:
            res.model = model_id
        if repo is not None:
            res.notes += [Note("repo", text=note) for note in repo.notes]
            for f in repo.license_files():
                if repo.root is not None and (repo.root / f.path).is_file():
                    self._license_file(repo, f.path, res)
        if entry is None:
            res.missing.append(Unresolved("model_unknown", f"license of {model_id}", model=model_id))
            return
        if not self.resolve_hf_license(entry["license"], res):
            res.missing.append(Unresolved("unknown_id", entry["license"], license_id=entry["license"]))
        if entry.get("note"):
            res.notes.append(Note("registry", text=entry["note"]))
        res.modality = res.modality or entry.get("modality")
        if entry.get("base_model"):
            self._model(entry["base_model"], res, depth + 1)

    def _open(self, model_id: str, res: Resolution) -> ModelRepo | None:
        try:
            return open_repo(model_id, self.corpus.settings)
        except UnreachableError as e:
            res.notes.append(Note("registry_fallback", text=str(e)))
        except ModeltermsError as e:
            if not registry_lookup(model_id):
                raise
            res.notes.append(Note("registry_fallback", text=str(e)))
        return None

    def _card(self, path: Path, res: Resolution, depth: int) -> None:
        path = Path(path)
        if not path.exists():
            raise ModeltermsError(f"{path}: no such model card")
        repo = open_local(path)
        label = str(path / repo.card_path) if path.is_dir() and repo.card_path else str(path)
        self._repo(repo, res, depth, label=label)

    def _repo(self, repo: ModelRepo, res: Resolution, depth: int, label: str) -> None:
        """Resolves a repository: its card's license fields, its license files, its base models."""
        meta = repo.card_meta
        res.chain.append(label)
        if res.model is None:
            res.model = str(meta.get("model_name") or meta.get("name") or repo.repo_id or
                            (repo.root.name if repo.root else label))
        res.notes += [Note("repo", text=note) for note in repo.notes]
        res.modality = res.modality or _PIPELINE_MODALITY.get(str(meta.get("pipeline_tag") or "").lower())

        declared: list[str] = []
        lic_ids = repo.licenses
        for lid in lic_ids:
            if lid.lower() == "other":
                other = repo.license_name
                if other and self.resolve_hf_license(other, res):
                    declared.append(other)
                elif other and self.corpus.exists(other):
                    res._add(licenses=[other])
                    declared.append(other)
                else:
                    res.notes.append(Note("other_license", name=other or ""))
            elif self.resolve_hf_license(lid, res):
                declared.append(lid)
            elif self.corpus.exists(lid):
                res._add(licenses=[lid])
                declared.append(lid)
            else:
                res.missing.append(Unresolved("card_unknown_id", lid, license_id=lid))
        if repo.license_name and lic_ids and lic_ids[0].lower() != "other":
            other = repo.license_name
            if hf_lookup(other) and hf_lookup(other) != hf_lookup(lic_ids[0]):
                res.conflicts.append(Conflict("license_name", declared=(lic_ids[0],), other=other))
                self.resolve_hf_license(other, res)

        # License files in the repo: identified against the corpus, or read as new texts (not beside an
        # uploaded card: its folder is the server's, not the model's).
        before = set(res.keys)
        for f in repo.license_files() if (repo.source != "local" or self.local_paths) else []:
            if repo.root is None or not (repo.root / f.path).is_file():
                continue
            key = self._license_file(repo, f.path, res)
            if key and declared and key not in before and not _same_family(key, before):
                res.conflicts.append(Conflict("undeclared_file", declared=tuple(declared), path=f.path, key=key))

        for base in repo.base_models:
            base_before = set(res.licenses)
            local = None
            if repo.source == "local" and repo.root is not None and self.local_paths:
                local = _inside(repo.root, base)
            if _looks_like_path(base) and local is None:
                res.notes.append(Note("base_outside" if self.local_paths else "base_uploaded", model=shown(base)))
                continue
            if local is not None and local.exists() and depth < _MAX_DEPTH:
                self._card(local, res, depth + 1)
            else:
                self._model(base, res, depth + 1)
            inherited = [k for k in res.licenses if k not in base_before]
            if inherited and declared and not set(inherited) & set(before):
                res.notes.append(Note("base_brings", model=base, licenses=tuple(inherited)))
                if any(_permissive(d) for d in declared) and any(not _permissive_key(k) for k in inherited):
                    res.conflicts.append(Conflict("base_terms", declared=tuple(declared), base=base,
                                                  inherited=tuple(inherited)))
        if not res.keys and not res.missing:
            res.missing.append(Unresolved("no_license", "license"))

    def _license_file(self, repo: ModelRepo, path: str, res: Resolution) -> str | None:
        try:
            text = repo.read_text(path, self.corpus.settings.max_file_bytes)
        except ModeltermsError as e:
            res.notes.append(Note("error", text=str(e)))
            return None
        ident = self.identifier.identify(text, n=3) if self.identifier else None
        if ident is not None and not ident.unknown:
            key = latest_version(self.corpus, ident.matches[0].license)
            entry = self.corpus.get(key)
            res._add(policies=[key]) if entry.kind == "aup" else res._add(licenses=[key])
            res.notes.append(Note("identified", path=path, key=key, score=ident.matches[0].score))
            return key
        # The registry says this very file is one of its texts (meta-llama/…/USE_POLICY.md is the Llama
        # use policy): used under the registry's key for this run, and no longer missing.
        known = _registry_text_at(repo.repo_id, path)
        if known is not None:
            entry = LicenseEntry(key=known["key"], name=known["name"], kind=known.get("kind") or guess_kind(path, text),
                                 text=text, source="local", origin_file=str((repo.root / path).resolve()),
                                 family=f"local:{known['key']}")
            self.corpus.add_transient(entry)
            res._add(policies=[entry.key]) if entry.kind == "aup" else res._add(licenses=[entry.key])
            res.missing = [m for m in res.missing if m.key != entry.key]
            res.notes.append(Note("registry_text", path=path, key=entry.key, name=known["name"],
                                  source=f"{repo.repo_id}@{(repo.revision or '')[:12]}"))
            return entry.key
        # Not a corpus text: analysed as it is (profiled and cited), for this run only, and named as unidentified.
        owner = repo.repo_id or (repo.root.name if repo.root else "model")
        key = re.sub(r"[^a-z0-9.+-]+", "-", f"local-{owner}-{Path(path).stem}".lower()).strip("-")[:100]
        origin = str((repo.root / path).resolve()) if repo.root else None
        entry = LicenseEntry(key=key, name=f"{path} of {owner}", kind=guess_kind(path, text), text=text,
                             source="local", origin_file=origin, family=f"local:{key}")
        self.corpus.add_transient(entry)
        res._add(policies=[key]) if entry.kind == "aup" else res._add(licenses=[key])
        res.notes.append(Note("unidentified", path=path, key=key))
        res.missing.append(Unresolved("unidentified", f"{path} of {owner}", key_read=key, model=repo.repo_id or "",
                               origin="" if repo.repo_id else str(origin)))
        return key

    @property
    def identifier(self):
        if self._identifier is None:
            self._identifier = Identifier(self.corpus.settings, self.corpus)
        return self._identifier


def policies_for_license(key: str, corpus: Corpus) -> tuple[list[str], list[Unresolved]]:
    """Use policies that go with a license key per the registry: (keys in the corpus, missing ones)."""
    present: list[str] = []
    missing: list[Unresolved] = []
    for hf_id, spec in registry()["hf_licenses"].items():
        if key not in spec.get("licenses", []) or spec.get("model_specific"):
            continue
        for p in spec.get("policies", []):
            if p not in present:
                present.append(p)
        for m in spec.get("missing", []):
            if m["key"] == key or any(m["key"] == x.key for x in missing) or m["key"] in present:
                continue
            if corpus.exists(m["key"]):
                present.append(latest_version(corpus, m["key"]))
            else:
                missing.append(Unresolved("with_license", m["name"], m["key"], dict(m), of=key))
    return present, missing


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


def hf_lookup(hf_id: str) -> dict | None:
    """The registry's hf_licenses entry (corpus keys of the licenses and policies that apply, texts that
    are missing) for an HF license id or name; None if unknown. Used by the resolver and by
    `modelterms fetch` to name the missing texts a fetched repo needs."""
    found = hf_license_id(hf_id)
    return registry()["hf_licenses"][found] if found else None


def _registry_text_at(repo_id: str | None, path: str) -> dict | None:
    """The registry text whose source is this file of this repository, if any."""
    if not repo_id:
        return None
    for m in registry_texts().values():
        if str(m.get("repo", "")).lower() == repo_id.lower() and m.get("file") == path:
            return m
    return None


def normalize_license_name(name: str) -> str:
    """A license name as written ("Llama 2 Community License", "CC BY-NC 4.0 (model weights)") in the
    form ids and aliases are compared in: lower case, parenthetical remarks dropped, other characters
    than letters, digits, '.' and '+' as '-'."""
    name = re.sub(r"\([^)]*\)", " ", name.strip().lower())
    return re.sub(r"[^a-z0-9.+]+", "-", name).strip("-.")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for hf_id, spec in registry()["hf_licenses"].items():
        for name in [hf_id, *(spec.get("aliases") or [])]:
            out.setdefault(normalize_license_name(str(name)), hf_id)
    return out


def hf_license_id(name: str) -> str | None:
    """The registry's HF license id for an id or a name as cards and tables write it; None if unknown.
    A list of licenses ("Mistral Research License (MRL), Mistral Commercial License") is read by
    its first part that the registry knows."""
    table = registry()["hf_licenses"]
    raw = name.strip().lower()
    if raw in table:
        return raw
    if raw.replace("_", "-") in table:
        return raw.replace("_", "-")
    aliases = _aliases()
    for part in [raw, *raw.split(",")]:
        found = aliases.get(normalize_license_name(part))
        if found:
            return found
    return None


# What a card's pipeline_tag says of the model's inputs: a clause scoped to a family's multimodal members turns on it.
_PIPELINE_MODALITY = {tag: "multimodal" for tag in ("image-text-to-text", "visual-question-answering", "image-to-text",
                                                   "video-text-to-text", "any-to-any", "audio-text-to-text")} | {
    tag: "text" for tag in ("text-generation", "text2text-generation")}


def registry_lookup(model_id: str) -> dict | None:
    """The registry's entry for a model (an HF repo id, a huggingface.co URL or a bare name such as
    "Llama 3.1 8B"); None if no pattern matches. Used by the resolver, lineage and the audit's inherited
    terms."""
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
        if not suffix.strip("*?"):  # an organisation's whole catalogue ("rwkv/*") says nothing about a bare name
            continue
        if fnmatch.fnmatchcase(name, suffix) or fnmatch.fnmatchcase(name + "-x", suffix):
            return entry
    return None


_PERMISSIVE = {"apache-2.0", "mit", "bsd-3-clause", "bsd-2-clause", "isc", "unlicense", "cc0-1.0", "cc-by-4.0"}


def _permissive(hf_id: str) -> bool:
    return hf_id.lower() in _PERMISSIVE


def _permissive_key(key: str) -> bool:
    return key in {"apache-2.0", "mit", "bsd-new", "bsd-simplified", "isc", "unlicense", "cc0-1.0", "cc-by-4.0"}


def _same_family(key: str, keys: set[str]) -> bool:
    fam = builtin_spec().get(key, {}).get("family")
    return fam is not None and any(builtin_spec().get(k, {}).get("family") == fam for k in keys)
