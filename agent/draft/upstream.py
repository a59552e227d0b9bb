"""Upstream checks for a draft: what the licenses of the model it derives from require, and what the draft violates.

A fine-tune stays bound by its base model's terms, and many of those terms bind whoever receives it
too. For each upstream text (from `--upstream KEY`, or resolved from `--base-model ID` through the
model registry) the profile gives the terms with attitude and evidence; each term that reaches a
derivative is turned into a finding:

- `violated`: the draft contradicts the upstream (it allows commercial use of a non-commercial
  base, drops a restriction the upstream makes recipients carry, omits a naming or attribution duty);
- `met`: the draft carries the requirement;
- `note`: the requirement binds you whatever the draft says (thresholds, registration), or the
  draft cannot carry it (a policy missing from the corpus) — read it before you release.
Every finding cites the upstream clause ids, and says why in an `UpstreamReason` (a kind and its fields, no
prose: agent/present/text.py `UPSTREAM_WORDS` words it; agent/present/json.py `upstream` keeps the contract).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.catalog import Corpus
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy

from ..deps import Deps
from ..models import ModelResolver, Resolution, Unresolved, policies_for_license
from .spec import DraftSpec
from .wording import restriction_ids

STATUSES = ("violated", "met", "note")


@dataclass
class UpstreamReason:
    """Why an upstream finding has its status: a kind and the fields its words need (agent/present/text.py
    `UPSTREAM_WORDS`; the finding's upstream key and term fill them too)."""
    kind: str
    name: str = ""  # restriction_*: the use's name in words
    prefix: str = ""  # naming_prefix*: the name prefix the upstream requires
    notice: str = ""  # attribution_notice, notice_missing: the notice the upstream requires
    regions: list[str] = field(default_factory=list)  # regions_*: the regions the upstream excludes
    limit: int | float | None = None  # *_threshold*: the upstream's threshold
    mine: int | float | None = None  # *_threshold_higher: the draft's own, higher threshold


@dataclass
class UpstreamFinding:
    upstream: str
    term: str
    status: str  # violated | met | note
    reason: UpstreamReason
    clause_ids: list[str] = field(default_factory=list)


@dataclass
class UpstreamReport:
    keys: list[str]
    findings: list[UpstreamFinding] = field(default_factory=list)
    missing: list[Unresolved] = field(default_factory=list)  # texts that apply but cannot be read
    resolution: Resolution | None = None  # the base model's, when the spec names one

    @property
    def violations(self) -> list[UpstreamFinding]:
        return [f for f in self.findings if f.status == "violated"]


def upstream_keys(spec: DraftSpec, corpus: Corpus, resolver=None) -> tuple[list[str], list[Unresolved],
                                                                           Resolution | None]:
    """(corpus keys, missing texts, resolution) for the spec's --upstream keys and --base-model."""
    keys: list[str] = []
    missing: list[Unresolved] = []
    missing_keys: set[str] = set()
    resolution = None
    for key in spec.upstream:
        if not corpus.exists(key):
            raise ModeltermsError(f"upstream: {corpus.unknown_key_message(key)}")
        keys.append(key)
    if spec.base_model:
        resolver = resolver or ModelResolver(corpus)
        res = resolver.resolve_model(spec.base_model)
        resolution = res
        if not res.keys and not res.missing:
            raise ModeltermsError(f"base_model: no license found for {spec.base_model!r}")
        keys += [k for k in res.keys if k not in keys]
        for m in res.missing:
            missing_keys.add(m.key or m.name)
            missing.append(m)
    for key in list(keys):
        if corpus.get(key).kind == "license":
            present, absent = policies_for_license(key, corpus)
            keys += [p for p in present if p not in keys]
            for m in absent:
                if m.key in missing_keys:
                    continue
                missing_keys.add(m.key)
                missing.append(m)
    return keys, missing, resolution


def check_upstream(spec: DraftSpec, deps: Deps | Settings, resolver=None) -> UpstreamReport | None:
    """Findings for a resolved spec against its upstream texts (profiled by `deps.profiler`); None when it
    names none."""
    if not spec.upstream and not spec.base_model:
        return None
    deps = Deps.of(deps)
    corpus, profiler = deps.corpus, deps.profiler
    keys, missing, resolution = upstream_keys(spec, corpus, resolver)
    report = UpstreamReport(keys, missing=missing, resolution=resolution)
    profiles = [profiler.profile(k) for k in keys]
    tax = load_taxonomy()
    chosen = set(spec.restrictions) | {t for c in spec.custom_restrictions for t in c.terms}
    # Restrictions travel with derivatives when a license says so, and always for a use policy
    # that a license incorporates: the downstream user of a fine-tune uses the upstream model too.
    flows = any(p.attitude("flowdown") == "must" for p in profiles)
    add = report.findings.append

    for prof in profiles:
        key = prof.license
        kind = corpus.get(key).kind
        t = prof.terms

        def ids(term: str) -> list[str]:
            return [e.clause_id for e in t[term].evidence[:3]] if term in t else []

        for term in restriction_ids():
            if prof.attitude(term) not in ("cannot", "must") or tax[term].default != prof.attitude(term):
                continue
            name = tax[term].name.lower()
            if term in chosen:
                add(UpstreamFinding(key, term, "met", UpstreamReason("restriction_carried", name=name), ids(term)))
            elif flows or kind == "aup":
                add(UpstreamFinding(key, term, "violated", UpstreamReason("restriction_dropped", name=name), ids(term)))
            else:
                add(UpstreamFinding(key, term, "note", UpstreamReason("restriction_binds", name=name), ids(term)))

        if "noncommercial" in t:
            ok = bool(spec.noncommercial)
            add(UpstreamFinding(key, "noncommercial", "met" if ok else "violated",
                                UpstreamReason("noncommercial" if ok else "noncommercial_dropped"), ids("noncommercial")))
        if "research_only" in t:
            ok = spec.family == "research-only"
            add(UpstreamFinding(key, "research_only", "met" if ok else "violated",
                                UpstreamReason("research_only" if ok else "research_only_exceeded"), ids("research_only")))
        if "flowdown" in t and t["flowdown"].attitude == "must":
            if spec.family == "restricted":
                add(UpstreamFinding(key, "flowdown", "note", UpstreamReason("flowdown_no_sharing"), ids("flowdown")))
            else:
                ok = bool(spec.flowdown)
                add(UpstreamFinding(key, "flowdown", "met" if ok else "violated",
                                    UpstreamReason("flowdown" if ok else "flowdown_dropped"), ids("flowdown")))
        if "naming" in t and t["naming"].attitude == "must":
            prefix = _first_quoted(_texts(profiler, key, t["naming"]), _REQUIRED_PREFIX)
            have = spec.naming_prefix or ""
            ok = bool(have) and (prefix is None or have.lower().startswith(prefix.lower()))
            why = ("naming_prefix" if ok else "naming_prefix_missing") if prefix else ("naming" if ok else "naming_missing")
            add(UpstreamFinding(key, "naming", "met" if ok else "violated", UpstreamReason(why, prefix=prefix or ""),
                                ids("naming")))
        if "attribution" in t and t["attribution"].attitude == "must":
            notice = _first_quoted(_texts(profiler, key, t["attribution"]), _REQUIRED_NOTICE)
            ok = bool(spec.attribution) and (notice is None or notice.lower() in (spec.attribution_notice or "").lower())
            why = ("attribution_notice" if ok else "notice_missing") if notice else \
                ("attribution" if ok else "attribution_missing")
            add(UpstreamFinding(key, "attribution", "met" if ok else "violated", UpstreamReason(why, notice=notice or ""),
                                ids("attribution")))
        if "share_alike" in t and t["share_alike"].attitude == "must":
            add(UpstreamFinding(key, "share_alike", "violated", UpstreamReason("share_alike"), ids("share_alike")))
        if "geo_restriction" in t:
            regions = t["geo_restriction"].params.get("regions") or []
            covered = [r for r in regions if any(r.lower() in g.lower() or g.lower() in r.lower()
                                                 for g in spec.geo_exclusions)]
            ok = bool(regions) and len(covered) == len(regions)
            why = "regions_excluded" if ok else ("regions_granted" if regions else "regions_unstated")
            add(UpstreamFinding(key, "geo_restriction", "met" if ok else ("violated" if regions else "note"),
                                UpstreamReason(why, regions=list(regions)), ids("geo_restriction")))
        # terms the draft may carry or leave open: (term, carried, its reason when the draft leaves it open)
        for term, ok, open_ in (("output_training_ban", spec.output_training_ban, "output_training_ban_open"),
                                ("distillation_derivative", spec.distillation_derivative or spec.output_training_ban,
                                 "distillation_derivative_open"),
                                ("hosted_is_distribution", spec.hosted_is_distribution, "hosted_is_distribution_open")):
            if term in t:
                add(UpstreamFinding(key, term, "met" if ok else "note", UpstreamReason(term if ok else open_), ids(term)))
        for term, what, over in (("user_threshold", "users", "user_threshold_higher"),
                                 ("revenue_threshold", "revenue_usd", "revenue_threshold_higher")):
            if term in t:
                limit = t[term].params.get(what)
                mine = spec.user_threshold if term == "user_threshold" else spec.revenue_threshold
                higher = bool(mine and limit and mine > limit)
                why = (over if higher else term) if limit else "threshold_unstated"
                add(UpstreamFinding(key, term, "note", UpstreamReason(why, limit=limit or None,
                                                                      mine=mine if higher else None), ids(term)))
        if "registration" in t:
            add(UpstreamFinding(key, "registration", "note", UpstreamReason("registration"), ids("registration")))
        for ref in prof.references if kind == "license" else []:  # a policy naming itself is no reference
            if not ref.get("in_corpus") and ref.get("key") not in keys:
                if not any(m.name == ref["policy"] for m in report.missing):
                    report.missing.append(Unresolved("policy_unchecked", ref["policy"], ref.get("key"),
                                                     {"url": ref["url"]} if ref.get("url") else {}, of=key))
    if spec.open_source:
        for prof in profiles:
            if any(prof.attitude(r) == "cannot" for r in restriction_ids()) or "noncommercial" in prof.terms:
                add(UpstreamFinding(prof.license, "open_source", "violated", UpstreamReason("open_source")))
                break
    order = {s: i for i, s in enumerate(STATUSES)}
    report.findings.sort(key=lambda f: (order[f.status], f.upstream, f.term))
    return report


def _texts(profiler, key: str, term) -> list[str]:
    """The full clauses a term's evidence cites (quotes are cut to a sentence)."""
    out = []
    for e in term.evidence:
        text = profiler.clause_text(key, e.clause_id) if hasattr(profiler, "clause_text") else None
        out.append(text or e.quote)
    return out


# the name prefix a naming clause requires ("include “Llama” at the beginning"), and the notice an attribution
# clause requires ("“Built with Llama”")
_REQUIRED_PREFIX = re.compile(r"include\s+[“\"']([^”\"']{1,30})[”\"']\s+at the beginning", re.I)
_REQUIRED_NOTICE = re.compile(r"[“\"'](Built with [^”\"']{1,40})[”\"']", re.I)


def _first_quoted(texts: list[str], pattern: re.Pattern) -> str | None:
    """The quoted words `pattern` captures in the first of `texts` that has them."""
    return next((m.group(1) for m in map(pattern.search, texts) if m), None)


