"""The check's typed results: a Finding cites one clause for a Reason; a Condition is one the use must meet; a
Missing is something the check needed and did not have; a CheckResult is the verdict with them.

No prose here: the answer in words is the presenters' (agent/present), and the `--json` contract,
`answer` included, is agent/present/json.py's `check`; `as_json` is the result's data alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..models import Conflict, Resolution, Unresolved
from .facts import UseFacts

VERDICTS = ("prohibited", "unclear", "conditional", "allowed")
EFFECTS = ("prohibited", "condition", "grant", "review", "missing")


@dataclass(frozen=True)
class Reason:
    """Why a finding counts: a kind and the fields its words need (agent/present/text.py `REASON_WORDS`)."""
    kind: str
    name: str = ""  # the text's display name
    category: str = ""  # the banned (or the use's) category, in words
    purposes: str = ""  # carve_out: the purposes the ban leaves out that the use states
    doubt: str = ""  # commercial_doubt: what leaves the use's commercial character open
    limit: int | None = None  # user_threshold: the license's threshold
    amount: str = ""  # revenue_threshold: the threshold as the license states it
    mark: str = ""  # user_threshold, revenue_threshold: the name to display above it, where that is the duty
    where: str = ""  # regional_carve_out, regional_exclusion: the regions of the use
    industry: str = ""  # excluded_industry, industry_tie
    similarity: float | None = None  # close_match, may_cover: the clause's similarity to the use

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass
class Finding:
    license: str
    clause_id: str
    category: str
    attitude: str
    quote: str
    reason: Reason
    effect: str  # prohibited | condition | grant | review | missing

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "category": self.category,
                "attitude": self.attitude, "quote": self.quote, "reason": self.reason.as_json(), "effect": self.effect}


def _set_fields(value) -> dict:
    out = {}
    for f in fields(value):
        v = getattr(value, f.name)
        if v not in ("", None):
            out[f.name] = v.as_json() if hasattr(v, "as_json") else v
    return out


@dataclass(frozen=True)
class Condition:
    """A condition on the use, set by the text `license` (agent/present/text.py words each kind)."""
    kind: str  # disclose_ai | mark_generated | tell_risks | register | user_threshold | revenue_threshold | human_decision |
    #            notices | naming | acknowledge | pass_restrictions | share_alike | patent_termination |
    #            regional | derivative | card_conflict | carve_out | state_machine_made | competitor_licence |
    #            statement_duty
    license: str = ""
    users: int | None = None  # user_threshold: the use's monthly active users
    limit: int | None = None  # user_threshold: the license's threshold
    amount: str = ""  # revenue_threshold: the threshold as the license states it
    mark: str = ""  # user_threshold, revenue_threshold: the name to display above it, where that is the duty
    where: str = ""  # regional: the regions of the use the exclusion may cover
    conflict: Conflict | None = None  # card_conflict: the model card's conflict, as the resolution records it
    purposes: str = ""  # carve_out: the purposes the ban leaves out that the use states
    category: str = ""  # carve_out: the banned category, in words

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass(frozen=True)
class Missing:
    """What the check needed and did not have."""
    kind: str  # text (a text that applies, from the resolution) | policy (incorporated by `license`) |
    #            vague (the use says too little) | language (the use is not in English) |
    #            threshold (revenue near `license`'s threshold, converted at approximate rates) |
    #            not_one_license (`license` summarises several licences: which one applies is not said) |
    #            regional_policy (`name`, not in the corpus, is known to withhold the rights in `where`) |
    #            out_of_scope (the use names model `name`, which `license` leaves out of what it licenses)
    name: str = ""  # text, policy: the text's name
    unresolved: Unresolved | None = None  # text: why it cannot be read, as the resolution says
    url: str | None = None
    key: str | None = None  # text: the registry's key for it (a text that is simply not in the corpus yet)
    license: str = ""  # policy: the text that incorporates it; threshold: the text whose threshold
    language: str = ""  # language: the language the use reads as
    amount: str = ""  # threshold: as the license states it
    where: str = ""  # regional_policy: the use's regions that the missing policy's exclusion names

    @property
    def text_not_in_corpus(self) -> bool:
        """A text that applies (the registry names it, or a license incorporates it) is not in the corpus."""
        return self.kind == "policy" or (self.kind == "text" and self.key is not None)

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass
class CheckResult:
    verdict: str
    licenses: list[str]
    findings: list[Finding] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
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
               "conditions": [c.as_json() for c in self.conditions], "missing": [m.as_json() for m in self.missing],
               "deciding": self.deciding}
        if self.use is not None:
            out["facts"] = self.use.as_json()
        if self.resolution is not None:
            out["model"] = self.resolution.model
            out["resolution"] = self.resolution.as_json()
        return out
