"""Terms that bind the repository's users rather than the repository: user and revenue thresholds,
registration, regional exclusions, and the card's own gating (`extra_gated_*`). Surfaced, not judged."""
from __future__ import annotations

from ..context import AuditContext
from ..result import Condition, Source

TERMS = {"user_threshold": "above {users:,} monthly active users a separate license is needed",
         "revenue_threshold": "above US${revenue_usd:,.0f} annual revenue a separate license is needed",
         "registration": "commercial use needs registration or written authorisation",
         "geo_restriction": "rights are excluded in some regions{regions}"}


def check(ctx: AuditContext) -> list[Condition]:
    out: list[Condition] = []
    seen = set()
    for key, up in ctx.upstream_texts():
        prof = ctx.profiler.profile(key)
        for term, template in TERMS.items():
            t = prof.terms.get(term)
            if t is None or not t.evidence or (term, ctx.family(key)) in seen:
                continue
            seen.add((term, ctx.family(key)))
            params = dict(t.params)
            try:
                text = template.format(users=params.get("users", 0), revenue_usd=params.get("revenue_usd", 0),
                                       regions=f" ({', '.join(params['regions'])})" if params.get("regions") else "")
            except (ValueError, KeyError):
                text = template
            if term == "user_threshold" and not params.get("users"):
                text = "above a number of monthly active users a separate license is needed"
            if term == "revenue_threshold" and not params.get("revenue_usd"):
                text = "above an annual revenue a separate license is needed"
            ev = t.evidence[0]
            out.append(Condition(term, f"{key}: {text}", Source(key, ev.clause_id, ev.quote, up.model)))
    gated = ctx.repo.gated
    if gated:
        prompt = str(gated.get("extra_gated_prompt") or gated.get("extra_gated_heading") or "").strip()
        fields = gated.get("extra_gated_fields")
        what = f"downloads are gated: users accept {prompt[:160]!r}" if prompt else "downloads are gated on the Hub"
        if isinstance(fields, dict) and fields:
            what += f" and give {', '.join(map(str, list(fields)[:6]))}"
        out.append(Condition("gated", what))
    return out
