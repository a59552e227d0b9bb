"""Litigation termination: suing over the model (or its patents) ends the license.

License concepts: termination that ends every license granted → the use cannot continue (prohibited);
termination of the patent license only (Apache-2.0 style) → a condition.
"""
from __future__ import annotations

import re

from ..context import RuleContext
from ..result import Condition, Reason

_PATENT_ONLY = re.compile(r"patent\s+licen[cs]es?\s+granted", re.I)


def apply(ctx: RuleContext):
    t = ctx.terms
    if not (ctx.facts.litigation and "termination_litigation" in t):
        return
    term = t["termination_litigation"]
    if _PATENT_ONLY.search(ctx.clauses_of(term, 2)):
        ctx.add_term(term, Reason("patent_termination", ctx.prof.name), "condition",
                     condition=Condition("patent_termination", ctx.prof.license))
    else:
        ctx.add_term(term, Reason("license_termination", ctx.prof.name), "prohibited")
