"""Marking generated content: a licence that lets content the model generates go out only with a statement that it is
machine-generated ("… without expressly and intelligibly disclaiming that the text is machine generated", "… without
including a caption, watermark, and/or metadata file indicating that [it was] generated using the Contribution").

License concepts:
- *duty to mark disseminated output*: a use that puts generated content of a kind the clause names before other
  people (published, shown, screened, exhibited, posted, answered to customers) meets the duty → a condition
  (mark it as machine-generated); a use that keeps it to itself (private code, internal notes) owes nothing;
- *passing output off as a person's*: a use that says it hides the machine origin (or presents the content as a
  person's) breaks the same clause → prohibited. The use-side reading of "presented as a person" is the
  ai_disclosure category's (corpus/vocab/uses/ai_disclosure.yaml); this module only finds the licence's clause
  where the profile has no ai_disclosure term for it (behavioural.py handles the term when it is there).
- *a stated refusal of the duty*: a use that says it will put the content out without the mark ("without noting they
  were machine-generated", "we'd strip the AI watermark", "no label saying a model wrote it") has said the condition
  will not be met → prohibited under the same clause, whatever words the category list knows for passing off.
The clause is found by its own words (a marking verb and "machine-generated" under "without / unless / must"), not
by the profile's term, so a text that words the duty as captions or watermarks is read like one that says
"disclaim". A clause about machine-made *decisions or obligations* is the automated-decisions rule's (decisions.py).
"""
from __future__ import annotations

import re

from corpus.taxonomy import load_taxonomy

from ..context import RuleContext
from ..result import Condition, Reason
from .decisions import states_machine_made

# "without … disclaiming / identifying / a caption, watermark … that it is machine generated / generated using …"
_MARKING_DUTY = re.compile(
    r"\b(without|unless|must|shall|only (with|if|when))\b[^.;]{0,160}?\b(disclaim\w*|disclos\w*|identif\w*|indicat\w*|"
    r"label\w*|caption\w*|watermark\w*|metadata|mark(ed|ing)?|stat(e|es|ing)|declar\w*)\b[^.;]{0,140}?\b("
    r"(machine|ai|computer|algorithm\w*|artificially|synthetically)[- ]generated|generated (using|by|with)|"
    r"synthetic(ally)?)\b", re.I)
_DECISIONS = re.compile(r"\b(decision|obligation)s?\b", re.I)
# the kinds of content a clause names; "information or content" alone names every communicative kind
_MEDIA = {
    "text": r"texts?|translat\w*|summar\w*|articles?|posts?|tweets?|captions?|labels?|subtitles?|descriptions?|letters?|"
            r"e-?mails?|newsletters?|answers?|repl(y|ies)|responses?|messages?|stor(y|ies)|poems?|essays?|reports?|"
            r"blogs?|news|chatbots?|bots?|copy|(auto-?)?posting|signs?|signage|plaques?|panels?|brochures?|leaflets?|"
            r"flyers?|menus?|notices?|wall texts?",
    "image": r"images?|pictures?|photos?|photograph\w*|illustrat\w*|artworks?|drawings?|paintings?|posters?|covers?|"
             r"logos?|photo-?realistic",
    "video": r"videos?|video-realistic|films?|footage|clips?|animations?|movies?|documentar(y|ies)|deepfakes?",
    "audio": r"audio|audio-realistic|voices?|speech(es)?|songs?|music|podcasts?|narrat\w*|voice-?overs?",
    "code": r"code|pull requests?|commits?|snippets?|patches",
}
_ANY = re.compile(r"\b(information|content)\b", re.I)
# a clause limited to realistic media ("indistinguishable from photo/video recordings") reaches realistic output only
_REALISTIC_CLAUSE = re.compile(r"\b(\w+-realistic|indistinguishable|photo-?realistic|lifelike)\b", re.I)
_REALISTIC_USE = re.compile(r"\b((\w+-)?realistic|photo-?real\w*|indistinguishable|lifelike|life-like|deepfakes?|real footage|"
                            r"looks? real|sounds? real|(of|by) (a |an )?(real|historical|living|famous|well-known) "
                            r"(person|people|figure|speech|events?|politician|leader))\b", re.I)
# the use puts what the model made before people: published, screened, exhibited, posted, sent, answered
_DISSEMINATED = re.compile(
    r"\b(publish\w*|post(s|ed|ing)?|share[sd]?|sharing|broadcast\w*|air(s|ed|ing)?|screen(s|ed|ing)|stream\w*|"
    r"films?|documentar(y|ies)|cinemas?|exhibit\w*|exhibitions?|display\w*|museums?|galler(y|ies)|signs?|signage|"
    r"labels?|websites?|web ?site|newsletters?|books?|print\w*|magazines?|press|social media|public(ly)?|releas\w*|"
    r"distribut\w*|sell\w*|campaigns?|ads?|adverts?|tweets?|chat ?bots?|bots?|customers?|readers?|viewers?|"
    r"visitors?|audiences?|followers?|subscribers?|players?|users|the public|patients|students|citizens)\b", re.I)
# the content stays with the user: private code, own notes, internal use
_KEPT = re.compile(r"\b(private|privately|internal(ly)?|in-house|(for|to) (my|our) own (use|eyes|notes|reference)|"
                   r"personal (use|notes)|stays? (in|within|inside)|kept (private|internal|in-house)|never (published|"
                   r"shared|released|shown)|not (published|shared|released|shown))\b", re.I)


def marking_clauses(ctx: RuleContext) -> list[tuple[str, str]]:
    """(clause id, text) of each clause of the text that lets generated content go out only marked as such."""
    out = []
    for f in ctx.profiler.features(ctx.prof.license):
        text = " ".join(f.clause.text.split())
        if _MARKING_DUTY.search(text) and not _DECISIONS.search(text):
            out.append((f.clause.id, text))
    return out


def _media_of(text: str) -> set[str]:
    return {kind for kind, words in _MEDIA.items() if re.search(rf"\b({words})\b", text, re.I)}


def reaches_kind(clause: str, use: str) -> bool:
    """Does the use generate content of a kind the clause names (any communicative kind where the clause says
    "information or content"; realistic output only where the clause is limited to it)?"""
    named = _media_of(clause)
    # the clause's subject is read before its exceptions and examples: "information or content (e.g. posts …)"
    if _ANY.search(clause):
        named |= set(_MEDIA)
    if _REALISTIC_CLAUSE.search(clause) and not _REALISTIC_USE.search(use):
        return False
    return bool(named & _media_of(use))


# publishing findings about the model (a paper with its scores, results at a workshop) puts no generated content
# before anyone: read apart from the use's other words
_FINDINGS_PUBLISHED = re.compile(
    r"\b(publish\w*|submit\w*|present\w*|report\w*) ([\w'’-]+ ){0,3}(papers?|results|findings|preprints?|thesis|"
    r"posters?|scores?|benchmarks?|evaluations?|metrics)\b([^.;]{0,40}\b(scores?|results|metrics|benchmarks?|bleu|"
    r"rouge|accuracy|f1)\b)?|\b(at|to) (a |the )?(conference|workshop|journal)\b", re.I)


def disseminates(facts) -> bool:
    """Does the use put what the model generates before other people?"""
    if facts.internal or facts.end_user_of_product:
        return False
    text = _FINDINGS_PUBLISHED.sub(" ", facts.text)
    return bool(_DISSEMINATED.search(text) or facts.hosting) and not _KEPT.search(text)


# *A stated refusal of the marking duty*: the duty's own act (note, label, mark, disclose, caption, watermark …) said
# with a negation before it, or the mark said to be removed, near the content's machine origin.
_MARK_ACT = (r"(not(e|es|ed|ing)|noting|label\w*|mark\w*|disclos\w*|stat(e|es|ed|ing)|say\w*|said|mention\w*|flag\w*|"
             r"indicat\w*|tell\w*|caption\w*|watermark\w*|disclaim\w*|disclaimer|credit\w*|tag\w*|metadata|"
             r"acknowledg\w*|admit\w*|reveal\w*|signal\w*|warn\w*|notice)")
_ORIGIN = r"(machine|ai|a\.i\.|generated|generat\w+ by|model|automat\w*|synthetic|artificial|computer|bot|llm|made (by|with))"
_REFUSED = re.compile(
    rf"\b(without|with no|no|not|never|don['’]?t|doesn['’]?t|won['’]?t|wouldn['’]?t|skip\w*|omit\w*|leav\w* out|"
    rf"rather not|avoid\w*)\b([^.;]{{0,30}}?)\b{_MARK_ACT}\b[^.;]{{0,60}}?\b{_ORIGIN}|"
    rf"\b(remov\w*|strip\w*|crop\w* out|delet\w*|eras\w*|drop\w*|hid\w*)\b[^.;]{{0,30}}?\b(watermarks?|labels?|"
    rf"disclaimers?|metadata|tags?|captions?|marks?|notices?)\b", re.I)


def refuses_marking(text: str) -> bool:
    """Does the use say the content goes out without the machine-generated mark (or with it removed)?"""
    for m in _REFUSED.finditer(text):
        between = m.group(2) or ""
        # "no one minds that we label them as AI-made": a negation that governs something else
        if re.search(r"\b(one|problem|need|doubt|matter|question|longer)\b", between + " " + m.group(0)[:12], re.I) and \
                not re.match(r"(without|with no|never|skip|omit|leav)", m.group(0), re.I):
            continue
        # "we never publish anything without a note that it is machine-generated": the refusal is itself denied
        if re.search(r"\b(without|with no)\b", m.group(0)[4:], re.I):
            continue
        if re.match(r"(without|with no)\b", m.group(0), re.I) and re.search(
                r"\b(never|not|nothing|nobody|don['’]?t|won['’]?t)\b[^.;]*$", text[max(0, m.start() - 40):m.start()], re.I):
            continue
        return True
    return False


def apply(ctx: RuleContext):
    facts, prof = ctx.facts, ctx.prof
    clauses = [(cid, text) for cid, text in marking_clauses(ctx) if reaches_kind(text, facts.text)]
    if not clauses:
        return
    cid, text = clauses[0]
    term = prof.terms.get("ai_disclosure")
    pattern = re.compile(r"[^.;]*" + _MARKING_DUTY.pattern + r"[^.;]*", re.I)
    if load_taxonomy()["ai_disclosure"].matches_use(facts.text):
        # the use hides the machine origin: behavioural.py prohibits it under the profile's term; where the profile
        # has no such term the clause itself decides
        if term is None:
            ctx.add_clause(cid, "ai_disclosure", "cannot", Reason("disclosure_omitted", prof.name), "prohibited",
                           pattern=pattern)
        return
    # *the cure stated*: a use that says its content carries the mark ("with a visible 'AI-generated' label") is within
    # the clause, whether or not it says where the content goes: a condition (keep marking it)
    refused = refuses_marking(facts.text)
    marked = states_machine_made(facts.text) and not refused
    if not (disseminates(facts) or marked):
        return
    if refused:
        ctx.add_clause(cid, "ai_disclosure", "cannot", Reason("disclosure_omitted", prof.name), "prohibited",
                       pattern=pattern)
        return
    ctx.add_clause(cid, "ai_disclosure", "must", Reason("mark_generated", prof.name), "condition", pattern=pattern)
    ctx.condition(Condition("mark_generated", prof.license))
    if marked and _REALISTIC_CLAUSE.search(text) and _REALISTIC_USE.search(facts.text):
        # the licence's own realistic-media clause names what the use makes and the use meets its cure: the doubt that
        # no clause of this text names the use's category (behavioural.py `_uncovered`) is answered by this clause
        ctx.result.findings[:] = [f for f in ctx.result.findings if not (
            f.license == prof.license and f.effect == "review" and f.reason.kind == "uncovered")]
