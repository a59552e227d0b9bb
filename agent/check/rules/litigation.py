"""Litigation termination: suing over the model (or its patents) ends the license.

License concepts: termination that ends every license granted → the use cannot continue (prohibited);
termination of the patent license only (Apache-2.0 style) → a condition; *defensive exception*: a termination
that spares a suit "in response to a corresponding lawsuit first brought against you" (a counterclaim) does not
reach a use whose claim answers one brought against the user first → the clause does not end the license.
"""
from __future__ import annotations

import re

from ..context import RuleContext
from ..result import Condition, Reason

_PATENT_ONLY = re.compile(r"patent\s+licen[cs]es?\s+granted", re.I)
# the clause's exception for defensive suits: "unless that lawsuit was in response to a corresponding lawsuit first
# brought against you", "except a counterclaim answering a claim first filed against you"
_DEFENSIVE_EXCEPTION = re.compile(r"\b(unless|except|other than|excluding|save)\b[^.;]{0,120}\b(in response|respon\w*|"
                                  r"answer\w*|counter-?claim\w*|defen[cs]\w*)\b[^.;]{0,120}\b(first|initially|"
                                  r"previously|already)\b[^.;]{0,40}\b(brought|filed|instituted|asserted|initiated|"
                                  r"started)\b[^.;]{0,30}\bagainst\s+(you|licensee)\b", re.I)
# the use's claim answers one brought against the user: "they sued us first", "our counterclaim", "in response"
_DEFENSIVE_USE = re.compile(r"\b(counter-?su\w*|counter-?claim\w*|cross-?claim\w*|in (response|retaliation|reply)|"
                            r"respond\w* (to|by)|(sued|sues|suing|sue) us|(filed|brought|started|launched|asserted) "
                            r"([\w-]+ ){0,3}against us|(claim|suit|lawsuit|case|action) against us)\b", re.I)


def apply(ctx: RuleContext):
    t = ctx.terms
    if not (ctx.facts.litigation and "termination_litigation" in t):
        return
    term = t["termination_litigation"]
    if _DEFENSIVE_EXCEPTION.search(" ".join(ctx.clauses_of(term, 2).split())) and _DEFENSIVE_USE.search(ctx.facts.text):
        ctx.add_term(term, Reason("litigation_defensive", ctx.prof.name), "grant", limit=1)
        return
    if _PATENT_ONLY.search(ctx.clauses_of(term, 2)):
        ctx.add_term(term, Reason("patent_termination", ctx.prof.name), "condition",
                     condition=Condition("patent_termination", ctx.prof.license))
    else:
        ctx.add_term(term, Reason("license_termination", ctx.prof.name), "prohibited")
