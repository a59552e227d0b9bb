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
- *sanctions and export control*: a ban on use from a sanctioned place, or on transferring the model to one,
  reaches a use that places the user or a recipient of a copy there (the places the clause names, else the
  reviewable list in corpus/vocab/sanctioned_jurisdictions.yaml); a ban on disguising one's location reaches a
  use that routes through a VPN or proxy.
- *regional exclusion in a missing policy*: the registry may know that a policy which applies but is not in
  the corpus withholds the rights in a region (corpus/models.yaml `regional_exclusion`, matched by the
  registry key or by the link the incorporating clause gives). A use its scope reaches cannot be cleared from
  the license alone: unclear until the policy is added.
"""
from __future__ import annotations

import re
from functools import lru_cache

from corpus.fetch import registry_texts

from ...terms.profile import sanctioned_places, sanctions_pattern, sanctions_reading
from ..context import RuleContext
from ..result import Condition, Missing, Reason

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
    _in_missing_policy(ctx)
    geo = t.get("geo_restriction")
    if geo is None:
        return
    _sanctions(ctx, geo)
    if facts.unsupported_region and geo.attitude == "cannot" and not geo.params.get("sanctions_only"):
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
    established_there = any(r in facts.established for r in hit)
    # the use settles every scope the clause has: a multimodal member, and an establishment in the region
    # where end users are carved out; any other exception ("unless …") the use cannot settle
    settled = (not scoped_to_multimodal or facts.model_modality == "multimodal") and (
        not end_user_carve_out or established_there) and not _OTHER_EXCEPTION.search(text)
    if facts.domicile_open and _ESTABLISHMENT_SCOPE.search(text) and not established_there:
        # *domicile open*: a person who moved there and says the stay is undecided — which side of the exclusion
        # they are on is a fact the use leaves open → unclear (evals/ANNOTATION_GUIDE.md, regional exclusions).
        # (Reading every unsettled scope this way — an unnamed member, a team with no seat — was measured and
        # reverted: it cost one external and one paraphrase question.)
        ctx.add_term(geo, Reason("regional_open", prof.name, where=where), "review", limit=1,
                     condition=Condition("regional", prof.license, where=where))
    elif scoped and not settled:
        ctx.add_term(geo, Reason("regional_carve_out", prof.name, where=where), "condition",
                     condition=Condition("regional", prof.license, where=where))
    else:
        ctx.add_term(geo, Reason("regional_exclusion", prof.name, where=where), "prohibited")


# where a person or a copy is: "a lab in Havana", "a collaborator based in Syria", "send it to Iran", "Iranian students"
_AT_PLACE = re.compile(r"\b(in|from|at|to|into|inside|out of|based|located|living|resident|residing|moving to|"
                       r"travel(l?ing)? to)\s+(the\s+)?$", re.I)
_PEOPLE_OF_PLACE = re.compile(r"\s+([\w-]+\s+)?(researchers?|students?|collaborators?|partners?|colleagues?|universit\w+|"
                              r"labs?|compan(y|ies)|teams?|offices?|users?|customers?|clients?|citizens?|nationals?|"
                              r"residents?|subsidiar(y|ies)|government|ministr(y|ies)|engineers?|developers?)\b", re.I)
_NOT_THERE = re.compile(r"\b(not|never|outside|except|excluding|no one|nobody)\b[\w\s,-]{0,20}$", re.I)
# hiding where one is: a VPN, a proxy, Tor, a spoofed location
_DISGUISED = re.compile(r"\b(vpns?|proxy|proxies|proxied|tor (browser|network)|spoof\w*|(mask|hid|conceal|disguis)\w* "
                        r"(my|our|their|the|where)\b)", re.I)


_PASSES_ON = re.compile(r"\b(send|sent|email\w*|ship\w*|give|gave|hand\w*|transfer\w*|share|shared|upload\w*|"
                        r"(a |our |the )copy|copies)\b", re.I)


# *A sanctioned place described, not named*: "a scientist living under a full trade embargo", "a lab in an embargoed
# country", "a partner in a comprehensively sanctioned jurisdiction" — what makes the place sanctioned is said instead
# of its name, which is what a clause that names no country ("a comprehensively sanctioned jurisdiction") asks.
_UNNAMED_SANCTIONED = re.compile(
    r"\b(?:(?:living|based|located|resident|residing|working|operating|stuck|trapped) (?:under|in|inside|within) "
    r"(?:a |an |the )?(?:full|comprehensive|complete|total|blanket|broad|strict|country-?wide)?[\s-]*(?:trade |economic |"
    r"us |un |eu )?(?:embargo|sanctions regime|sanctions)|(?:embargoed|comprehensively sanctioned|fully sanctioned|"
    r"heavily sanctioned|sanctioned) (?:country|countries|jurisdictions?|states?|nations?|territor(?:y|ies)|regions?))\b")


def sanctioned_place_named(text: str, places: list[str] | None = None) -> str | None:
    """The sanctioned place a use puts the user or a recipient in ("a researcher in Tehran", "a collaborator based
    in Cuba", "Iranian students"), among `places` (all the list's when None); None when it puts no one there. Under
    a clause that names no country, a place described by its sanctions ("living under a full trade embargo") is one."""
    low = " ".join(text.lower().split())
    if not places:
        for m in _UNNAMED_SANCTIONED.finditer(low):
            if not _NOT_THERE.search(low[max(0, m.start() - 40):m.start()]):
                return "a sanctioned jurisdiction"
    for name, pat in sanctioned_places().items():
        if places is not None and name not in places:
            continue
        for m in pat.finditer(low):
            before = low[max(0, m.start() - 40):m.start()]
            if _NOT_THERE.search(before):
                continue
            if _AT_PLACE.search(before) or _PEOPLE_OF_PLACE.match(low, m.end()):
                return name.replace("_", " ").title()
    return None


def _sanctions(ctx: RuleContext, geo):
    """*Sanctions and export control*: the use puts someone in a sanctioned place, or hides its location."""
    banned = set(geo.params.get("sanctions") or ())
    if not banned:
        return
    clauses = list(dict.fromkeys(geo.params.get("sanctions_clauses") or []))

    def cite(kind: str, reason: Reason):
        for cid in clauses:
            reading = sanctions_reading(ctx.clause_text(cid))
            if reading and kind in reading["sanctions"]:
                ctx.add_clause(cid, "geo_restriction", "cannot", reason, "prohibited",
                               pattern=sanctions_pattern({"sanctions": [kind]}))
                return

    if banned & {"location", "transfer"}:
        place = sanctioned_place_named(ctx.facts.text, geo.params.get("places"))
        if place:
            # a copy passed on is a transfer; anyone there using it is a use from a sanctioned place
            sends = ctx.facts.distribution or _PASSES_ON.search(ctx.facts.text)
            kind = "transfer" if "transfer" in banned and (sends or "location" not in banned) else "location"
            cite(kind, Reason("sanctioned_place", ctx.prof.name, where=place))
    if "disguise" in banned and _DISGUISED.search(ctx.facts.text):
        cite("disguise", Reason("location_disguise", ctx.prof.name))


def _link(url: str | None) -> str:
    """A link as a key: no scheme, no www., no trailing slash, lower case."""
    return re.sub(r"^(https?://)?(www\.)?", "", (url or "").strip().lower()).rstrip("/")


@lru_cache(maxsize=1)
def _registry_index() -> tuple[dict[str, dict], dict[str, dict]]:
    """The registry's texts by key and by link, read once (package data: it does not change while running)."""
    by_key = registry_texts()
    return by_key, {_link(m.get("url")): m for m in by_key.values() if m.get("url")}


def _known_exclusions(ctx: RuleContext) -> list[tuple[str, str | None, dict]]:
    """(policy name, incorporating clause, regional exclusion) for each text that applies, is not in the corpus,
    and is known to the registry to withhold rights in a region."""
    by_key, by_link = _registry_index()
    out = []
    for ref in ctx.prof.references:
        if ref["in_corpus"]:
            continue
        record = by_key.get(ref.get("key") or "") or by_link.get(_link(ref.get("url")))
        if record and record.get("regional_exclusion"):
            out.append((ref["policy"], ref.get("clause_id"), record["regional_exclusion"]))
    for m in ctx.result.missing:
        record = (m.unresolved.record if m.kind == "text" and m.unresolved is not None else None) or {}
        if record.get("regional_exclusion") and not any(name == m.name for name, _, _ in out):
            out.append((m.name, None, record["regional_exclusion"]))
    return out


def _in_missing_policy(ctx: RuleContext):
    """*Regional exclusion in a missing policy*: the use is where the policy withholds the rights, on a model and
    by a party its scope reaches → unclear (Missing `regional_policy`), citing the incorporating clause if any."""
    facts = ctx.facts
    if not facts.regions:
        return
    for name, clause_id, excl in _known_exclusions(ctx):
        regions = set(excl.get("regions") or ())
        hit = [r for r in facts.regions if r in regions or (r == "European Union" and "EEA" in regions)]
        if not hit:
            continue
        if excl.get("models") == "multimodal" and facts.model_modality == "text":
            continue
        if excl.get("end_users_carved_out") and facts.end_user_of_product:
            continue
        if excl.get("who") == "established" and facts.established and not any(r in facts.established for r in hit):
            continue
        where = ", ".join(hit)
        if not any(m.kind == "regional_policy" and m.name == name for m in ctx.result.missing):
            ctx.result.missing.append(Missing("regional_policy", name=name, license=ctx.prof.license, where=where))
        if clause_id:
            ctx.add_clause(clause_id, "aup_by_reference", "must", Reason("regional_policy", ctx.prof.name, where=where),
                           "review")
