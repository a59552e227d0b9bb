"""Competing-service bans: a licence that forbids using the work for a *defined* activity ("for any Competitive
Activity", "for an Excluded Purpose") whose definition, in the licence's own words, is offering a managed, hosted
or cloud service (software-, platform-, infrastructure-as-a-service, hosting, inference or training services) to
third parties.

License concepts:
- *defined-term ban*: the ban names a term; what it reaches is the term's definition (agent/check/definitions.py),
  never the term's everyday sense. Only a ban whose definition describes a service offered to others is read here.
- *competing service*: a use that runs or sells AI infrastructure (hosting, inference, training, compute) for other
  people's workloads is that service → prohibited. The user's own product that happens to run in a cloud is not.
- *exceptions in the definition*: "internal or personal use-only software is not a Competitive Activity" spares a
  use that is internal only; "without explicit written permission" spares a use that says it has the permission.
- *licensor's competitor*: a licence that asks a licensee offering a product or service "substantially similar to or
  competing with" the licensor's own to request a separate licence (and withholds the rights until it is granted)
  reaches a use that says it competes with, rivals or is an alternative to the licensor (named as the clause names it)
  → a condition: the licensor's licence first. Competing with someone else, or merely selling on the licensor's
  marketplace, is not that.
- *approval duty* (custom hardware): a licence that lets the work run only on supported hardware and asks for the
  licensor's written approval to run it on hardware the licensee develops → a condition for a use on its own
  chip, board or accelerator.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...terms.profile import best_quote
from ..context import RuleContext
from ..definitions import definitions, _norm
from ..facts import NEGATION, said
from ..result import Condition, Finding, Reason
from ..vocab import read_vocab

# a definition that describes a service offered to others
_SERVICE_DEFINITION = re.compile(r"\b(as-a-service|as a service|managed (\w+ ){0,3}services?|cloud services?|"
                                 r"hosted services?|hosting (and/or )?(compute )?services?|inference services?)\b", re.I)
_TO_OTHERS = re.compile(r"\b(third[- ]part(y|ies)|to others|publicly available|to the public|customers)\b", re.I)
# a ban in the clause or in the lead-in the clause's items hang from ("Licensee shall not: … (c) …")
_BAN = re.compile(r"\b(shall|may|must|will|can)\s+not\b|\bnot\s+(be\s+)?(permitted|allowed)\b|\bprohibit\w*|"
                  r"\bno\s+(right|licen[cs]e)\b|\b(shall|may|must|will)n['’]t\b", re.I)
# exceptions the definition itself states
_INTERNAL_EXCEPTION = re.compile(r"\binternal\b[^.;]{0,80}\b(is|are|shall be)\s+not\b|\bnot\b[^.;]{0,40}\binclude\b"
                                 r"[^.;]{0,60}\binternal\b", re.I)
_PERMISSION_EXCEPTION = re.compile(r"\bwithout\s+(the\s+)?(explicit|express|prior)?\s*(written\s+)?(permission|consent|"
                                   r"approval|agreement)\b", re.I)
_HAS_PERMISSION = re.compile(r"\b(with|have|has|got|obtained|received|secured|signed)\b([\w'’-]+ ){0,3}"
                             r"(permission|approval|consent|agreement|contract|licen[cs]e deal|partnership)\b", re.I)
# people outside the organisation: an "internal" service with these is not internal only
_OUTSIDERS = re.compile(r"\b(customers?|clients?|third[- ]part\w*|the public|tenants|paying|pays?|billed|sell\w*|"
                        r"for money|external)\b", re.I)

# hardware limits: the work runs only on supported hardware; other (own) hardware needs the licensor's approval
_HARDWARE_LIMIT = re.compile(r"\b(only|solely)\b[^.;]{0,60}\b(hardware|processors?|chips?|devices?|accelerators?|"
                             r"platforms?)\b[^.;]{0,60}\b(supported|approved|certified|listed)\b", re.I)
_APPROVAL = re.compile(r"\b(written\s+request|written\s+(approval|consent|permission)|prior\s+(written\s+)?"
                       r"(approval|consent)|approve\s+or\s+deny|must\s+(first\s+)?(obtain|secure|request|contact))\b", re.I)
_OWN_HARDWARE = re.compile(
    r"\b(custom|our own|its own|in-?house|self-?designed|proprietary|home-?grown|bespoke|unsupported|unreleased)\s+"
    r"([\w-]+\s+){0,3}(hardware|chips?|silicon|asics?|fpgas?|accelerators?|npus?|tpus?|processors?|boards?|socs?)\b|"
    r"\b(chips?|silicon|asics?|fpgas?|accelerators?|npus?|processors?|boards?|socs?|hardware)\b[^.;]{0,40}\b(we|our company|"
    r"our team|the company|they|i)\b[^.;]{0,20}\b(design|designs|designed|build|builds|built|develop|develops|developed|"
    r"make|makes|made|manufactur\w*|taped? out|fab\w*)\b", re.I)


@lru_cache(maxsize=1)
def _use_words() -> dict[str, re.Pattern]:
    v = read_vocab("competing_service")
    return {k: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in v[k]) + r")", re.I) for k in ("service", "others",
                                                                                                  "internal")}


# *a cloud's customer is not a cloud*: a service the use moves to, runs on or rents from ("move our workloads to a public
# cloud service", "deploy on a commercial cloud platform") is someone else's; only one the user offers counts
_CUSTOMER_OF = re.compile(r"\b(to|on|onto|into|in|from|via|through|using|with|of|rent\w* from|hosted by)\s+(a|an|the|some|"
                          r"their|another|[\w-]+'s)?\s*$", re.I)


def _offered(low: str, pattern: re.Pattern) -> bool:
    return any(not NEGATION.search(low[max(0, m.start() - 30):m.start()])
               and not _CUSTOMER_OF.search(low[max(0, m.start() - 25):m.start()]) for m in pattern.finditer(low))


def offers_service_to_others(text: str) -> bool:
    """Does the use run or sell AI infrastructure (hosting, inference, training, compute) for others' workloads?"""
    w = _use_words()
    low = " ".join(text.lower().split())
    return _offered(low, w["service"]) and said(low, w["others"]) or bool(
        re.search(r"\b(run|running|runs|host|hosting|hosts|serve|serving|serves)\b[^.;]{0,20}"
                  r"\b(other people'?s|others'?|customers'?|clients'?|tenants'?|third[- ]party) "
                  r"(models?|checkpoints?|weights|workloads?|jobs|llms?)\b", low))


def _service_bans(ctx: RuleContext) -> list[tuple[str, str, str]]:
    """(clause id, defined term, its definition) of each ban on a defined activity that is a service to others."""
    entry = ctx.profiler.corpus.get(ctx.prof.license)
    defs = {k: d for k, d in definitions(entry.text).items()
            if _SERVICE_DEFINITION.search(d) and _TO_OTHERS.search(d)}
    if not defs:
        return []
    full = entry.text
    out, seen = [], set()
    for f in ctx.profiler.features(ctx.prof.license):
        if f.flags.get("definition") or not f.flags.get("restrictive"):
            continue
        text = " ".join(f.clause.text.split())
        for m in re.finditer(r"\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\b", text):
            words = m.group(1).split()
            key = next((_norm(" ".join(words[s:])) for s in range(len(words)) if _norm(" ".join(words[s:])) in defs),
                       None)
            if key is None or key in seen:
                continue
            if re.search(r"\bnot\s+(be\s+)?(a|an|apply|include)\b", text, re.I):
                continue  # the definition's own exception ("… is not a Competitive Activity"), not the ban
            at = full.find(f.clause.text[:80])
            lead = full[max(0, at - 800):at] if at >= 0 else ""
            if _BAN.search(text) or _BAN.search(lead[-800:]):
                seen.add(key)
                out.append((f.clause.id, m.group(1), defs[key]))
                break
    return out


def _excepted(text: str, definition: str, facts) -> bool:
    w = _use_words()
    low = text.lower()
    if _INTERNAL_EXCEPTION.search(definition) and said(low, w["internal"]) and not _OUTSIDERS.search(low):
        return True
    first = _HAS_PERMISSION.search(text)
    return bool(_PERMISSION_EXCEPTION.search(definition) and first
                and not NEGATION.search(text[max(0, first.start() - 30):first.start()]))


# *licensor's competitor*: the clause names the licensor whose products a licensee must not compete with without its
# licence ("… substantially similar to or directly competes with any product and service provided by NAVER, then the
# Licensee must request a license"; "a service competing with the offerings of Acme requires Acme's prior consent")
_COMPETITOR_CLAUSE = re.compile(
    r"\b(substantially similar to|(directly |indirectly |otherwise )?compet(e|es|ing) (directly )?(with|against)|competitive "
    r"with|in competition with|a competitor of|rival(s|ling)?)\b[^.;]{0,80}?\b(products?|services?|offerings?|business(es)?)\b"
    r"[^.;]{0,30}?\b(provided|offered|made available|sold|marketed|operated)? ?(by|of)\s+(?P<name>(the )?[A-Z][\w&.-]+"
    r"(\s+[A-Z][\w&.-]+)?)", re.I)
_NEEDS_LICENCE = re.compile(r"\b(must|shall|will need to|is required to|are required to)\s+(first\s+)?(request|obtain|"
                            r"seek|get|apply for|secure)\b[^.;]{0,40}\b(licen[cs]e|permission|consent|approval|"
                            r"authori[sz]ation)\b|\bnot\s+(be\s+)?(authori[sz]ed|permitted|entitled|licensed|allowed)\b|"
                            r"\b(requires?|subject to)\s+([\w'’-]+\s+){0,3}(prior\s+)?(written\s+)?(licen[cs]e|consent|"
                            r"permission|approval)\b", re.I)
# the use competes: "competes head-on with X", "a rival to X", "an alternative to X's search", "take market share from X",
# "an X competitor", "go up against X"
_COMPETES = (r"(compet\w*|rival\w*|alternative|challenger|contender|go(es|ing)? (up )?against|head[- ]to[- ]head|"
             r"take ([\w-]+ ){0,2}(share|customers|users|traffic|business) (away )?from|steal\w* ([\w-]+ ){0,2}from|"
             r"replac\w*|clone)")


def _licensor_names(clause: str) -> list[str]:
    names = []
    for m in _COMPETITOR_CLAUSE.finditer(clause):
        name = re.sub(r"^the\s+", "", m.group("name"), flags=re.I).strip(" .")
        if name.lower() in ("you", "your", "licensee", "any", "a", "an", "such", "this", "third", "other", "others"):
            continue
        names.append(name)
        if name.lower() in ("licensor", "us", "company"):
            names.append("the licensor")
    return names


def competes_with(text: str, names: list[str]) -> bool:
    """Does the use say it competes with one of `names` (the licensor as the clause names it)?"""
    low = " ".join(text.lower().split())
    for name in names:
        n = re.escape(name.lower()).replace(r"\ ", r"\s+")
        near = re.compile(rf"\b{_COMPETES}\b[^.;]{{0,40}}?\b{n}\b|\b{n}(['’]s)?\b[^.;]{{0,25}}?\b{_COMPETES}", re.I)
        for m in near.finditer(low):
            if not NEGATION.search(low[max(0, m.start() - 30):m.start()]) and not re.search(
                    r"\b(not|never|no longer|don['’]t|doesn['’]t|isn['’]t|aren['’]t)\b", m.group(0)):
                return True
    return False


def _licensor_competitor(ctx: RuleContext):
    text = ctx.facts.text
    for f in ctx.profiler.features(ctx.prof.license):
        clause = " ".join(f.clause.text.split())
        names = _licensor_names(clause)
        if not names or not _NEEDS_LICENCE.search(clause) or not competes_with(text, names):
            continue
        if any(x.clause_id == f.clause.id and x.effect == "condition" for x in ctx.result.findings):
            continue
        quote = best_quote(f.clause.text, _COMPETITOR_CLAUSE)[0]
        ctx.result.findings.append(Finding(ctx.prof.license, f.clause.id, "other_use", "must", quote,
                                           Reason("licensor_competitor", ctx.prof.name), "condition"))
        ctx.condition(Condition("competitor_licence", ctx.prof.license))
        return


def apply(ctx: RuleContext):
    facts = ctx.facts
    text = facts.text
    _licensor_competitor(ctx)
    if offers_service_to_others(text):
        for clause_id, term, definition in _service_bans(ctx):
            if _excepted(text, definition, facts):
                continue
            ctx.add_clause(clause_id, "other_use", "cannot", Reason("competing_service", ctx.prof.name, category=term),
                           "prohibited", pattern=re.compile(re.escape(term)))
    if _OWN_HARDWARE.search(text):
        for f in ctx.profiler.features(ctx.prof.license):
            clause = " ".join(f.clause.text.split())
            if _HARDWARE_LIMIT.search(clause) and _APPROVAL.search(clause):
                if any(x.clause_id == f.clause.id for x in ctx.result.findings):
                    continue
                quote = best_quote(f.clause.text, re.compile(r"custom hardware|own hardware|written request|approv",
                                                             re.I))[0]
                ctx.result.findings.append(Finding(ctx.prof.license, f.clause.id, "other_use", "must",
                                                   quote, Reason("hardware_approval", ctx.prof.name), "condition"))
                ctx.condition(Condition("hardware_approval", ctx.prof.license))
