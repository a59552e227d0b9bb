"""The audit: a model repository against the terms it inherits.

    repo (target.py) → inherited texts (inherited.py) → profiles (agent/terms/profile.py)
         → duty families (duties/*.py) → AuditResult (result.py) → presenters (agent/present, sarif.py, bom.py)

Grounded and LLM-free: every duty cites the clause that creates it, quoted verbatim from the corpus text.
"""
from __future__ import annotations

from pathlib import Path

from agent.deps import Deps
from corpus.errors import ModeltermsError
from corpus.modelrepo import ModelRepo
from corpus.settings import Settings

from .context import AuditContext, makes_derivative
from .duties import FAMILIES, conditions, outputs
from .evidence import RepoTexts
from .inherited import InheritanceReader
from .result import UNKNOWN, AuditResult, Duty, Fix, Gap, Remark, Upstream
from .target import HubOpener, open_target


class Auditor:
    """One per process: the corpus, profiler (and its clause-vector cache) are reused across audits."""

    def __init__(self, deps: Deps | Settings, cache_dir: Path | None = None, hub: HubOpener | None = None,
                 hub_bases: bool = False):
        self.deps = Deps.of(deps)
        self.settings = self.deps.settings
        self.corpus = self.deps.corpus
        self.profiler = self.deps.profiler
        self.resolver = self.deps.resolver
        self.cache_dir = cache_dir
        self.hub = hub              # the Hub reader: only when the user allows fetching (--fetch, a setting)
        self.hub_bases = hub_bases  # base models through it too

    def audit(self, target: str) -> AuditResult:
        try:
            repo = open_target(target, self.cache_dir, self.hub)
        except ModeltermsError as e:
            return AuditResult(target=target, problems=[Remark("error", str(e))], usable=False)
        return self.audit_repo(repo, target)

    def audit_repo(self, repo: ModelRepo, target: str | None = None) -> AuditResult:
        result = AuditResult(target=target or str(repo.root or repo.repo_id), repo=_repo_json(repo))
        result.notes += [Remark("text", n) for n in repo.notes]
        if not repo.card_path:
            result.problems.append(Remark("no_card"))
            result.usable = False
            return result
        if not repo.card_meta:
            result.problems.append(Remark("no_front_matter", path=repo.card_path))
        reader = InheritanceReader(self.resolver, self.cache_dir, self.hub if self.hub_bases else None)
        inherited = reader.read(repo)
        texts = RepoTexts(repo)
        result.problems += [Remark("error", e) for e in texts.unreadable]
        card = texts.card
        found = outputs.claims(card.text, card.line_offset) if card else []
        ds_line = texts.card_field_line("datasets")
        found += outputs.dataset_claims(repo.datasets, ds_line.line if ds_line else None, {f[0]["name"] for f in found})
        resolved = []
        for src, line, sent in found:
            keys = list(src.get("licenses", []))
            if src.get("model"):
                up = reader.add_source(src["model"], inherited, relation="outputs")
                if up is not None:
                    keys += up.licenses
            elif keys:
                up = Upstream(model=src["name"], relation="outputs", licenses=[k for k in keys if self.corpus.exists(k)],
                              via="rules")
                if any(makes_derivative(self.profiler, k) for k in up.licenses):
                    inherited.upstreams.append(up)
            resolved.append((src, line, sent, [k for k in dict.fromkeys(keys) if self.corpus.exists(k)]))
        result.declared = inherited.declared
        result.upstreams = inherited.upstreams
        result.problems += inherited.problems
        result.notes += inherited.notes
        if inherited.declared_unknown:
            result.notes.append(Remark("declared_unknown", ids=tuple(inherited.declared_unknown)))
        ctx = AuditContext(repo, texts, inherited, self.profiler, self.corpus)
        for family in FAMILIES:
            duties = family.check(ctx, resolved) if family is outputs else family.check(ctx)
            result.duties += duties
        seen_missing = set()
        for up in inherited.upstreams:
            for m in up.missing:
                if (m.key or m.name) in seen_missing:
                    continue  # the same text missing through two links of a chain is one gap
                seen_missing.add(m.key or m.name)
                result.duties.append(Duty("terms_available", "Inherited terms available to check", UNKNOWN,
                                          gaps=[Gap("terms_missing", m.name, model=up.model, unresolved=m)],
                                          fix=Fix("add_text", key=m.key) if m.key else Fix("name_license"),
                                          detail={"upstream": up.model, "key": m.key}))
        result.conditions = conditions.check(ctx)
        return result


def _repo_json(repo: ModelRepo) -> dict:
    return {"name": repo.name, "source": repo.source, "repo_id": repo.repo_id, "revision": repo.revision,
            "root": str(repo.root) if repo.root else None, "card": repo.card_path, "license": repo.licenses,
            "license_name": repo.license_name, "license_link": repo.license_link, "base_model": repo.base_models,
            "base_model_relation": repo.base_model_relation, "datasets": repo.datasets,
            "gated": bool(repo.gated), "files": len(repo.files)}



