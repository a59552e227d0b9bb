"""Attribution display: "Built with Llama", "Powered by Stability AI", "Built with Qwen" / "Improved using Qwen"."""
from __future__ import annotations

from ..clauses import quoted_in
from ..context import AuditContext
from ..result import MET, UNMET, Duty, Fix, Gap
from ..rules import duty_spec
from ._common import clauses_for

ID = "attribution_display"


def check(ctx: AuditContext) -> list[Duty]:
    spec = duty_spec(ID)
    duties = []
    for key, up, dc in clauses_for(ctx, ID):
        phrases = list(dict.fromkeys(quoted_in(dc.text, spec["clause_re"])))
        phrases = [p for p in phrases if len(p) <= 60]
        if not phrases:
            continue
        d = Duty(ID, spec["title"], UNMET, [dc.source(up.model)], detail={"license": key, "phrases": phrases})
        loc = ctx.texts.find(phrases, where="all", skip=set(ctx.shipped.values()))
        if loc is not None:
            d.status, d.evidence = MET, loc
        else:
            d.gaps.append(Gap("not_displayed", phrases=tuple(phrases)))
            d.fix = Fix(ID, phrases=tuple(phrases))
        duties.append(d)
    return duties

