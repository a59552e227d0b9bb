"""Behavioural bans: a use that falls under a category the license forbids (weapons, medical advice …).

- a category the use *is* (agent/check/categories.py: certain) under a `cannot` term → prohibited;
- a category the use *may be* (possible) under a `cannot` term → review (unclear, never allowed);
- a crime as described (taxonomy `unlawful`) under a duty to obey the law → prohibited;
- a disclosure the license requires (AI, risks) that the use says it omits → prohibited; one it only
  resembles → a condition; a duty to tell end users about risks → a condition on every use that serves others;
- a clearly named category no applicable text addresses, beside a list of restrictions → review of
  the closest restriction (a list may cover it in other words) — not a category read only from who the user is
  (a navy depot under a list with no military item: who the user is is no use a list covers in other words);
- (lifting a ban that names what it bans, not the actor as such, for actor-only uses was measured and reverted:
  masking the actor's words also masks objects such as "troops", and two military paraphrases became dangerous
  misses.)
- *oversight named by the ban*: a ban whose own words reach only unsupervised use ("diagnose a medical condition
  without human oversight", "fully automated decision-making in justice processes") does not reach a use in which a
  person reviews what the model produces; a ban's own exception for overseen research ("unless the use is in an
  internal research context with independent and accountable oversight") leaves out internal research the use says
  is overseen. The same bans reach the use when no one is said to review it.
- *ban conditioned on a fact*: a ban on the *unlicensed* practice of a profession or on use *without consent*
  reaches a use only when that fact holds (corpus/vocab/conditional_bans.yaml): the use says it fails (no licensed
  person involved, secretly) → prohibited; the use says it is met (licensed attorneys sign off, everyone consented)
  → not reached; with neither said the ban applies as it stands.
Automated decisions have their own module (decisions.py): a person deciding is a cure there.
"""
from __future__ import annotations

import re
from functools import lru_cache

from corpus.taxonomy import load_taxonomy

from ..categories import CERTAIN, GENERIC_DUTIES
from ..context import RuleContext
from ..facts import said
from ..result import Condition, Reason
from ..vocab import read_vocab

# Handled in decisions.py (the person-decides cure and its exceptions).
_OWN_MODULE = ("automated_decisions",)


def _name(cat: str) -> str:
    return load_taxonomy()[cat].name.lower()

# A ban that leaves some purposes out ("this does not include content created for scientific, educational,
# documentary, or artistic purposes", "except for educational or research purposes"): a use that states one of
# those purposes is outside the ban as long as it stays within it. Purpose -> how a use says it.
_PURPOSES = {
    "scientific": r"scien\w*", "research": r"research\w*|stud(y|ies)", "academic": r"academ\w*|universit\w*",
    "educational": r"educat\w*|teach\w*|classroom|lessons?|school\w*|courses?|curricul\w*",
    "documentary": r"documentar\w*", "journalistic": r"journalis\w*|news\w*|reporting",
    # art said by its practice and places: life drawing, nude studies, a gallery or museum show
    "artistic": r"art|arts|artistic|artists?|artworks?|paintings?|sculptures?|illustrat\w*|figure[- ](drawing|study|studies)|"
                r"life[- ](drawing|class\w*|model\w*|room)|nude (stud(y|ies)|sketch\w*)|drawing class\w*|"
                r"galler(y|ies)|museums?|exhibitions?|photography|sketch(es|ing|book\w*)",
    "historical": r"histor\w*", "medical": r"medical|clinical",
    # safety said by the hazard it guards against ("except for medical or safety reasons": a driver-drowsiness alert,
    # a fall detector for lone workers)
    "safety": r"safety|safe(guard\w*)?|drows\w*|fatigue\w*|(fall\w*|dozing|nodding) (asleep|off)|alertness|"
              r"accidents?|collisions?|crash(es)?|hazard\w*|injur\w*|emergenc\w*|rest stops?|rest breaks?",
}
# purposes of inquiry: studying or teaching about a harm rather than doing it
_INQUIRY = {"scientific", "research", "academic", "educational"}
_CARVE_OUT = re.compile(r"\b(?:(?:does|do|shall|will)\s+not|doesn'?t)\s+(?:include|cover|apply to|extend to)\b|"
                        r"\b(?:except|excluding|other than|save)\s+(?:for|when|where)?\b", re.I)


def carved_out_purposes(clause: str) -> set[str]:
    """The purposes a ban clause leaves out ("… does not include content created for artistic purposes")."""
    out: set[str] = set()
    text = " ".join(clause.split())
    for m in _CARVE_OUT.finditer(text):
        tail = re.match(r"[^.;]{0,120}?\b(purposes?|uses?|contexts?|value|works?|reasons?|grounds)\b", text[m.end():], re.I)
        if tail:
            out |= stated_purposes(tail.group(0))
    return out


def stated_purposes(use: str) -> set[str]:
    return {name for name, words in _PURPOSES.items() if re.search(rf"\b({words})\b", use, re.I)}


# *A duty to disclose to the people an AI system or its outputs reach* ("disclose to end users", "do not
# represent outputs as human-generated") is met by a use that reaches people: a service or bot people talk to,
# outputs published, sent, sold or shown to an audience. A use that reaches no one (a writer drafting, a team
# tidying its own notes) has no one to disclose to, so the duty does not make it conditional.
_REACHES_PEOPLE = re.compile(
    r"\b(customers?|clients?|users?|end[- ]users?|(the )?public|visitors?|patients?|students?|citizens?|shoppers?|"
    r"readers?|viewers?|listeners?|audiences?|followers?|fans|subscribers?|callers?|recipients?|voters?|players?|"
    r"community|communities|anyone|people|others|members|employees|staff|applicants?|buyers?|tenants?|guests?|"
    r"publish\w*|post(s|ed|ing)?|send\w*|sent|e-?mail\w*|calls?|phone|chat\w*|talk\w*|repl(y|ies|ied|ying)|"
    r"respond\w*|sell\w*|sold|market\w*|share[sd]?|sharing|broadcast\w*|stream\w*|podcasts?|newsletters?|"
    r"social media|online|websites?|site|apps?|platforms?|accounts?|profiles?|campaigns?|ads?|adverts?|reviews?|"
    r"comments?|messages?|letters?|articles?|blogs?|news|press)\b", re.I)


def reaches_people(facts) -> bool:
    """Does the use put the system or its outputs before other people (the trigger of a disclosure duty)?"""
    return bool(facts.hosting or facts.distribution or facts.users or facts.publication
                or _AGENT.search(facts.text) or _REACHES_PEOPLE.search(facts.text))


def _carve_out(ctx: RuleContext, term, cat: str, possible: bool = False) -> bool:
    """*A ban's own exception*: the ban clause leaves out content for stated purposes and the use states one of them
    → a condition (stay within that purpose) instead of the ban. True when it applied. A use that only *may* fall
    under the ban (the category head's resemblance, no phrase naming the harmful act: a photographer's captions for a
    show of nude studies) and states the purpose the ban leaves out is outside it: the exception is cited as what
    admits it, and no condition is owed (issue 11, class 4: a ban's category needs the harmful act)."""
    carved = carved_out_purposes(ctx.clause_text(term.evidence[0].clause_id)) & stated_purposes(ctx.facts.text)
    if not carved:
        return False
    reason = Reason("carve_out", ctx.prof.name, _name(cat), purposes=", ".join(sorted(carved)))
    if possible:
        ctx.add_term(term, reason, "grant", limit=1)
        return True
    ctx.add_term(term, reason, "condition", limit=1,
                 condition=Condition("carve_out", ctx.prof.license, purposes=", ".join(sorted(carved)),
                                     category=_name(cat)))
    return True


# The ban's own words limit it to unsupervised use.
UNSUPERVISED_ONLY = re.compile(
    r"\b(without|absent|in the absence of|lacking|with no|no)\s+(adequate |appropriate |meaningful |sufficient |proper |"
    r"any |necessary |effective )?(human|manual|professional|medical|clinical|expert|qualified)?\s*(oversight|supervision|"
    r"review|involvement|intervention|verification)\b|\b(fully|solely|entirely|completely|purely|exclusively)[- ]automat\w*",
    re.I)
# The ban's own exception for research that is overseen (an ethics board, independent and accountable oversight).
OVERSEEN_RESEARCH_EXCEPTION = re.compile(
    r"\b(unless|except( for| where| when| if)?|other than|excluding)\b[^.]{0,100}?\bresearch\b[^.]{0,100}?\b(oversight|"
    r"supervision|ethics (board|committee)|review board|irb)\b", re.I)
# an item starts after ";" or ":" with its marker ("…; (b) for …", ": ii. to …"), or after a blank line; a marker inside
# an item's own exception ("unless the use is (i) in … and/or (ii) with …") starts no item
_ITEM_SPLIT = re.compile(r"[;:]\s*(?=(?:\(\w{1,4}\)|\w{1,4}[.)])\s)|\n\s*\n")


def ban_items(clause: str, cat: str) -> list[str]:
    """The items of a ban clause that name the category (a list clause holds many bans; its qualifiers are each
    item's own). An item that carries its exception ("…; unless …") keeps it: the split is on item markers."""
    pattern = load_taxonomy()[cat].clause_re
    items = [" ".join(it.split()) for it in _ITEM_SPLIT.split(clause) if it and it.strip()]
    hits = [it for it in items if pattern is not None and pattern.search(it)]
    return hits or [" ".join(clause.split())]


def _items_of(ctx: RuleContext, term, cat: str) -> list[str]:
    """The items naming the category in the ban's first two clauses (the ones it is quoted from)."""
    return [it for e in term.evidence[:2] if (t := ctx.clause_text(e.clause_id)) for it in ban_items(t, cat)]


def _excepted(ctx: RuleContext, term, cat: str, possible: bool = False) -> bool:
    """The ban's own exception, oversight qualifier or condition leaves the use out (see the concepts above)."""
    return (_carve_out(ctx, term, cat, possible=possible) or _oversight_cures(ctx, term, cat)
            or conditional_ban(ctx, term, cat) == "met" or _no_decision_named(ctx, term, cat))


# The ban's own words reach only fully automated decisions ("fully automated decision-making in law enforcement").
AUTOMATED_DECISIONS_ONLY = re.compile(r"\b(fully|solely|entirely|completely|purely|exclusively)[- ]automat\w*[- ]"
                                      r"(individual |algorithmic )?decision", re.I)
# A decision, a judgement about a person, or automation named in the use: what such a ban needs to reach it.
_DECISION_NAMED = re.compile(
    r"\b(decid\w*|decision\w*|determin\w*|predict\w*|forecast\w*|scor\w*|rank\w*|rat(e|es|ing)\b|approv\w*|reject\w*|"
    r"den(y|ies|ied|ying)|refus\w*|grant\w*|sentenc\w*|arrest\w*|detain\w*|deport\w*|profil\w*|assess\w*|judg\w*|"
    r"adjudicat\w*|verdicts?|automat\w*|autonomous\w*|on its own|by itself|flag\w*|fines?\b|fined|penalt\w*|convict\w*|"
    r"parole|bail|risk\w*|eligib\w*|triag\w*|screen\w*|vet(s|ted|ting)?\b|suspects?|who (gets|is|will|should))", re.I)


def _no_decision_named(ctx: RuleContext, term, cat: str) -> bool:
    """*A ban on automated decisions needs a decision*: every item of the ban that names the category reaches only
    fully automated decision-making in that field (MG-BY-NC-RAI, BigCode: "fully automated decision-making in the
    administration of justice, law enforcement, immigration, or asylum processes"), and the use names no decision,
    no judgement about a person and no automation — a police unit, or detectives having files summarised. The field
    alone (the actor's sector) does not say that anything is decided, let alone without a person; a use that names a
    decision or automation stays reached (and decisions.py reads a person deciding)."""
    if cat == "automated_decisions":
        return False
    items = _items_of(ctx, term, cat)
    if not items or not all(AUTOMATED_DECISIONS_ONLY.search(it) for it in items):
        return False
    f = ctx.facts
    if f.decision_support or "automated_decisions" in f.categories or "automated_decisions" in f.possible or any(
            a in ("decide_about_people", "deciding_process") for a in f.activities):
        return False
    return not _DECISION_NAMED.search(f.text)


def _oversight_cures(ctx: RuleContext, term, cat: str) -> bool:
    """*Oversight named by the ban*: every item of the ban that names the category reaches only unsupervised use
    (or leaves out overseen internal research), and the use says a person reviews the model's work."""
    facts = ctx.facts
    if not facts.human_oversight:
        return False
    items = _items_of(ctx, term, cat)
    if not items:
        return False
    research_inside = facts.research and not (facts.hosting or facts.distribution)
    return all(UNSUPERVISED_ONLY.search(it) or (research_inside and OVERSEEN_RESEARCH_EXCEPTION.search(it))
               for it in items)


@lru_cache(maxsize=1)
def _condition_vocab() -> dict[str, dict[str, re.Pattern]]:
    def alt(phrases) -> re.Pattern:
        phrases = [phrases] if isinstance(phrases, str) else phrases
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in phrases) + r")", re.I)
    return {kind: {k: alt(v) for k, v in sections.items()} for kind, sections in read_vocab("conditional_bans").items()}


def conditional_ban(ctx: RuleContext, term, cat: str) -> str | None:
    """*Ban conditioned on a fact*: "met" (the use says the condition the ban turns on is satisfied: not reached), or
    None (apply the ban as it stands: no such condition on every item that names the category, the use says it
    fails, or the use says neither)."""
    items = _items_of(ctx, term, cat)
    if not items:
        return None
    vocab = _condition_vocab()
    kinds = [k for k, v in vocab.items() if all(v["qualifier"].search(it) for it in items)]
    if not kinds:
        return None
    kind, v = kinds[0], vocab[kinds[0]]
    low = ctx.facts.text.lower()
    if v["failed"].search(low):
        return None
    if said(low, v["met"]) or (kind == "licence" and ctx.facts.human_oversight
                                and v["reviewing_professionals"].search(low)):
        return "met"
    # (an institution of a regulated profession whose licence the question leaves open — a bank giving investment
    # advice — read as "open" → unclear was measured and reverted: it cost a held-out paraphrase, a prohibited
    # question answered unclear)
    return None


def disclose_ai(ctx: RuleContext, term):
    if not reaches_people(ctx.facts):
        return
    ctx.add_term(term, Reason("disclose_ai", ctx.prof.name), "condition", limit=1,
                 condition=Condition("disclose_ai", ctx.prof.license))


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    for cat in facts.categories:
        term = prof.terms.get(cat)
        if term is None or cat in _OWN_MODULE:
            continue
        if cat == "ai_disclosure" and term.attitude == "must" and not (
                load_taxonomy()[cat].matches_use(facts.text) or facts.presented_as_human):
            # the use resembles undisclosed AI interaction but does not say the AI is concealed (a use that puts
            # its output out as a person's says so: frame.py, *machine output presented as a person's*)
            disclose_ai(ctx, term)
            continue
        if term.attitude == "cannot":
            if _excepted(ctx, term, cat):
                continue
            if cat == "illegal" and _inquiry_beside_missing_policy(ctx, term, cat):
                continue
            ctx.add_term(term, Reason("forbids", prof.name, _name(cat)), "prohibited")
        elif cat in ("ai_disclosure", "risk_disclosure") and term.attitude == "must":
            ctx.add_term(term, Reason("disclosure_omitted", prof.name), "prohibited")
    _unlawful(ctx)
    _uncovered(ctx)
    _end_user_duties(ctx)
    for cat in facts.possible:
        term = prof.terms.get(cat)
        if term is None or cat in _OWN_MODULE:
            continue
        if cat == "ai_disclosure" and term.attitude == "must":
            disclose_ai(ctx, term)
        elif term.attitude == "cannot" and cat not in GENERIC_DUTIES:
            # a use that only may fall under the ban and states a purpose the ban leaves out is within its exception
            if _excepted(ctx, term, cat, possible=True):
                continue
            ctx.add_term(term, Reason("may_involve", prof.name, _name(cat)), "review", limit=1)
    if "safety_circumvention" in facts.categories and "guardrail_termination" in prof.terms:
        ctx.add_term(prof.terms["guardrail_termination"], Reason("guardrails", prof.name), "prohibited")


# People a product serves (the end users a disclosure duty is owed to), and the conversational agents people
# talk to (a help-desk bot serves the staff who ask it, even when nothing is hosted for outsiders).
# (A bot "telling people" or "answering callers" serves them as much as one for "customers"; an AI agent on a website or
# a help desk the AI runs is a conversational agent as much as a "bot": the duty to tell end users they talk to an
# automated system follows it.)
_PEOPLE = re.compile(r"\b(customers?|clients?|users?|end[- ]users?|the public|visitors?|patients?|students?|citizens?|"
                     r"shoppers?|employees|staff|members|people|callers?|patrons?|guests?|passengers?|travell?ers?|"
                     r"residents?|tenants?|anyone|everyone)\b", re.I)
_AGENT = re.compile(r"\b(chat ?bots?|[\w-]+ ?bots?|assistants?|voice agents?|companions?|(ai|virtual|support|service|"
                    r"chat|conversational|digital|automated) agents?|help ?desks?|contact cent(er|re)s?)\b", re.I)


# an agent served online that answers questions answers the people who ask them ("an AI agent on its website
# answering delivery-time questions")
_ANSWERS_ASKERS = re.compile(r"\b(answer|handl|field|respond)\w* ([\w'’,-]+ ){0,9}?(questions|queries|enquiries|inquiries)\b",
                             re.I)

# an agent whose job is serving outsiders serves them by its name ("the bank's help-desk bot", "a customer-service agent")
_SERVICE_AGENT = re.compile(r"\b(help[- ]?desk|support|service|customer|contact[- ]cent(er|re)|front[- ]desk|concierge|"
                            r"reception)\w*[- ]([\w-]+ )?(bots?|chat ?bots?|agents?|assistants?)\b", re.I)


def _end_user_duties(ctx: RuleContext):
    """A duty owed to the people a product serves (tell end users about the AI system's known risks) is a
    condition on every use that serves people; a use that says it omits the disclosure is prohibited above."""
    facts = ctx.facts
    term = ctx.prof.terms.get("risk_disclosure")
    if term is None or term.attitude != "must" or "risk_disclosure" in facts.categories:
        return
    if not ((facts.hosting or _AGENT.search(facts.text)) and (facts.users or _PEOPLE.search(facts.text) or (
            facts.hosting and _AGENT.search(facts.text) and _ANSWERS_ASKERS.search(facts.text)) or
            _SERVICE_AGENT.search(facts.text))):
        return
    ctx.add_term(term, Reason("tell_risks", ctx.prof.name), "condition", limit=1, condition=Condition("tell_risks", ctx.prof.license))


def _unlawful(ctx: RuleContext):
    """A crime as described is forbidden by a duty to obey the law even where no clause names it."""
    unlawful = [c for c in ctx.facts.categories if load_taxonomy()[c].unlawful and c not in ctx.prof.terms]
    illegal = ctx.prof.terms.get("illegal")
    if unlawful and illegal is not None and illegal.attitude == "cannot":
        if _inquiry_beside_missing_policy(ctx, illegal, unlawful[0]):
            return
        ctx.add_term(illegal, Reason("unlawful", ctx.prof.name, _name(unlawful[0])), "prohibited", limit=1)


def _inquiry_beside_missing_policy(ctx: RuleContext, illegal, cat: str) -> bool:
    """*A general duty to obey the law, beside a policy that is not at hand*: a use that states a research or
    teaching purpose is not described as committing the crime it studies; what the license lets such work produce
    is the missing policy's to say → review (unclear). True when it applied."""
    inquiry = stated_purposes(ctx.facts.text) & _INQUIRY
    if not inquiry or not any(not ref["in_corpus"] for ref in ctx.prof.references):
        return False
    ctx.add_term(illegal, Reason("unlawful_inquiry", ctx.prof.name, _name(cat), purposes=", ".join(sorted(inquiry))),
                 "review", limit=1)
    return True


def _uncovered(ctx: RuleContext):
    """A clearly named category that no applicable text names, beside a list of restrictions."""
    facts, prof = ctx.facts, ctx.prof
    restrictions = [t for t in prof.terms.values()
                    if t.attitude == "cannot" and load_taxonomy()[t.term].group == "behavioural"]
    unmatched = [c for c in facts.categories if c not in ctx.covered and c != "other_use" and c not in GENERIC_DUTIES
                 and c not in facts.actor_only and facts.category_scores.get(c, 0.0) >= CERTAIN]
    if not unmatched or len(restrictions) < 3:
        return
    feats = {f.clause.id: f for f in ctx.profiler.features(prof.license)}
    best = max(restrictions, key=lambda t: max(
        (float(feats[e.clause_id].vector @ ctx.use_vec) for e in t.evidence if e.clause_id in feats), default=-1.0))
    ctx.add_term(best, Reason("uncovered", prof.name, _name(unmatched[0])), "review", limit=1)
