"""Drafting custom responsible-AI license terms from a spec: validation, consistency, rendering, grounding.

A draft is made of modelterms' own template wording (agent/draft_templates/), chosen and filled
by a `DraftSpec`. The text is a pure function of (spec, template version): the spec JSON that
`modelterms draft` writes carries both, plus the spec hash and the text hash, so the exact text can
be regenerated and checked. Grounding is separate from the text: every clause that carries a
taxonomy term is shown with the corpus clauses that say something similar (clause ids from the
hybrid index), and free-text custom restrictions are set into the shape of their nearest corpus
clauses (or drafted by an LLM through `draft_custom_clause`), always marked for legal review.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corpus.atomic import atomic_write
from corpus.errors import ModeltermsError
from corpus.frontmatter import load_yaml
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy

TEMPLATE_FILE = "v1.yaml"
FAMILIES = ("open-rail", "restricted", "research-only")
ARTIFACTS = ("data", "application", "model", "source")
OUTPUT_OWNERSHIP = ("unspecified", "licensee", "licensor")
CUSTOM_PATTERNS = ("activity", "content", "decisions", "targeting")
SPEC_FORMAT = 1  # version of the saved spec JSON layout

# Restriction presets: a short name for a common selection.
PRESETS = {
    # the core of the OpenRAIL-M style attachments
    "core": ["illegal", "minors", "disinformation_fraud", "privacy_pii", "defamation", "harassment_hate",
             "discrimination", "exploit_vulnerable", "automated_decisions", "medical_advice", "law_enforcement_justice"],
    # typical of acceptable-use policies of large model releases
    "aup": ["illegal", "minors", "violence_terrorism", "trafficking_sexual_violence", "military_weapons",
            "illegal_goods_drugs", "critical_infrastructure", "self_harm", "harassment_hate", "discrimination",
            "privacy_pii", "disinformation_fraud", "impersonation", "ai_disclosure", "spam", "malware_cyber",
            "unlicensed_practice", "sexual_content", "risk_disclosure"],
}


# --- templates -----------------------------------------------------------------------

@dataclass(frozen=True)
class Templates:
    data: dict
    version: str  # "<series>+<content hash>": any edit to the file changes it


@lru_cache(maxsize=4)
def load_templates(name: str = TEMPLATE_FILE) -> Templates:
    raw = resources.files("agent").joinpath("draft_templates", name).read_bytes()
    data = yaml.safe_load(raw.decode("utf-8"))
    return Templates(data, f"{data['series']}+{hashlib.sha256(raw).hexdigest()[:12]}")


def restriction_ids() -> list[str]:
    """Taxonomy ids a draft can choose as use restrictions (the behavioural terms with a template)."""
    tpl = load_templates().data["restrictions"]
    return [t.id for t in load_taxonomy().values() if t.group == "behavioural" and t.id in tpl]


# --- the spec ------------------------------------------------------------------------

@dataclass
class CustomRestriction:
    """A restriction in the user's own words; `clause` is the drafted wording once drafted."""
    text: str
    clause: str | None = None
    method: str | None = None  # pattern | llm
    pattern: str | None = None  # for method=pattern: activity | content | decisions | targeting
    terms: list[str] = field(default_factory=list)  # taxonomy terms the restriction touches
    nearest: list[str] = field(default_factory=list)  # clause ids of the nearest corpus clauses
    review: bool = True

    def as_json(self) -> dict:
        return asdict(self)


@dataclass
class DraftSpec:
    licensor: str
    name: str | None = None
    version: str = "1.0"
    artifacts: list[str] = field(default_factory=lambda: ["model"])
    family: str = "open-rail"
    restrictions: list[str] = field(default_factory=list)
    custom_restrictions: list[CustomRestriction] = field(default_factory=list)
    noncommercial: bool | None = None
    user_threshold: int | None = None
    revenue_threshold: int | None = None
    registration: bool = False
    attribution: bool | None = None
    attribution_notice: str | None = None
    naming_prefix: str | None = None
    flowdown: bool | None = None
    hosted_is_distribution: bool = False
    output_ownership: str = "unspecified"
    output_training_ban: bool = False
    distillation_derivative: bool = False
    termination_litigation: bool | None = None
    guardrail_termination: bool = False
    terms_update: bool = False
    patent_grant: bool | None = None
    geo_exclusions: list[str] = field(default_factory=list)
    jurisdiction: str | None = None
    policy_url: str | None = None
    open_source: bool = False
    upstream: list[str] = field(default_factory=list)
    base_model: str | None = None

    # --- construction -------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: dict) -> "DraftSpec":
        """A spec from a parsed YAML/JSON mapping; raises a one-line error naming the bad field."""
        if not isinstance(data, dict):
            raise ModeltermsError("spec: expected a mapping of fields (licensor, family, restrictions, ...)")
        known = {f.name for f in fields(cls)}
        unknown = [k for k in data if k not in known]
        if unknown:
            raise ModeltermsError(f"{unknown[0]}: unknown spec field; known fields: {', '.join(sorted(known))}")
        if "licensor" not in data:
            raise ModeltermsError("licensor: missing (the person or organisation granting the license)")
        values = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            values[f.name] = _coerce(f.name, v)
        return cls(**values)

    def replace(self, **changes) -> "DraftSpec":
        data = self.as_json()
        data.update(changes)
        return DraftSpec.from_mapping(data)

    # --- validation and defaults -----------------------------------------------
    def resolved(self) -> "DraftSpec":
        """Validated, with family defaults filled in; raises a one-line error naming the field."""
        s = DraftSpec.from_mapping(self.as_json())
        s.licensor = " ".join((s.licensor or "").split())
        if not s.licensor:
            raise ModeltermsError("licensor: must not be empty")
        if s.family not in FAMILIES:
            raise ModeltermsError(f"family: unknown family {s.family!r}; use one of {', '.join(FAMILIES)}")
        if not s.artifacts:
            raise ModeltermsError(f"artifacts: choose at least one of {', '.join(ARTIFACTS)}")
        for a in s.artifacts:
            if a not in ARTIFACTS:
                raise ModeltermsError(f"artifacts: unknown artifact type {a!r}; use {', '.join(ARTIFACTS)}")
        s.artifacts = [a for a in ARTIFACTS if a in s.artifacts]
        s.restrictions = expand_restrictions(s.restrictions)
        if s.output_ownership not in OUTPUT_OWNERSHIP:
            raise ModeltermsError(f"output_ownership: use one of {', '.join(OUTPUT_OWNERSHIP)}")
        for name in ("user_threshold", "revenue_threshold"):
            v = getattr(s, name)
            if v is not None and v < 1:
                raise ModeltermsError(f"{name}: must be a positive number")
        for name in ("name", "attribution_notice", "naming_prefix", "jurisdiction", "policy_url", "base_model"):
            v = getattr(s, name)
            if v is not None:
                v = " ".join(str(v).split())
                setattr(s, name, v or None)
        if s.naming_prefix is not None and len(s.naming_prefix) > 40:
            raise ModeltermsError("naming_prefix: at most 40 characters")
        if s.policy_url is not None and not re.match(r"https?://\S+$", s.policy_url):
            raise ModeltermsError(f"policy_url: not an http(s) URL: {s.policy_url!r}")
        s.geo_exclusions = list(dict.fromkeys(" ".join(g.split()) for g in s.geo_exclusions if g.strip()))
        s.upstream = list(dict.fromkeys(u.strip() for u in s.upstream if u.strip()))
        customs = []
        for c in s.custom_restrictions:
            c.text = " ".join(c.text.split())
            if not c.text:
                raise ModeltermsError("custom_restrictions: an entry is empty")
            if len(c.text) > 300:
                raise ModeltermsError("custom_restrictions: an entry is longer than 300 characters; keep each to one restriction")
            customs.append(c)
        s.custom_restrictions = customs
        # Hard conflicts: choices that cannot both hold.
        if s.family == "research-only" and s.noncommercial is False:
            raise ModeltermsError("noncommercial: a research-only license cannot allow commercial use "
                                  "(drop --commercial or choose another --family)")
        if s.attribution is False and s.attribution_notice:
            raise ModeltermsError("attribution_notice: given while attribution is off (drop --no-attribution or the notice)")
        # Family defaults.
        open_family = s.family == "open-rail"
        shares = s.family != "restricted"
        if s.noncommercial is None:
            s.noncommercial = s.family == "research-only"
        if s.attribution is None:
            s.attribution = shares or bool(s.attribution_notice)
        if s.flowdown is None:
            s.flowdown = shares and bool(s.restrictions or s.custom_restrictions)
        if s.termination_litigation is None:
            s.termination_litigation = open_family
        if s.patent_grant is None:
            s.patent_grant = open_family
        return s

    # --- identity -----------------------------------------------------------------
    def as_json(self) -> dict:
        d = asdict(self)
        d["custom_restrictions"] = [c.as_json() if isinstance(c, CustomRestriction) else c
                                    for c in self.custom_restrictions]
        return d

    def spec_hash(self) -> str:
        canon = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    # --- what the draft says, as taxonomy terms -------------------------------------
    def chosen_terms(self) -> dict[str, str]:
        """term -> attitude for everything the spec asks the text to say (the round-trip target)."""
        tax = load_taxonomy()
        out = {r: tax[r].default for r in self.restrictions}
        for c in self.custom_restrictions:
            for t in c.terms:
                out.setdefault(t, tax[t].default)
        if self.noncommercial:
            out["noncommercial"] = "cannot"
        if self.family == "research-only":
            out["research_only"] = "cannot"
        if self.user_threshold:
            out["user_threshold"] = "must"
        if self.revenue_threshold:
            out["revenue_threshold"] = "must"
        if self.registration:
            out["registration"] = "must"
        if self.attribution:
            out["attribution"] = "must"
        if self.naming_prefix:
            out["naming"] = "must"
        if self.flowdown:
            out["flowdown"] = "must"
        if self.hosted_is_distribution:
            out["hosted_is_distribution"] = "must"
        if self.policy_url:
            out["aup_by_reference"] = "must"
        if self.terms_update:
            out["terms_update"] = "can"
        if self.geo_exclusions:
            out["geo_restriction"] = "cannot"
        if self.termination_litigation:
            out["termination_litigation"] = "must"
        if self.guardrail_termination:
            out["guardrail_termination"] = "must"
        if self.output_training_ban:
            out["output_training_ban"] = "cannot"
        if self.distillation_derivative:
            out["distillation_derivative"] = "must"
        if self.output_ownership == "licensee":
            out["output_ownership"] = "can"
        elif self.output_ownership == "licensor":
            out["output_ownership"] = "cannot"
        return out

    def implied_terms(self) -> dict[str, str]:
        """Terms every draft of this shape carries without being asked (grants, disclaimer)."""
        out = {"warranty_disclaimer": "must", "derivatives": "can"}
        if self.family != "restricted":
            out["redistribution"] = "can"
        if not self.noncommercial:
            out["commercial_use"] = "can"
        if self.patent_grant:
            out["patent_grant"] = "can"
        return out

    def contradicted_terms(self) -> set[str]:
        """Permissions the text must not grant, given the spec."""
        out = set()
        if self.noncommercial:
            out.add("commercial_use")
        if self.family == "restricted":
            out.add("redistribution")
        return out


def _coerce(name: str, v):
    """Types of spec fields, with errors that name the field."""
    list_fields = {"artifacts", "restrictions", "geo_exclusions", "upstream"}
    bool_fields = {"noncommercial", "registration", "attribution", "flowdown", "hosted_is_distribution",
                   "output_training_ban", "distillation_derivative", "termination_litigation",
                   "guardrail_termination", "terms_update", "patent_grant", "open_source"}
    int_fields = {"user_threshold", "revenue_threshold"}
    if name in list_fields:
        if v is None:
            return []
        if isinstance(v, str):
            v = [x for x in re.split(r"[,\s]+", v) if x] if name != "geo_exclusions" else [v]
        if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) for x in v):
            raise ModeltermsError(f"{name}: expected a list of strings")
        return [str(x).strip() for x in v]
    if name == "custom_restrictions":
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, list):
            raise ModeltermsError("custom_restrictions: expected a list of restrictions in your own words")
        out = []
        for x in v:
            if isinstance(x, str):
                out.append(CustomRestriction(x))
            elif isinstance(x, dict) and isinstance(x.get("text"), str):
                allowed = {f.name for f in fields(CustomRestriction)}
                bad = [k for k in x if k not in allowed]
                if bad:
                    raise ModeltermsError(f"custom_restrictions: unknown field {bad[0]!r} in an entry")
                out.append(CustomRestriction(**{k: x[k] for k in x}))
            else:
                raise ModeltermsError("custom_restrictions: each entry is a string or a mapping with 'text'")
        return out
    if name in bool_fields:
        if v is None and name in ("noncommercial", "attribution", "flowdown", "termination_litigation", "patent_grant"):
            return None
        if isinstance(v, bool):
            return v
        if isinstance(v, str) and v.lower() in ("yes", "true", "on", "1", "no", "false", "off", "0"):
            return v.lower() in ("yes", "true", "on", "1")
        raise ModeltermsError(f"{name}: expected true or false, got {v!r}")
    if name in int_fields:
        if v is None:
            return None
        if isinstance(v, bool):
            raise ModeltermsError(f"{name}: expected a number, got {v!r}")
        if isinstance(v, (int, float)) and float(v).is_integer():
            return int(v)
        if isinstance(v, str):
            from .terms.profile import parse_amount

            m = re.fullmatch(r"\s*(?:us\s?\$|usd|\$)?\s*(\d[\d,._]*)\s*(billion|million|thousand|bn|[mk])?\s*", v, re.I)
            n = parse_amount(m.group(1).replace("_", ""), m.group(2)) if m else None
            if n is not None:
                return n
        raise ModeltermsError(f"{name}: expected a whole number (e.g. 700000000 or 700M), got {v!r}")
    if name in ("licensor", "name", "version", "family", "output_ownership", "attribution_notice", "naming_prefix",
                "jurisdiction", "policy_url", "base_model"):
        if v is None:
            if name == "licensor":
                return ""
            if name in ("family", "output_ownership", "version"):
                raise ModeltermsError(f"{name}: must not be empty")
            return None
        if not isinstance(v, (str, int, float)) or isinstance(v, bool):
            raise ModeltermsError(f"{name}: expected text, got {type(v).__name__}")
        return str(v)
    return v


def expand_restrictions(ids: list[str]) -> list[str]:
    """Restriction ids in taxonomy order, with presets (`core`, `aup`, `all`) expanded."""
    valid = restriction_ids()
    tax = load_taxonomy()
    chosen: set[str] = set()
    for rid in ids:
        rid = rid.strip().lower().replace("-", "_")
        if not rid:
            continue
        if rid == "all":
            chosen.update(valid)
        elif rid in PRESETS:
            chosen.update(PRESETS[rid])
        elif rid in valid:
            chosen.add(rid)
        elif rid in tax:
            hint = {"noncommercial": "--noncommercial", "research_only": "--family research-only",
                    "user_threshold": "--user-threshold N", "revenue_threshold": "--revenue-threshold USD",
                    "naming": "--naming PREFIX", "attribution": "--attribution", "flowdown": "--flowdown",
                    "geo_restriction": "--exclude-region", "hosted_is_distribution": "--hosted-is-distribution",
                    }.get(rid, "its own option (see `modelterms draft --help`)")
            raise ModeltermsError(f"restrictions: {rid!r} is not a use restriction; set it with {hint}")
        elif rid == "other_use":
            raise ModeltermsError("restrictions: 'other_use' is for your own wording; use --custom \"...\"")
        else:
            import difflib

            close = difflib.get_close_matches(rid, valid + list(PRESETS), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known ids: {', '.join(valid)}"
            raise ModeltermsError(f"restrictions: unknown restriction id {rid!r}{hint}")
    return [r for r in valid if r in chosen]


# --- spec files ------------------------------------------------------------------------

@dataclass
class SavedSpec:
    spec: DraftSpec
    template_version: str | None = None
    spec_hash: str | None = None
    text_sha256: str | None = None


def read_spec_file(path: Path) -> SavedSpec:
    """A spec from YAML or JSON: a plain spec mapping, or the saved form `modelterms draft` writes."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModeltermsError(f"spec: cannot read {path}: no such file")
    except IsADirectoryError:
        raise ModeltermsError(f"spec: cannot read {path}: it is a directory")
    except UnicodeDecodeError:
        raise ModeltermsError(f"spec: cannot read {path}: not UTF-8 text")
    except OSError as e:
        raise ModeltermsError(f"spec: cannot read {path}: {e.strerror or e}")
    try:
        # a spec file may come from anyone: YAML is parsed with the bounded loader (no alias bombs)
        data = json.loads(raw) if path.suffix.lower() == ".json" else load_yaml(raw, f"spec: {path}")
    except (json.JSONDecodeError, RecursionError) as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise ModeltermsError(f"spec: {path} is not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'} ({first})")
    if isinstance(data, dict) and isinstance(data.get("spec"), dict) and "template_version" in data:
        return SavedSpec(DraftSpec.from_mapping(data["spec"]), data.get("template_version"), data.get("spec_hash"),
                         data.get("text_sha256"))
    if data is None:
        raise ModeltermsError(f"spec: {path} is empty")
    return SavedSpec(DraftSpec.from_mapping(data))


# --- consistency --------------------------------------------------------------------------

@dataclass
class Warning_:
    field: str
    message: str

    def as_json(self) -> dict:
        return {"field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def consistency_warnings(s: DraftSpec) -> list[Warning_]:
    """Choices that do not contradict outright but defeat each other or a label (spec must be resolved)."""
    w: list[Warning_] = []
    any_restr = bool(s.restrictions or s.custom_restrictions)
    if s.open_source:
        why = []
        if s.noncommercial:
            why.append("non-commercial use only")
        if s.family == "research-only":
            why.append("research use only")
        if any_restr:
            why.append("use restrictions")
        if s.user_threshold or s.revenue_threshold:
            why.append("user or revenue thresholds")
        if s.family == "restricted":
            why.append("no redistribution")
        if s.registration:
            why.append("registration")
        if why:
            w.append(Warning_("open_source", "the Open Source Definition allows no discrimination against fields of "
                              f"use or persons; a license with {', '.join(why)} is not open source — call it "
                              "'open-weight' or 'responsible AI licensed' instead"))
    if s.family == "research-only" and (s.user_threshold or s.revenue_threshold):
        w.append(Warning_("user_threshold" if s.user_threshold else "revenue_threshold",
                          "a research-only license allows no commercial use, so a user or revenue threshold never applies"))
    elif s.noncommercial and (s.user_threshold or s.revenue_threshold):
        w.append(Warning_("user_threshold" if s.user_threshold else "revenue_threshold",
                          "with non-commercial use only, a user or revenue threshold for commercial products never applies"))
    if s.noncommercial and s.registration:
        w.append(Warning_("registration", "registration for commercial use is moot when commercial use is not allowed"))
    if s.family == "restricted":
        moot = [n for n, on in (("attribution", s.attribution), ("naming_prefix", bool(s.naming_prefix)),
                                ("flowdown", s.flowdown)) if on]
        if moot:
            w.append(Warning_(moot[0], f"{', '.join(moot)} govern(s) sharing, which a restricted-distribution license "
                              "does not allow: the clause only matters if you later allow sharing by agreement"))
    if s.family == "open-rail" and any_restr and not s.flowdown:
        w.append(Warning_("flowdown", "without flow-down, recipients of Derivatives are not bound by your use "
                          "restrictions; open responsible-AI licenses require passing them on"))
    if s.family in ("open-rail", "research-only") and not any_restr and not s.policy_url:
        w.append(Warning_("restrictions", "a responsible-AI license without any use restriction; choose some "
                          "(--restriction core) or reference a use policy (--policy-url)"))
    if s.output_training_ban and s.distillation_derivative:
        w.append(Warning_("distillation_derivative", "models trained on Outputs are both forbidden (output training ban) "
                          "and treated as Derivatives; keep one of the two"))
    if s.output_ownership == "licensor" and s.family == "open-rail":
        w.append(Warning_("output_ownership", "an open license that claims the Outputs for the Licensor is unusual "
                          "and makes the Outputs hard to reuse"))
    if s.guardrail_termination and "safety_circumvention" not in s.restrictions:
        w.append(Warning_("guardrail_termination", "termination for bypassing guardrails is stronger with the "
                          "matching use restriction (--restriction safety_circumvention)"))
    if s.jurisdiction and s.geo_exclusions:
        for g in s.geo_exclusions:
            if g.lower() in s.jurisdiction.lower() or s.jurisdiction.lower() in g.lower():
                w.append(Warning_("jurisdiction", f"governing law is {s.jurisdiction}, a region the license excludes ({g})"))
    if s.naming_prefix and not s.attribution and s.family != "restricted":
        w.append(Warning_("naming_prefix", "a naming duty without attribution: recipients may not learn which license applies"))
    return w


# --- grounding: which corpus clauses say something similar ---------------------------------

@dataclass
class Source:
    license: str
    clause_id: str
    score: float
    section: str = ""
    excerpt: str = ""

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "score": round(self.score, 4),
                "section": self.section, "excerpt": self.excerpt}


class Grounding:
    """Corpus clauses similar to a draft clause, from the hybrid index.

    Provenance depends only on the clause's template and the index, so it is cached in memory and
    on disk beside the index (`draft-provenance.json`, keyed by the manifest's generation and
    content hashes: any change to the index starts it afresh). A draft whose clauses are all cached needs neither the embedding
    model nor the vector store; only new clauses and custom restrictions are searched.
    """

    POOL = 40  # hits kept per query: enough for three licenses whose clause the term's pattern also finds
    CACHE_FILE = "draft-provenance.json"

    def __init__(self, settings: Settings, searcher=None):
        self.settings = settings
        self._searcher = searcher
        self._cache: dict[str, list] = {}  # query -> hits
        self._disk: dict[str, list[dict]] | None = None  # "term\tquery" -> sources
        self._dirty = False
        self._state: str | None = None  # the index's generation and contents, from its manifest
        self.error: str | None = None

    # --- the index ------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """True when the index holds licenses (read from its manifest; nothing heavy is loaded)."""
        if self._state is None and self.error is None:
            if self._searcher is not None:
                self._state = ""  # a searcher given by the caller: no disk cache
            else:
                path = self.settings.index_dir / "manifest.sqlite"
                if not path.exists():
                    self.error = "the index is empty: run `modelterms index` first"
                else:
                    from retrieval.manifest import Manifest

                    m = Manifest(path)
                    try:
                        hashes = m.hashes()
                        if not hashes:
                            self.error = "the index is empty: run `modelterms index` first"
                        else:
                            digest = hashlib.sha256(json.dumps(sorted(hashes.items())).encode()).hexdigest()[:16]
                            self._state = f"{m.generation()}:{digest}"
                    finally:
                        m.close()
        return self.error is None

    @property
    def searcher(self):
        if self._searcher is None and self.available:
            try:
                from retrieval.search import Searcher

                self._searcher = Searcher(self.settings)
            except ModeltermsError as e:
                self.error = str(e)
        return self._searcher

    # --- searching ----------------------------------------------------------------------
    def hits(self, query: str, k: int = POOL):
        if query not in self._cache:
            self.prefetch([query])
        return self._cache.get(query, [])[:k]

    def prefetch(self, queries: list[str]) -> None:
        """Searches the queries not yet cached, embedding them in one batch (one model call, not one each)."""
        todo = [q for q in dict.fromkeys(queries) if q not in self._cache]
        if not todo or self.searcher is None:
            return
        vectors = self.searcher.embedder.embed(todo)
        for q, v in zip(todo, vectors):
            self._cache[q] = self.searcher.search(q, k=self.POOL, vector=v)

    def cached(self, text: str, term: str | None) -> list[Source] | None:
        hit = self._disk_cache().get(f"{term}\t{text}")
        return None if hit is None else [Source(**x) for x in hit]

    def similar(self, text: str, term: str | None, n: int = 3) -> list[Source]:
        """Up to n clauses (one per license) close to `text`; with a term, only clauses the term's pattern finds."""
        found = self.cached(text, term)
        if found is not None:
            return found
        pattern = load_taxonomy()[term].clause_re if term else None
        out: list[Source] = []
        seen = set()
        queries = [text]
        if term:  # the taxonomy's own phrasings, when the clause itself finds too few
            queries += list(load_taxonomy()[term].examples[:2])
        for query in queries:
            for h in self.hits(query):
                if h.license in seen or h.license.startswith("draft-"):
                    continue
                if pattern is not None and not pattern.search(h.text):
                    continue
                seen.add(h.license)
                out.append(Source(h.license, h.clause_id, h.score, h.section, _excerpt(h.text)))
                if len(out) >= n:
                    break
            if len(out) >= n:
                break
        if self.searcher is not None:
            self._disk_cache()[f"{term}\t{text}"] = [x.as_json() for x in out]
            self._dirty = True
        return out

    # --- the disk cache ------------------------------------------------------------------
    def _disk_cache(self) -> dict:
        if self._disk is None:
            self._disk = {}
            if self.available and self._state:
                try:
                    data = json.loads((self.settings.index_dir / self.CACHE_FILE).read_text(encoding="utf-8"))
                    if data.get("index") == self._state:
                        self._disk = data["entries"]
                except (OSError, ValueError, KeyError, TypeError):
                    pass
        return self._disk

    def clear(self, disk: bool = False) -> None:
        """Forget the searches of this process (and, with disk, the cached provenance too)."""
        self._cache.clear()
        if disk:
            self._disk = {}

    def save(self) -> None:
        """Writes the provenance cache whole (temp file, then rename); a failure only costs speed later."""
        if not self._dirty or not self._state:
            return
        path = self.settings.index_dir / self.CACHE_FILE
        try:
            atomic_write(path, json.dumps({"index": self._state, "entries": self._disk}))
            self._dirty = False
        except OSError:
            pass


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


# --- custom restrictions ---------------------------------------------------------------------

_NEGATION = re.compile(
    r"^(?:(?:you\s+)?(?:shall|must|may|will)\s+not\s+|(?:do\s+not|don'?t|never|no|not|prohibit(?:ed)?|"
    r"forbid(?:den)?|ban(?:ned)?)(?:\s*[:,\-–]\s*|\s+))", re.I)
_USE = re.compile(r"^(?:(?:use|using|usage|uses|deploy(?:ing|ment)?|apply(?:ing)?)\s+"
                  r"(?:(?:of\s+)?(?:it|the\s+(?:model|data|application|software|code|materials?))\s+)?)", re.I)
_PREP = re.compile(r"^(in|for|to|as|by|within|on|against|about|during|with|inside|at|towards?|that|which|where|when)\b", re.I)


def custom_scope(text: str) -> str:
    """The user's restriction as a phrase that completes 'You shall not use the Model ...'.

    "no use in political campaigns" -> "in political campaigns"; "no deciding claims" -> "for
    deciding claims"; "never rank job applicants" -> "to rank job applicants" (after "never",
    "do not" or "must not" the words are a verb phrase; after "no" a noun phrase).
    """
    s = " ".join(text.split()).strip().rstrip(".;:!")
    verb = False
    for _ in range(3):
        m = _NEGATION.match(s)
        if m and re.match(r"(?:you\s+)?(?:shall|must|may|will)\s+not|do\s+not|don'?t|never", m.group(0), re.I):
            verb = True
        s2 = _USE.sub("", _NEGATION.sub("", s)).strip()
        if s2 == s:
            break
        if _USE.match(_NEGATION.sub("", s)):
            verb = False  # "do not use it for X": the verb was "use", X is what follows
        s = s2
    s = re.sub(r"^(?:the\s+model|it)\s+", "", s, flags=re.I) or text.strip().rstrip(".;:!")
    if s[:1].isupper() and not s[:2].isupper():
        s = s[0].lower() + s[1:]
    if _PREP.match(s):
        return s
    return f"to {s}" if verb and not s.split()[0].lower().endswith("ing") else f"for {s}"


def pattern_for(nearest_texts: list[str]) -> str:
    """How the nearest corpus clauses frame their restriction: an activity (the default), content
    generation, decisions about people, or targeting people; the closest clauses weigh most."""
    votes = {p: 0.0 for p in CUSTOM_PATTERNS}
    for i, t in enumerate(nearest_texts[:3]):
        w = 1.0 / (1 + i)
        low = t.lower()
        votes["activity"] += 0.5 * w
        if re.search(r"\b(generat\w*|disseminat\w*|content|materials?)\b", low):
            votes["content"] += w
        if re.search(r"\b(decisions?|eligibility|determin\w*)\b", low):
            votes["decisions"] += w
        if re.search(r"\b(target\w*|individuals? or groups?|persons? or groups?)\b", low):
            votes["targeting"] += w
    return max(CUSTOM_PATTERNS, key=lambda p: (votes[p], -CUSTOM_PATTERNS.index(p)))


def related_terms(text: str) -> list[str]:
    """Behavioural taxonomy terms a free-text restriction names (by the taxonomy's use patterns)."""
    valid = set(restriction_ids())
    return [t.id for t in load_taxonomy().values() if t.id in valid and t.use_re.search(text)]


def adapt_custom(c: CustomRestriction, nearest) -> CustomRestriction:
    """Without an LLM: the user's scope, kept whole, framed like the nearest corpus clauses, in modelterms' words."""
    tpl = load_templates().data["custom_patterns"]
    pattern = pattern_for([h.text for h in nearest])
    body = tpl[pattern].format(scope=custom_scope(c.text))
    return CustomRestriction(c.text, clause=body + ";", method="pattern", pattern=pattern, terms=related_terms(c.text),
                             nearest=_distinct(nearest), review=True)


def draft_custom_clause(spec, nearest_clauses, llm) -> CustomRestriction:
    """The hook for drafting one custom restriction.

    spec: the `CustomRestriction` (the user's words in `.text`); nearest_clauses: corpus `Hit`s
    nearest to it; llm: None, or an object with `.complete(prompt) -> str` (or a callable
    `llm(prompt) -> str`), such as the chat model of agent/llm.py. Without an LLM, or when its
    answer fails the checks (one item, no long verbatim corpus quote, not empty), the nearest
    clause pattern is adapted instead. Either way the clause is marked for legal review.
    """
    if llm is None:
        return adapt_custom(spec, nearest_clauses)
    prompt = custom_clause_prompt(spec.text, nearest_clauses)
    try:
        answer = llm.complete(prompt) if hasattr(llm, "complete") else llm(prompt)
    except Exception as e:  # an LLM failure must not lose the draft
        out = adapt_custom(spec, nearest_clauses)
        out.method = f"pattern (llm failed: {type(e).__name__})"
        return out
    clause = _clean_llm_clause(str(answer or ""), nearest_clauses)
    if clause is None:
        out = adapt_custom(spec, nearest_clauses)
        out.method = "pattern (llm answer rejected)"
        return out
    return CustomRestriction(spec.text, clause=clause, method="llm", pattern=None, terms=related_terms(spec.text),
                             nearest=_distinct(nearest_clauses), review=True)


def _distinct(hits, n: int = 3) -> list[str]:
    """Clause ids of the first hits, one per license."""
    out, seen = [], set()
    for h in hits:
        if h.license not in seen:
            seen.add(h.license)
            out.append(h.clause_id)
    return out[:n]


def custom_clause_prompt(text: str, nearest) -> str:
    from prompts import load

    tpl = load("draft_custom_clause")
    examples = "\n".join(f"- [{h.clause_id}] {_excerpt(h.text, 300)}" for h in nearest[:3]) or "- (none found)"
    lead = load_templates().data["attachment"]["lead"].format(A="Model")
    return tpl.format(restriction=text, nearest=examples, lead=lead)


def _clean_llm_clause(answer: str, nearest) -> str | None:
    s = " ".join(answer.strip().strip('"“”').split())
    s = re.sub(r"^\(?[a-z0-9]{1,3}[.)]\s+", "", s, flags=re.I)  # a list marker the model added
    if not (8 <= len(s) <= 400) or "\n" in answer.strip():
        return None
    from .identify import normalize

    words = normalize(s)
    for h in nearest:
        other = " ".join(normalize(h.text))
        for i in range(0, max(0, len(words) - 8)):
            if " ".join(words[i:i + 9]) in other:
                return None  # quotes the corpus: the clause must be in modelterms' (and the user's) words
    return s.rstrip(".;") + ";"


# --- rendering ---------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str  # title | subtitle | heading | para | def | item | lead
    text: str
    number: str = ""
    terms: list[str] = field(default_factory=list)
    custom: int | None = None  # index into spec.custom_restrictions
    key: str = ""  # the template it comes from ("restrictions.illegal"): provenance searches its wording


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
    notes: list[str] = field(default_factory=list)
    upstream: object | None = None
    verification: dict | None = None
    seconds: float = 0.0

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def saved_spec(self) -> dict:
        return {"modelterms_draft": SPEC_FORMAT, "template_version": self.template_version,
                "spec_hash": self.spec_hash, "text_sha256": self.text_sha256, "spec": self.spec.as_json()}

    def as_json(self) -> dict:
        out = {**self.saved_spec(), "name": license_name(self.spec), "markdown": self.markdown, "text": self.text,
               "warnings": [w.as_json() for w in self.warnings], "provenance": self.provenance,
               "grounding": self.grounding, "notes": self.notes,
               "legal_review": [c.text for c in self.spec.custom_restrictions]}
        if self.upstream is not None:
            out["upstream"] = self.upstream.as_json()
        if self.verification is not None:
            out["verification"] = self.verification
        return out


def artifact_noun(spec: DraftSpec) -> str:
    tpl = load_templates().data
    if len(spec.artifacts) == 1:
        return tpl["artifacts"][spec.artifacts[0]]["noun"]
    return tpl["combined_noun"]


def short_name(spec: DraftSpec) -> str:
    tpl = load_templates().data
    letters = "".join(tpl["artifacts"][a]["letter"] for a in spec.artifacts)
    prefix = tpl["families"][spec.family]["prefix"]
    return f"{prefix}RAIL-{letters}" if prefix == "Open" else f"{prefix}RAIL-{letters}".strip()


def license_name(spec: DraftSpec) -> str:
    return spec.name or f"{spec.licensor} {short_name(spec)} License"


def render(spec: DraftSpec) -> tuple[list[Block], str, str]:
    """(blocks, markdown, plain text) of a resolved spec whose custom restrictions are drafted."""
    T = load_templates()
    t = T.data
    A = artifact_noun(spec)
    name = license_name(spec)
    fam = t["families"][spec.family]
    values = {
        "licensor": spec.licensor, "A": A, "name": name, "version": spec.version,
        "users": f"{spec.user_threshold:,}" if spec.user_threshold else "",
        "revenue": f"{spec.revenue_threshold:,}" if spec.revenue_threshold else "",
        "notice": spec.attribution_notice or "", "prefix": spec.naming_prefix or "",
        "regions": _join_words(spec.geo_exclusions), "jurisdiction": spec.jurisdiction or "",
        "policy_url": spec.policy_url or "",
    }
    values["scope"] = t["scope"]["noncommercial" if spec.noncommercial else "commercial"]
    values["family_blurb"] = fam["blurb"].format(**values)

    def f(s: str, **extra) -> str:
        return s.format(**{**values, **extra})

    blocks: list[Block] = [
        Block("title", name),
        Block("subtitle", f"Version {spec.version} — {fam['long']} ({short_name(spec)} style). "
                          f"Draft for legal review, prepared with modelterms (template {T.version}, spec {spec.spec_hash()})."),
        Block("para", f(t["preamble"]).replace("\n", " ")),
    ]
    sections: list[tuple[str, list[Block]]] = []

    # 1. Definitions
    d = t["definitions"]
    defs = [Block("def", f(d["license"])), Block("def", f(d["licensor"])), Block("def", f(d["you"]))]
    if len(spec.artifacts) == 1:
        defs.append(Block("def", f(d["artifact_single"], what=t["artifacts"][spec.artifacts[0]]["what"])))
    else:
        parts = _join_words([t["artifacts"][a]["what"] for a in spec.artifacts], "and")
        defs.append(Block("def", f(d["artifact_combined"], parts=parts)))
    defs.append(Block("def", f(d["derivative"], distill=f(d["derivative_distill"]) if spec.distillation_derivative else ""),
                      terms=["distillation_derivative"] if spec.distillation_derivative else [], key="definitions.derivative"))
    defs.append(Block("def", f(d["output"])))
    defs.append(Block("def", f(d["distribution"], hosted=f(d["distribution_hosted"]) if spec.hosted_is_distribution else ""),
                      terms=["hosted_is_distribution"] if spec.hosted_is_distribution else [], key="definitions.distribution"))
    if spec.noncommercial and spec.family != "research-only":
        defs.append(Block("def", f(d["noncommercial"])))
    if spec.family == "research-only":
        defs.append(Block("def", f(d["research"])))
    sections.append(("Definitions", defs))

    # 2. Grant
    g = t["grant"]
    grant: list[Block] = []
    if spec.family == "open-rail":
        key = "open_noncommercial" if spec.noncommercial else "open_commercial"
    elif spec.family == "restricted":
        key = "restricted_noncommercial" if spec.noncommercial else "restricted_commercial"
    else:
        key = "research"
    terms = ["derivatives"] + ([] if spec.family == "restricted" else ["redistribution"])
    terms += [] if spec.noncommercial else ["commercial_use"]
    terms += ["research_only"] if spec.family == "research-only" else []
    grant.append(Block("para", f(g[key]), terms=terms, key=f"grant.{key}"))
    if spec.family == "research-only":
        grant.append(Block("para", f(g["purpose_research"]), terms=["noncommercial"], key="grant.purpose_research"))
    elif spec.noncommercial:
        grant.append(Block("para", f(g["purpose_noncommercial"]), terms=["noncommercial"], key="grant.purpose_noncommercial"))
    if spec.patent_grant:
        grant.append(Block("para", f(g["patent"]), terms=["patent_grant"], key="grant.patent"))
    if spec.family == "restricted":
        grant.append(Block("para", f(g["no_sharing"])))
    if spec.geo_exclusions:
        grant.append(Block("para", f(t["commercial"]["regions"]), terms=["geo_restriction"], key="commercial.regions"))
    sections.append((g["heading"], grant))

    # 3. Conditions
    c = t["conditions"]
    cond: list[Block] = []
    if spec.restrictions or spec.custom_restrictions:
        cond.append(Block("para", f(c["use"])))
    if spec.policy_url:
        cond.append(Block("para", f(c["policy"]), terms=["aup_by_reference"], key="conditions.policy"))
    if spec.noncommercial and spec.family != "research-only":
        cond.append(Block("para", f(c["noncommercial"]), terms=["noncommercial"], key="conditions.noncommercial"))
    if spec.family == "research-only":
        cond.append(Block("para", f(c["research_only"]), terms=["research_only"], key="conditions.research_only"))
    if spec.attribution:
        cond.append(Block("para", f(c["attribution_notice"] if spec.attribution_notice else c["attribution"]),
                          terms=["attribution"],
                          key="conditions.attribution_notice" if spec.attribution_notice else "conditions.attribution"))
    if spec.naming_prefix:
        cond.append(Block("para", f(c["naming"]), terms=["naming"], key="conditions.naming"))
    if spec.flowdown:
        cond.append(Block("para", f(c["flowdown"]), terms=["flowdown"], key="conditions.flowdown"))
    if spec.hosted_is_distribution:
        cond.append(Block("para", f(c["hosted_restricted"] if spec.family == "restricted" else c["hosted"]),
                          terms=["hosted_is_distribution"],
                          key="conditions.hosted_restricted" if spec.family == "restricted" else "conditions.hosted"))
    if spec.terms_update:
        cond.append(Block("para", f(c["terms_update"]), terms=["terms_update"], key="conditions.terms_update"))
    if cond:
        sections.append((c["heading"], cond))

    # 4. Commercial thresholds
    m = t["commercial"]
    com: list[Block] = []
    if spec.registration:
        com.append(Block("para", f(m["registration"]), terms=["registration"], key="commercial.registration"))
    if spec.user_threshold:
        com.append(Block("para", f(m["users"]), terms=["user_threshold"], key="commercial.users"))
    if spec.revenue_threshold:
        com.append(Block("para", f(m["revenue"]), terms=["revenue_threshold"], key="commercial.revenue"))
    if com:
        sections.append((m["heading"], com))

    # 5. Outputs
    o = t["outputs"]
    outs: list[Block] = []
    if spec.output_ownership == "licensee":
        outs.append(Block("para", f(o["licensee"]), terms=["output_ownership"], key="outputs.licensee"))
    elif spec.output_ownership == "licensor":
        outs.append(Block("para", f(o["licensor"]), terms=["output_ownership"], key="outputs.licensor"))
    if spec.output_training_ban:
        outs.append(Block("para", f(o["training_ban"]), terms=["output_training_ban"], key="outputs.training_ban"))
    if outs:
        sections.append((o["heading"], outs))

    # 6. Termination
    tm = t["termination"]
    term = [Block("para", f(tm["breach"]))]
    if spec.termination_litigation:
        term.append(Block("para", f(tm["litigation"]), terms=["termination_litigation"], key="termination.litigation"))
    if spec.guardrail_termination:
        term.append(Block("para", f(tm["guardrails"]), terms=["guardrail_termination"], key="termination.guardrails"))
    term.append(Block("para", f(tm["survival"])))
    sections.append((tm["heading"], term))

    # 7. Disclaimer, 8. Law
    ds = t["disclaimer"]
    sections.append((ds["heading"], [Block("para", f(ds["warranty"]), terms=["warranty_disclaimer"], key="disclaimer.warranty"),
                                     Block("para", f(ds["liability"]), terms=["warranty_disclaimer"], key="disclaimer.liability")]))
    if spec.jurisdiction:
        sections.append((t["law"]["heading"], [Block("para", f(t["law"]["text"]))]))

    for i, (heading, body) in enumerate(sections, 1):
        blocks.append(Block("heading", heading, number=str(i)))
        for j, b in enumerate(body, 1):
            if b.kind == "para":
                b.number = f"{i}.{j}"
            blocks.append(b)

    # Attachment A
    att = t["attachment"]
    items: list[Block] = []
    for rid in spec.restrictions:
        items.append(Block("item", f(t["restrictions"][rid]), terms=[rid], key=f"restrictions.{rid}"))
    for k, cr in enumerate(spec.custom_restrictions):
        body = cr.clause.rstrip().rstrip(".;")
        items.append(Block("item", f"{body} {att['custom_marker']};", terms=list(cr.terms), custom=k))
    if items:
        blocks.append(Block("heading", att["heading"], number="A"))
        blocks.append(Block("lead", f(att["lead"])))
        for n, b in enumerate(items):
            # letters as licenses use them; numbers past (z), which no reader (or segmenter) takes for a letter
            b.number = _letters(n) if len(items) <= 26 else str(n + 1)
            if n == len(items) - 1:
                b.text = b.text.rstrip(";") + "."
            blocks.append(b)
    return blocks, to_markdown(blocks), to_text(blocks)


def _letters(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def _join_words(items: list[str], conj: str = "or") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conj} " + items[-1]


def to_markdown(blocks: list[Block]) -> str:
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(f"# {b.text}")
        elif b.kind == "subtitle":
            out.append(f"*{b.text}*")
        elif b.kind == "heading":
            out.append(f"## {b.text}" if b.number == "A" else f"## {b.number}. {b.text}")
        elif b.kind in ("para", "def", "lead"):
            out.append(f"{b.number} {b.text}" if b.number else b.text)
        elif b.kind == "item":
            out.append(f"({b.number}) {b.text}")
    return "\n\n".join(out) + "\n"


def to_text(blocks: list[Block], width: int = 0) -> str:
    out = []
    for b in blocks:
        if b.kind == "title":
            out.append(b.text.upper())
        elif b.kind == "subtitle":
            out.append(b.text)
        elif b.kind == "heading":
            out.append(b.text.upper() if b.number == "A" else f"{b.number}. {b.text.upper()}")
        elif b.kind in ("para", "def", "lead"):
            out.append(f"{b.number} {b.text}" if b.number else b.text)
        elif b.kind == "item":
            out.append(f"({b.number}) {b.text}")
    return "\n\n".join(out) + "\n"


# --- the drafter ------------------------------------------------------------------------------

class Drafter:
    """Drafts from specs; holds the grounding index (one per process) and an optional LLM."""

    def __init__(self, settings: Settings, grounding: Grounding | None | bool = None, llm=None):
        self.settings = settings
        self.grounding = Grounding(settings) if grounding is None else (grounding or None)
        self.llm = llm

    def draft(self, spec: DraftSpec, provenance: bool = True) -> Draft:
        t0 = time.perf_counter()
        s = spec.resolved()
        notes: list[str] = []
        grounded = self.grounding is not None and self.grounding.available
        if self.grounding is not None and not grounded:
            notes.append(f"no grounding: {self.grounding.error}")
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
            draft.notes.append(f"grounding incomplete: {self.grounding.error}")
        draft.seconds = time.perf_counter() - t0
        return draft

    def _nearest_restrictions(self, text: str):
        """Corpus clauses nearest a free-text restriction, preferring those in a restriction context."""
        from agent.terms.features import PROHIBITIVE

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


def load_or_build_spec(spec_path: Path | None, overrides: dict) -> tuple[DraftSpec, SavedSpec | None]:
    """A spec from a file with flag overrides, or from flags alone."""
    saved = read_spec_file(spec_path) if spec_path else None
    base = saved.spec.as_json() if saved else {}
    base.update({k: v for k, v in overrides.items() if v is not None})
    if "licensor" not in base:
        raise ModeltermsError("licensor: missing; give --licensor NAME, a spec file with `licensor:`, or --wizard")
    return DraftSpec.from_mapping(base), saved


# --- drafting notes (not part of the license) ------------------------------------------------

def notes_markdown(d: Draft) -> str:
    """What the user should know about the draft: review marks, warnings, upstream findings, provenance."""
    s = d.spec
    out = ["# Drafting notes (not part of the license)", "",
           "modelterms explains license texts; it is not legal advice. Have this draft reviewed by a lawyer.", "",
           f"- license: {license_name(s)}", f"- template version: {d.template_version}",
           f"- spec hash: {d.spec_hash}", f"- text sha256: {d.text_sha256}",
           "- regenerate: `modelterms draft --spec license-spec.json` gives this exact text", ""]
    if s.custom_restrictions:
        out += ["## Custom restrictions (legal review required)", ""]
        for c in s.custom_restrictions:
            how = ("drafted by the LLM" if c.method == "llm" else
                   f"adapted to the `{c.pattern}` pattern of the nearest corpus clauses" if c.method == "pattern" else c.method)
            near = ", ".join(f"`{x}`" for x in c.nearest) or "none found"
            terms = f"; touches {', '.join(c.terms)}" if c.terms else ""
            out.append(f"- “{c.text}” → “{c.clause}” ({how}; nearest: {near}{terms})")
        out.append("")
    if d.warnings:
        out += ["## Consistency warnings", ""] + [f"- **{w.field}**: {w.message}" for w in d.warnings] + [""]
    up = d.upstream
    if up is not None:
        out += [f"## Upstream: {', '.join(up.keys) or 'nothing resolved'}", ""]
        for f in up.findings:
            mark = {"violated": "**VIOLATED**", "met": "met", "note": "note"}[f.status]
            cites = f" ({', '.join(f'`{c}`' for c in f.clause_ids)})" if f.clause_ids else ""
            out.append(f"- {mark} — {f.message}{cites}")
        for m in up.missing:
            out.append(f"- missing text — {m}")
        out.append("")
    if d.provenance:
        out += ["## Provenance: corpus clauses that say something similar", "",
                "The wording is modelterms' own; these clauses of the corpus carry a similar term.", ""]
        for p in d.provenance:
            srcs = ", ".join(f"`{x['clause_id']}`" for x in p["sources"]) or "no close corpus clause"
            label = ", ".join(p["terms"]) or "custom"
            out.append(f"- {p['clause']} ({label}): {srcs}")
        out.append("")
    v = d.verification
    if v is not None:
        out += ["## Verification: the draft read back by the profiler", ""]
        out.append(f"- chosen terms recovered: {v['recovered']}/{v['chosen']}"
                   + (f"; missed: {', '.join(v['missed'])}" if v["missed"] else ""))
        out.append("- terms the spec did not ask for: " + (", ".join(v["extra"]) or "none"))
        if v["custom_mapped"]:
            out.append(f"- read from custom restrictions: {', '.join(v['custom_mapped'])}")
        if v["params"]:
            out.append(f"- parameter mismatches: {'; '.join(v['params'])}")
        out.append("")
    for n in d.notes:
        out.append(f"- {n}")
    return "\n".join(out).rstrip() + "\n"


def notes_text(d: Draft) -> str:
    md = notes_markdown(d)
    md = re.sub(r"^#+\s*(.*)$", lambda m: m.group(1).upper(), md, flags=re.M)
    return md.replace("**", "").replace("`", "")


# --- verification: the draft read back by the profiler -------------------------------------------

_KNOWN_REGIONS = {"european union": "European Union", "south korea": "South Korea", "switzerland": "Switzerland",
                  "united kingdom": "United Kingdom"}


def compare_terms(spec: DraftSpec, profile, clause_text) -> dict:
    """The terms a profile of the draft recovered, against its (resolved, drafted) spec.

    missed: chosen terms not recovered with their attitude; extra: terms recovered that the spec
    did not ask for (or permissions it denies, read as granted); custom_mapped: terms read only from a custom
    restriction's own clause (the user's wording, reported, not counted as extra); params:
    threshold and region values that came back different.
    """
    marker = load_templates().data["attachment"]["custom_marker"]
    chosen, implied, denied = spec.chosen_terms(), spec.implied_terms(), spec.contradicted_terms()
    got = {t: r.attitude for t, r in profile.terms.items()}
    missed = sorted(t for t, a in chosen.items() if got.get(t) != a)
    implied_missed = sorted(t for t, a in implied.items() if got.get(t) != a)
    extra, custom_mapped = [], []
    for t, r in profile.terms.items():
        if t in denied and r.attitude == "cannot":
            continue  # a permission the draft withholds, read as withheld: right
        if t in denied or (t not in chosen and t not in implied):
            texts = [clause_text(e.clause_id) or e.quote for e in r.evidence]
            if t not in denied and texts and all(marker in x for x in texts):
                custom_mapped.append(t)
            else:
                extra.append(t)
    params = []
    if spec.user_threshold and "user_threshold" in profile.terms:
        if profile.terms["user_threshold"].params.get("users") != spec.user_threshold:
            params.append(f"users {profile.terms['user_threshold'].params.get('users')} != {spec.user_threshold}")
    if spec.revenue_threshold and "revenue_threshold" in profile.terms:
        if profile.terms["revenue_threshold"].params.get("revenue_usd") != spec.revenue_threshold:
            params.append(f"revenue {profile.terms['revenue_threshold'].params.get('revenue_usd')} != {spec.revenue_threshold}")
    if spec.geo_exclusions and "geo_restriction" in profile.terms:
        want = {v for g in spec.geo_exclusions for k, v in _KNOWN_REGIONS.items() if k in g.lower()}
        have = set(profile.terms["geo_restriction"].params.get("regions") or [])
        if want - have:
            params.append(f"regions {sorted(have)} lack {sorted(want - have)}")
    return {"chosen": len(chosen), "recovered": len(chosen) - len(missed), "missed": missed,
            "wrong_attitude": sorted(t for t in missed if t in got),
            "implied": len(implied), "implied_missed": implied_missed, "extra": sorted(extra),
            "custom_mapped": sorted(custom_mapped), "params": params}


def verify_draft(d: Draft, settings: Settings, profiler=None) -> dict:
    """The draft's text profiled (as `explain` would) and compared with its spec."""
    from corpus.catalog import Corpus
    from corpus.entry import LicenseEntry

    from .terms.profile import Profiler

    corpus = profiler.corpus if profiler is not None else Corpus(settings)
    profiler = profiler or Profiler(settings, corpus)
    key = f"draft-verify-{d.spec_hash}"
    corpus.add_transient(LicenseEntry(key=key, name=license_name(d.spec), kind="license", text=d.text, source="draft"))
    result = compare_terms(d.spec, profiler.profile(key), lambda cid: profiler.clause_text(key, cid))
    result["ok"] = not (result["missed"] or result["extra"] or result["params"])
    return result
