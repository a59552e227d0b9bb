"""Defined purposes: a licence's own definition of its permitted use applied to the frame of the use.

A non-commercial or research grant is read with the definition it uses (definitions.py), and what that definition
admits or leaves out is data (corpus/vocab/defined_purposes.yaml, section `licence`). The use is read into the
facts those definitions turn on (section `use`): who (the employer's legal form, a charity), does what (a hobby, a
published study, a trial, a live deployment), and what money flows (paid directly, raised at one remove).

License concepts (each a function below; rules/commercial.py decides with them):
- *hobby prong*: a definition that admits personal hobby use "not connected to … employment" admits an employee's
  own unpaid hobby; the employer named only to say the use is apart from the job does not make it commercial.
- *research not aimed at commercial advantage*: "non-commercial research", "research not primarily intended for
  commercial advantage" turn on the purpose, not the employer's form. A company lab's study with research ends (a
  paper, published findings) and products denied is that research (a grant); the same study that leaves the product
  question open is unclear — the motive is a fact the use does not give. A definition that limits research to
  academic or non-profit bodies is not read this way.
- *defined evaluation purpose*: "research or evaluation purposes only" admits a company's trial; where the use does
  not say the trial stays in-house and out of production, which the definition asks, the answer is open (unclear),
  not a ban.
- *charitable prong and the payment proviso*: a charity's use for its purposes is admitted; where the definition adds
  that no "direct or indirect payment" may arise, a use aimed at raising money (fundraising, donations, sponsorship)
  leaves open whether that is indirect payment (unclear); money paid for goods or services is outside the prong.
- *commercial use defined to include promotion*: a definition of commercial purposes that takes in use "directly or
  indirectly, for the operation, promotion …" of an entity makes a business's promotional copy commercial use (its
  duties, registration say, apply), though the use sells nothing.
- *production use left out*: a grant "for purposes other than commercial or production use" (or a list of what one
  may not do that names "commercial or production purposes") does not reach a live deployment for an audience — a
  public installation for a year, a service every visitor uses — though nothing is sold.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..definitions import definitions
from ..vocab import read_vocab

# a negation just before a phrase cancels it there ("no fees", "not paid", "without ads", "free of charge")
_NEGATED_BEFORE = re.compile(r"\b(no|not|never|without|free of|zero|nor|(do|does|did|wo|would|is|are)n['’]t)\b[\w\s,-]{0,15}$")


@lru_cache(maxsize=1)
def _words() -> dict[str, re.Pattern]:
    v = read_vocab("defined_purposes")
    return {f"{side}.{k}": re.compile(p, re.I) for side in ("licence", "use") for k, p in (v.get(side) or {}).items()}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def said(text: str, key: str) -> bool:
    """A phrase of the vocabulary `key` occurs in the text, not negated just before."""
    low = _norm(text)
    return any(not _NEGATED_BEFORE.search(low[max(0, m.start() - 25):m.start()]) for m in _words()[key].finditer(low))


def found(text: str, key: str) -> bool:
    """A phrase of `key` occurs (negated or not: the licence's words, or a denial the pattern itself states)."""
    return bool(_words()[key].search(_norm(text)))


def definition_of(ctx: RuleContext, term) -> str:
    """The clauses a term was read from, with the definitions of the defined terms they use."""
    return ctx.read_with_definitions(ctx.clauses_of(term, 3))


def hobby_prong(ctx: RuleContext, term) -> bool:
    """*Hobby prong*: the definition admits personal hobby use, the use is the user's own unpaid hobby, and an
    employer or trade it names is named to set the use apart from work (where the prong asks that)."""
    f = ctx.facts
    hobby = said(f.text, "use.hobby") or said(f.text, "use.own") and found(f.text, "use.work_denied")
    if f.hosting or not hobby or said(f.text, "use.direct_money"):
        return False
    text = definition_of(ctx, term)
    if not found(text, "licence.hobby"):
        return False
    if found(text, "licence.unconnected_to_work") and found(f.text, "use.for_profit") and not found(f.text, "use.work_denied"):
        return False
    return True


def research_purpose(ctx: RuleContext, term, product_work: bool) -> str | None:
    """*Research not aimed at commercial advantage*: "grant" (a study with research ends, products denied), "open"
    (research ends, the product question left open), or None (not such a study, or research limited to other actors)."""
    f = ctx.facts
    # (a study the frame reads as research or publication, with research ends said: not a business task that mentions
    # papers)
    if not (f.research or f.publication) or not said(f.text, "use.research_ends") or product_work or f.hosting or f.distribution or \
            said(f.text, "use.direct_money"):
        return None
    text = definition_of(ctx, term)
    # (research named as the purpose, or non-commercial defined by its motive: "not primarily intended for commercial
    # advantage" — a published study is judged by its aim there too)
    if not (found(text, "licence.research") or found(text, "licence.research_motive")) or \
            found(text, "licence.research_actors"):
        return None
    return "grant" if found(f.text, "use.product_denied") else "open"


def evaluation_open(ctx: RuleContext, term, product_work: bool) -> bool:
    """*Defined evaluation purpose*: the definition admits evaluation, the use is a trial (no product, no money, not
    served to others), and whether it stays out of production is not said."""
    f = ctx.facts
    if not (f.non_production or said(f.text, "use.trial")) or product_work or f.hosting or f.distribution or said(f.text, "use.direct_money"):
        return False
    return found(definition_of(ctx, term), "licence.evaluation")


def charity_reading(ctx: RuleContext, term, prong) -> str | None:
    """*Charitable prong*: "grant" (a charity's use earning nothing), "open" (it raises money at one remove under a
    proviso on direct or indirect payment), None (no charity, money paid for goods or services, or no prong)."""
    f = ctx.facts
    if not said(f.text, "use.charity") or said(f.text, "use.direct_money"):
        return None
    text = definition_of(ctx, term)
    if not prong(text):
        return None
    if said(f.text, "use.indirect_money"):
        return "open" if found(text, "licence.indirect_payment") else "grant"
    return "grant"


def production_clause(ctx: RuleContext) -> tuple[str, re.Pattern] | None:
    """The clause that leaves production use out of the licence's grant (its id and the words that say so)."""
    pattern = _words()["licence.production_excluded"]
    for feat in ctx.profiler.features(ctx.prof.license):
        if pattern.search(_norm(feat.clause.text)):
            return feat.clause.id, re.compile(r"[^.;]*" + pattern.pattern + r"[^.;]*", re.I)
    return None


def production_use(ctx: RuleContext) -> bool:
    """*Production use*: the model put into ongoing use for an audience (served to others, or on public screens for a
    season), not a trial, a study or a personal experiment."""
    f = ctx.facts
    if f.non_production or f.research or f.commercial:
        return False
    ongoing, audience = said(f.text, "use.ongoing"), said(f.text, "use.audience")
    return (f.hosting and (ongoing or audience)) or (ongoing and audience)


def promotion_defined_commercial(ctx: RuleContext) -> bool:
    """*Commercial use defined to include promotion*: the use promotes a business (not a charity's or a hobbyist's), and
    the licence's definition of commercial use takes in promotion."""
    f = ctx.facts
    if f.commercial is not None or not said(f.text, "use.promotion") or said(f.text, "use.charity") or \
            said(f.text, "use.hobby"):
        return False
    entry = ctx.profiler.corpus.get(ctx.prof.license)
    return any("commercial" in term and found(text, "licence.commercial_includes_promotion")
               for term, text in definitions(entry.text).items())
