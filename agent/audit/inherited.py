"""The texts a repository inherits: its own declared license and every upstream's, through `base_model`.

Upstreams are looked up in order: a local folder next to the repository (a relative `base_model`), the
Hugging Face cache, the model registry (corpus/models.yaml), the Hub when a reader is given. A cycle, an
unknown base or a text missing from the corpus is a problem line, never a guess.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agent.models import ModelResolver, Resolution, Unresolved, registry_lookup
from corpus.errors import ModeltermsError
from corpus.modelrepo import ModelRepo, is_repo_id, open_cached, open_local

from .result import Remark, Upstream
from .target import HubOpener, split_revision

MAX_DEPTH = 8


@dataclass
class Inherited:
    declared: list[str] = field(default_factory=list)       # corpus keys of the repo's own license
    declared_ids: list[str] = field(default_factory=list)   # the card's license ids as written
    declared_unknown: list[str] = field(default_factory=list)
    upstreams: list[Upstream] = field(default_factory=list)
    problems: list[Remark] = field(default_factory=list)
    notes: list[Remark] = field(default_factory=list)

    def texts(self) -> list[tuple[str, Upstream]]:
        """(corpus key, upstream) for every inherited text, each key once (nearest upstream first)."""
        seen, out = set(), []
        for up in self.upstreams:
            for key in up.licenses + up.policies:
                if key not in seen:
                    seen.add(key)
                    out.append((key, up))
        return out


def card_license_keys(repo: ModelRepo, resolver: ModelResolver) -> tuple[list[str], list[str], list[Unresolved], list[str]]:
    """(license keys, policy keys, missing texts, unknown ids) the card's `license` (and `license_name`) stand for."""
    res = Resolution(query=repo.name)
    unknown = []
    for lid in repo.licenses:
        ids = [lid]
        if lid.lower() == "other":
            ids = [repo.license_name] if repo.license_name else []
        for one in ids:
            if resolver.resolve_hf_license(one, res):
                continue
            if resolver.corpus.exists(one):
                res._add(licenses=[one])
            else:
                unknown.append(one)
    return res.licenses, res.policies, res.missing, unknown


class InheritanceReader:
    def __init__(self, resolver: ModelResolver, cache_dir: Path | None = None, hub: HubOpener | None = None):
        self.resolver = resolver
        self.cache_dir = cache_dir
        self.hub = hub

    def read(self, repo: ModelRepo) -> Inherited:
        out = Inherited(declared_ids=list(repo.licenses))
        lic, pol, _missing, unknown = card_license_keys(repo, self.resolver)
        out.declared = lic + [p for p in pol if p not in lic]
        out.declared_unknown = unknown
        seen = {self._ident(repo)}
        relation = repo.base_model_relation or ("merge" if len(repo.base_models) > 1 else "finetune")
        for base in repo.base_models:
            self._follow(base, relation, repo, out, seen, depth=1)
        return out

    def add_source(self, model_id: str, out: Inherited, relation: str = "outputs") -> Upstream | None:
        """An upstream that is not a base model: a model whose outputs the repo was trained on."""
        before = len(out.upstreams)
        self._follow(model_id, relation, None, out, set(), depth=1)
        return out.upstreams[before] if len(out.upstreams) > before else None

    # --- internals -------------------------------------------------------------------------------
    @staticmethod
    def _ident(repo: ModelRepo) -> str:
        return (repo.repo_id or str(repo.root.resolve() if repo.root else repo.name)).lower()

    def _follow(self, base: str, relation: str, child: ModelRepo | None, out: Inherited, seen: set[str], depth: int):
        if depth > MAX_DEPTH:
            out.problems.append(Remark("chain_too_deep", base=base, depth=MAX_DEPTH))
            return
        found = self._open(base, child, out)
        if isinstance(found, ModelRepo):
            ident = self._ident(found)
            if ident in seen or base.lower() in seen:
                out.problems.append(Remark("cycle", base=base))
                return
            seen = seen | {ident, base.lower()}
            lic, pol, missing, unknown = card_license_keys(found, self.resolver)
            up = Upstream(model=base, relation=relation, licenses=lic, policies=pol, missing=missing,
                          via=found.source)
            if unknown:
                up.missing += [Unresolved("base_unknown_id", u, model=base, license_id=u) for u in unknown]
            if not found.licenses:
                out.problems.append(Remark("base_no_license", base=base))
            out.upstreams.append(up)
            for nxt in found.base_models:
                rel = found.base_model_relation or "finetune"
                self._follow(nxt, _inherit_relation(relation, rel), found, out, seen, depth + 1)
            return
        if isinstance(found, dict):  # a registry entry
            if base.lower() in seen:
                out.problems.append(Remark("cycle", base=base))
                return
            seen = seen | {base.lower()}
            res = Resolution(query=base)
            if not self.resolver.resolve_hf_license(found["license"], res):
                res.missing.append(Unresolved("unknown_id", found["license"], license_id=found["license"]))
            out.upstreams.append(Upstream(model=base, relation=relation, licenses=res.licenses, policies=res.policies,
                                          missing=res.missing, via="registry"))
            # a license id's notes are the registry's own words (or a fetch's message), kept as given
            out.notes += [Remark("text", n.text) for n in res.notes if Remark("text", n.text) not in out.notes]
            if found.get("base_model"):
                self._follow(found["base_model"], _inherit_relation(relation, "finetune"), None, out, seen, depth + 1)
            return
        out.upstreams.append(Upstream(model=base, relation=relation, via="unknown",
                                      missing=[Unresolved(found.kind, f"license of {base}", text=found.text)]))
        out.problems.append(found)

    def _open(self, base: str, child: ModelRepo | None, out: Inherited):
        """A ModelRepo, a registry entry (dict), or the Remark why the base cannot be opened (its kind is also the
        Unresolved kind of the license it would bring)."""
        if child is not None and child.root is not None and not is_repo_id(base):
            local = Path(base) if Path(base).is_absolute() else child.root / base
            if local.exists():
                try:
                    return open_local(local)
                except ModeltermsError as e:
                    return Remark("base_unreadable", str(e), base=base)
        repo_id, rev = split_revision(base)
        if not is_repo_id(repo_id):
            return Remark("base_not_hub_id", base=base)
        if self.cache_dir is not None:
            try:
                cached = open_cached(repo_id, self.cache_dir, rev)
            except ModeltermsError as e:
                return Remark("base_cache_unreadable", str(e), base=base)
            if cached is not None and cached.card_meta:
                return cached
        entry = registry_lookup(repo_id)
        if entry is not None:
            return entry
        if self.hub is not None:
            try:
                return self.hub(repo_id, rev)
            except ModeltermsError as e:
                return Remark("base_hub_error", str(e), base=base)
        return Remark("base_unknown", base=base)


def _inherit_relation(outer: str, inner: str) -> str:
    """A quantized copy of a fine-tune still carries the fine-tune's upstream duties as a quantized copy."""
    return outer if outer in ("quantized", "outputs") else inner if outer == "base" else outer
