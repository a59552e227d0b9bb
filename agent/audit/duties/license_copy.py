"""License copy: texts that say recipients get a copy of them ("provide a copy of this Agreement")."""
from __future__ import annotations

from ..context import AuditContext
from ..result import MET, UNKNOWN, UNMET, Duty, Location
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
            d.status, d.evidence = MET, Location(path, 1, f"the text of {key}")
        elif near is not None:
            d.status, d.evidence = UNKNOWN, Location(near[0], 1)
            d.missing = (f"{near[0]} holds {near[1]:.0%} of the wording of {name_of(ctx, key)}: another version of it "
                         "or an edited copy; a person must compare it with the base model's license")
            d.fix = spec["fix"].format(license=name_of(ctx, key)) + " (the version the base model is released under)"
        else:
            others = [f"{p} is {k}" for k, p in ctx.shipped.items() if ctx.family(k) == ctx.family(key)]
            d.missing = (f"no file in the repository holds the text of {name_of(ctx, key)}"
                         + (f" ({'; '.join(others)})" if others else ""))
            d.fix = spec["fix"].format(license=name_of(ctx, key))
        duties.append(d)
    return duties
