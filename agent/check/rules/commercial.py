"""Commercial limits: non-commercial-only, research-only, business-only licenses, user and revenue
thresholds, registration before commercial use.

License concepts:
- *non-commercial only*: a commercial use is prohibited; a non-profit's cost-covering income is left
  to review. A license whose own definition of the permitted use includes evaluation, testing or
  other non-production use lets a company evaluate the model internally (*non-production use*): a
  condition (keep it out of production), not a ban.
- *research only*: a commercial, hosted or distributed use is prohibited, unless it is internal,
  non-production research / evaluation that the license's definition admits.
- *business only*: personal or household use is prohibited.
- thresholds and registration: conditions; a user count that triggers a duty only for commercial use
  (*threshold for commercial use only*) leaves a non-commercial use alone; a threshold that adds the affiliates'
  figures reaches a member of a larger group whose figures are not stated (*affiliates count*); an internal tool
  beside a count of the organisation's customers, under a clause that counts "your product or service", leaves
  open whose users count (*whose users count is open*: unclear).
- *product use left out of the permitted purposes*: a research or non-commercial grant whose definition "does not
  include … product development or use in any commercial product or service" does not reach a use that puts the model
  into a product (an app's feature, a device, a service for users), though the use says nothing of money; where the
  left-out product is qualified as commercial, a use said to be non-commercial stays inside.
"""
from __future__ import annotations

import re
from functools import lru_cache

from corpus.taxonomy import load_taxonomy

from ...terms.money import CLOSE, describe
from ..context import RuleContext
from ..result import Condition, Missing, Reason
from ..vocab import read_vocab
from . import defined_purposes as dp
from .purpose_scope import teaching_granted

# The license defines its permitted (non-commercial / research) use to include internal evaluation.
NON_PRODUCTION_ADMITTED = re.compile(
    r"\b(non-?production|evaluat\w*|testing|test(ing)? purposes|internal (research|use|evaluation|testing)|"
    r"research (and|or) (development|evaluation)|scientific research|experiment\w*|benchmark\w*|"
    # "research purposes … does not include production use": research short of production is admitted
    r"(does not|do not|doesn't|shall not|will not) (include|cover|extend to) (any )?(commercial )?production)\b",
    re.I)
_PRODUCT_USE = re.compile(r"\b(production|commerciali[sz]\w*|monetis\w*|monetiz\w*|revenue|sell\w*|paying)\b", re.I)


def non_production_admitted(ctx: RuleContext, term) -> bool:
    """Internal non-production use (evaluation, testing, R&D) of a for-profit company, under a license whose
    own definition of the permitted use includes it — and does not leave out the purpose the use states (*grant
    scope*: a definition that "does not include … product development" does not admit a trial made to decide on a
    product, however internal)."""
    f = ctx.facts
    if not (f.non_production and (f.internal or f.product_development) and not f.hosting and not f.distribution):
        return False
    # the permitted use is often a defined term ("solely for your Non-Commercial Purposes"): its definition says
    # whether a company's evaluation is in it
    text = ctx.read_with_definitions(ctx.clauses_of(term, 3))
    if _product_work(f) and _product_work_left_out(text):
        return False
    if not f.internal and not FOR_PROFIT_ADMITTED.search(text):
        # *for-profit evaluation admitted*: a business trying a model toward a product or a purchase, not said to be
        # kept in-house, is inside only a definition that names for-profit entities' testing or evaluation itself
        return False
    return bool(NON_PRODUCTION_ADMITTED.search(text))


# *A company's R&D under a definition that leaves out product development*: "the R&D division of a toy manufacturer
# would like to experiment with it" is development toward the company's products, which "Research Purposes does not
# include … product development" leaves out — unless the definition itself admits for-profit entities' testing
# ("use by commercial or for-profit entities for testing, evaluation … in a non-production environment"), or the use
# states scientific ends (a paper, a publication).
FOR_PROFIT_ADMITTED = re.compile(r"\b(commercial|for-?profit|business) (or (for-?profit|commercial) )?(entit(y|ies)|"
                                 r"organi[sz]ations?|compan(y|ies))\b", re.I)
_SCIENTIFIC_ENDS = re.compile(r"\b(papers?|publication|publish\w*|journal|conference|thesis|scientific|academic)\b", re.I)


@lru_cache(maxsize=1)
def _company_rnd() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("product_development")
    return (re.compile(r"\b(?:" + "|".join(v["company"]) + r")\b", re.I),
            re.compile(r"\b(?:" + "|".join(v["rnd_unit"]) + r")\s+(?:group|team|department|division|lab|labs|unit|arm|"
                       r"centre|center|org|organi[sz]ation)s?\b", re.I))


def company_rnd(use: str) -> bool:
    company, unit = _company_rnd()
    return bool(company.search(use) and unit.search(use) and not _SCIENTIFIC_ENDS.search(use))


def product_development_reached(ctx: RuleContext, term) -> bool:
    """A company's trial toward a product, or its R&D unit's use, under a definition leaving out product development."""
    f = ctx.facts
    # a use read as product work (the product-development head, or the phrases' product intent) is product work though
    # a service or a hand-over is also read in it ("before deciding whether to build it into our next app"): the
    # definition leaves it out either way
    toward_product = f.product_development or product_intent(f.text)
    if (f.hosting or f.distribution) and not toward_product or f.research and _SCIENTIFIC_ENDS.search(f.text):
        return False
    if not (toward_product or company_rnd(f.text)):
        return False  # (before reading the definitions: the cheap test first)
    return _product_work_left_out(ctx.read_with_definitions(ctx.clauses_of(term, 3)))


def _product_work(f) -> bool:
    """Work toward a product: the fact head read it so, or the use states a trial for a product, or a company's R&D."""
    return f.product_development or product_intent(f.text) or company_rnd(f.text)


def _product_work_left_out(definition: str) -> bool:
    """The definition leaves product development out without admitting for-profit entities' testing."""
    return product_development_excluded(definition) and not FOR_PROFIT_ADMITTED.search(definition)


# *Grant scope: product development left out*. A research or non-commercial definition that names what it leaves
# out ("Research Purposes does not include any commercial exploitation, product development or use in any commercial
# product", "excluding product development", "not for the development of commercial products").
_LEAVES_OUT = r"(?:(?:does|do|shall|will) not (?:include|cover|extend to)|doesn'?t (?:include|cover)|exclud\w*|other than|" \
              r"except|not (?:for|including))"
PRODUCT_DEVELOPMENT_EXCLUDED = re.compile(
    _LEAVES_OUT + r"\b[^.;]{0,80}?\b(?:product development|(?:development|developing) (?:of )?(?:any )?(?:commercial )?"
    r"(?:products?|services?)|commercial (?:exploitation|development|evaluation)|pre-?commercial)\b", re.I)


def product_development_excluded(definition: str) -> bool:
    return bool(PRODUCT_DEVELOPMENT_EXCLUDED.search(" ".join(definition.split())))


@lru_cache(maxsize=1)
def _product_intent() -> re.Pattern:
    """A use made to decide on, build or prepare a product (corpus/vocab/product_development.yaml)."""
    product = "(?:" + "|".join(read_vocab("products")["products"]) + ")"
    return re.compile(r"\b(?:" + "|".join(f"(?:{p.replace('{product}', product)})" for p in
                                          read_vocab("product_development")["intent"]) + r")", re.I)


def product_intent(use: str) -> bool:
    """Does the use say it is done toward a product (a feasibility trial, a prototype of a paid feature, a step
    toward a product)? Negated mentions ("not building any product") do not count."""
    low = use.lower()
    return any(not re.search(r"\b(no|not|never|without|(do|does|did|wo|would|are|is)n['’]t)\b[\w\s,-]{0,20}$",
                             low[max(0, m.start() - 30):m.start()]) for m in _product_intent().finditer(low))


# *Charitable prong*: a non-commercial definition that counts use by a charitable organisation as non-commercial
# ("(iii) use by any charitable organization for charitable purposes", "non-profit organisations' use is
# Non-Commercial") admits a charity's use that earns nothing from the model or its output — a food bank's free
# leaflets — though the frame may read the actor as an organisation at work. A sentence that leaves charities out
# ("… does not include use by non-profit organisations") is no such prong.
_CHARITABLE_BODY = re.compile(r"\b(charitable|non-?profit|not-for-profit)\s+(organi[sz]ations?|entit(y|ies)|institutions?|"
                              r"bod(y|ies)|foundations?|associations?)\b", re.I)
_NOT_INCLUDED = re.compile(r"\b((does|do|shall|will) not (include|cover)|exclud\w*|is not|are not|not (be )?considered)\b",
                           re.I)
_CHARITY_ACTOR = re.compile(r"\b(charit(y|ies|able)|non-?profits?|not-for-profit|ngos?)\b", re.I)
# money the use or its output earns: selling, fees, revenue, ads, paying customers ("free", "at no charge" earn nothing)
_PAYMENT = re.compile(r"\b(sell\w*|sold|paid|paying|fees?|revenue|pric(e|es|ed|ing)|subscriptions?|charg(e|es|ed|ing) "
                      r"(for|\$|£|€|a fee|money)|for money|profits?|customers?|clients?|commissions?|ads|adverts?|"
                      r"advertis\w*|sponsor\w*|monetis\w*|monetiz\w*|raise money|fundrais\w*)\b", re.I)
_NO_PAYMENT_BEFORE = re.compile(r"\b(no|not|never|without|free of|zero|(do|does|did|wo|would)n['’]t)\b[\w\s,-]{0,15}$",
                                re.I)


def charitable_prong(definition: str) -> bool:
    sentences = re.split(r"(?<=[.;])\s+|\(\w{1,4}\)\s", " ".join(definition.split()))
    return any(_CHARITABLE_BODY.search(s) and not _NOT_INCLUDED.search(s[:_CHARITABLE_BODY.search(s).start()])
               for s in sentences)


def charitable_use(ctx: RuleContext, term) -> bool:
    """A charity's use that earns nothing, under a non-commercial definition with a charitable prong."""
    low = ctx.facts.text.lower()
    if not _CHARITY_ACTOR.search(low):
        return False
    if any(not _NO_PAYMENT_BEFORE.search(low[max(0, m.start() - 25):m.start()]) for m in _PAYMENT.finditer(low)):
        return False
    return charitable_prong(ctx.read_with_definitions(ctx.clauses_of(term, 3)))


# *Product use left out of the permitted purposes*: the definition's own exclusion ("does not include any commercial
# exploitation, product development or use in any commercial product or service"; "excluding use in products or
# services"); group "commercial" says whether the product left out is only a commercial one
_PRODUCT_USE_EXCLUDED = re.compile(
    _LEAVES_OUT + r"\b[^.;]{0,100}?\b(?:product development|(?:development|developing) (?:of )?(?:any )?(?P<c1>commercial )?"
    r"(?:products?|services?)|use (?:in|within|as part of) (?:any |a )?(?P<c2>commercial )?(?:products?|services?|"
    r"applications?))\b", re.I)
# the model put into a product: passed on or served inside an app, a feature, a device, a service
_PRODUCT_NOUN = re.compile(r"\b(apps?|applications?|products?|features?|devices?|games?|plug-?ins?|extensions?|"
                           r"services?|platforms?|websites?|software|firmware|kiosks?|handsets?|phones?)\b", re.I)


# "put it in our museum's visitor app", "the model would power the translation mode of the e-reader we make", "embed
# it in the kiosk software": the model placed inside a product, however the product is named
_PLACED_IN_PRODUCT = re.compile(
    r"\b(put\w*|add\w*|embed\w*|integrat\w*|bundl\w*|ship\w*|includ\w*|install\w*|deploy\w*|wir\w*|plug\w*|bak\w*)"
    r" ([\w.'’-]+ ){0,3}?(in|into|inside|within|to|on) (our|my|the|their|its|a|an) ([\w'’-]+ ){0,3}?" + _PRODUCT_NOUN.pattern +
    r"|\b(power|powers|powering|drive|drives|driving|run|runs|running) (the |our |a |an |its )?([\w'’-]+ ){0,4}?(of|in|inside|"
    r"for|behind) (the|our|my|a|an|its|their) ([\w'’-]+ ){0,3}?" + _PRODUCT_NOUN.pattern, re.I)


def product_use_excluded(ctx: RuleContext, term) -> bool:
    """The use puts the model into a product, and the permitted purposes (with their definitions) leave that out."""
    facts = ctx.facts
    if facts.internal or facts.end_user_of_product or facts.outputs_only:
        return False
    placed = _PLACED_IN_PRODUCT.search(facts.text)
    if not (placed or (facts.distribution or facts.hosting) and _PRODUCT_NOUN.search(facts.text)):
        return False
    m = _PRODUCT_USE_EXCLUDED.search(" ".join(ctx.read_with_definitions(ctx.clauses_of(term, 3)).split()))
    if m is None:
        return False
    only_commercial = bool(m.group("c1") or m.group("c2")) and "product development" not in m.group(0).lower()
    return not (only_commercial and facts.commercial is False)


# *A disjunctive grant: the internal-business prong*. "solely for your internal business purposes or for your own
# non-commercial personal use" grants either purpose: a company's use kept inside the company (its own servers, its own
# staff, nothing offered to clients) is inside the first prong though it is commercial. A grant with no business prong
# ("solely for non-commercial purposes"), or one that names internal business use only to leave it out, has none.
_INTERNAL_BUSINESS = re.compile(r"\binternal (business|operations?|corporate|commercial)( (purposes?|operations?|use|uses|"
                                r"needs))?\b|\binternal(ly)? (use|purposes?) (of|within|by) (your|the licensee'?s?) "
                                r"(business|company|organi[sz]ation|enterprise)\b", re.I)
_PRONG_LEFT_OUT = re.compile(r"\b(not|excluding|except|other than|no)\b[^.;]{0,30}$", re.I)
# (offered to others, not records about customers: "fake customer records for internal QA" stays inside)
_OFFERED_TO_OTHERS = re.compile(r"\b((to|for) (our |its |their |outside |external |paying )?(clients?|customers?|third[- ]"
                                r"part(y|ies)|other (companies|businesses))|for a fee|paid service|sell\w*|resell\w*|"
                                r"deliver\w* (\w+ ){0,3}to|on behalf of)\b", re.I)


def internal_business_prong(ctx: RuleContext, term) -> bool:
    """A use kept inside the user's own business, under a grant whose purposes include internal business use."""
    f = ctx.facts
    if not f.internal or f.hosting or f.distribution or _OFFERED_TO_OTHERS.search(f.text):
        return False
    for ev in term.evidence[:3]:
        text = " ".join(ctx.clause_text(ev.clause_id).split())
        for m in _INTERNAL_BUSINESS.finditer(text):
            if not _PRONG_LEFT_OUT.search(text[max(0, m.start() - 40):m.start()]):
                return True
    return False


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    for key in ("research_only", "noncommercial"):
        if key in t and t[key].attitude == "cannot" and product_development_reached(ctx, t[key]):
            ctx.add_term(t[key], Reason("product_development_excluded", prof.name), "prohibited")
            break
    for key in ("research_only", "noncommercial"):
        if key in t and t[key].attitude == "cannot" and not facts.commercial and not non_production_admitted(
                ctx, t[key]) and product_use_excluded(ctx, t[key]):
            ctx.add_term(t[key], Reason("product_use_excluded", prof.name), "prohibited")
            break
    charity = dp.charity_reading(ctx, t["noncommercial"], charitable_prong) if "noncommercial" in t else None
    if charity == "open":
        # *the payment proviso*: the charity raises money with the output; whether that is the "indirect payment" the
        # definition leaves out, the text does not settle
        ctx.add_term(t["noncommercial"], Reason("indirect_payment_open", prof.name), "review", limit=1)
    elif charity == "grant" or "noncommercial" in t and charitable_use(ctx, t["noncommercial"]):
        # cite the clause that states the prong (often a definition), not only the grant that uses the defined term
        prong = next((f.clause.id for f in ctx.profiler.features(prof.license) if charitable_prong(f.clause.text)), None)
        if prong is not None:
            ctx.add_clause(prong, "noncommercial", "can", Reason("charitable", prof.name), "grant",
                           pattern=re.compile(r"[^.;]*" + _CHARITABLE_BODY.pattern + r"[^.;]*", re.I))
        else:
            ctx.add_term(t["noncommercial"], Reason("charitable", prof.name), "grant", limit=1)
    elif (facts.commercial or dp.promotion_defined_commercial(ctx)) and "noncommercial" in t:
        if internal_business_prong(ctx, t["noncommercial"]):
            # the grant's other prong: internal business use, which this use is
            ctx.add_term(t["noncommercial"], Reason("internal_business", prof.name), "grant", limit=1)
        elif non_production_admitted(ctx, t["noncommercial"]):
            # the use is what the definition admits (internal, non-production): nothing is left to do
            ctx.add_term(t["noncommercial"], Reason("non_production", prof.name), "grant", limit=1)
        elif not _defined_purpose(ctx, t["noncommercial"]):
            ctx.add_term(t["noncommercial"], Reason("noncommercial", prof.name), "prohibited")
    elif facts.commercial_doubt and "noncommercial" in t:
        ctx.add_term(t["noncommercial"], Reason("commercial_doubt", prof.name, doubt=facts.commercial_doubt), "review",
                     limit=1)
    business_only = t.get("business_only")
    if business_only is not None and business_only.attitude == "cannot" and not facts.commercial and \
            load_taxonomy()["business_only"].matches_use(facts.text):
        ctx.add_term(business_only, Reason("business_only", prof.name), "prohibited", limit=1)
    if "research_only" in t and (facts.commercial or not facts.research) and not teaching_granted(ctx):
        if (facts.commercial or facts.hosting or facts.distribution) and not non_production_admitted(
                ctx, t["research_only"]) and not (facts.commercial and _defined_purpose(ctx, t["research_only"])):
            ctx.add_term(t["research_only"], Reason("research_only", prof.name), "prohibited")
    _production_left_out(ctx)
    _thresholds(ctx)
    registration = t.get("registration")
    # the clause, not only its quoted line, says the registration is for commercial use: a hard-wrapped clause quotes
    # one line of it ("and send completed Registration Form to the email:")
    if registration and (facts.commercial or dp.promotion_defined_commercial(ctx)) and "noncommercial" not in t and re.search(
            r"commercial", ctx.clauses_of(registration, 2), re.I):
        if not ("user_threshold" in t and registration.evidence[0].clause_id
                == t["user_threshold"].evidence[0].clause_id):
            ctx.add_term(registration, Reason("register", prof.name), "condition",
                         condition=Condition("register", prof.license))


def _defined_purpose(ctx: RuleContext, term) -> bool:
    """A use read as commercial (often by the employer's form alone) that the definition of the permitted purpose
    admits (a hobby, a published study, a trial) or leaves open: the finding is added here; False when none applies."""
    prof, product_work = ctx.prof, _product_work(ctx.facts)
    if dp.hobby_prong(ctx, term):
        ctx.add_term(term, Reason("hobby_prong", prof.name), "grant", limit=1)
        return True
    # (a product said in the use's words decides; the product head's guess from a company's name does not beat a use
    # that denies any product, and without a denial the study is left open anyway)
    research = dp.research_purpose(ctx, term, product_intent(ctx.facts.text))
    if research == "grant":
        ctx.add_term(term, Reason("research_purpose", prof.name), "grant", limit=1)
        return True
    if research == "open":
        ctx.add_term(term, Reason("research_motive_open", prof.name), "review", limit=1)
        return True
    # (a trial toward a product is still evaluation, unless the definition leaves product work out)
    if dp.evaluation_open(ctx, term, product_work and _product_work_left_out(dp.definition_of(ctx, term))):
        ctx.add_term(term, Reason("evaluation_open", prof.name), "review", limit=1)
        return True
    return False


def _production_left_out(ctx: RuleContext):
    """*Production use left out*: a live deployment for an audience under a grant that excludes production use."""
    if not dp.production_use(ctx):
        return
    hit = dp.production_clause(ctx)
    if hit is not None:
        ctx.add_clause(hit[0], "noncommercial", "cannot", Reason("production_excluded", ctx.prof.name), "prohibited",
                       pattern=hit[1])


_SENTENCE = re.compile(r"[^.;]+(?:[.;]|$)")


# *Threshold for commercial use only*: "if you are commercially using the Materials, and your product … has more than
# 100 million monthly active users", "used for any of your commercial products or services that have more than …":
# the count triggers the duty only for commercial use, so a non-profit's free service with many users does not meet it.
_COMMERCIAL_SCOPE = re.compile(r"\b(commercially (us\w+|deploy\w*|exploit\w*|offer\w*)|commercial (use|uses|usage|purposes?|"
                               r"products?|services?|deployments?|offerings?|applications?))\b", re.I)
_COUNT_WORDS = re.compile(r"\b(monthly active users|active users|users|mau)\b", re.I)


def commercial_only(ctx: RuleContext, term) -> bool:
    """Does the sentence that sets the threshold scope it to commercial use?"""
    for ev in term.evidence[:2]:
        text = " ".join(ctx.clause_text(ev.clause_id).split())
        for s in _SENTENCE.findall(text):
            if _COUNT_WORDS.search(s) and re.search(r"\d", s):
                return bool(_COMMERCIAL_SCOPE.search(s))
    return False


# *The whole organisation counts*: a threshold over "all products or services made available by or for Licensee" or
# over "You or Your Affiliates" counts the organisation (and its group), not one product.
_ORGANISATION_COUNTED = re.compile(r"\b(affiliat\w*|all (of )?(the |your )?products|by or for (the )?(licensee|you)|"
                                   r"(individually|either) or in (the )?aggregate)\b", re.I)
_AFFILIATES = re.compile(r"\baffiliat\w*", re.I)
# the user is part of a larger group: "a subsidiary of a listed group", "our parent company", "owned by a holding"
_PART_OF_GROUP = re.compile(
    r"\b(subsidiar(y|ies)|(part|member|division|unit) of (a|an|the) ([\w-]+ ){0,3}(group|conglomerate|holding|"
    r"corporation|multinational|company)|parent (company|co|group|corporation|firm|org\w*)|(owned|backed) by (a|an|the) "
    r"([\w-]+ ){0,3}(group|conglomerate|holding|corporation|multinational|company)|sister compan(y|ies)|"
    r"(our|its|the) (group|holding)('s)? (revenue|turnover|sales|users|size))\b", re.I)


def _threshold_open(ctx: RuleContext, term) -> bool:
    """*Whose users count is open*: the model serves only the user's own people (an internal tool), the count the
    use states is of the organisation's other customers, and the clause counts "your product or service", not the
    whole organisation — which product's users count is a fact the text leaves open."""
    facts = ctx.facts
    # (a count of the organisation's subscribers reads as a product serving them: internal use is what decides here)
    return facts.internal and not facts.distribution and not _ORGANISATION_COUNTED.search(
        ctx.clauses_of(term, 2))


def _group_counted(ctx: RuleContext, term) -> bool:
    """*Affiliates count*: the clause adds the affiliates' figures, and the user is part of a larger group whose
    figures the use does not put under the threshold."""
    # (a subsidiary is a company: a use that does not say it is non-commercial counts)
    return bool(ctx.facts.commercial is not False and _PART_OF_GROUP.search(ctx.facts.text)
                and _AFFILIATES.search(ctx.clauses_of(term, 2)))


def _thresholds(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    if "user_threshold" in t:
        term = t["user_threshold"]
        limit = term.params.get("users")
        if facts.users and limit and facts.users > limit and (facts.commercial or not commercial_only(ctx, term)):
            if _threshold_open(ctx, term):
                ctx.add_term(term, Reason("threshold_scope_open", prof.name, limit=limit), "review", limit=1)
            else:
                ctx.add_term(term, Reason("user_threshold", prof.name, limit=limit, mark=term.params.get("mark", "")), "condition",
                             condition=Condition("user_threshold", prof.license, users=facts.users, limit=limit,
                                                 mark=term.params.get("mark", "")))
    if "revenue_threshold" in t:
        params = t["revenue_threshold"].params
        limit, mark = params.get("revenue_usd"), params.get("mark", "")
        if facts.revenue_usd and limit and facts.revenue_usd > limit:
            ctx.add_term(t["revenue_threshold"], Reason("revenue_threshold", prof.name, amount=describe(params), mark=mark),
                         "condition", condition=Condition("revenue_threshold", prof.license,
                                                          amount=describe(params), mark=mark))
        elif limit and _group_counted(ctx, t["revenue_threshold"]):
            # the group's revenue is not stated (or only the user's own is): the threshold is the group's to meet
            ctx.add_term(t["revenue_threshold"], Reason("group_counted", prof.name, amount=describe(params), mark=mark),
                         "condition", condition=Condition("revenue_threshold", prof.license,
                                                          amount=describe(params), mark=mark))
        if facts.revenue_usd and limit and (params.get("currency") or facts.revenue_converted) and \
                abs(facts.revenue_usd - limit) <= CLOSE * limit:
            ctx.result.missing.append(Missing("threshold", license=prof.license, amount=describe(params)))
