"""The use frame: a described use read into who, does what, with what, for whom, under what control.

- who: actors and sectors (corpus/vocab/actors.yaml), where the user's organisation is established,
  whether they only use someone else's product (an end user);
- does what: activities (corpus/vocab/activities.yaml) and the categories (categories.py);
- with what: the model member's modality (text-only or multimodal), its outputs (used for training?),
  its weights (distributed? modified?);
- for whom: audience, users, revenue, regions, money (facts.py);
- under what control: a person decides, internal only, non-production (evaluation, testing).

Rules over the frame, each named after the concept it implements: *actor implies category* (the
armed forces' use is military use), *deciding sector* (an insurer pricing premiums decides about
people), *explicit exclusion* (the user says the use is not of a category), *establishment vs
residence*, *family member*, *non-production use*.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from corpus.taxonomy import load_taxonomy

from . import categories
from ..models import registry_lookup
from .embedding_view import model_names, neutral_names
from .facts import EU, EU_ADJECTIVES, EU_CITIES, NEGATION, UseFacts, _human_review, read_facts
from .vocab import Actor, activities, actors, not_the_actor, read_vocab

_REGION_NAMES = r"(the )?(eu|e\.u\.|european union|europe|eea|uk|united kingdom|britain|china|south korea|korea|us|usa|united states)"
_EU_ADJ = "(" + "|".join(["eu", "european", *EU_ADJECTIVES]) + ")"
_EU_CITIES = "(" + "|".join(re.escape(c) for c in EU_CITIES) + ")"
# The user's organisation is established in a region (not merely a person located there).
_ESTABLISHED = re.compile(
    rf"\b((company|startup|start-up|firm|business|organi[sz]ation|enterprise|we are|we're|i am|i'm|my company|our company)"
    rf"[\w\s,-]{{0,30}}\b(based|established|headquartered|incorporated|registered|domiciled|located) in "
    rf"(?P<place>[\w.]+( [\w.]+){{0,2}})|(?P<adj>{_EU_ADJ}|eu-based|{_EU_CITIES}-based|{_EU_CITIES}) "
    rf"([\w'’-]+ ){{0,2}}(company|startup|start-up|firm|business|corporation|enterprise|bank|insurer|lab|agency|ngo|"
    rf"manufacturer|retailer|publisher|hospital|university)(?![\w-]|'s)|(principal place of business|domiciled) in (?P<place2>[\w.]+( [\w.]+){{0,2}}))",
    re.I)
# "our company in Munich", "our HQ is in Dublin", "we're a team out of Lyon": an organisation's seat said
# without "based in"
_SEATED = re.compile(
    rf"\b((our|my|the) (company|startup|start-up|firm|business|organi[sz]ation|enterprise|agency|studio|lab|team)|"
    rf"(our|my|the) (hq|headquarters|head office|registered office)|we|we're|we are)( is| are)?( (located|seated|"
    rf"registered))? (in|out of) (?P<place>(the )?[\w.]+( [\w.]+){{0,1}})", re.I)
# "I live in Paris", "a freelancer living in Porto": a person's residence, which a clause aimed at individuals
# "domiciled in" a region reaches when that person is the one using the model (not an end user of an app)
_RESIDENT = re.compile(
    # also in the perfect: "I've lived and worked in Toronto for nine years"
    rf"\b((i|we) (live|reside|am living|are living|am based|are based|'m based|'re based)|(i|we)(['’]ve| have) (lived|"
    rf"resided|been living|been based|been resident)( and worked)?|(living|residing|resident|"
    rf"domiciled) in|i'm from|i am from|"
    # an individual licensee named by trade with a relative clause: "a freelance developer who lives in Porto", "a solo
    # consultant that resides in Belgium" (the person is the user, so their home is their domicile; "customers who live
    # in France" are a product's users, not named here)
    rf"(developer|freelancer|consultant|contractor|designer|engineer|programmer|coder|researcher|artist|writer|author|"
    rf"creator|maker|hobbyist|student|illustrator|photographer|translator|entrepreneur|founder|sole trader|"
    rf"self-employed [\w-]+|individual|person)s? (who|that) (lives|resides|is living|is based|is resident|has lived)|"
    # the user's own presence said plainly: "i'm in germany", "im in spain" (a visit is not: _VISIT)
    rf"(i['’]?m|i am) (currently |now )?(in|out of))\b( in)? (?P<place>(the )?[\w.]+( [\w.]+){{0,1}})", re.I)
# a visit, not a home: "I'm in Paris for a conference", "travelling in Spain", "on holiday in Crete"
_VISIT = re.compile(r"\b(for (a|the|an) ([\w-]+ )?(conference|trip|visit|holiday|vacation|workshop|meeting|summit|"
                    r"hackathon|week|few days)|on (a |an )?(holiday|vacation|business trip|trip|visit)|visiting|"
                    r"travell?ing|passing through|this week|until)\b", re.I)
# A move to a place: where the person now lives ("I moved to Ghent last year", "relocated from Oslo to Porto") —
# unless the use says the stay is open ("still deciding whether to stay", "only for a few months", "may go back"):
# then where the person is domiciled is a fact the use leaves open (*domicile open*)
_MOVED = re.compile(r"\b(moved|relocated|relocating|moving|emigrated|came over)( here| over| back)?( (from|out of) [\w.]+( [\w.]+)?)? "
                    r"(to|into) (?P<place>(the )?[\w.]+( [\w.]+)?)", re.I)
# *A stay with an end*: a posting, secondment, exchange term or visiting post in a place ("seconded to our Ghent office
# for nine months", "a visiting researcher in Bologna", "an exchange semester in Tartu") puts the person there without
# saying they are domiciled there: which side of a domicile exclusion they are on is open
_FIXED_STAY = re.compile(
    r"\b(?:(?:seconded|posted|assigned|sent) (?:to|in)|(?:secondment|posting|assignment|placement|exchange|sabbatical|"
    r"fellowship|internship|residency|semester|year abroad|visiting (?:post|position|researcher|scholar|"
    r"professor|fellow|student))(?: [\w-]+){0,2}? (?:in|at|to)|visiting (?:researcher|scholar|professor|fellow|"
    r"student|engineer)s? (?:in|at))(?: (?:our|the|a|an))? (?P<place>[\w.-]+(?: [\w.-]+)?)", re.I)
_STAY_OPEN = re.compile(
    r"\b(still (deciding|figuring|working out|not sure)|not (yet )?(sure|decided|settled)|undecided|unsure|"
    r"(haven.t|have not|hasn.t|not) (yet )?decided|(may|might|could) (not )?(stay|leave|go back|move (back|again|on))|"
    r"whether (i|we)(.ll| will)? (stay|remain|settle)|temporar\w*|for (now|the time being|a (few|couple of) (weeks|"
    r"months))|short[- ](term|stay)|on a (short|temporary|trial)|digital nomad)\b", re.I)
_EU_WORDS = re.compile(rf"^({_EU_ADJ}|eu|e\.u\.|europe|european union|eea|eu-based|{_EU_CITIES}(-based)?|"
                       rf"{'|'.join(EU)})$", re.I)
# Using someone else's product or service that runs the model (an end user, not a licensee of the model).
_END_USER = re.compile(
    r"\b(as an end[- ]user|end[- ]users? of|(use|using|uses|used|try|trying) ([\w-]+ ){0,3}(someone else's|another "
    r"company's|a third[- ]party|third-party|an existing|a commercial|a public|their|[\w-]+'s) ([\w-]+ ){0,2}(app|product|service|chatbot|"
    r"assistant|tool|website|platform)|(an?|the) ([\w-]+ ){0,2}(app|product|service|tool|website|platform) (that|which) ([\w-]+ ){0,3}"
    r"(runs|uses|is built on|incorporates|embeds)|"
    # "an app made by a US company", "some app that runs Llama under the hood": another's product
    r"(app|product|service|chatbot|assistant|tool|website|platform)s? (made|run|built|operated|owned|developed|offered|"
    r"provided|published|sold) by (an?|another|some|the) ([\w-]+ ){0,3}(company|startup|start-up|firm|business|developer|"
    r"provider|vendor|corporation)|"
    # "a recipe app that a Canadian startup built on it": the product's maker named in a relative clause
    r"(using|use|uses|used|try|trying) (some|an?|the) ([\w-]+ ){0,3}(app|product|service|chatbot|assistant|tool|website|"
    r"platform) (that|which) (an?|another|some|the) ([\w-]+ ){0,3}(company|startup|start-up|firm|business|developer|"
    r"provider|vendor|corporation|studio|agency) (built|made|developed|runs|operates|offers|created|launched)|"
    r"(using|use|uses|used|try|trying) (some|an?|the) ([\w-]+ ){0,3}(app|product|service|chatbot|website|platform) (that|which) "
    r"([\w-]+ ){0,3}(runs|uses|is built on)|(their|its) (backend|back end|back-end) (is|runs|uses))\b", re.I)
_PICTURES = r"(photos?|photographs?|pics?|pictures?|images?|scans|x-rays?|screenshots?|video frames)\b"
_MULTIMODAL = re.compile(r"\b(multimodal|multi-modal|vision|vl\b|image (input|understanding|reasoning|captioning)|"
                         r"(11|90)b[- ]vision|reads? (photos|images|screenshots|x-rays|scans)|"
                         # "image + text", "text and images" as the model's inputs
                         r"(images?|photos?|pictures?|screenshots?) ?(\+|&|/|and) ?text\b|text ?(\+|&|/|and) ?(images?|photos?|"
                         r"pictures?|screenshots?)\b|"
                         # *the model's work is pictures*: a member trained on, or reading, photos and scans takes images
                         # in ("fine tune it on our product pics", "caption the scanned invoices"), which only a
                         # multimodal member does; text about pictures ("alt-text guidelines") is not that
                         r"(fine[- ]?tun\w*|train\w*|adapt\w*|teach\w*)\b[^.;]{0,40}?\b(on|with) ([\w'’-]+ ){0,4}?"
                         rf"{_PICTURES}|"
                         r"(caption\w*|describ\w*|classif\w*|tag(s|ged|ging)?|reads?|reading|analy[sz]\w*|inspect\w*|"
                         r"look(s|ing)? at|understand\w*) (the |our |their |its |each |every |incoming |uploaded )?"
                         rf"([\w'’-]+ ){{0,3}}?(scanned [\w-]+|{_PICTURES}))", re.I)
_TEXT_ONLY = re.compile(r"\b(text[- ]only|text model|(1|3)b\b(?![- ]vision)|lightweight text)", re.I)
_NON_PRODUCTION = re.compile(
    r"\b(evaluat\w*|benchmark\w*|test(ing)? (it|the model|whether|how|its)|tr(y|ies|ying) (it |the model |them |this )?out|prototyp\w*|"
    r"proof[- ]of[- ]concept|poc\b|pilot\w*|internal (r&d|research|experiments?|trials?)|r&d|"
    r"not (yet )?(in|for|into) production|before (deciding|we decide|any deployment|deploying)|feasibility|"
    # "to see if a licence is worth it", "nothing goes to clients", "nothing will be shipped"
    r"to (see|find out|check|judge|learn|decide) (if|whether|how well)|"
    r"nothing ([\w']+ ){0,2}?((goes|go|reaches|leaves)\b|(is|will be|gets|would be) (sent|shipped|shown|released|"
    r"deployed)\b)|"
    r"(not|never) (be )?(shipped|shown|released|deployed|sent) to (clients|customers|users|the public)|"
    # "compare it with two others", "trial the model": trying it against alternatives
    r"compar(e|es|ing) (it|the model|them) (with|against|to)|trial(l?ing)? (it|the model)|"
    r"(?P<setting>sandbox\w*|(isolated|test|testing|staging|non-?production|offline|air-?gapped|dev|development|"
    r"evaluation) (environment|server|cluster|instance|setup|machine|box)s?))", re.I)
_IN_PRODUCTION = re.compile(r"\b(in production|production (use|traffic|system)|(our|paying) customers|sell\w*|"
                            r"launch\w*|ship\w* (it|to)|deploy\w* (it )?(to|for) (customers|users|the public)|"
                            # a prototype made to ship is product development: "a feature we'll ship next quarter",
                            # "we intend to roll it out" (evaluating "before any deployment" stays non-production)
                            r"(plan\w*|intend\w*|want\w*|wanna|going|gonna|aim\w*|hop(e|es|ing)|will|'ll|expect\w*) "
                            r"([\w'’-]+ ){0,3}?(ship|launch|releas|roll(s|ing)? ?out|go(es|ing)? live|deploy)\w*|(features?|products?) (that )?(we|i|they)('ll| will| wanna| want to| plan to| intend to)? ?"
                            r"(ship|launch|release|roll out))", re.I)


def read_frame(text: str, embed=None) -> UseFacts:
    """The frame of a use: its facts (facts.py), who and what (vocabularies), and its categories.
    `embed(texts) -> vectors` adds the category layer's classifier (without it, only phrases count)."""
    frame = read_facts(text)
    low = frame.text.lower()
    _who(frame, low)
    _where(frame, low)
    frame.model_modality = _modality(low)
    # a model's name read as "the model": "test FLUX.1 [dev] on briefs" is testing the model
    said = list(_NON_PRODUCTION.finditer(neutral_names(frame.text).lower()))
    frame.non_production = bool(said) and not any(
        not _negated(low, m.start()) and not _BEFORE.search(low[max(0, m.start() - 20):m.start()])
        for m in _IN_PRODUCTION.finditer(low))
    if frame.non_production and any(m.group("setting") for m in said) and not (frame.hosting or frame.distribution):
        # *non-production setting*: a sandbox, a staging server, a test environment is the user's own, kept from
        # customers: the use stays in-house, which is what a license admitting "testing … in a non-production
        # environment" asks
        frame.internal = True
    _presented_as_human(frame, low)
    categories.assign(frame, low, embed)
    return frame


def with_target(frame: UseFacts, model_id: str | None, modality: str | None = None) -> UseFacts:
    """The frame completed with what the target says of the family member used: its name, else what its card
    or the registry says (`modality`). The use's own words come first."""
    if frame.model_modality is None and (model_id or modality):
        modality = (_modality(model_id.lower().replace("-", " ").replace("_", " ")) if model_id else None) or modality
        if modality:
            return dataclasses.replace(frame, model_modality=modality)
    if frame.model_modality is None:
        # *family member*: a member the use names ("Llama 4 Maverick") whose modality the registry knows
        # (corpus/models.yaml `modality`); only when the members it names agree
        named = {(registry_lookup(n) or {}).get("modality") for n in model_names(frame.text)} - {None}
        if len(named) == 1:
            return dataclasses.replace(frame, model_modality=named.pop())
    return frame


@lru_cache(maxsize=1)
def _passed_off_vocab() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    v = read_vocab("presented_as_human")
    comp = lambda ps: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in ps) + ")")
    return comp(v["personas"]), comp(v["own_work"]), comp(v["as_if_person"]), re.compile(rf"\b({v['academic_setting']})\b")


def _presented_as_human(frame: UseFacts, low: str):
    """*Machine output presented as a person's* (corpus/vocab/presented_as_human.yaml): a bot given a human persona
    that never says it is one, output posted or handed in as someone's own, work presented as if a person made it.
    The frame fact is what three families of licence rules read: the AI-disclosure duty or ban (machine-generated
    content put out undisclosed), impersonation (a machine presented as a person) and academic dishonesty (output
    submitted as one's own work where work is graded). A use that says its output is labelled as machine-made does
    not have it."""
    personas, own, as_if, academic = _passed_off_vocab()
    complied = load_taxonomy()["ai_disclosure"].complied_re
    if complied is not None and any(not _negated(low, m.start()) for m in complied.finditer(low)):
        return

    def live(pat: re.Pattern):
        return next((m for m in pat.finditer(low) if not _negated(low, m.start())), None)

    persona, own_work, as_person = live(personas), live(own), live(as_if)
    found = persona or own_work or as_person
    if found is None:
        return
    frame.presented_as_human = True
    why = f"machine output presented as a person's ({found.group(0).strip()})"
    frame.implied.setdefault("ai_disclosure", why)
    if persona or as_person:
        frame.implied.setdefault("impersonation", why)
    if own_work and academic.search(low):
        frame.implied.setdefault("academic_dishonesty", why)


# *a trial before launch is not production*: "evaluating it before any launch", "ahead of the release", "prior to
# rollout" name the launch as what has not happened yet
_BEFORE = re.compile(r"\b(before|ahead of|prior to|until|pending)( (any|the|a|an|our|its|their|my|a possible|any possible|we|i|they|you|it))?\s$")


def _negated(low: str, start: int) -> bool:
    return bool(NEGATION.search(low[max(0, start - 40):start]))


def _who(frame: UseFacts, low: str):
    """Actor implies category; deciding sector: a consequential decision taken by an actor of that sector."""
    maybe: list[tuple[Actor, str]] = []  # (actor, its words): read once the activities are known
    for actor in actors():
        m = next((m for m in actor.pattern.finditer(low) if not _negated(low, m.start())
                  and not not_the_actor(low, m.start(), m.end())), None)
        if m is None:
            continue
        frame.actors.append(actor.id)
        if actor.sector not in frame.sectors:
            frame.sectors.append(actor.sector)
        for cat in actor.implies:
            frame.implied.setdefault(cat, f"the actor ({m.group(0)})")
        maybe.append((actor, m.group(0)))
    # *a person's decision is not the model's*: "our recruiters read every CV and decide who gets interviewed" names a
    # decision about people, but its subject is the person deciding (corpus/vocab/human_decision.yaml), not the model
    # — so it is no deciding activity of the use (the model only informs, unless it decides elsewhere in the use)
    persons = [(h.start(), h.end()) for h in _human_review().finditer(low) if not _negated(low, h.start())]
    for act in activities():
        m = next((m for m in act.pattern.finditer(low) if not _negated(low, m.start())
                  and not (act.decides_about_people and any(s <= m.start() <= e + 2 for s, e in persons))), None)
        if m is None:
            continue
        frame.activities.append(act.id)
        if act.decides_about_people:
            frame.decision_support = True
        if set(act.with_sectors) & set(frame.sectors) or "any" in act.with_sectors:
            if act.unless_informing and categories._informs_only(frame, low):
                # a deciding process named as the object of informing work ("summarise the approval workflow's
                # files for the underwriter") is not the model deciding
                continue
            for cat in act.implies:
                frame.implied.setdefault(cat, f"the activity ({m.group(0)}) of a {'/'.join(frame.sectors)} actor")
    for actor, words in maybe:
        if actor.may_imply_with and not set(actor.may_imply_with) & set(frame.activities):
            continue
        for cat in actor.may_imply:
            frame.maybe_implied.setdefault(cat, f"the actor ({words})")


# "an app made by a Canadian startup", "for a Dutch client": another party's organisation, not the user's seat
# ("… an app that a Canadian startup built": the organisation in a relative clause about a product is its maker)
_OTHER_PARTY = {"by", "from", "for", "with", "of", "to", "that", "which"}


@lru_cache(maxsize=1)
def _seat_vocab() -> tuple[list[re.Pattern], dict[str, re.Pattern]]:
    """The establishment vocabulary (corpus/vocab/establishment.yaml) compiled: seat patterns that capture a
    place, and the place words of each region."""
    v = read_vocab("establishment")
    org = "(?:" + "|".join(v["legal_forms"] + v["organisations"]) + ")"
    cues = "|".join(f"(?:{c})" for c in v["seat_cues"])
    seats = [
        # "a Berlin-based GmbH", "an EU-based start-up", "a New York-based insurer"
        re.compile(rf"\b(?P<before>(?:[\w.]+ )?[\w.]+)-based (?:[\w-]+ ){{0,2}}?{org}(?![\w-]|'s)"),
        # "a US company", "a Swiss AG", "German insurance company" — not "an American startup's app" (someone else's)
        re.compile(rf"\b(?P<before>(?:[\w.]+ )?[\w.]+) (?:(?P<mid>[\w-]+) )?{org}(?![\w-]|'s)"),
        # "HQ in Austin", "headquartered in Milan", "principal place of business is in Dublin"
        re.compile(rf"\b(?:{cues}) (?:the )?(?P<after>[\w.]+(?: [\w.]+)?)"),
        # "a one-person software shop based in Portugal", "an agency registered in Riga": the organisation, then its seat
        re.compile(rf"\b{org},? (?:(?:that|which|who) (?:is|are) |that's )?(?:based|established|headquartered|registered|"
                   rf"incorporated|located|seated) (?:in|out of) (?:the )?(?P<after>[\w.]+(?: [\w.]+)?)"),
    ]
    places = {region: re.compile("^(?:" + "|".join(words) + ")$") for region, words in v["regions"].items()}
    return seats, places


def _region_of(words: list[str]) -> str | None:
    """The region a place (one or two words) names: the EU or one of the vocabulary's regions."""
    words = [w.strip(".,;:()") for w in words]
    for w in [" ".join(words)] + words:
        if not w:
            continue
        if _EU_WORDS.match(w):
            return "European Union"
        for region, pat in _seat_vocab()[1].items():
            if pat.match(w):
                return region
    return None


def _where(frame: UseFacts, low: str):
    """Establishment vs residence: where the user's organisation is established (anywhere the vocabulary
    names, not only the EU: a seat known to be elsewhere settles a clause aimed at a region's
    establishments), and whether the user is only an end user of someone else's product."""
    def seat(words: list[str]):
        region = _region_of(words)
        if region and region not in frame.established:
            frame.established.append(region)

    for m in _ESTABLISHED.finditer(low):
        seat((m.group("place") or m.group("adj") or m.group("place2") or "").split())
    for m in _SEATED.finditer(low):
        seat(m.group("place").split())
    for pat in _seat_vocab()[0]:
        for m in pat.finditer(low):
            if "mid" in pat.groupindex and m.group("mid") and _region_of([m.group("mid")]) and not (
                    _OTHER_PARTY & set(m.group("before").split())):
                seat([m.group("mid")])  # "a small Polish software house": the place next to the organisation
            elif "before" in pat.groupindex:
                before = m.group("before").split()
                two = " ".join(before[-2:])  # "new york-based", else the word before
                seat([two] if len(before) > 1 and _region_of([two]) else before[-1:])
            else:
                seat(m.group("after").split())
    end_user = bool(_END_USER.search(low))
    if not end_user:
        for m in _RESIDENT.finditer(low):
            if not (re.match(r"i['’]?m |i am ", m.group(0)) and _VISIT.search(low)):  # "i'm in X" on a visit
                seat(m.group("place").split())
        for m in _MOVED.finditer(low):
            place = m.group("place").split()
            if not _region_of(place):
                continue
            if _STAY_OPEN.search(low):
                frame.domicile_open = True  # where the person is domiciled is open: neither side is settled
                if _region_of(place) not in frame.regions:
                    frame.regions.append(_region_of(place))
            else:
                seat(place)
        for m in _FIXED_STAY.finditer(low):
            region = _region_of(m.group("place").split())
            if region and region not in frame.established:
                frame.domicile_open = True
                if region not in frame.regions:
                    frame.regions.append(region)
    if not end_user:
        _employer_elsewhere(frame, low)
    frame.end_user_of_product = end_user and not frame.established
    frame.regions += [r for r in frame.established if r not in frame.regions]  # a seat there is a presence there


# *Acting for an employer established elsewhere*: a person who lives in one place and works for an organisation seated
# in another ("I live in Valencia and work remotely for a company in Texas") — whose domicile or seat the exclusion
# reads (the person's, or the employer's as the licensee) is a fact the use leaves open (evals/ANNOTATION_GUIDE.md,
# regional exclusions: an open fact is unclear). The person's home is then no seat of the user's.
_EMPLOYER = re.compile(r"\b(work|working|works|contract\w*|freelanc\w*|employed)( remotely| full-time| part-time)? "
                       r"(for|at|by) (a|an|the|my|our) ([\w-]+ ){0,2}(company|firm|employer|start-?up|business|"
                       r"organi[sz]ation|corporation|client|lab|agency|bank|insurer)( (that is |which is ))?"
                       r"( (based|headquartered|located|registered|incorporated))? (in|out of|from) "
                       r"(?P<place>(the )?[\w.]+( [\w.]+)?)", re.I)


def _employer_elsewhere(frame: UseFacts, low: str):
    for m in _EMPLOYER.finditer(low):
        boss = _region_of(m.group("place").split())
        homes = {_region_of(r.group("place").split()) for r in _RESIDENT.finditer(low)} - {None, boss}
        if boss and homes:
            frame.domicile_open = True
            frame.established = [r for r in frame.established if r not in homes]
            return


def _modality(low: str) -> str | None:
    if _MULTIMODAL.search(low):
        return "multimodal"
    if _TEXT_ONLY.search(low):
        return "text"
    return None
