"""Automated decisions: a ban on letting a model decide about people (credit, hiring, insurance …).

The license concept: what is banned is the *automated* decision. So
- a use whose category is automated decisions, or that scores / recommends / prices in a
  consequential decision (`decision_support`), with a person making each final decision, is
  outside the ban provided it stays so → a condition (*person decides* cure);
- the same use without a person deciding → prohibited when it is the category, review when the
  model only informs the decision;
- a ban that says it applies *even when* a person makes the final decision (an explicit exception,
  "regardless of human review", "whether or not a human …") has no cure → prohibited; the exception is
  scoped to its own clause (it may cover only one kind of decision: payday lending, not all lending);
- a ban that names its own cure, a *statement that the decision is machine-made* ("… without expressly
  disclaiming that the obligation is machine generated"), is met by a use that states it → a condition (keep
  stating it); a clause of the same ban without that cure still reaches uses that name its own subject.
"""
from __future__ import annotations

import dataclasses
import re

from corpus.taxonomy import load_taxonomy

from ..context import RuleContext
from ..result import Condition, Reason

TERM = "automated_decisions"
_DECISIONS = "automated decision-making"  # the category, in words
# The license itself removes the person-decides cure.
EXCEPTION_TO_CURE = re.compile(
    r"\b(even (if|when|where|though)|regardless of (whether)?|whether or not|irrespective of( whether)?|including "
    r"(where|when|if))\b[^.;]{0,80}\b(human|person|people|individual|natural person|reviewer|oversight|review)",
    re.I)


# The ban's own cure: it applies only without a statement that the decision or its output is machine-made.
DISCLOSURE_CURE = re.compile(
    r"\b(without|unless|except (where|when|if))\b[^.;]{0,60}\b(disclaim|disclos|stat|indicat|label|inform|notif|declar)"
    r"\w*[^.;]{0,100}\b(machine|ai|computer|algorithm\w*|automat\w*)[- ]?(generated|made|created|produced|decided)\b", re.I)


def disclosure_cures(clause_text: str) -> bool:
    """Does the clause ban only decisions not stated to be machine-made?"""
    return bool(DISCLOSURE_CURE.search(" ".join(clause_text.split())))


def states_machine_made(use: str) -> bool:
    """Does the use say it tells people the output is machine-made (the AI-disclosure term's `complied_by`
    wordings, corpus/vocab/uses/ai_disclosure.yaml)?"""
    complied = load_taxonomy()["ai_disclosure"].complied_re
    low = use.lower()
    return complied is not None and any(not _NEGATED.search(low[max(0, m.start() - 30):m.start()])
                                        for m in complied.finditer(low))


_NEGATED = re.compile(r"\b(no|not|never|without|(do|does|did|wo|would|will)n['’]t)\b[^.;]{0,25}$", re.I)


def _disclosure_cured(ctx: RuleContext, term) -> bool:
    """The use states the cure a clause of the ban names, and no clause of the ban without that cure names a
    subject of the use (a ban on "fully automated decisions in justice processes" beside the cured one)."""
    texts = [" ".join(ctx.clause_text(e.clause_id).split()) for e in term.evidence[:3]]
    cured = [t for t in texts if disclosure_cures(t)]
    if not cured or not states_machine_made(ctx.facts.text):
        return False
    shared = set(_WORD.findall(" ".join(cured).lower()))
    use_words = set(_WORD.findall(ctx.facts.text.lower()))
    return not any((set(_WORD.findall(t.lower())) - shared) & use_words for t in texts if t not in cured)


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
    # the use's subject includes who the actor is by its vocabulary name: "a two-week cash-advance shop" is a
    # payday lender (corpus/vocab/actors.yaml), the subject of a clause on "payday lending"
    use_words = set(_WORD.findall((ctx.facts.text + " " + " ".join(ctx.facts.actors).replace("_", " ")).lower()))
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
    if _disclosure_cured(ctx, term):
        cured = [e for e in term.evidence[:3] if disclosure_cures(ctx.clause_text(e.clause_id))]
        ctx.add_term(dataclasses.replace(term, evidence=cured), Reason("machine_made_stated", prof.name), "condition",
                     limit=1, condition=Condition("state_machine_made", prof.license))
    elif facts.human_review and not no_cure:
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
