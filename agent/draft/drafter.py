"""The drafter: a spec drafted (custom restrictions, rendering, consistency warnings) and grounded
in the corpus (provenance of each clause that carries a taxonomy term)."""
from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field

from corpus.settings import Settings

from ..deps import Deps
from ..terms.cues import PROHIBITIVE
from .consistency import Warning_, consistency_warnings
from .custom import draft_custom_clause
from .grounding import Grounding, Source
from .render import Block, license_name, render
from .spec import SPEC_FORMAT, DraftSpec
from .wording import load_templates


@dataclass(frozen=True)
class DraftNote:
    """A remark on how a draft was made (agent/present/text.py `DRAFT_NOTE_WORDS`): no_grounding,
    grounding_incomplete (`error` as the index gave it); template_changed (`template` → `current`); spec_edited."""
    kind: str
    error: str = ""
    template: str = ""
    current: str = ""


@dataclass(frozen=True)
class ParamMismatch:
    """A threshold or region the read-back gives differently from the spec (agent/present/text.py
    `PARAM_WORDS`): users / revenue (`got` as read, `want` as asked); regions (`got` the regions read, `want` the
    asked-for regions not among them)."""
    kind: str
    got: object = None
    want: object = None


@dataclass
class Verification:
    """The draft read back by the profiler against its spec (agent/draft/verify.py): chosen terms and how many
    came back with their attitude, the terms missed (`wrong_attitude`: missed but read with another attitude),
    the implied terms missed, the terms read that the spec did not ask for (`extra`), those read only from a
    custom restriction's own clause (`custom_mapped`, reported, not counted as extra), and parameter mismatches."""
    chosen: int
    recovered: int
    missed: list[str]
    wrong_attitude: list[str]
    implied: int
    implied_missed: list[str]
    extra: list[str]
    custom_mapped: list[str]
    params: list[ParamMismatch]

    @property
    def ok(self) -> bool:
        return not (self.missed or self.extra or self.params)


@dataclass
class Draft:
    spec: DraftSpec
    template_version: str
    spec_hash: str
    blocks: list[Block]
    markdown: str
    text: str
    warnings: list[Warning_] = field(default_factory=list)
    provenance: list[dict] = field(default_factory=list)
    grounding: str = "none"  # index | none (why in notes)
    notes: list[DraftNote] = field(default_factory=list)
    upstream: object | None = None
    verification: Verification | None = None
    seconds: float = 0.0

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def saved_spec(self) -> dict:
        return {"modelterms_draft": SPEC_FORMAT, "template_version": self.template_version,
                "spec_hash": self.spec_hash, "text_sha256": self.text_sha256, "spec": self.spec.as_json()}

    @property
    def name(self) -> str:
        return license_name(self.spec)


class Drafter:
    """Drafts from specs; holds the grounding index (one per process) and an optional LLM."""

    def __init__(self, deps: Deps | Settings, grounding: Grounding | None | bool = None, llm=None):
        """`grounding`: None, the Deps' (its searcher on first need); False, none; or one the caller holds."""
        deps = Deps.of(deps)
        self.settings = deps.settings
        self.grounding = Grounding(deps) if grounding is None else (grounding or None)
        self.llm = llm

    def draft(self, spec: DraftSpec, provenance: bool = True) -> Draft:
        t0 = time.perf_counter()
        s = spec.resolved()
        notes: list[DraftNote] = []
        grounded = self.grounding is not None and self.grounding.available
        if self.grounding is not None and not grounded:
            notes.append(DraftNote("no_grounding", error=str(self.grounding.error)))
        # Custom restrictions: drafted once; a drafted clause in the spec is kept verbatim.
        customs = []
        for c in s.custom_restrictions:
            if c.clause:
                customs.append(c)
                continue
            nearest = self._nearest_restrictions(c.text) if grounded else []
            customs.append(draft_custom_clause(c, nearest, self.llm))
        s.custom_restrictions = customs
        blocks, md, text = render(s)
        T = load_templates()
        draft = Draft(s, T.version, s.spec_hash(), blocks, md, text, consistency_warnings(s),
                      grounding="index" if grounded else "none", notes=notes)
        if provenance and grounded:
            draft.provenance = self._provenance(blocks, s)
        if self.grounding is not None and grounded and self.grounding.error:
            draft.notes.append(DraftNote("grounding_incomplete", error=str(self.grounding.error)))
        draft.seconds = time.perf_counter() - t0
        return draft

    def _nearest_restrictions(self, text: str):
        """Corpus clauses nearest a free-text restriction, preferring those in a restriction context."""
        hits = self.grounding.hits(text, k=12)  # one query: the customs are few
        restrictive = [h for h in hits if PROHIBITIVE.search(h.text) or PROHIBITIVE.search(h.section or "")
                       or h.clause_id.split("#")[1].startswith(("attachment", "exhibit", "appendix"))]
        return (restrictive + [h for h in hits if h not in restrictive])[:8]

    def _provenance(self, blocks: list[Block], s: DraftSpec) -> list[dict]:
        g = self.grounding
        todo = [b for b in blocks if b.terms and b.custom is None
                and g.cached(_query(b), _primary(b)) is None]
        if todo:  # one batch for every clause not cached (the taxonomy's phrasings only when needed)
            g.prefetch([_query(b) for b in todo])
        out = []
        for b in blocks:
            if not b.terms and b.custom is None:
                continue
            if b.custom is not None:
                c = s.custom_restrictions[b.custom]
                sources = [Source(cid.split("#")[0], cid, 0.0) for cid in c.nearest]
                out.append({"clause": _ref(b), "terms": b.terms, "custom": True, "method": c.method,
                            "sources": [x.as_json() for x in sources]})
                continue
            sources = g.similar(_query(b), _primary(b))
            out.append({"clause": _ref(b), "terms": b.terms, "custom": False,
                        "sources": [x.as_json() for x in sources]})
        g.save()
        return out


def _ref(b: Block) -> str:
    if b.kind == "item":
        return f"A.({b.number})"
    if b.kind == "def":
        m = re.match(r"“([^”]+)”", b.text)
        return f"definition of {m.group(1)}" if m else "definitions"
    return b.number


def _primary(b: Block) -> str:
    if b.kind == "item" or len(b.terms) == 1:
        return b.terms[0]
    for t in ("noncommercial", "research_only", "commercial_use", "redistribution"):
        if t in b.terms:
            return t
    return b.terms[0]


# Placeholder values for provenance queries: a clause is searched as its template says it, so the
# query (and its cached answer) is the same for every licensor, threshold and notice.
_GENERIC = {"licensor": "the Licensor", "A": "Model", "name": "this License", "version": "1.0", "users": "N",
            "revenue": "N", "notice": "Built with the Model", "prefix": "the Model's name", "regions": "certain regions",
            "jurisdiction": "the chosen jurisdiction", "policy_url": "the policy's address", "family_blurb": "", "scope": "",
            "distill": "", "hosted": "", "what": "the licensed artifact", "parts": "the licensed artifacts"}


def _query(b: Block) -> str:
    if not b.key:
        return b.text
    section, _, name = b.key.partition(".")
    tpl = load_templates().data[section][name]
    values = dict(_GENERIC)
    d = load_templates().data["definitions"]
    if b.key == "definitions.derivative" and "distillation_derivative" in b.terms:
        values["distill"] = d["derivative_distill"].format(**_GENERIC)
    if b.key == "definitions.distribution" and "hosted_is_distribution" in b.terms:
        values["hosted"] = d["distribution_hosted"].format(**_GENERIC)
    return tpl.format(**values)
