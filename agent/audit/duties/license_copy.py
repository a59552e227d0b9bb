"""License copy: texts that say recipients get a copy of them ("provide a copy of this Agreement")."""
from __future__ import annotations

from ..context import AuditContext
from ..result import MET, UNKNOWN, UNMET, Duty, Fix, Gap, Location
from ..rules import duty_spec
from ._common import clauses_for, name_of

ID = "license_copy"


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties = []
    for key, up, dc in clauses_for(ctx, ID):
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)], detail={"license": key})
        path = ctx.ships(key)
        near = ctx.resembles(key)
        if path is not None:
            d.status, d.evidence = MET, Location(path, 1, shows="license_text", key=key)
        elif near is not None:
            d.status, d.evidence = UNKNOWN, Location(near[0], 1)
            d.gaps.append(Gap("near_copy", name_of(ctx, key), file=near[0], share=near[1]))
            d.fix = Fix("license_copy_version", name_of(ctx, key))
        else:
            others = tuple((p, k) for k, p in ctx.shipped.items() if ctx.family(k) == ctx.family(key))
            d.gaps.append(Gap("no_copy", name_of(ctx, key), shipped=others))
            d.fix = Fix(ID, name_of(ctx, key))
        duties.append(d)
    return duties
