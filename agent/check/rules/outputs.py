"""Outputs used to train other models (synthetic data, distillation, a student or replacement model).

License concepts: an *output-training ban* (its *object*: "any other large language model" reaches
language models, not a classifier trained on the labels) ("you will not use outputs to train or improve any other
model") prohibits it; a license that makes a model trained on its outputs a *derivative* passes its
terms and use restrictions on (a condition). *Exceptions to the ban*: the licensor's own family and its derivatives
(a condition: the trained model is a derivative), and "non-commercial AI models" where the ban spares them (a use that
trains a non-commercial model is outside the ban). The use frame reads the pipeline (a model writes data,
renders or answers that then train, fine-tune or distil another model) into `outputs_for_training`.

*A whole-output ban*: a text that forbids using, copying or distributing the Output at all, with no commercial or
production qualifier (read by the profile into the redistribution term, params outputs = "forbidden"), reaches a use
that posts, prints, publishes or shares what the model made — "the poems the model writes", "the model's answers",
"use the model to caption my photos and post the captions". A ban scoped to commercial purposes is not read so.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..facts import said
from ..result import Condition, Reason
from ..pipeline import discriminative, families, trained_model, trained_targets
from ..vocab import read_vocab
from ...terms.profile import OUTPUT_SHARING_BAN

# "to improve any other large language model": the ban's object is a language model, not any model
_LANGUAGE_MODELS_ONLY = re.compile(r"\bother\s+(large\s+)?language\s+models?\b|\bany\s+(other\s+)?(large\s+)?language\s+models?\b", re.I)

# An exception to the ban for the licensor's own family: "(excluding Llama 2 or derivative works thereof)", "(other
# than Hunyuan or Model Derivatives thereof)", "(except the Model and its derivatives)". Training a member or a
# derivative of that family on the outputs is outside the ban (it is a derivative, with its own duties).
_OWN_FAMILY_EXCEPTION = re.compile(r"\((?:excluding|other than|except(?: for)?|save for|apart from)\s+([^()]{2,60}?)\s+"
                                   r"(?:or|and)\s+(?:its |their |any )?(?:[\w-]+\s+){0,2}?(?:derivative works?|"
                                   r"derivatives?)\b[^()]{0,40}\)", re.I)
_VERSION = r"[\s-]?v?(\d+(?:\.\d+)?)\b"

# An exception to the ban for non-commercial models: "to improve any AI model, except for the Model itself, its
# Derivative Works, or non-commercial AI models"
_NONCOMMERCIAL_EXCEPTION = re.compile(r"\b(except|excluding|other than|save for|apart from|unless)\b[^.;]{0,160}?"
                                      r"\bnon-?commercial\b[^.;]{0,30}?\bmodels?\b", re.I)
# the trained model said to be non-commercial ("our non-commercial research model", "released for research only")
_NONCOMMERCIAL_MODEL = re.compile(r"\bnon-?commercial\b|\bnot for (profit|sale|commercial\w*)\b|\bresearch[- ]only\b|"
                                  r"\bfor (non-?profit |academic )?research (use )?only\b", re.I)
_COMMERCIAL_MODEL = re.compile(r"\b(sell\w*|sold|paid|commercial(?!ly)(?! use only)|product|customers?|revenue|"
                               r"monetis\w*|monetiz\w*|subscription)\b", re.I)


@lru_cache(maxsize=1)
def _distilled_excluded_pattern() -> re.Pattern:
    v = read_vocab("output_training")
    excl = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in v["derivative_exclusions"])
    made = "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\*", r"\w*") for w in v["derivative_distilled"])
    return re.compile(rf"\b({excl})\b[^.;]{{0,200}}?\b({made})", re.I)


def _derivative_definition_excludes_distilled(definition: str) -> bool:
    """*The licence's own Derivative definition decides*: "The Derivative Materials do not include any model developed
    by transferring patterns from Output, such as through distillation …" — a model distilled from, or trained on
    synthetic data of, the licensed model is then no derivative, whatever the general reading of distillation says."""
    return bool(_distilled_excluded_pattern().search(" ".join(definition.split())))


def _trains_a_noncommercial_model(text: str) -> bool:
    """Does the use say the model it trains is non-commercial (and name no commercial end for it)?"""
    commercial = [m for m in _COMMERCIAL_MODEL.finditer(text)
                  if not re.search(r"non-?$", text[:m.start()][-4:], re.I)]
    return said(text, _NONCOMMERCIAL_MODEL) and not commercial


# "a model that is competitive with the Model", "any models that compete with the Licensor's models"
_COMPETING = re.compile(r"\b(compet\w*|rival\w*)\b", re.I)
_TRAINING_SENTENCE = re.compile(r"\b(train\w*|fine-?tun\w*|distil\w*|improv\w*|develop\w*)\b", re.I)


def _competing_only(ban_text: str) -> bool:
    """Is every sentence of the ban that speaks of training with outputs scoped to competing models?"""
    sentences = [s for s in re.split(r"(?<=[.;])\s+", " ".join(ban_text.split()))
                 if re.search(r"\boutputs?\b", s, re.I) and _TRAINING_SENTENCE.search(s)]
    return bool(sentences) and all(_COMPETING.search(s) for s in sentences)


def _spared_family(ban_text: str) -> tuple[set[str], dict[str, str]] | None:
    """The families the ban's exception spares (with their version where it names one), or None."""
    m = _OWN_FAMILY_EXCEPTION.search(" ".join(ban_text.split()))
    if not m:
        return None
    name = m.group(1).lower()
    fams = families(name)
    if not fams:
        return None  # a family the vocabulary does not know is never presumed to be the trained one
    versions = {f: v.group(1) for f in fams if (v := re.search(re.escape(f) + _VERSION, name))}
    return fams, versions


def _trains_only(low: str, spared: tuple[set[str], dict[str, str]]) -> bool:
    """Does every training step the use describes train a model of the spared family (by name and version)?"""
    fams, versions = spared
    named = [t for t in trained_targets(low) if families(t)]
    other = trained_model(low)
    if other is not None and other not in named:
        named.append(other)
    if not named:
        return False
    for target in named:
        if not families(target) or not families(target) <= fams:
            return False
        for f, v in versions.items():
            said = re.search(re.escape(f) + _VERSION, target)
            if said and said.group(1).split(".")[0] != v.split(".")[0]:
                return False
    return True


# passing on: publishing, posting, printing, sharing (the object follows within a few words)
_PASS = r"(publish\w*|post(s|ed|ing)?|print(s|ed|ing)?|releas\w*|upload\w*|distribut\w*|sell\w*|share|shares|sharing|tweet\w*|" \
        r"blog\w*|put (them |it )?(online|up)|send\w* out|hand\w* out)"
_PASSED_NOUN = r"(outputs?|generations?|answers?|repl(y|ies)|responses?|summar(y|ies)|translations?|transcripts?|texts?|" \
               r"images?|pictures?|illustrations?|clips?|videos?|audio|code)"
# the model as the maker: "the poems the model writes", "the model's answers", "use the model to caption my photos"
_MODEL_AS_MAKER = re.compile(
    r"\b(model|llm|ai|bot|chatbot|generator)(['’]s| (writes|wrote|generates|generated|makes|made|produces|produced|drafts|"
    r"drafted|creates|created|renders|rendered|translates|summari[sz]es|captions|composes|outputs))\b|"
    r"\b(use|using|run|running|ask|asking|let|letting|have|having)\b[^.;]{0,50}?\b(model|llm|it)\b[^.;]{0,25}?\bto "
    r"(write|generate|caption|summari[sz]e|translate|draft|compose|describe|draw|illustrate|answer|make|create|produce)\b",
    re.I)
_NOT_PASSED = re.compile(r"\b(not|never|no|without|don.t|won.t)\b[\w\s]{0,20}\b(publish|post|print|releas|upload|distribut|"
                         r"sell|shar)", re.I)


@lru_cache(maxsize=1)
def _passed_on_pattern() -> re.Pattern:
    works = "|".join(read_vocab("generated_works")["works"])
    return re.compile(rf"\b{_PASS}\b[^.;]{{0,60}}?\b({_PASSED_NOUN}|{works})\b", re.I)


def passes_model_made_work_on(text: str) -> bool:
    """Does the use post, print, publish or share something the model made (the model named as its maker)?"""
    return bool(_passed_on_pattern().search(text) and _MODEL_AS_MAKER.search(text) and not _NOT_PASSED.search(text))


def _whole_output_ban(ctx: RuleContext):
    ban = ctx.terms.get("redistribution")
    if ban is None or ban.params.get("outputs") != "forbidden" or not passes_model_made_work_on(ctx.facts.text):
        return
    ctx.add_clause(ban.params["outputs_clause"], "redistribution", "cannot", Reason("no_output_sharing", ctx.prof.name),
                   "prohibited", pattern=OUTPUT_SHARING_BAN)


def apply(ctx: RuleContext):
    facts, prof, t = ctx.facts, ctx.prof, ctx.terms
    _whole_output_ban(ctx)
    if not facts.outputs_for_training:
        return
    if "output_training_ban" in t:
        ban = t["output_training_ban"]
        if facts.trained_language_model is False and _LANGUAGE_MODELS_ONLY.search(ctx.clauses_of(ban, 2)):
            return  # the ban is scoped to other language models; a classifier or an image model is not one
        trained = trained_targets(facts.text.lower())
        if trained and all(discriminative(t) for t in trained) and _competing_only(ctx.clauses_of(ban, 2)):
            return  # the ban reaches models that compete with the licensed one; a classifier or detector does not
        if _NONCOMMERCIAL_EXCEPTION.search(" ".join(ctx.clauses_of(ban, 2).split())) and \
                _trains_a_noncommercial_model(facts.text):
            # the ban spares non-commercial models, which the trained one is: the clause's exception decides
            ctx.add_term(ban, Reason("noncommercial_model", prof.name), "grant", limit=1)
            return
        spared = _spared_family(ctx.clauses_of(ban, 2))
        if spared and _trains_only(facts.text.lower(), spared):
            # the ban spares the licensor's own family: the trained model is a derivative, and its terms pass on
            ctx.add_term(ban, Reason("own_family", prof.name), "condition", limit=1,
                         condition=Condition("derivative", prof.license))
            return
        ctx.add_term(ban, Reason("output_training_ban", prof.name), "prohibited")
    elif "distillation_derivative" in t:
        if _derivative_definition_excludes_distilled(ctx.clauses_of(t["distillation_derivative"], 2)) and \
                facts.internal and not (facts.distribution or facts.hosting):
            # the definition itself leaves distilled / synthetic-data models out of the derivatives; a model the use
            # says it keeps in-house owes nothing. One handed on, hosted, sold or not said to stay inside keeps the
            # condition: such texts attach their own notice to distributing it ("Extracted Models" of ModelGo 2.0),
            # and a condition is the safer reading.
            return
        ctx.add_term(t["distillation_derivative"], Reason("distillation_derivative", prof.name), "condition",
                     condition=Condition("derivative", prof.license))
