"""The check's typed results: a Finding cites one clause; a CheckResult is the verdict with its findings.

No prose here: the answer in words is the presenters' (agent/present), and the `--json` contract,
`answer` included, is agent/present/json.py's `check`; `as_json` is the result's data alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Resolution
from .facts import UseFacts

VERDICTS = ("prohibited", "unclear", "conditional", "allowed")
EFFECTS = ("prohibited", "condition", "grant", "review", "missing")


@dataclass
class Finding:
    license: str
    clause_id: str
    category: str
    attitude: str
    quote: str
    why: str
    effect: str  # prohibited | condition | grant | review | missing

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "category": self.category,
                "attitude": self.attitude, "quote": self.quote, "why": self.why, "effect": self.effect}


@dataclass
class CheckResult:
    verdict: str
    licenses: list[str]
    findings: list[Finding] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    use: UseFacts | None = None
    resolution: Resolution | None = None

    @property
    def deciding(self) -> list[str]:
        effect = {"prohibited": "prohibited", "conditional": "condition", "allowed": "grant", "unclear": "missing"}[self.verdict]
        ids = [f.clause_id for f in self.findings if f.effect == effect]
        if self.verdict == "unclear":
            ids += [f.clause_id for f in self.findings if f.effect == "review"]
        return ids

    def as_json(self) -> dict:
        out = {"verdict": self.verdict, "licenses": self.licenses, "findings": [f.as_json() for f in self.findings],
               "conditions": self.conditions, "missing": self.missing, "deciding": self.deciding}
        if self.use is not None:
            out["facts"] = self.use.as_json()
        if self.resolution is not None:
            out["model"] = self.resolution.model
            out["resolution"] = self.resolution.as_json()
        return out
