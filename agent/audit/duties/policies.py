"""Incorporated policies: a license that incorporates a use policy by reference; the repo should name it."""
from __future__ import annotations

import re

from ..context import AuditContext
from ..result import MET, UNMET, Duty, Fix, Gap, Location
from ..rules import duty_spec
from ._common import clauses_for

ID = "policy_reference"
_POLICY_NAME = re.compile(r"\b((?:acceptable|prohibited|responsible|usage) use polic(?:y|ies)|use polic(?:y|ies)|usage polic(?:y|ies))\b", re.I)
_NAMED = re.compile(r"((?:[A-Z][\w.]*\s){0,4}(?:Acceptable|Prohibited)\s+Use\s+Policy)")
_URL = re.compile(r"(?:https?://)?[\w.-]+\.[a-z]{2,}/[\w./%-]*(?:polic|use)[\w./%-]*", re.I)


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties = []
    for key, up, dc in clauses_for(ctx, ID):
        prof = ctx.profiler.profile(key)
        named = _NAMED.search(dc.text)
        # the profile's name for the policy, unless it only has a placeholder; then the name the clause uses
        names = [r["policy"] for r in prof.references if r.get("policy") and r.get("key")] + \
            ([named.group(1).strip()] if named else []) + [r["policy"] for r in prof.references if r.get("policy")]
        url = next((m.group(0).rstrip(".,;)") for m in _URL.finditer(dc.text)), None)
        label = names[0] if names else (_POLICY_NAME.search(dc.text).group(1) if _POLICY_NAME.search(dc.text) else "the use policy")
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)],
                 detail={"license": key, "policy": label, "url": url})
        loc = _reference(ctx, url)
        if loc is None and ctx.ships(key):
            loc = Location(ctx.ships(key), shows="incorporates_policy", key=key)
        if loc is not None:
            d.status, d.evidence = MET, loc
        else:
            d.gaps.append(Gap("policy_unnamed", label))
            d.fix = Fix(ID, policy=label, url=url or "")
        duties.append(d)
    return duties


def _reference(ctx: AuditContext, url: str | None) -> Location | None:
    for f in ctx.repo.files:
        if "/" not in f.path and re.match(r"(use[_-]?policy|acceptable[_-]?use|prohibited[_-]?use|responsible[_-]?use)", f.path, re.I):
            return Location(f.path, shows="policy_shipped")
    for t in ctx.texts.texts:
        if t.path in ctx.shipped.values():
            continue
        for i, line in enumerate(t.text.splitlines(), 1):
            if _POLICY_NAME.search(line) or (url and url.split("://")[-1].lower() in line.lower()):
                return Location(t.path, i + t.line_offset, line.strip()[:200])
    return None
