"""Flow-down of use restrictions: RAIL's "include the use restrictions as an enforceable provision", Gemma 3.1."""
from __future__ import annotations

from ..context import AuditContext
from ..result import MET, UNKNOWN, UNMET, Duty, Fix, Gap, Location
from ..rules import duty_spec
from ._common import clauses_for, name_of

ID = "flowdown"


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties = []
    for key, up, dc in clauses_for(ctx, ID):
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)], detail={"license": key})
        family = ctx.family(key)
        carried = next(((k, p) for k, p in ctx.shipped.items() if ctx.family(k) == family), None)
        declared_same = [k for k in ctx.inherited.declared if ctx.family(k) == family]
        own = _own_terms_with_restrictions(ctx)
        if carried:
            d.status, d.evidence = MET, Location(carried[1], 1, shows="restrictions_shipped", key=carried[0])
        elif declared_same:
            d.status, d.evidence = MET, ctx.texts.card_field_line("license")
        elif own:
            d.status, d.evidence = MET, Location(own, 1, shows="own_restrictions")
        elif ctx.inherited.declared_unknown and not ctx.inherited.declared:
            d.status = UNKNOWN
            d.gaps.append(Gap("declared_unknown", declared=tuple(ctx.inherited.declared_unknown)))
        else:
            d.gaps.append(Gap("restrictions_not_carried", name_of(ctx, key), declared=tuple(ctx.inherited.declared_ids)))
            d.fix = Fix(ID, name_of(ctx, key))
            d.evidence = ctx.texts.card_field_line("license")
        duties.append(d)
    return duties


def _own_terms_with_restrictions(ctx: AuditContext) -> str | None:
    """A license file of the repo that is no corpus text but states use restrictions (its own RAIL-style terms)."""
    shipped_files = set(ctx.shipped.values())
    for t in ctx.texts.files():
        if t.path in shipped_files or not t.path.lower().startswith(("licen", "model_licen", "model-licen", "terms")):
            continue
        key = ctx.transient_key(t)
        if key and (ctx.use_restrictions(key) >= 3 or "flowdown" in ctx.profiler.profile(key).terms):
            return t.path
    return None
