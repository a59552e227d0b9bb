"""Typed results of an adherence audit: the duties a repository owes, each with the clause that creates it.

`as_json` keys are stable (documented in the README); presenters (text, Markdown, SARIF, CycloneDX)
read these types only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Unresolved

MET, UNMET, UNKNOWN = "met", "unmet", "cannot tell"
STATUSES = (MET, UNMET, UNKNOWN)


@dataclass(frozen=True)
class Source:
    """The clause that creates a duty: which text, which clause, and a verbatim quote of it."""
    license: str
    clause_id: str
    quote: str
    upstream: str | None = None  # the model whose terms brought the text (None: the repo's own)

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "quote": self.quote, "upstream": self.upstream}


@dataclass(frozen=True)
class Location:
    """Where in the repository a duty is met (or where the offending line is): file and 1-based line."""
    file: str
    line: int | None = None
    text: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_json(self) -> dict:
        return {"file": self.file, "line": self.line, "text": self.text}


@dataclass
class Duty:
    id: str                      # duty family (agent/audit/rules.yaml), e.g. notice_file
    title: str
    status: str                  # met | unmet | cannot tell
    sources: list[Source] = field(default_factory=list)
    evidence: Location | None = None
    missing: str = ""            # what is missing (unmet) or what could not be read (cannot tell)
    fix: str = ""                # what to add or change
    conflicts: list[str] = field(default_factory=list)  # license-conflict kinds this duty's failure is
    detail: dict = field(default_factory=dict)           # derived values: wording, phrase, prefix…

    @property
    def conflict(self) -> bool:
        return self.status == UNMET and bool(self.conflicts)

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status, "conflict": self.conflict,
                "conflicts": list(self.conflicts) if self.status == UNMET else [],
                "sources": [s.as_json() for s in self.sources],
                "evidence": self.evidence.as_json() if self.evidence else None,
                "missing": self.missing, "fix": self.fix, "detail": self.detail}


@dataclass
class Upstream:
    """A text this repository inherits, and through which model."""
    model: str                   # base model id, local path, or output source
    relation: str                # finetune | adapter | merge | quantized | base | outputs | self
    licenses: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)
    missing: list[Unresolved] = field(default_factory=list)  # the texts it brings that cannot be read
    via: str = ""                # registry | local | hf-cache | hub | card

    def as_json(self) -> dict:
        return {"model": self.model, "relation": self.relation, "licenses": self.licenses,
                "policies": self.policies, "missing": [m.as_json() for m in self.missing], "via": self.via}


@dataclass
class Condition:
    """A term that binds the repo's users rather than the repo: thresholds, gating, registration."""
    term: str
    text: str
    source: Source | None = None

    def as_json(self) -> dict:
        return {"term": self.term, "text": self.text, "source": self.source.as_json() if self.source else None}


@dataclass
class AuditResult:
    target: str
    repo: dict = field(default_factory=dict)          # name, source, repo_id, revision, card fields
    declared: list[str] = field(default_factory=list)  # corpus keys of the repo's own declared license
    upstreams: list[Upstream] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # input that could not be read, one line each
    notes: list[str] = field(default_factory=list)
    usable: bool = True                                # False: the target itself could not be read

    @property
    def unmet(self) -> list[Duty]:
        return [d for d in self.duties if d.status == UNMET]

    @property
    def conflicts(self) -> list[Duty]:
        return [d for d in self.duties if d.conflict]

    def counts(self) -> dict[str, int]:
        return {s: sum(d.status == s for d in self.duties) for s in STATUSES}

    def exit_code(self, fail_on: str | None) -> int:
        """0 ok, 1 the --fail-on condition holds, 2 the target could not be audited."""
        if not self.usable:
            return 2
        if fail_on == "unmet" and self.unmet:
            return 1
        if fail_on == "conflict" and self.conflicts:
            return 1
        return 0

    def as_json(self) -> dict:
        return {"target": self.target, "repo": self.repo, "declared": self.declared,
                "upstreams": [u.as_json() for u in self.upstreams],
                "duties": [d.as_json() for d in self.duties],
                "conditions": [c.as_json() for c in self.conditions],
                "summary": {**self.counts(), "conflicts": len(self.conflicts)},
                "problems": self.problems, "notes": self.notes, "usable": self.usable}
