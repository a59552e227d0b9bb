"""Regions: licenses that grant no rights in a place, or only where the provider offers the service.

License concepts:
- *service area*: using it from a place it is not offered, or routing around a geo-block → prohibited;
- *regional exclusion*: no rights in a named region. Who is excluded matters (*establishment vs
  residence*): a clause aimed at those "domiciled in" or with a "principal place of business in" the
  region reaches a company established there, not a person there using someone else's product
  ("does not apply to end users"), whatever that person's residence; nor an organisation whose seat is
  known to be elsewhere, though a team or office of it works in the region (a Dublin team of a US company
  is not a principal place of business in the EU). A clause that names no seat (use *in* a territory)
  reaches the team where it works. A clause scoped to *some members of a family* ("with respect to
  any multimodal models") does not reach a text-only member. When the use settles these points the
  exclusion prohibits or does not apply; when it leaves them open it is a condition to check.
"""
from __future__ import annotations

import re

from ..context import RuleContext
from ..result import Condition, Reason

_END_USER_CARVE_OUT = re.compile(r"\b(does not apply to end users|not apply to end users|except(ing)? (for )?(end )?users|"
                                 r"end users of a product or service)\b", re.I)
_MULTIMODAL_SCOPE = re.compile(r"\bwith respect to (any|the) (\w+ ){0,2}(multimodal|vision|image)\w* models?\b|"
                               r"\b(multimodal|vision) models? (included|contained) in\b", re.I)
# the exclusion is aimed at where a person or organisation is established, not where the model is used
_ESTABLISHMENT_SCOPE = re.compile(r"\b(domiciled|principal place of business|(established|incorporated|headquartered|"
                                  r"registered|organi[sz]ed) (in|under)|registered office|place of (establishment|"
                                  r"incorporation)|residen(t|ts|ce) (in|of))\b", re.I)
_OTHER_EXCEPTION = re.compile(r"\bunless\b", re.I)
# any scope at all: the exclusion reaches only some users or some models
_SCOPED = re.compile(r"\b(does not apply to|not apply to end users|except(ing)? (for )?(end )?users|"
                     r"with respect to any \w+ models?|unless)\b", re.I)


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    geo = t.get("geo_restriction")
    if geo is None:
        return
    if facts.unsupported_region and geo.attitude == "cannot":
        ctx.add_term(geo, Reason("unsupported_region", prof.name), "prohibited")
    if not facts.regions:
        return
    regions = set(geo.params.get("regions", []))
    hit = [r for r in facts.regions if r in regions or (r == "European Union" and "EEA" in regions)]
    if not hit:
        return
    text = " ".join(ctx.clauses_of(geo, 3).split())
    where = ", ".join(hit)
    scoped_to_multimodal = bool(_MULTIMODAL_SCOPE.search(text))
    if scoped_to_multimodal and facts.model_modality == "text":
        return  # the exclusion is for the family's multimodal members; this one is text-only
    end_user_carve_out = bool(_END_USER_CARVE_OUT.search(text))
    if end_user_carve_out and facts.end_user_of_product:
        return  # a person there using someone else's product is outside the exclusion, wherever they live
    if _ESTABLISHMENT_SCOPE.search(text) and facts.established and not any(r in facts.established for r in hit):
        return  # established elsewhere: a team or office in the region is not a seat there
    scoped = bool(_SCOPED.search(text))
    # the use settles every scope the clause has: a multimodal member, and an establishment in the region
    # where end users are carved out; any other exception ("unless …") the use cannot settle
    settled = (not scoped_to_multimodal or facts.model_modality == "multimodal") and (
        not end_user_carve_out or any(r in facts.established for r in hit)) and not _OTHER_EXCEPTION.search(text)
    if scoped and not settled:
        ctx.add_term(geo, Reason("regional_carve_out", prof.name, where=where), "condition",
                     condition=Condition("regional", prof.license, where=where))
    else:
        ctx.add_term(geo, Reason("regional_exclusion", prof.name, where=where), "prohibited")
