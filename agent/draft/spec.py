"""What a draft is made from: the spec (its fields, their checking and resolution), restriction
presets, and spec files (a plain mapping, or the saved form `modelterms draft` writes)."""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from corpus.errors import ModeltermsError
from corpus.frontmatter import load_yaml
from corpus.taxonomy import load_taxonomy

from ..terms.money import parse_amount
from .wording import restriction_ids

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
            close = difflib.get_close_matches(rid, valid + list(PRESETS), n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else f"; known ids: {', '.join(valid)}"
            raise ModeltermsError(f"restrictions: unknown restriction id {rid!r}{hint}")
    return [r for r in valid if r in chosen]


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


def load_or_build_spec(spec_path: Path | None, overrides: dict) -> tuple[DraftSpec, SavedSpec | None]:
    """A spec from a file with flag overrides, or from flags alone."""
    saved = read_spec_file(spec_path) if spec_path else None
    base = saved.spec.as_json() if saved else {}
    base.update({k: v for k, v in overrides.items() if v is not None})
    if "licensor" not in base:
        raise ModeltermsError("licensor: missing; give --licensor NAME, a spec file with `licensor:`, or --wizard")
    return DraftSpec.from_mapping(base), saved
