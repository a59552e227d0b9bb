"""*A research-only grant: teaching is another purpose.* A licence that grants use "solely for research purposes"
(and does not name education, teaching or instruction among its purposes, here or in the definitions it uses)
does not plainly grant use for running a course: teaching is a purpose of its own, which licences that mean to
grant it name ("for research and educational purposes"). A use whose stated purpose is teaching, not research,
is put up for review against the grant (unclear) — whether the licensor counts a class as research is a question
the text leaves open, not an "allowed".

The teaching words are data: corpus/vocab/teaching.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..result import Reason
from ..vocab import read_vocab

# the grant limited to research: "solely for research purposes", "exclusively for non-commercial research"
RESEARCH_ONLY_GRANT = re.compile(r"\b(solely|only|exclusively)\s+for\s+(?:[\w-]+\s+){0,3}?research\b[^.;]{0,60}", re.I)
# purposes that take teaching in: "research and educational purposes", "academic", "teaching and learning"
_EDUCATION_NAMED = re.compile(r"\b(educat\w*|teach\w*|instruction\w*|academic|learning|classroom|curricul\w*)\b", re.I)


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    v = read_vocab("teaching")
    teaching = re.compile("|".join(f"(?:{p})" for p in v["phrases"]), re.I)
    return teaching, re.compile(v["research_said"], re.I), re.compile(v["not_research"], re.I)


def teaching_not_research(use: str) -> bool:
    """Is the use's stated purpose teaching, with research not stated as a purpose (or denied)?"""
    teaching, research, not_research = _words()
    low = " ".join(use.lower().split())
    if not teaching.search(low):
        return False
    rest = not_research.sub(" ", low)
    return not research.search(rest)


def teaching_granted(ctx: RuleContext) -> bool:
    """*A grant that names education admits teaching*: "solely for research and educational purposes" grants a
    non-commercial teaching use (a class, a lecture, pupils trying the model) though the use states no research; the
    research-only reading must not ban it. A commercial course is another matter (left to the commercial limits)."""
    if ctx.facts.commercial or not teaching_not_research(ctx.facts.text):
        return False
    for f in ctx.profiler.features(ctx.prof.license):
        if f.flags["definition"]:
            continue
        m = RESEARCH_ONLY_GRANT.search(" ".join(f.clause.text.split()))
        if m is not None and _EDUCATION_NAMED.search(ctx.read_with_definitions(m.group(0))):
            ctx.add_clause(f.clause.id, "research_only", "can", Reason("teaching_granted", ctx.prof.name,
                                                                       purposes="research and education"), "grant",
                           pattern=RESEARCH_ONLY_GRANT)
            return True
    return False


def apply(ctx: RuleContext):
    if not teaching_not_research(ctx.facts.text):
        return
    for f in ctx.profiler.features(ctx.prof.license):
        if f.flags["definition"]:
            continue
        text = " ".join(f.clause.text.split())
        m = RESEARCH_ONLY_GRANT.search(text)
        if m is None:
            continue
        # the purposes as the clause states them, read with the definitions they use ("Research Purposes" means …)
        if _EDUCATION_NAMED.search(ctx.read_with_definitions(m.group(0))):
            teaching_granted(ctx)  # the grant names teaching among its purposes: it is the grant cited
            return
        ctx.add_clause(f.clause.id, "research_only", "cannot",
                       Reason("teaching_outside_research", ctx.prof.name, purposes="research"), "review",
                       pattern=RESEARCH_ONLY_GRANT)
        return
