"""Grants: `allowed` needs a clause that grants the use. The grant the use needs (commercial use,
derivatives, redistribution) is cited; a license that grants rights without limiting them to
non-commercial or research use grants them for this use too.
"""
from __future__ import annotations

from ..context import RuleContext

_RIGHTS = ("commercial_use", "derivatives", "redistribution")


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    wanted = ["commercial_use"] if facts.commercial else []
    if facts.derivative:
        wanted.append("derivatives")
    if facts.distribution:
        wanted.append("redistribution")
    wanted = wanted or list(_RIGHTS)
    if not any(w in prof.terms for w in wanted) and not ({"noncommercial", "research_only"} & set(prof.terms)):
        wanted = [w for w in _RIGHTS if w in prof.terms][:1]
    for w in wanted:
        if w in prof.terms and prof.terms[w].attitude == "can":
            ctx.add_term(prof.terms[w], f"{prof.name} grants this", "grant", limit=1)
            break
