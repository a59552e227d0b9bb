"""A duty to comply with the law (issue 11, class: unlawful acts under an obey-the-law clause).

Many texts' only restriction that reaches a use is "comply with all applicable law" / "do not use the model for
illegal purposes" (the `illegal` term). The category layer treats that term as a generic duty: its head may only
make it possible, and the behavioural rules never review a possible generic duty, because licensing acts (sell,
publish, relicense) read like it to an embedding. A use that plainly *is* a crime — fabricated invoices for tax
refunds, extortion, forgery, bribery, laundering, identity theft, smuggling — was then answered allowed.

*Unlawful act under a duty to obey the law*: the fact `unlawful_act`, read by a fact head trained on a varied bank of
crimes against lawful work in the same fields (corpus/exemplars/facts/unlawful_act.yaml with the `illegal`
category's bank; thresholds held out on the bank, evals/train_categories.py):
- read clearly, under a `cannot` illegal term, and the category layer reads some harm in the use (a category
  certain or possible: two readers agree) → prohibited, the clause requiring compliance with law cited;
- read only near the threshold ("possible") → nothing: a review there was measured (2026-12-07) and cost a held-out
  paraphrase (an allowed use answered unclear) while it gained no dev-split case; the level stays in the frame;
- a use that says it depicts, studies or counters the act (a crime novel, a lesson, a fraud-detection queue:
  corpus/vocab/unlawful_act.yaml) → not reached: the head reads the field, the use says it is not committing the act.

*Lawfulness depends on where* (lawful_where): a trade lawful in some places and a crime in others (gambling for money),
with the user's whereabouts unsaid or withheld → unclear (issue 11, missing facts surface as unclear).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..facts import said
from ..result import Reason
from ..vocab import read_vocab


@lru_cache(maxsize=1)
def _not_committed() -> re.Pattern:
    v = read_vocab("unlawful_act")
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in v["depicted"] + v["countered"]) + ")")


def depicts_or_counters(text: str) -> bool:
    """Does the use say it depicts, studies or counters the act (fiction, teaching, detection), not commits it?"""
    return said(text.lower(), _not_committed())


@lru_cache(maxsize=1)
def _where_dependent() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("jurisdiction_dependent")
    alt = lambda ps: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in ps) + ")")
    return alt(v["trades"]), alt(v["withheld"])


def lawful_where(ctx: RuleContext) -> bool:
    """*Lawfulness depends on where* (corpus/vocab/jurisdiction_dependent.yaml): a use in a trade that is lawful in
    some places and a crime in others (gambling for money), under a duty to comply with applicable law, from a user who
    does not say where they are (or says they will not) — whether the duty is met is a fact the question leaves open →
    review (unclear), the clause requiring compliance with law cited. True when it applied. A use that says where it
    is, or a text that names the trade itself (its own rules then decide), is left to the other rules."""
    f = ctx.facts
    illegal = ctx.prof.terms.get("illegal")
    if illegal is None or illegal.attitude != "cannot" or "illegal" in f.negated:
        return False
    trade, withheld = _where_dependent()
    low = f.text.lower()
    if not said(low, trade):
        return False
    if (f.regions or f.established) and not said(low, withheld):
        return False
    if any(x.license == ctx.prof.license and x.effect in ("prohibited", "review") for x in ctx.result.findings):
        return False  # a ban that names the act, or a review, already speaks for the text
    ctx.add_term(illegal, Reason("lawful_where", ctx.prof.name), "review", limit=1)
    return True


def apply(ctx: RuleContext):
    level = ctx.facts.unlawful_act
    if level != "clear" and lawful_where(ctx):
        return
    illegal = ctx.prof.terms.get("illegal")
    if level != "clear" or illegal is None or illegal.attitude != "cannot" or "illegal" in ctx.facts.negated:
        return
    if any(f.category == "illegal" and f.effect == "prohibited" and f.license == ctx.prof.license
           for f in ctx.result.findings):
        return  # the behavioural rules already decided it from a named crime
    if depicts_or_counters(ctx.facts.text):
        return
    if not (ctx.facts.categories or ctx.facts.possible):
        # *two readings agree*: the fact head alone reads money words as a crime ("drafts answers to 'where's my
        # card' emails" scored above its threshold); the category layer must also read some harm in the use
        return
    ctx.add_term(illegal, Reason("unlawful_act", ctx.prof.name), "prohibited", limit=1)
