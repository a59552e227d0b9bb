"""Sharing the model, a derivative or a product built on it: notices, naming, flow-down, share-alike,
hosting that counts as distribution, bans on passing the model or service on.

License concepts: *attribution* (also for making a product or service available, where the clause
says so), *naming* of derived models, *flow-down* of use restrictions to recipients, *share-alike*
(relicensing under other terms is prohibited; modified versions shared under the same license is a
condition), *hosted is distribution* (serving counts as sharing; a ban on serving prohibits it),
*no redistribution* (passing the model or service on, reselling access), *passing outputs on* (a ban on
distributing the outputs prohibits publishing them; a duty attached to distributing them is a condition), and
*credit in publications of results* (publishing scores or findings obtained with the model), a *duty on public
statements about a derivative* (a press release, launch post or marketing page about a product built on the model
must carry the licence's statement), and a *duty scoped to one model family* (owed for a use of that family only). *Nothing distributed*: a product that ships only the model's outputs
distributes nothing and makes nothing available, so the distribution and sharing duties are not owed. (Hosting for
the user's own people was read the same way for a while in the ninth session and taken back: it cost a held-out
question, and whether internal hosting is a service is the licence's own definition's business.)
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...terms.profile import NO_SHARING_DERIVED, OUTPUT_SHARING_BAN, OUTPUT_SHARING_DUTY, no_sharing_of_derived
from ..context import RuleContext
from ..result import Condition, Reason
from ..vocab import read_vocab

# "the use of the Work to provide applications and integrated end user products which use the Work in the
# background shall not be considered Hosting Use"
_APPS_CARVED_OUT = re.compile(r"\b(applications?|(end[- ]user |integrated )+products?|products? or services?)\b[^.]{0,160}"
                              r"\b(shall not|does not|do not|will not|is not|are not)\b[^.]{0,20}\b(be )?(considered|deemed|"
                              r"constitute|count)", re.I)


# A data licence's duty attaches to the data passed on ("include with any Data you redistribute all credit …"); a
# model trained on the data is not the data, so passing the model on leaves that duty aside.
_DATA_NOUN = re.compile(r"\b(data|datasets?|databases?|corpus|corpora)\b", re.I)
_MODEL_NOUN = re.compile(r"\b(models?|weights|software|program|source code|derivative works?|works?)\b", re.I)
_TRAINED_ON_DATA = re.compile(
    r"\b(train\w*|fine-?tun\w*|build\w*|fit\w*) (a |an |our |the |my |their )?([\w-]+ ){0,3}(models?|networks?|classifiers?|"
    r"llms?|recogni[sz]ers?|transcribers?) (\w+ ){0,2}(on|with|from|using) ([\w'’-]+ ){0,5}(data|datasets?|corpus|corpora|texts?|"
    r"recordings?|images?|records|transcripts?)\b", re.I)
_DATA_PASSED_ON = re.compile(
    r"\b(shar|publish|redistribut|distribut|sell|sold|releas|upload|post|mirror|repackag|hand)\w* (\S+ ){0,3}?(the |this |that |"
    r"our |a )?(raw |original |cleaned |full )?(data|datasets?|corpus|corpora|recordings|texts|transcripts)\b", re.I)


def _model_from_data_only(ctx: RuleContext, term) -> bool:
    """The use passes on a model trained on the licensed data, not the data, and the duty is written for the data."""
    text = ctx.facts.text
    if not _TRAINED_ON_DATA.search(text) or _DATA_PASSED_ON.search(text):
        return False
    quotes = [e.quote for e in term.evidence[:3]]
    return bool(quotes) and all(_DATA_NOUN.search(q) and not _MODEL_NOUN.search(q) for q in quotes)


def shares(ctx: RuleContext) -> bool:
    """Serving a model is not distributing it, unless the license says hosting counts as distribution."""
    facts, t = ctx.facts, ctx.terms
    if facts.distribution:
        return True
    if facts.outputs_only:
        # *nothing is distributed*: a product that ships only what the model made does not make the model available
        return False
    if not (facts.hosting and "hosted_is_distribution" in t):
        return False
    # the whole clause: a quote is one line of it, and "if you modify" (AGPL s.13) may sit on the line before
    return facts.derivative or not re.search(r"\bif you (modify|change|alter)",
                                             ctx.clauses_of(t["hosted_is_distribution"], 2), re.I)


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    sharing = shares(ctx)
    # Attribution duties that also cover "making available" a product or service apply to hosting too
    # (an attribution duty that only starts above a user or revenue threshold is the threshold's business).
    threshold_clauses = {e.clause_id for k in ("user_threshold", "revenue_threshold") if k in t for e in t[k].evidence}
    # "make available", also split by its object: "distribute or make the Materials, or derivatives, available to"
    # (not a product that ships only the model's outputs: it does not make the model available)
    makes_available = not facts.outputs_only and (
        facts.hosting or offers_product(facts)) and "attribution" in t and re.search(
        r"\bmake[s]?\b[^.;]{0,80}?\bavailable\b|made available|provid\w* (access|as a service)|service", " ".join(
            e.quote for e in t["attribution"].evidence[:3] if e.clause_id not in threshold_clauses), re.I)
    if (sharing or makes_available) and "attribution" in t and not _model_from_data_only(ctx, t["attribution"]):
        ctx.add_term(t["attribution"], Reason("notices", prof.name), "condition",
                     condition=Condition("notices", prof.license))
    naming_text = ctx.clauses_of(t["naming"], 2) if "naming" in t else ""
    naming_on_change = re.search(r"\bif (the \w+ is |you )?modif", naming_text, re.I)
    # a naming duty written for models made with the outputs ("use … any outputs … to train … an AI model")
    # reaches a model trained on them, not only a fine-tune of the model itself
    naming_covers_outputs = bool(re.search(r"\boutputs?\b", naming_text, re.I))
    derived = facts.derivative or (facts.outputs_for_training and naming_covers_outputs)
    if derived and (sharing or naming_on_change) and "naming" in t:
        ctx.add_term(t["naming"], Reason("naming", prof.name), "condition",
                     condition=Condition("naming", prof.license))
    if (facts.publication or publishes_results(facts.text)) and "attribution" in t and not (sharing or makes_available):
        cited = [e for e in t["attribution"].evidence if re.search(r"publication|paper", ctx.clause_text(e.clause_id), re.I)]
        if cited:
            ctx.add_clause(cited[0].clause_id, "attribution", "must", Reason("acknowledge", prof.name), "condition")
            ctx.condition(Condition("acknowledge", prof.license))
    _public_statement_duty(ctx)
    _family_duties(ctx, sharing)
    _no_derivatives(ctx, sharing)
    _outputs_passed_on(ctx)
    hosted = t.get("hosted_is_distribution")
    if hosted is not None and hosted.attitude == "cannot" and not facts.internal:
        as_service = "offer_model_as_service" in facts.activities
        # A ban on "hosting use" that leaves out applications using the model behind their own features
        # reaches only offering the model itself (an inference or fine-tuning API, a managed endpoint).
        apps_carved_out = bool(_APPS_CARVED_OUT.search(ctx.clauses_of(hosted, 4)))
        if as_service or (facts.hosting and not apps_carved_out):
            ctx.add_term(hosted, Reason("no_hosting", prof.name), "prohibited")
    if sharing and "flowdown" in t and (facts.distribution or "hosted_is_distribution" in t):
        ctx.add_term(t["flowdown"], Reason("pass_restrictions", prof.name), "condition",
                     condition=Condition("pass_restrictions", prof.license))
    redistribution = t.get("redistribution")
    if redistribution is not None and redistribution.attitude == "cannot" and (facts.distribution or re.search(
            r"\b(resell\w*|sublicens\w*|lease|rent\w*) ([\w'’-]+ ){0,2}(access|accounts?|the service|our service)",
            facts.text, re.I)):
        ctx.add_term(redistribution, Reason("no_redistribution", prof.name), "prohibited")
    if facts.relicense and "share_alike" in t:
        ctx.add_term(t["share_alike"], Reason("relicense", prof.name), "prohibited")
    elif facts.derivative and sharing and "share_alike" in t:  # hosting counts where the text says so (AGPL s.13)
        ctx.add_term(t["share_alike"], Reason("share_alike", prof.name), "condition",
                     condition=Condition("share_alike", prof.license))


@lru_cache(maxsize=1)
def _product_patterns() -> tuple[list[re.Pattern], re.Pattern]:
    v = read_vocab("products")
    product = "(" + "|".join(v["products"]) + ")"
    offered = [re.compile(r"\b" + p.replace("{product}", product), re.I) for p in v["rests_on"] + v["builds"]]
    return offered, re.compile(r"\b(" + "|".join(v["not_offered"]) + r")\b", re.I)


def offers_product(facts) -> bool:
    """*Making a product or service available*: the use builds a product on the model for others ("our app runs
    on X", "we're building a scanning product on X"; corpus/vocab/products.yaml), not an internal tool, and is not
    someone else's product used as an end user."""
    if facts.internal or facts.end_user_of_product:
        return False
    offered, not_offered = _product_patterns()
    low = " ".join(facts.text.lower().split())
    return any(p.search(low) for p in offered) and not not_offered.search(low)


def _no_derivatives(ctx: RuleContext, sharing: bool):
    """*No derivatives*: a text that lets you make a derivative but not share it (the profile marks its
    derivatives term, agent/terms/profile.py). Sharing a fine-tune, merge or other modified model, or hosting it
    where hosting counts as sharing, is prohibited; a model trained on the outputs is reached only where the
    clause names such models. Making and using the derivative yourself stays allowed."""
    facts, term = ctx.facts, ctx.terms.get("derivatives")
    if term is None or term.params.get("sharing") != "forbidden" or not sharing:
        return
    output_trained = facts.outputs_for_training and term.params.get("output_trained_sharing") == "forbidden"
    if not (facts.derivative or output_trained):
        return
    for ev in term.evidence:
        if no_sharing_of_derived(ctx.clause_text(ev.clause_id)):
            ctx.add_clause(ev.clause_id, "derivatives", "cannot", Reason("no_derivatives", ctx.prof.name), "prohibited",
                           pattern=NO_SHARING_DERIVED)
            return


# A use that passes the model's outputs on: publishing, posting or selling what it generated ("publish a dataset of
# captions written by the model", "post its images on our site"). Showing answers to one's own users is not read
# as this; the use has to say the generated material is published, released or shared.
_PASS_OUTPUTS = re.compile(r"\b(publish\w*|post(s|ed|ing)?|releas\w*|upload\w*|distribut\w*|sell\w*|share|shares|sharing|"
                           r"put (them |it )?(online|up))\b[^.;]{0,60}?\b(outputs?|generations?|captions?|images?|pictures?|"
                           r"illustrations?|texts?|articles?|answers?|transcripts?|translations?|summaries|dataset|data ?set|"
                           r"corpus|audio|clips?|videos?|songs?|code)\b", re.I)
_MODEL_MADE = re.compile(r"\b(it (makes|writes|draws|creates|produces|renders|generates)|(i|we|you) (generate|make|create|produce|render)\w* (\w+ )?(with|using) (it|the|this|a|an|our|my)\b|its|generated|generates|written|produced|made|created|rendered|drawn|model-generated|"
                         r"synthetic|ai-generated|outputs?)\b", re.I)
_NOT_PASSED = re.compile(r"\b(not|never|no|without|don.t|won.t)\b[\w\s]{0,20}\b(publish|post|releas|upload|distribut|sell|shar)",
                         re.I)
# publishing what was found with the model: "post my score table", "publish the benchmark results", "a paper on …"
_RESULTS = re.compile(r"\b(publish\w*|post(s|ed|ing)?|present\w*|report\w*|shar(e|es|ing)|blog\w*|submit\w*)\b[^.;]{0,50}?"
                      r"\b(results?|scores?|score tables?|findings|benchmarks?|evaluations?|leaderboards?|numbers|metrics|"
                      r"papers?|preprints?)\b", re.I)


@lru_cache(maxsize=1)
def _pass_works() -> re.Pattern:
    """Publishing a work the model made, named as the work ("post the poems I generate", "share the songs it
    writes"): the passing verbs of _PASS_OUTPUTS before a noun of corpus/vocab/generated_works.yaml."""
    works = "|".join(read_vocab("generated_works")["works"])
    return re.compile(_PASS_OUTPUTS.pattern.split(r"\b(outputs?")[0] + r"\b(" + works + r")\b", re.I)


def passes_outputs_on(text: str) -> bool:
    """Does the use publish, release or share what the model generated?"""
    return bool((_PASS_OUTPUTS.search(text) or _pass_works().search(text)) and _MODEL_MADE.search(text)
                and not _NOT_PASSED.search(text))


def publishes_results(text: str) -> bool:
    """Does the use publish results obtained with the model (scores, findings, a paper)?"""
    return bool(_RESULTS.search(text)) and not _NOT_PASSED.search(text)


def _outputs_passed_on(ctx: RuleContext):
    """*Passing outputs on*: the profile reads a ban on distributing outputs into redistribution and a duty
    attached to it into attribution (agent/terms/profile.py); a use that publishes what the model generated meets
    one or the other."""
    t = ctx.terms
    if not passes_outputs_on(ctx.facts.text):
        return
    ban, duty = t.get("redistribution"), t.get("attribution")
    if ban is not None and ban.params.get("outputs") == "forbidden":
        ctx.add_clause(ban.params["outputs_clause"], "redistribution", "cannot", Reason("no_output_sharing", ctx.prof.name),
                       "prohibited", pattern=OUTPUT_SHARING_BAN)
    elif duty is not None and duty.params.get("outputs") == "duty":
        ctx.add_clause(duty.params["outputs_clause"], "attribution", "must", Reason("output_notice", ctx.prof.name),
                       "condition", pattern=OUTPUT_SHARING_DUTY)
        ctx.condition(Condition("notices", ctx.prof.license))


def uses_family(ctx: RuleContext, family: str) -> bool:
    """Does the use name the family, in its words or in the model it names ("Cosmos-1.0-Diffusion-7B", "an NVIDIA
    Cosmos world model"), and not only to say it is not one ("not a Cosmos model")?"""
    from ..facts import NEGATION

    low = ctx.facts.text.lower()
    said = [m for m in re.finditer(rf"\b{re.escape(family.lower())}", low)
            if not NEGATION.search(low[max(0, m.start() - 30):m.start()])]
    res = ctx.result.resolution
    target = " ".join(x for x in (getattr(res, "model", None), getattr(res, "query", None)) if x).lower()
    return bool(said) or family.lower() in target


def _family_duties(ctx: RuleContext, sharing: bool):
    """*A duty scoped to one model family* (agent/terms/profile.py `family_duties`): distributing a model of that
    family, a product or service that uses it, a derivative, or a model trained with it or its outputs owes the duty;
    a use of another model under the same text does not."""
    facts = ctx.facts
    made_with = sharing or facts.hosting or offers_product(facts) or facts.derivative or facts.outputs_for_training or (
        facts.commercial and not facts.internal)
    if not made_with:
        return
    for duty in ctx.prof.family_duties:
        if uses_family(ctx, duty["family"]):
            ctx.add_clause(duty["clause_id"], "attribution", "must",
                           Reason("family_duty", ctx.prof.name, category=duty["name"]), "condition",
                           pattern=re.compile(r"[^.;]*\b" + re.escape(duty["family"]) + r"\b[^.;]*"))
            ctx.condition(Condition("notices", ctx.prof.license))


# *A duty on public statements about a derivative*: "You shall include prominently in any public statement regarding a
# Derivative Work the following statement: …"; "all announcements and marketing materials for a product built on the
# Model must credit …". The clause's duty attaches to the statement, so a use that makes one (a press release, a launch
# blog, an announcement, a marketing page) about something built on the model owes it — though nothing is distributed.
_STATEMENT_DUTY = re.compile(
    r"\b(shall|must|will|agree to)\s+(prominently\s+)?(include|state|display|mention|credit|acknowledge|carry)\w*\b[^.;]{0,60}?"
    r"\b(in|on)\s+(any|all|every|each)\s+(public\s+)?(statements?|announcements?|press releases?|publicity|marketing|"
    r"advertis\w*|promotional)\b|\b(any|all|every|each)\s+(public\s+)?(statements?|announcements?|press releases?|"
    r"marketing materials?|advertis\w*|promotional materials?)\b[^.;]{0,80}?\b(shall|must|will)\s+(prominently\s+)?"
    r"(include|state|display|mention|credit|acknowledge|carry)", re.I)
_ABOUT_DERIVED = re.compile(r"\b(regarding|about|concerning|relating to|related to|for|of)\b[^.;]{0,40}?\b(derivative|"
                            r"modified|model|work|product|service)s?\b", re.I)
_PUBLIC_STATEMENT = re.compile(
    r"\b(press (release|statement|kit)s?|announc\w*|launch(ing)? (blog|post|event|page|video|campaign|note|email|"
    r"article)s?|(blog|social[- ]media|linkedin) posts?|product (page|announcement|launch)s?|landing pages?|marketing "
    r"(copy|page|site|materials?|campaign)s?|advertis\w*|ads? (for|about)|public statements?|publicity|unveil\w*|"
    r"go(es|ing)? public with|tell (the press|journalists|the world))\b", re.I)
# something built on the model: "a fine-tune of X", "our X-based app", "built on X", a derivative
_BUILT_ON = re.compile(r"\b([\w.-]+[- ]based|built (on|with|using)|powered by|fine-?tune[sd]? of|trained from|derived from|"
                       r"on top of)\b", re.I)


def _public_statement_duty(ctx: RuleContext):
    facts = ctx.facts
    if not _PUBLIC_STATEMENT.search(facts.text) or facts.end_user_of_product:
        return
    if not (facts.derivative or _BUILT_ON.search(facts.text) or offers_product(facts)):
        return
    for f in ctx.profiler.features(ctx.prof.license):
        text = " ".join(f.clause.text.split())
        m = _STATEMENT_DUTY.search(text)
        if m is None or not _ABOUT_DERIVED.search(text[m.start():m.end() + 120]):
            continue
        ctx.add_clause(f.clause.id, "attribution", "must", Reason("statement_duty", ctx.prof.name), "condition",
                       pattern=re.compile(r"[^.;]*" + _STATEMENT_DUTY.pattern + r"[^.;]*", re.I))
        ctx.condition(Condition("statement_duty", ctx.prof.license))
        return
