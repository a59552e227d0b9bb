"""The use's facts read from its wording (commercial? users? revenue? region? distributed? hosted? …).

Rule-based and reproducible. This is the lexical half of the use frame (frame.py): the frame adds the
actor, sector and activity (vocabularies in corpus/vocab/), where the user is established, which model
member is used, and the categories (categories.py).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import asdict, dataclass, field


from corpus.errors import ModeltermsError

from ..terms.industries import industries_of_use
from ..terms.money import PERIOD, amounts, find_money, parse_amount
from .pipeline import OWN_DATA, language_model, targets_language_model, trained_model
from .vocab import read_vocab

MAX_USE_CHARS = 10_000

# the EU's member states, their adjectives and its cities (corpus/vocab/places.yaml): a use that names one is
# in the EU ("our Munich office"); the frame reads seats with the same words
_PLACES = read_vocab("places")
_EU_PLACES = _PLACES["european_union"]
EU, EU_ADJECTIVES, EU_CITIES = (tuple(_EU_PLACES[k]) for k in ("countries", "adjectives", "cities"))
_REGION_WORDS = {
    "European Union": [r"\beu\b", r"e\.u\.", "european union", r"\beurope\b", r"\beuropean\b"]
    + [rf"\b{re.escape(w)}\b" for w in EU + EU_ADJECTIVES + EU_CITIES],
    # the other regions by the words a use names them with (corpus/vocab/places.yaml `regions`)
    **{name: [rf"\b{re.escape(w)}\b" for w in words] for name, words in _PLACES["regions"].items()},
}
_LANGUAGES = "|".join(re.escape(w) for w in _PLACES["languages"])
# a language named ("into Korean", "German subtitles", "Chinese-speaking players") is no place
_LANGUAGE_SAID = re.compile(
    rf"\b(?:(?:into|in|from|to|and)\s+(?:{_LANGUAGES})\b(?!\s+(?:compan|firm|studio|team|office|universit|lab|bank|"
    rf"government|ministr|citizen|resident|user|customer|developer|start|partner)\w*)|(?:{_LANGUAGES})(?:[- ](?:speaking|"
    rf"speakers?|language|subtitles?|captions?|translations?|dubb?\w*|text|texts|voice-?overs?|locali[sz]ation)\b))")
# Abbreviations that are also words ("help us", "an eu-") are read in the use's own capitals
_REGION_ABBREVIATIONS = {"United States": re.compile(r"\b(US\b|U\.S\.)(?! ?\$)"), "European Union": re.compile(r"\bEU\b")}

_COMMERCIAL = re.compile(
    r"\b(commercial(ly)?|sell\w*|sold|paid|pay(ing)? (customers|users)|revenue|customers?|clients?|startup|"
    r"start-up|company|companies|business\w*|enterprise|corporat\w*|saas|subscription|monetiz\w*|monetis\w*|"
    r"ads?\b|advertis\w*|production|profit|for-profit|employer|firm|agency|bank|insurer|retailer|shop|store|"
    r"product|products|our app|internal tool|employees|consulting|marketing|brand|cash prizes?|prize money|"
    r"licen[cs]e (their|our|the|its|my) (\w+ )?(solution|model|code|work|product)s? to)\b", re.I)
_NONCOMMERCIAL = re.compile(
    r"\b(non-?commercial(ly)?|not commercial|personal (use|project)|hobby\w*|for fun|private use|at home|"
    r"academic|university|universit\w+|student|thesis|dissertation|coursework|class project|nonprofit research)\b", re.I)
_RESEARCH = re.compile(r"\b(research\w*|academic|university|study|studies|paper|thesis|dissertation|experiment\w*|"
                       r"benchmark\w*|lab\b|laborator\w*|scientific)\b", re.I)
# "release" as passing a version on, not a software team's nouns ("release notes", "a press release")
_RELEASE = (r"releas\w*(?! (notes?|dates?|cycles?|schedules?|management|engineering|candidates?|branch(es)?|process|"
            r"pipelines?|train|calendar|checklists?)\b)")
_DISTRIBUTE = re.compile(
    r"\b(distribut\w*|redistribut\w*|ship(s|ped)?\b(?! (questions|costs|orders|times))|shipping (it|them|the|our|a|an)\b|"
    rf"bundl\w*|(?<!press ){_RELEASE}|"
    # "publish the weights" (also "the student's weights", "the fine-tuned model"), not "publish a paper" or
    # "sell to publishers"
    r"publish(es|ed|ing)? (it\b|them\b|([\w'’-]+ ){0,3}(model|weights|checkpoint|fine-?tune|adapter|lora|version|variant|"
    r"derivative|merge|quantization|quantisation|gguf)s?\b)|"
    r"upload\w*|sell\w* ([\w'’-]+ ){0,3}(copies|usb sticks?|dvds?|cds?|drives?|disks?|devices?|boxes|hardware)\b|share (it|them|the (model|weights))|"
    r"open-?sourc\w*|on hugging ?face|app store|on-?device|in (our|the|a) (mobile |desktop )?app|download\w*|"
    r"sublicens\w*|resell\w*|give (it|the model) to|embedded in|embed (it|the model)|on (github|gitlab|civitai|the hub)|"
    r"(send|hand|pass|give)\w* (it |them |the \w+ |our \w+ |my \w+ )*(over )?to|post (it|them) (on|to)|"
    r"(send|hand|pass|give)\w* (our |my |the )?(merged |fine-?tuned |modified )?(checkpoint|weights|model|lora|adapter)s?)\b", re.I)
_LITIGATION = re.compile(r"\b(sue|sues|suing|sued|lawsuit|litigat\w*|patent (claim|suit|infringement|action)|"
                         r"(bring|file|start)\w* (a )?(claim|case|action) against)\b", re.I)
_HOST = re.compile(
    # hosting as the act ("we host it", "self-hosted", "hosting"), not the word's other senses: the host of a
    # party or show, "a host of features", hostile, hostage, hostel
    r"\b(api|hosted|hosting|self-?host\w*|hosts? (it|them|the|our|a|an|this|that|its|my|his|her|their|\w+ on)\b|"
    r"(we|i|to|and|will|can|would|could|they|you|must|should|may) host\b|as a service|saas|endpoint|chat ?bot|(support|help|service|faq|customer|sales) ?bots?|assistant|web ?app|website|platform|serve|serving|"
    # "public" as the audience a model is served to, not a public event or place the outputs go to ("a public
    # exhibition", "the public library", "public-sector records")
    r"cloud|customers? (can|use)|our users|end users|public(ly)?(?![- ](exhibitions?|exhibits?|displays?|lectures?|talks?|"
    r"events?|librar(y|ies)|museums?|archives?|domain|sector|records?|health|schools?|transport|holidays?|speaking|"
    r"figures?|polic(y|ies)|interest|opinion|hearings?|meetings?|galler(y|ies))))\b", re.I)
# someone else's hosted service the user compares with or leaves ("evaluate it against hosted models", "cheaper
# than hosted APIs"): not the user hosting this model
_OTHERS_HOSTED = re.compile(r"\b(against|than|vs\.?|versus|instead of|rather than|replac\w* (the |our )?|other|existing|"
                            r"third-party|commercial|competing|proprietary) (the )?(cloud[- ])?hosted (models?|apis?|llms?|"
                            r"alternatives?|services?|offerings?|solutions?|providers?|vendors?|endpoints?)\b", re.I)
# a product with a count of users serves them ("our 2M-user app", "30k monthly active users")
_SERVES_USERS = re.compile(r"\b\d[\d.,]*\s*(k|m|bn|b|million|billion|thousand)?\+?[- ]?(monthly[- ]|daily[- ])?(active[- ])?"
                           r"(users?|actives|maus?|daus?|subscribers|players|visitors|people (a|per|each|every) (month|day|week))\b",
                           re.I)
_DERIVATIVE = re.compile(r"\b(fine-?tun\w*|finetun\w*|retrain\w*|train\w* (it|the model) (on|with)|modif\w*|adapt\w*|"
                         r"merg\w*|quantiz\w*|quantis\w*|lora|adapter|distil\w*|derivative|prun\w*|continued pre-?training)\b", re.I)
# Outputs of the licensed model used to train another model ("generate 200k Q&A pairs and fine-tune
# Mistral on them", "use its answers to fine-tune our Llama-based model", "SD3 outputs as training data").
_OUT = r"(outputs?|generations?|generated \w+|responses|answers|completions|(?:q&a |instruction[/ ]answer )?pairs|samples|" \
       r"images|meshes|renders|texts|transcripts|conversations|speech|audio|voice clips|recordings|" \
       r"synthetic (?:data|dataset|examples|speech|audio|images))"
_TRAIN = r"(train\w*|fine-?tun\w*|finetun\w*|improve|teach\w*|bootstrap\w*|distil\w*|pre-?train\w*)"
_OTHER_MODEL = r"(?:[\w.-]+ ){0,4}(model|llm|classifier|network|system|checkpoint)s?\b"
_OUTPUT_TRAINING = re.compile(
    # "KD from X into Y": knowledge distillation by its abbreviation
    r"\b(synthetic (data|dataset|training)|distil\w*|kd (from|of|into|to)\b|"
    rf"{_OUT}\b.{{0,80}}\b{_TRAIN} (?:(?:it|them) )?(?:on|into|with)?\s?{_OTHER_MODEL}|"
    rf"{_OUT}\b.{{0,60}}\b(as|for|into) (training|fine-?tuning|pre-?training)\b|"
    rf"(generat\w*|creat\w*|produc\w*|collect\w*|harvest\w*)\b.{{0,100}}\b{_TRAIN}\b.{{0,60}}\b(on|with) (them|those|these|it)\b|"
    # "generate hours of speech to train our own TTS model"
    rf"(generat\w*|produc\w*|synthesi[sz]\w*|collect\w*|harvest\w*)\b.{{0,80}}\b(to|for|and) {_TRAIN}\b(?: and \w+)?.{{0,60}}"
    r"\b(model|llm|tts|classifier|network|system)s?\b)",
    re.I)
# "internal use only", "nothing is shared", "without giving the model to anyone": no distribution, no service
_NO_SHARING = re.compile(
    r"\b(internal(ly)? (use )?only|only (used )?(in-house|internally)|for internal use|nothing (is )?(shared|exposed|"
    r"leaves|goes out)|nothing ([\w']+ ){0,2}?((is|will be|gets|would be) (shipped|shown|sent|released|deployed)|goes to)|not (shared|exposed|distributed)|"
    # "nothing customer-facing", "not user-facing": no one outside is served
    r"(nothing|not|no part of it|none of it) ([\w']+ ){0,2}?(customer|client|public|user|consumer)[- ]facing|(don.t|do not|never|won.t|will not|without) (share|sharing|"
    r"giv\w+|hand\w*|distribut\w+|releas\w+|publish\w*|expos\w+)( (it|the model|the weights|them))?( to anyone| outside| "
    r"publicly)?|on (a|our|my) (own )?(workstation|laptop|desktop))\b", re.I)
# Passing the model or a derivative on under other terms: a proprietary EULA, closed source, another license
_RELICENSE = re.compile(
    r"\b((under|with) (a |an |the |our |my )?(own |new )?(mit|apache|bsd|proprietary|closed|commercial|custom|permissive|"
    r"different|other)[\w .-]{0,20}(licen[cs]e|eula|terms)|proprietary (eula|licen[cs]e|terms)|closed[- ]source|"
    r"relicens\w*|re-licens\w*|without (giving out|releasing|publishing|sharing) (the )?(weights|source|code|modifications))\b",
    re.I)
_UNSUPPORTED_REGION = re.compile(
    r"\b((country|countries|region|place|territory|location) (where |that |which )?([\w'’-]+ ){0,2}(doesn.t|does not|don.t|do not|"
    r"isn.t|is not|aren.t|are not) (yet )?(serve|support|offer|cover|available|supported|served)|not (yet )?(supported|served|"
    r"available|offered) (in|there|where)|(via|through|over|using|behind|with) (a |an )?vpn|vpn (endpoint|server|exit|tunnel)|"
    r"(embargoed|sanctioned) (country|countries|region)|(get|getting) around (the )?(geo-?blocks?|region locks?|"
    r"regional restrictions?))", re.I)
_DECISION_DOMAIN = re.compile(
    r"\b((scor|rank|screen|assess|evaluat|recommend|triag|approv|reject|shortlist|vet)\w* ([\w'’-]+ ){0,3}([\w-]+ )?"
    r"(loan|credit|mortgage|insurance|job|rental|tenant|tenancy|visa|asylum|benefits?|welfare|housing|admissions?|"
    r"hiring|bail|parole)s? ?(applications?|applicants?|claims?|candidates?|decisions?|requests?)?|"
    r"(set|setting|determin\w*|calculat\w*|pric\w*) ([\w'’-]+ ){0,2}(insurance |car insurance |health insurance )?"
    r"(premiums?|interest rates?|credit limits?|salar(y|ies)|bail)\b)", re.I)
_NONPROFIT = re.compile(r"\b(non-?profit|not-for-profit|charit\w+|ngo|volunteer\w*)\b", re.I)
_COST_COVERING = re.compile(r"\b((a few |some )?(ads?|adverts?|advertising|donations?|fees?)\b[^.]{0,40}\b(cover|pay for|"
                            r"offset)\w*( (the|its|our|their))? (\w+ )?(costs?|expenses|bills?)|(at|to cover) cost)", re.I)
_INTERNAL = re.compile(r"\b(internal(ly)?|in-house|our (own )?(staff|team|employees)|within (our|the) company)\b", re.I)
# *internal audience*: the model serves the user's own people ("an autocomplete for our 40 backend engineers", "a
# tool for its 3,000 compliance analysts"), not customers or the public (corpus/vocab/audience.yaml `staff_nouns`)
@lru_cache(maxsize=1)
def _staff_audience() -> re.Pattern:
    staff = "|".join(_audience()["staff_nouns"])
    return re.compile(rf"\b(for|to|by|among) (our|its|my|their|the company's|the firm's) (own )?(\d[\d,.]*\+? |[\w-]+ ){{0,3}}"
                      rf"({staff})\b", re.I)


_OUTSIDE_AUDIENCE = re.compile(r"\b(customers?|clients?|users|end[- ]users|the public|public(ly)?|visitors|players|"
                               r"patients|subscribers|consumers|shoppers|citizens|students|readers|viewers|buyers|"
                               r"partners|sell\w*|publish\w*|launch\w*)\b(?!-)", re.I)
# a company's own research unit using a model, with nothing hosted or handed on: "a chip maker's research lab
# wants to try it out", "our R&D group" — the use stays inside the company
# (also the groups that test and measure models in-house: "the model-evaluation group of a payments company", "our
# benchmarking team"; their work stays with their organisation unless the use says it reaches customers)
_OWN_UNIT = re.compile(r"\b(r ?& ?d|research|applied[- ]research|innovation|(model|ml|ai|llm)?[- ]?evaluation|"
                       r"benchmark(ing)?|model[- ](testing|validation|risk)|ml[- ]?ops) (labs?|teams?|groups?|departments?|"
                       r"units?|divisions?)\b", re.I)
_VAGUE = re.compile(r"^\W*(use it|using it|use the model|anything|stuff|things|something|whatever|general use|"
                    r"for (my|our) (project|work|purposes))\W*$", re.I)
# Negated mentions ("not for military use") must not trigger the category.
# ("we don't redistribute it", "it won't be shared": contracted negations count as "not")
NEGATION = re.compile(r"\b(no|not|never|without|non|nothing|nothing to do with|excluding|except|"
                      r"(do|does|did|wo|would|is|are|ca|should)n['’]t)\b[\w\s,-]{0,25}$", re.I)


@dataclass
class UseFacts:
    text: str
    categories: list[str] = field(default_factory=list)
    possible: list[str] = field(default_factory=list)  # categories the use may fall under (weaker evidence)
    category_scores: dict[str, float] = field(default_factory=dict)
    commercial: bool | None = None
    research: bool = False
    users: int | None = None
    revenue_usd: int | None = None  # annual, US-dollar equivalent
    revenue_converted: bool = False  # stated in another currency (converted at approximate rates)
    regions: list[str] = field(default_factory=list)
    distribution: bool = False
    hosting: bool = False
    derivative: bool = False
    outputs_for_training: bool = False
    trained_language_model: bool | None = None  # the model the outputs train is a language model (None: not said)
    litigation: bool = False  # the user is suing, or will sue, over the model or its patents
    relicense: bool = False  # passed on under other terms (closed source, a proprietary EULA, another license)
    internal: bool = False
    human_review: bool = False  # a person makes the final decision the model informs
    human_oversight: bool = False  # a person reviews or checks what the model produces (a person deciding is one)
    industries: dict[str, str] = field(default_factory=dict)  # industry -> "direct" | "indirect" (agent/terms/industries.py)
    unsupported_region: bool = False  # used from, or routed around, a place the provider does not serve
    decision_support: bool = False  # the model scores or recommends in a consequential decision (loans, hiring, ...)
    commercial_doubt: str | None = None  # why it is unsure whether the use is commercial (a non-profit's ads)
    publication: bool = False  # research results are published or presented
    vague: bool = False
    # --- the frame (frame.py) ---
    actors: list[str] = field(default_factory=list)  # who: vocabulary ids (corpus/vocab/actors.yaml)
    sectors: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)  # does what (corpus/vocab/activities.yaml)
    implied: dict[str, str] = field(default_factory=dict)  # category -> the actor/activity that implies it
    maybe_implied: dict[str, str] = field(default_factory=dict)  # category -> the actor that may fall under it
    negated: list[str] = field(default_factory=list)  # categories the use says it is not ("not for military use")
    # categories read from who the user is only (a police office, a navy depot), not from what the use does
    actor_only: list[str] = field(default_factory=list)
    established: list[str] = field(default_factory=list)  # regions where the user's organisation is established
    end_user_of_product: bool = False  # uses someone else's product or service, not the model itself
    outputs_only: bool = False  # what is shipped, sold or published is the model's outputs, not the model
    domicile_open: bool = False  # a person who moved to a place and says the stay is undecided (frame.py _MOVED)
    model_modality: str | None = None  # "text" | "multimodal" (the family member used), when said
    non_production: bool = False  # evaluation, testing, prototyping: not in production
    # the use serves developing, choosing or evaluating a product or service for a business (a prototype, a vendor
    # bake-off, a pilot before launch): set by its fact head (evals/train_categories.py,
    # corpus/exemplars/facts/heads/product_development.yaml); read by the grant-scope rules (rules/commercial.py)
    product_development: bool = False
    # machine output put out as a person's: a bot with a human persona, posts or coursework under someone's own name
    # (frame.py, corpus/vocab/presented_as_human.yaml)
    presented_as_human: bool = False
    # the use as described is a crime (fraud, forgery, bribery, extortion ...): "clear" or "possible" as the fact
    # head reads it (evals/train_categories.py, corpus/exemplars/facts/unlawful_act.yaml); "" when not read
    unlawful_act: str = ""
    reader: str = "rules"  # "rules" | "llm:<prompt_version>"

    def as_json(self) -> dict:
        d = asdict(self)
        d.pop("text")
        if not d["maybe_implied"]:
            d.pop("maybe_implied")  # only where an actor's status is open
        if not d["domicile_open"]:
            d.pop("domicile_open")  # only where a person's domicile is open
        d["category_scores"] = {k: round(v, 3) for k, v in self.category_scores.items()}
        return d


def validate_use(text: str) -> str:
    if text is None or not text.strip():
        raise ModeltermsError("empty use: describe what you want to do with the model")
    if len(text) > MAX_USE_CHARS:
        raise ModeltermsError(f"use text too long ({len(text):,} chars; the limit is {MAX_USE_CHARS:,}): "
                              "describe the use in a few sentences")
    return " ".join(text.split())


def read_facts(text: str) -> UseFacts:
    """The lexical facts of a use (commercial? users? distributed? …); the frame (frame.py) adds who,
    for whom and the categories."""
    text = validate_use(text)
    facts = UseFacts(text=text)
    low = text.lower()
    facts.vague = bool(_VAGUE.match(low)) or len(re.findall(r"\w+", low)) < 3
    facts.research = bool(_RESEARCH.search(low))
    noncommercial = bool(_NONCOMMERCIAL.search(low))
    commercial = bool(_COMMERCIAL.search(_strip_negated(low, _COMMERCIAL))) or said(low, _vocab_pattern("commerce", "phrases"))
    facts.commercial = True if commercial else (False if noncommercial or facts.research else None)
    if noncommercial and re.search(r"non-?commercial", low) and not re.search(r"\b(sell|paid|revenue|customers)\b", low):
        facts.commercial = False
    if facts.commercial and _NONPROFIT.search(low):
        # a non-profit whose only commercial trait is income that covers costs (ads, donations, fees)
        rest = _COST_COVERING.sub(" ", _NONPROFIT.sub(" ", low))
        if not _COMMERCIAL.search(_strip_negated(rest, _COMMERCIAL)) and _COST_COVERING.search(low):
            facts.commercial, facts.commercial_doubt = None, "income that only covers costs"
    facts.users = _users(low)
    facts.revenue_usd, facts.revenue_converted = _revenue(low)
    if facts.users and facts.users > 0 and facts.commercial is None and not _NONPROFIT.search(low):
        facts.commercial = True  # a product with users, unless a non-profit serves them
    if facts.revenue_usd and facts.commercial is None and not _NONPROFIT.search(low):
        facts.commercial = True  # a business that states its revenue or sales ("$40k in yearly sales")
    placed = _LANGUAGE_SAID.sub(" ", low)
    facts.regions = [name for name, pats in _REGION_WORDS.items() if any(re.search(p, placed) for p in pats)
                     or (name in _REGION_ABBREVIATIONS and _REGION_ABBREVIATIONS[name].search(text))]
    # *outputs only*: shipping, selling or publishing what the model made is passing outputs on, not distributing
    # the model; those spans are read apart
    shipped_outputs = _outputs_shipped().search(low)
    low_model = _outputs_shipped().sub(" ", low)
    if shipped_outputs and not _RUNS_IN_PRODUCT.search(low):
        # the product that carries them ("the mod we release", "ship our game") passes the outputs on too
        low_model = _CARRIER_RELEASED.sub(" ", low_model)
    facts.distribution = bool(_DISTRIBUTE.search(_strip_negated(low_model, _DISTRIBUTE))) or said(
        low_model, _vocab_pattern("sharing", "pass_on"))
    unquoted = _QUOTED.sub(" ", low)  # a mark the use quotes ("'powered by x' on the box") says nothing of the product
    facts.outputs_only = bool(shipped_outputs) and not facts.distribution and not _RUNS_IN_PRODUCT.search(unquoted) \
        and not _offer_to_users().search(unquoted)
    facts.hosting = bool(_HOST.search(_strip_negated(_OTHERS_HOSTED.sub(" ", low), _HOST))) or bool(_SERVES_USERS.search(_digits(low))) or bool(
        _offer_to_users().search(_strip_negated(low, _offer_to_users())))
    facts.derivative = bool(_DERIVATIVE.search(low)) or said(low, _vocab_pattern("sharing", "modify"))
    trained = trained_model(low)
    facts.outputs_for_training = any(not OWN_DATA.search(low[max(0, m.start() - 25):m.start()])
                                     and not NEGATION.search(low[max(0, m.start() - 30):m.start()])
                                     and not re.match(r"\w*\s*(nothing|none|no\b)", low[m.end():])
                                     for m in _OUTPUT_TRAINING.finditer(low)) or trained is not None
    # read whatever sets the output-training fact (the phrases or the fact head): a ban scoped to language models
    # must see that a classifier is trained
    facts.trained_language_model = language_model(trained) if trained else targets_language_model(low)
    facts.internal = bool(_INTERNAL.search(low)) or (
        bool(_OWN_UNIT.search(low)) and not facts.hosting and not facts.distribution) or (
        said(low, _staff_audience()) and not facts.distribution
        and not _OUTSIDE_AUDIENCE.search(_strip_negated(low, _OUTSIDE_AUDIENCE)))
    facts.litigation = bool(_LITIGATION.search(low))
    facts.decision_support = bool(_DECISION_DOMAIN.search(low))
    facts.unsupported_region = bool(_UNSUPPORTED_REGION.search(low))
    facts.industries = industries_of_use(low)
    facts.publication = bool(re.search(r"\b(publish\w*|submit\w*|present\w*) ([\w'’-]+ ){0,3}(papers?|results|findings|"
                                       r"preprints?|articles?|thesis|posters?)|(at|to) (a |the )?(conference|workshop|journal)|"
                                       r"\b(neurips|icml|iclr|acl|emnlp|cvpr|arxiv)\b", low))
    facts.human_review = any(not NEGATION.search(low[max(0, m.start() - 40):m.start()])
                             for m in _human_review().finditer(low))
    facts.human_oversight = facts.human_review or any(not NEGATION.search(low[max(0, m.start() - 40):m.start()])
                                                      for m in _human_oversight().finditer(low))
    facts.relicense = bool(_RELICENSE.search(low)) and (facts.distribution or bool(
        re.search(r"\b(sell|ship|give|hand|share|provide|deliver)\w*\b", low)))
    if _NO_SHARING.search(low) and not re.search(r"\b(public|users can|customers (can|use|chat|talk)|our users|end users|"
                                                 rf"publish|{_RELEASE}|sell (it|the model|access)|ship(s|ped|ping)? (it|them|the|our)|bundl\w*|embedded|inside (a|an|our|the)|"
                                                 # made on one's own laptop, then shared: "trained it on my laptop and want
                                                 # to share it on Civitai" passes it on
                                                 r"(?<!not )(?<!n't )(?<!never )(?<!won't )shar(e|es|ing) (it|them|the \w+|my \w+|our \w+)|upload\w*|"
                                                 r"on (civitai|hugging ?face|github|gitlab|the hub))\b", low):
        facts.internal = True
        facts.distribution = facts.hosting = False

    return facts


@lru_cache(maxsize=None)
def _vocab_pattern(name: str, section: str) -> re.Pattern:
    """One section of a vocabulary (corpus/vocab/<name>.yaml) as one pattern; `{hub}` in sharing.yaml stands
    for any of its hubs."""
    v = read_vocab(name)
    hub = "(?:" + "|".join(v.get("hubs") or ["(?!)"]) + ")"
    return re.compile(r"\b(?:" + "|".join(f"(?:{p.replace('{hub}', hub)})" for p in v[section]) + ")", re.I)


def said(low: str, pattern: re.Pattern) -> bool:
    """The pattern occurs in the use and is not negated just before ("we don't publish it")."""
    return any(not NEGATION.search(low[max(0, m.start() - 30):m.start()]) for m in pattern.finditer(low))


_SHIP = r"(ship|sell|releas|distribut|publish|upload|bundl|includ|put|post|packag)\w*"
_MAKE = r"(generat|creat|render|produc|mak|made|design|draw|drew|writ|wrote|compos|paint|model|sculpt|synthesi[sz])\w*"
# "runs on the model", "powered by it", "players generate props in-game": the model itself is inside the product
_RUNS_IN_PRODUCT = re.compile(r"\b(runs? (on|locally)|powered by|built on|(on|in)-(device|game)|in-game generat\w*|"
                              r"(players|users|customers) (can )?(generate|create|prompt|make))\b", re.I)


_CARRIERS = (r"(games?|mods?|apps?|books?|albums?|films?|movies?|websites?|sites?|titles?|comics?|magazines?|decks?|"
             r"catalogu?e?s?|collections?|expansions?|dlcs?|levels?|maps?|courses?)")
_CARRIER_RELEASED = re.compile(
    rf"\b(the|our|my|its|their|a|an) ([\w-]+ ){{0,2}}{_CARRIERS}\b[^.;]{{0,30}}?\b(we|i|they|you)( will| 'll|'ll)? "
    rf"{_SHIP}|\b{_SHIP} (the|our|my|its|their|a|an) ([\w-]+ ){{0,2}}{_CARRIERS}\b", re.I)
_QUOTED = re.compile(r"(?<!\w)['‘\"“][^'’\"”]{1,80}['’\"”](?!\w)")


@lru_cache(maxsize=1)
def _outputs_shipped() -> re.Pattern:
    """A shipping verb whose object is what the model made: "ship the generated props", "generate 3D props with
    this model and ship them inside our game" (the pronoun after an output noun the use makes)."""
    nouns = "(?:" + "|".join(read_vocab("sharing")["output_nouns"]) + ")"
    return re.compile(
        rf"\b{_SHIP} (the |our |these |those |all |its |any )?((ai|model)[- ])?(generated |made |resulting |rendered )?"
        rf"([\w-]+ )?{nouns}\b(?! (of|from) (the|this|our) (model|weights))|"
        rf"\b{_MAKE} ([\w-]+ ){{0,4}}{nouns}\b[^.;]{{0,60}}?\b{_SHIP} (them|these|those)\b", re.I)


@lru_cache(maxsize=1)
def _audience() -> dict:
    return read_vocab("audience")


@lru_cache(maxsize=1)
def _offer_to_users() -> re.Pattern:
    """The model made available to the users of the user's product (corpus/vocab/audience.yaml)."""
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in _audience()["offer_to_users"]) + r")", re.I)


@lru_cache(maxsize=1)
def _human_review() -> re.Pattern:
    """A person makes the final decision (corpus/vocab/human_decision.yaml)."""
    v = read_vocab("human_decision")
    role = "(?:" + "|".join(v["roles"]) + ")"
    return re.compile(r"\b(?:" + "|".join(f"(?:{c.replace('{role}', role)})" for c in v["cues"]) + ")", re.I)


@lru_cache(maxsize=1)
def _human_oversight() -> re.Pattern:
    """A person reviews or checks the model's work (corpus/vocab/human_decision.yaml `oversight_cues`)."""
    v = read_vocab("human_decision")
    role = "(?:" + "|".join(v["roles"] + v["oversight_roles"]) + ")"
    return re.compile(r"\b(?:" + "|".join(f"(?:{c.replace('{role}', role)})" for c in v["oversight_cues"]) + ")", re.I)


# "nothing it makes reaches players or goes into a release": a "nothing" that opens a clause reaches every verb
# coordinated in it, further than the few words NEGATION looks back
_NOTHING = re.compile(r"\b(nothing|none of (it|them|this|that))\b[^.,;:!?]{0,60}$", re.I)


def _strip_negated(text: str, pattern: re.Pattern) -> str:
    """The text with negated mentions of the pattern removed ("not for commercial use")."""
    out = text
    for m in pattern.finditer(text):
        if NEGATION.search(text[max(0, m.start() - 30):m.start()]) or _NOTHING.search(text[max(0, m.start() - 70):m.start()]):
            out = out.replace(m.group(0), " ", 1)
    return out


_COUNT = r"(\d[\d,.]*)\s*(billion|million|thousand|bn|[mk]\b)?"


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if w != "_"}
_SMALL = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(list(_UNITS)[1:10]) + r"))?|" + "|".join(_UNITS) + r")")
# "two million", "twenty-five million", "three hundred thousand", "a hundred million", "half a million",
# "one hundred and twenty million", "one and a half million"
_HUNDREDS = rf"(?:{_SMALL}|a) hundred(?:(?: and)? {_SMALL})?"
_NUMBER_WORDS = re.compile(rf"\b(half a|{_HUNDREDS}|{_SMALL} and a half|a|{_SMALL})\s+(billion|million|thousand)\b")


def _word_number(words: str) -> str:
    if words == "half a":
        return "0.5"
    whole, half = words.removesuffix(" and a half"), words.endswith(" and a half")
    total = 0
    for w in re.split(r"[\s-]+", whole):
        if w != "and":
            total = total * 100 if w == "hundred" else total + (1 if w == "a" else _UNITS.get(w, _TENS.get(w, 0)))
    return str(total + 0.5) if half else str(total)


def _digits(text: str) -> str:
    """ "a billion users" -> "1 billion users", "twenty million people" -> "20 million people", so the counts
    below read it."""
    return _NUMBER_WORDS.sub(lambda m: f"{_word_number(m.group(1))} {m.group(2)}", text)


# "well past a hundred million people", "more than 100M users": the count is a floor the use is already above,
# so a threshold of exactly that count ("more than 100 million") is passed
_ABOVE = re.compile(r"\b(past|over|more than|above|beyond|north of|upwards of|in excess of|exceed\w*|surpass\w*|"
                    r"passed|topp\w*)\s+(?:about |around |roughly |some )?$")


def _past(text: str, start: int, count: int | None) -> int | None:
    return count + 1 if count and _ABOVE.search(text[max(0, start - 30):start].rstrip() + " ") else count


def _users(text: str) -> int | None:
    """The largest count of users the use states: a threshold applies once the use will pass it ("500M MAU
    today, 800M next year")."""
    text = _digits(text)
    counts = [_past(text, m.start(), parse_amount(m.group(1), m.group(2))) for m in re.finditer(
        _COUNT + r"\+?\s*(?:monthly |daily |weekly )?(?:active )?(?:" + "|".join(_audience()["user_nouns"]) + r")\b",
        text)]
    if any(counts):
        # a projection beside a stated count: "500M MAU today, expect to pass 800M next year"
        counts += [parse_amount(m.group(1), m.group(2)) for m in re.finditer(
            r"\b(?:pass|reach|exceed|hit|grow to|surpass)\w*\s+(?:about |around |roughly )?" + _COUNT, text)
            if m.group(2)]
        return max(c for c in counts if c)
    m = re.search(r"(?:users|mau|maus|monthly actives)['’]?,?\s*(?:of|:|=|~|around|about|some|roughly|approximately|"
                  r"number(?:ing)?|count(?:ing)?)?\s*" + _COUNT, text)
    if m and parse_amount(m.group(1), m.group(2)):
        return parse_amount(m.group(1), m.group(2))
    return None


# money coming in, said of the user's organisation: "revenue", "turnover", "makes", "takes in", "grossing"
_REVENUE_WORDS = re.compile(r"revenue|turnover|sales|\barr\b|income|makes?|earns?|generat\w*|"
                            r"(brings?|bringing|brought|takes?|taking|took|rakes?|raking|pulls?|pulling) in\b|"
                            r"gross\w*|turns? over", re.I)
# money going out or a price, not revenue: "we spend $5k a month on GPUs", "our cloud bill is $30k a month", "a
# budget of $2k/month", "costs us $300 a year", "priced at $20 a month per seat" (corpus/vocab/commerce.yaml)
@lru_cache(maxsize=1)
def _cost_words() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in read_vocab("commerce")["money_out"]) + r")", re.I)


def _revenue(text: str) -> tuple[int | None, bool]:
    """Annual revenue in US dollars (an equivalent for other currencies; monthly figures times 12), and
    whether it was converted. *Money over time is revenue*: an amount said with revenue words, or with a period
    ("bills about $30M a month", "billing around thirty million dollars a month", "€4M a year"), is the
    organisation's revenue however it is said, unless cost or price words say it is money going out."""
    text = _digits(text)
    for start, end, money in amounts(text):
        near = text[max(0, start - 45):end + 45]
        if _REVENUE_WORDS.search(near) or (
                PERIOD.search(text[max(0, start - 25):end + 25])
                and not _cost_words().search(text[max(0, start - 40):end + 30])):
            # *a floor already passed*: "well past twenty million dollars in sales every month" is above that figure,
            # so a threshold of exactly that amount ("more than USD 20 million a month") is crossed
            above = bool(money.annual_usd) and bool(_ABOVE.search(text[max(0, start - 30):start].rstrip() + " "))
            return (money.annual_usd + 1 if above else money.annual_usd), money.currency != "USD"
    return None, False
