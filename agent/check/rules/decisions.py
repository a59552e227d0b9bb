"""Automated decisions: a ban on letting a model decide about people (credit, hiring, insurance …).

The license concept: what is banned is the *automated* decision. So
- a use whose category is automated decisions, or that scores / recommends / prices in a
  consequential decision (`decision_support`), with a person making each final decision, is
  outside the ban provided it stays so → a condition (*person decides* cure);
- the same use without a person deciding → prohibited when it is the category, review when the
  model only informs the decision;
- a ban that says it applies *even when* a person makes the final decision (an explicit exception,
  "regardless of human review", "whether or not a human …") has no cure → prohibited; the exception is
  scoped to its own clause (it may cover only one kind of decision: payday lending, not all lending).
"""
from __future__ import annotations

import dataclasses
import re

from ..context import RuleContext
from ..result import Condition, Reason

TERM = "automated_decisions"
_DECISIONS = "automated decision-making"  # the category, in words
# The license itself removes the person-decides cure.
EXCEPTION_TO_CURE = re.compile(
    r"\b(even (if|when|where|though)|regardless of (whether)?|whether or not|irrespective of( whether)?|including "
    r"(where|when|if))\b[^.;]{0,80}\b(human|person|people|individual|natural person|reviewer|oversight|review)",
    re.I)


def cure_excluded(clause_text: str) -> bool:
    """Does the clause say its ban applies even when a person makes the decision?"""
    return bool(EXCEPTION_TO_CURE.search(" ".join(clause_text.split())))


_WORD = re.compile(r"[a-z]{4,}")


def _no_cure(ctx: RuleContext, term) -> bool:
    """Does a ban the use falls under apply even when a person decides? An exception to the cure is scoped to
    its own clause: beside a general ban that keeps the cure ("… with legal effects, unless a human decides"), a
    clause that names a narrower subject ("… for payday lending even when a human decides") removes the cure only
    for uses that name that subject."""
    texts = [" ".join(ctx.clause_text(e.clause_id).split()) for e in term.evidence[:3]]
    excepted = [t for t in texts if cure_excluded(t)]
    if not excepted:
        return False
    general = [t for t in texts if not cure_excluded(t)]
    if not general:
        return True
    shared = set(_WORD.findall(" ".join(general).lower()))
    use_words = set(_WORD.findall(ctx.facts.text.lower()))
    for text in excepted:
        subject = set(_WORD.findall(EXCEPTION_TO_CURE.sub(" ", text).lower())) - shared
        if not subject or subject & use_words:
            return True
    return False


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    term = prof.terms.get(TERM)
    if term is None:
        return
    named = TERM in facts.categories
    possible = TERM in facts.possible
    if not (named or possible or facts.decision_support):
        return
    if term.attitude != "cannot":
        return
    no_cure = _no_cure(ctx, term)
    if facts.human_review and not no_cure:
        ctx.add_term(term, Reason("human_decision", prof.name), "condition", limit=1,
                     condition=Condition("human_decision", prof.license))
    elif facts.human_review and no_cure:
        # the clause that decides is the one with the exception to the cure, not the general ban beside it
        excepted = [e for e in term.evidence[:3] if cure_excluded(ctx.clause_text(e.clause_id))]
        ctx.add_term(dataclasses.replace(term, evidence=excepted or term.evidence), Reason("no_cure", prof.name),
                     "prohibited", limit=1)
    elif named:
        ctx.add_term(term, Reason("forbids", prof.name, _DECISIONS), "prohibited")
    elif possible and not facts.decision_support:
        ctx.add_term(term, Reason("may_involve", prof.name, _DECISIONS), "review", limit=1)
    else:
        ctx.add_term(term, Reason("who_decides", prof.name), "review", limit=1)
