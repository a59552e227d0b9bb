"""Typed results of an adherence audit: the duties a repository owes, each with the clause that creates it.

No prose in a duty: what it lacks is a list of `Gap`s and what to do a `Fix`, each a kind and the fields its
words need; the words are agent/present/text.py's (`GAP_WORDS`, `FIX_WORDS`). The `--json` contract, with
`missing` and `fix` in words, is agent/present/json.py's `audit`; `as_json` is the result's data alone.
Presenters (text, Markdown, HTML, SARIF, CycloneDX) read these types only.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass

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
    """Where in the repository a duty is met (or where the offending line is): file and 1-based line, with the line
    quoted (`text`) or, where the whole file meets the duty, what it shows: a kind (agent/present/text.py
    `SHOWN_WORDS`) and the corpus `key` concerned."""
    file: str
    line: int | None = None
    text: str = ""
    shows: str = ""  # license_text | incorporates_policy | policy_shipped | restrictions_shipped | own_restrictions
    key: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def as_json(self) -> dict:
        shown = {"shows": self.shows, "key": self.key} if self.shows else {}
        return {"file": self.file, "line": self.line, "text": self.text, **shown}


def _set_fields(value) -> dict:
    out = {}
    for f in fields(value):
        v = getattr(value, f.name)
        if v not in ("", None, ()):
            out[f.name] = v.as_json() if hasattr(v, "as_json") else asdict(v) if is_dataclass(v) else v
    return out


@dataclass(frozen=True)
class Gap:
    """What an unmet duty lacks, or what kept a duty from being decided: a kind (agent/present/text.py
    `GAP_WORDS`) and its fields. A license conflict is a gap of its conflict kind (rules.yaml `conflicts`)."""
    kind: str
    name: str = ""                    # the display name of the text (or the output source) concerned
    file: str = ""                    # the repository file concerned
    share: float | None = None        # near_copy: how much of the text's wording the file holds
    shipped: tuple[tuple[str, str], ...] = ()  # no_copy: (file, corpus key) of the family's other texts shipped
    phrases: tuple[str, ...] = ()     # not_displayed: the phrases the text asks for
    model: str = ""                   # the model's published name (name_prefix), or the upstream (terms_missing)
    prefix: str = ""                  # name_prefix
    fields: tuple[str, ...] = ()      # fields_absent: the card fields `license: other` needs
    link: str = ""                    # dead_link: the card's license_link
    declared: tuple[str, ...] = ()    # the declared license: the card's ids, or corpus keys in a conflict
    license: str = ""                 # corpus key of the text that forbids (output_training_ban, dataset_hint)
    dataset: str = ""                 # dataset_hint: the `datasets:` id named after a model
    unresolved: Unresolved | None = None  # terms_missing: why the resolver has no text (agent/models.py)

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass(frozen=True)
class Fix:
    """What to add or change to meet a duty: a kind (agent/present/text.py `FIX_WORDS`) and its fields."""
    kind: str
    name: str = ""                    # the display name of the text (or the output source) concerned
    wording: str = ""                 # notice_file: the notice the text requires
    phrases: tuple[str, ...] = ()     # attribution_display
    prefix: str = ""                  # derivative_naming
    example: str = ""                 # derivative_naming: the model's name with the prefix
    policy: str = ""                  # policy_reference: the policy's name
    url: str = ""                     # policy_reference: the policy's link, where the clause gives one
    tags: tuple[tuple[str, str], ...] = ()  # license_consistency: (Hub license tag, corpus key) of each base text
    key: str = ""                     # add_text: the corpus key the missing text would take

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass(frozen=True)
class Remark:
    """A problem with the input or a note on how it was read: a kind (agent/present/text.py `REMARK_WORDS`) and
    its fields. `text` is a reader's or the registry's own words (an error, a repository note), kept as given."""
    kind: str  # error | text | no_card | no_front_matter | chain_too_deep | cycle | base_no_license |
    #            declared_unknown; a base model that cannot be opened: base_unreadable | base_cache_unreadable |
    #            base_not_hub_id | base_hub_error | base_unknown; of a duty: ban_spares_family | no_output_ban
    text: str = ""
    base: str = ""  # the base model concerned
    path: str = ""  # no_front_matter: the card
    depth: int | None = None  # chain_too_deep: the depth followed
    ids: tuple[str, ...] = ()  # declared_unknown: the card's license ids; no_output_ban: the texts read

    def as_json(self) -> dict:
        return _set_fields(self)


@dataclass
class Duty:
    id: str                      # duty family (agent/audit/rules.yaml), e.g. notice_file
    title: str
    status: str                  # met | unmet | cannot tell
    sources: list[Source] = field(default_factory=list)
    evidence: Location | None = None
    gaps: list[Gap] = field(default_factory=list)  # what is missing (unmet) or could not be read (cannot tell)
    fix: Fix | None = None       # what to add or change
    conflicts: list[str] = field(default_factory=list)  # license-conflict kinds this duty's failure is
    detail: dict = field(default_factory=dict)           # derived values: wording, phrase, prefix…
    remark: Remark | None = None  # how it was read: a ban that spares the repo's family, texts with no ban

    @property
    def conflict(self) -> bool:
        return self.status == UNMET and bool(self.conflicts)

    def as_json(self) -> dict:
        return {"id": self.id, "title": self.title, "status": self.status, "conflict": self.conflict,
                "conflicts": list(self.conflicts) if self.status == UNMET else [],
                "sources": [s.as_json() for s in self.sources],
                "evidence": self.evidence.as_json() if self.evidence else None,
                "gaps": [g.as_json() for g in self.gaps], "fix": self.fix.as_json() if self.fix else None,
                "detail": self.detail, "remark": self.remark.as_json() if self.remark else None}


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
    """A term that binds the repo's users rather than the repo: thresholds, gating, registration; its words are
    agent/present/text.py's (`AUDIT_CONDITION_WORDS`)."""
    term: str                    # user_threshold | revenue_threshold | registration | geo_restriction | gated
    license: str = ""            # corpus key of the text that states it ("" for the card's own gating)
    source: Source | None = None
    users: int | None = None     # user_threshold, as the profile read it (None: the text gives no number)
    revenue_usd: float | None = None  # revenue_threshold, likewise
    mark: str = ""               # user_threshold, revenue_threshold: the name to display above it, where that is the duty
    regions: tuple[str, ...] = ()     # geo_restriction: the regions excluded, where the text names them
    prompt: str = ""             # gated: what users accept (the card's extra_gated_prompt or _heading)
    fields: tuple[str, ...] = ()  # gated: what users give (extra_gated_fields)

    def as_json(self) -> dict:
        return {**_set_fields(self), "source": self.source.as_json() if self.source else None}


@dataclass
class AuditResult:
    target: str
    repo: dict = field(default_factory=dict)          # name, source, repo_id, revision, card fields
    declared: list[str] = field(default_factory=list)  # corpus keys of the repo's own declared license
    upstreams: list[Upstream] = field(default_factory=list)
    duties: list[Duty] = field(default_factory=list)
    conditions: list[Condition] = field(default_factory=list)
    problems: list[Remark] = field(default_factory=list)  # input that could not be read, one each
    notes: list[Remark] = field(default_factory=list)
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
                "problems": [p.as_json() for p in self.problems], "notes": [n.as_json() for n in self.notes],
                "usable": self.usable}
