"""Terms that bind the repository's users rather than the repository: user and revenue thresholds,
registration, regional exclusions, and the card's own gating (`extra_gated_*`). Surfaced, not judged."""
from __future__ import annotations

from ..context import AuditContext
from ..result import Condition, Source

TERMS = ("user_threshold", "revenue_threshold", "registration", "geo_restriction")


def check(ctx: AuditContext) -> list[Condition]:
    out: list[Condition] = []
    seen = set()
    for key, up in ctx.upstream_texts():
        prof = ctx.profiler.profile(key)
        for term in TERMS:
            t = prof.terms.get(term)
            if t is None or not t.evidence or (term, ctx.family(key)) in seen:
                continue
            seen.add((term, ctx.family(key)))
            params = dict(t.params)
            ev = t.evidence[0]
            out.append(Condition(term, key, Source(key, ev.clause_id, ev.quote, up.model), users=params.get("users"),
                                 revenue_usd=params.get("revenue_usd"), regions=tuple(params.get("regions") or ()), mark=params.get("mark", "")))
    gated = ctx.repo.gated
    if gated:
        prompt = str(gated.get("extra_gated_prompt") or gated.get("extra_gated_heading") or "").strip()
        fields = gated.get("extra_gated_fields")
        out.append(Condition("gated", prompt=prompt,
                             fields=tuple(map(str, fields)) if isinstance(fields, dict) else ()))
    return out
