"""Excluded industries: licenses that exclude licensees by what they do (fossil fuels, tobacco,
gambling, private prisons — agent/terms/industries.py). A use whose business is in the industry is
prohibited; one only tied to it (affiliates, agents, suppliers) is put up for review.
"""
from __future__ import annotations

import re

from ...terms.industries import INDUSTRIES, clause_excludes
from ...terms.profile import best_quote
from ..context import RuleContext
from ..result import Finding, Reason


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    if not facts.industries:
        return
    for f in ctx.profiler.features(prof.license):
        if not (f.flags["restrictive"] or f.flags["aup"]) or f.flags["definition"]:
            continue
        for industry, tie in facts.industries.items():
            if not clause_excludes(f.clause.text, industry):
                continue
            quote = best_quote(f.clause.text, re.compile(INDUSTRIES[industry][0], re.I))[0]
            if tie == "direct":
                reason, effect = Reason("excluded_industry", prof.name, industry=industry), "prohibited"
            else:
                reason, effect = Reason("industry_tie", prof.name, industry=industry), "review"
            if not any(x.clause_id == f.clause.id and x.effect == effect for x in ctx.result.findings):
                ctx.result.findings.append(Finding(prof.license, f.clause.id, "other_use", "cannot", quote, reason,
                                                   effect))
