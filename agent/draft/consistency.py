"""Spec choices that do not contradict outright but defeat each other or a label (warnings, not errors)."""
from __future__ import annotations

from dataclasses import dataclass

from .spec import DraftSpec


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
