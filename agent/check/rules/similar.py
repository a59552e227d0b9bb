"""Restriction clauses close to the use in meaning, when no category names it (other phrasings).

A restriction clause whose embedding is very close to the use's prohibits (similarity ≥ RESTRICT_SIM);
a fairly close one is put up for review when the use names some behavioural category.
"""
from __future__ import annotations

import numpy as np

from corpus.taxonomy import load_taxonomy

from ...terms.profile import best_quote
from ..context import RuleContext
from ..result import Finding, Reason

RESTRICT_SIM = 0.62
REVIEW_SIM = 0.52
_COMMERCIAL_CONCEPTS = {"commercial_use", "noncommercial", "research_only", "business_only"}


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    if facts.vague:
        return
    feats = ctx.profiler.features(prof.license)
    restrictive = [f for f in feats if (f.flags["restrictive"] or f.flags["aup"]) and not f.flags["definition"]
                   and not f.clause.text.rstrip().endswith(":")]
    if not restrictive:
        return
    sims = np.stack([f.vector for f in restrictive]) @ ctx.use_vec
    best = int(np.argmax(sims))
    f, s = restrictive[best], float(sims[best])
    if f.clause.id in {x.clause_id for x in ctx.result.findings}:
        return
    term_idx = int(np.argmax(f.sims))
    category = list(load_taxonomy())[term_idx] if f.sims[term_idx] > 0.4 else "other_use"
    quote = best_quote(f.clause.text, load_taxonomy()[category].clause_re)[0]
    if category in _COMMERCIAL_CONCEPTS and facts.commercial is False:
        # *Commercial character is read, not resembled*: a commercial-use ban is decided by the commercial rules from
        # the frame's facts; a use the frame reads as non-commercial (a university researcher's paper) only sounds
        # like it ("use … results … in connection with …"), and is not banned by the resemblance
        return
    if s >= RESTRICT_SIM:
        ctx.result.findings.append(Finding(prof.license, f.clause.id, category, "cannot", quote,
                                           Reason("close_match", prof.name, similarity=s), "prohibited"))
    elif s >= REVIEW_SIM and set(facts.categories) - {"other_use"}:
        ctx.result.findings.append(Finding(prof.license, f.clause.id, category, "cannot", quote,
                                           Reason("may_cover", prof.name, similarity=s), "review"))
