"""Spec choices that do not contradict outright but defeat each other or a label (warnings, not errors)."""
from __future__ import annotations

from dataclasses import dataclass

from .spec import DraftSpec


@dataclass(frozen=True)
class Warning_:
    """Two choices of the spec that defeat each other: the spec field it is about, and a kind with the fields its
    words need (agent/present/text.py `WARNING_WORDS`)."""
    field: str
    kind: str
    why: tuple[str, ...] = ()  # not_open_source: the choices that make it so; restricted_sharing: the moot fields
    jurisdiction: str = ""  # jurisdiction_excluded
    region: str = ""  # jurisdiction_excluded


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
            w.append(Warning_("open_source", "not_open_source", why=tuple(why)))
    if s.family == "research-only" and (s.user_threshold or s.revenue_threshold):
        w.append(Warning_("user_threshold" if s.user_threshold else "revenue_threshold", "threshold_research_only"))
    elif s.noncommercial and (s.user_threshold or s.revenue_threshold):
        w.append(Warning_("user_threshold" if s.user_threshold else "revenue_threshold", "threshold_noncommercial"))
    if s.noncommercial and s.registration:
        w.append(Warning_("registration", "registration_moot"))
    if s.family == "restricted":
        moot = [n for n, on in (("attribution", s.attribution), ("naming_prefix", bool(s.naming_prefix)),
                                ("flowdown", s.flowdown)) if on]
        if moot:
            w.append(Warning_(moot[0], "restricted_sharing", why=tuple(moot)))
    if s.family == "open-rail" and any_restr and not s.flowdown:
        w.append(Warning_("flowdown", "no_flowdown"))
    if s.family in ("open-rail", "research-only") and not any_restr and not s.policy_url:
        w.append(Warning_("restrictions", "no_restrictions"))
    if s.output_training_ban and s.distillation_derivative:
        w.append(Warning_("distillation_derivative", "outputs_both_ways"))
    if s.output_ownership == "licensor" and s.family == "open-rail":
        w.append(Warning_("output_ownership", "licensor_owns_outputs"))
    if s.guardrail_termination and "safety_circumvention" not in s.restrictions:
        w.append(Warning_("guardrail_termination", "guardrails_without_restriction"))
    if s.jurisdiction and s.geo_exclusions:
        for g in s.geo_exclusions:
            if g.lower() in s.jurisdiction.lower() or s.jurisdiction.lower() in g.lower():
                w.append(Warning_("jurisdiction", "jurisdiction_excluded", jurisdiction=s.jurisdiction, region=g))
    if s.naming_prefix and not s.attribution and s.family != "restricted":
        w.append(Warning_("naming_prefix", "naming_without_attribution"))
    return w
