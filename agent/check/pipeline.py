"""Outputs that train another model, read as a pipeline: the licensed model PRODUCES something (writes,
labels, answers, renders …) and that TRAINS a model OTHER than the licensed one.

Each step is read from a word list (corpus/vocab/output_training.yaml), so the reading carries to
wordings no list of sentences foresaw: "we caption our photos with it and use the captions to fine-tune
Qwen", "keep its good solutions as training data for our own reasoning model". What it must not read as
output training: the licensed model itself trained on the user's data ("fine-tune Mistral on our
documents"), data people made ("labels our annotators produced"), training people ("train staff").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .embedding_view import model_names, neutral_names
from .vocab import read_vocab


@dataclass(frozen=True)
class _Words:
    produce: re.Pattern
    train: re.Pattern
    model: re.Pattern
    other: re.Pattern
    families: tuple[tuple[str, re.Pattern], ...]
    language_models: re.Pattern
    not_language_models: re.Pattern
    discriminative: re.Pattern
    methods: re.Pattern
    by_role: re.Pattern


def _alternation(words: list[str]) -> str:
    parts = []
    for w in words:
        w = str(w).lower()
        stem = w.rstrip("*")
        # a star inside a phrase ("learn* from") is an ending there too
        parts.append(re.escape(stem).replace(r"\ ", r"[\s-]").replace(r"\*", r"[\w-]*") +
                     (r"[\w-]*" if w.endswith("*") else ""))
    return r"\b(?:" + "|".join(sorted(parts, key=len, reverse=True)) + r")\b"


@lru_cache(maxsize=1)
def _words() -> _Words:
    v = read_vocab("output_training")
    return _Words(
        produce=re.compile(_alternation(v["produce_verbs"] + v["products"]), re.I),
        train=re.compile(_alternation(v["train_verbs"] + v["train_nouns"]), re.I),
        # "our 8B", "a 1.5b": a size names a model
    model=re.compile(_alternation(v["model_nouns"]) + r"|\b\d+(?:\.\d+)?\s?[bm]\b", re.I),
        other=re.compile(_alternation(v["other_marks"]), re.I),
        # a family name glued to its version is still the family ("llama2", "qwen2.5", "phi3")
        # a family's other names count as the family ("Tongyi Qianwen" is Qwen): family_aliases
        families=tuple((str(f), re.compile(r"\b(?:" + "|".join(
            re.escape(str(n).lower()).replace(r"\ ", r"[\s-]")
            for n in [f, *((v.get("family_aliases") or {}).get(f) or [])]) +
            r")(?:[\d.]*\d)?\b(?![\w-]*\s*(?:license|licence))", re.I))
                       for f in v["families"]),
        # a size such as "our 8B" names a language model unless a word of the other list says otherwise
        language_models=re.compile(_alternation(v["language_models"]) + r"|\b\d+(?:\.\d+)?\s?b\b", re.I),
        not_language_models=re.compile(_alternation(v["not_language_models"]), re.I),
        discriminative=re.compile(_alternation(v["discriminative_models"]), re.I),
        methods=re.compile(_alternation(v["method_verbs"]), re.I),
        by_role=re.compile(_alternation(v["other_by_role"]), re.I))


# where the trained thing is said: after the training word, up to the data it is trained on
_TARGET_END = re.compile(r"\b(on|with|using|from|by|to match|so that|until)\b|[,;:]|\.(?!\d)")
# people made it: "labels our annotators produced", "pairs our agents wrote", "tickets labelled by our staff"
_PEOPLE = r"(human|humans|annotators?|agents?|staff|employees?|people|experts?|users?|customers?|reviewers?|writers?|raters?|" \
          r"team|colleagues|students|volunteers|crowd ?workers?|by hand|manually)"
_MADE_BY_PEOPLE = re.compile(rf"\b(our|my|their|the) (\w+ )?{_PEOPLE}\b(\s\w+){{0,2}}$|\bby (our |my |the )?(\w+ )?{_PEOPLE}\b", re.I)
# "pairs our support agents wrote over five years", "photos we took", "tickets labelled by our staff"
_PEOPLE_MADE_DATA = re.compile(rf"\b(our|my|their|by) ([\w'’-]+ ){{0,2}}{_PEOPLE}\b|\bwe (\w+ )?(wrote|took|collected|made|"
                               r"gathered|recorded|labell?ed|annotated|own)\b", re.I)
# the data is the model's: "its outputs", "your model's completions", "model-generated pairs", "images produced by FLUX"
_MODELS_OWN = re.compile(r"\b(its|(the|this|that) model'?s|your model'?s|the licensed model'?s|model-generated|generated|synthetic|"
                         r"produced by|written by|made by|from (the|your) model)\b", re.I)
# "our answers", "customer conversations": the user's own data, not the model's outputs
OWN_DATA = re.compile(r"\b(our|my|own|customer|customers'?|human|internal|employee|user)\s+(\w+\s+)?$", re.I)
_GENERIC_PRODUCER = re.compile(r"\b(the|your|this|that|its|big|large|licensed|teacher|vision|coder) (\w+ )?model'?s?\b|"
                               r"\bthe (llm|vlm|\d+b)\b|\b(with|using|by|ask|have|let) it\b", re.I)
_SELF = re.compile(r"\b(itself|the model itself|the same model|the licensed model|your model|the model)\b", re.I)


def trained_model(low: str) -> str | None:
    """The words that name the other model the outputs train ("our own 7B model", "a small BERT classifier"),
    or None when the use describes no such pipeline."""
    low = _improvement_said(low)
    found = _trained_model(low)
    return found if found is not None else _learner_by_its_group(low)


# *Improvement said casually is training*: "make our Llama model smarter" is "improve our Llama model"; "feed the
# meshes into our generator so it gets better" is "… to improve our generator". Rewritten before the pipeline is read,
# so the improved model is the training step's target and the rest of the reading (another model? made by the
# licensed model?) is unchanged.
@lru_cache(maxsize=1)
def _improvement_patterns() -> tuple[re.Pattern, re.Pattern]:
    better = _alternation(read_vocab("output_training")["better_words"])
    make = re.compile(r"\bmake (?P<m>(?:our|my|the|its|their|a|an) (?:[\w.'’-]+\s+){0,4}?[\w.'’-]+) " + better)
    gets = re.compile(r"\b(?:into|to|on) (?P<m>(?:[\w.'’-]+\s+){1,5}?)so (?:that )?(?:it|they) "
                      r"(?:gets?|becomes?|will get|will be|is|are) " + better)
    return make, gets


def _improvement_said(low: str) -> str:
    make, gets = _improvement_patterns()
    low = make.sub(lambda m: "improve " + m.group("m"), low)
    return gets.sub(lambda m: "to improve " + m.group("m").rstrip(), low)


# *The learner named by its group* (the actor voice): "our Llama fine-tuning team wants X as its teacher model", "our
# commercial TTS team wants X's speech as its training set", "a startup building a ChatGPT rival wants its model to
# learn from ChatGPT". The group's words name a model (a family, a model noun) other than the producer; the use casts
# the licensed model's products as training material outside the group's words.
@lru_cache(maxsize=1)
def _group_patterns() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("output_training")
    groups = _alternation(v["learner_groups"])
    builders = _alternation(v["builder_verbs"])
    group = re.compile(r"\b(?:our|my|their|the|a|an|its)\s+(?P<m>(?:[\w.'’-]+\s+){1,5}?)" + groups)
    subjects = _alternation(v["builder_subjects"] + v["learner_groups"])  # "the fraud squad that maintains …"
    # "a company selling its own TTS engine", "our firm, which sells its own recogniser"
    # also "a lab that trains Llama 2 models" (a plural model without a determiner) and "a startup whose whole business
    # is selling tuned Mistral models" (the organisation's trade said as what its business is)
    builder = re.compile(subjects + r",?\s+(?:(?:which|that|who)\s+|whose\s+(?:[\w-]+\s+){0,3}(?:is|are)\s+)?" +
                         builders + r"\s+(?P<m>(?:(?:an?|our|its|their|my)\s+(?:[\w.'’-]+\s+){0,3}[\w.'’-]+|"
                         r"(?:[\w.'’-]+\s+){0,3}(?:models|llms|checkpoints|assistants|chatbots)\b))")
    return group, builder


@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """*A role in another model's training* (corpus/vocab/output_training.yaml): the licensed model cast as what
    makes the learner's training material by the role's name, a helper role, and the training pipeline it enters."""
    v = read_vocab("output_training")
    cast = r"\b(?:as|be|is|act as|serve as|becomes?|for)\s+(?:the\s+|a\s+|an\s+|our\s+|its\s+|their\s+|my\s+)?"
    role = re.compile(cast + "(?:" + _alternation(v["training_roles"]) + r")(?!['’]s)")
    helper = re.compile(cast + "(?:" + _alternation(v["helper_roles"]) + r")(?!['’]s)")
    # "bring X into our training pipeline", "add X to its distillation setup", "X in their fine-tuning loop"
    pipe = re.compile(r"\b(?:into|in|to|as part of|inside|within)\s+(?:our|its|their|my|the|your)\s+(?:[\w-]+\s+)?(?:" +
                      _alternation(v["training_pipelines"]) + ")" +
                      # *the source of the learner's training material*: "wants X to supply its training material"
                      r"|\b(?:" + _alternation(v["supply_verbs"]) + r")\s+(?:the\s+|our\s+|its\s+|their\s+|my\s+)?(?:" +
                      _alternation(v["training_material"]) + ")" +
                      r"|\b(?:" + _alternation(v["curation_groups"]) + r")\b")
    return role, helper, pipe


def training_role(text: str) -> re.Match | None:
    """The licensed model's role in a training pipeline, as the use says it ("as its data generator", "into our
    distillation pipeline", "the annotator in our training loop"); None when it names none."""
    role, helper, pipe = _role_patterns()
    found = role.search(text) or pipe.search(text)
    if found:
        return found
    h = helper.search(text)
    return h if h and pipe.search(text) else None


def _group_learners(low: str):
    """(match, learner) for each group or builder the use names with a model other than the licensed one itself; the
    learner's words end where the sentence goes on ("… rival wants its model to …")."""
    group, builder = _group_patterns()
    for pat in (group, builder):
        for m in pat.finditer(low):
            learner = re.split(r"\s+(?:wants?|would|needs?|plans?|asks?|uses?|is|are|has|have|will)\b|[,;:]",
                               m.group("m"))[0]
            if (_words().model.search(learner) or _families(learner)) and not _SELF.search(learner):
                yield m, learner


def _learner_by_its_group(low: str) -> str | None:
    w = _words()
    for m, learner in _group_learners(low):
        outside = low[:m.start()] + " " * (m.end() - m.start()) + low[m.end():]
        producers = _families(outside)
        named = _families(learner)
        if named and producers and named <= producers:
            continue  # the group builds the licensed family itself
        # a training step on something other than the licensed model ("fine-tune Llama on our tickets" trains
        # the licensed model itself), or the licensed model cast as the teacher
        steps = [t for t in w.train.finditer(outside) if not _negated(outside, t)
                 and not (_families(outside[slice(*_target(outside, t))]) & producers)
                 and not _SELF.search(outside[slice(*_target(outside, t))])]
        # the licensed model cast in a role of the learner's training makes its training material by that role
        role = training_role(outside)
        if not (steps or _TEACHER_ROLE.search(outside) or role):
            continue
        # what trains it is the licensed model's product ("its answers", "X's speech"), not the user's data
        if not role and not any(True for _ in _productions(outside, 0, outside)):
            continue
        return learner.strip()
    return None


def _trained_model(low: str) -> str | None:
    w = _words()
    trains = [m for m in w.train.finditer(low) if not _negated(low, m) and not _PEOPLE_NOUN_AFTER.match(low, m.end())]
    if not trains:
        return _taught_by_teacher(low)
    judged = _judged_learner(low, trains)
    if judged:
        return judged
    targets = [_target(low, m) for m in trains]
    producer_families = _producers(low, targets)
    for m, (start, end) in zip(trains, targets):
        target = low[start:end]
        if not _another_model(target, m.group(0), producer_families, _outside(low, [(start, end)])):
            continue
        if _produced_by_model(low, (start, end)):
            return target.strip()
    return _taught_by_teacher(low)


# "X as the teacher for our Y bot", "X is the teacher, Y the student", "… its own Y tutor learns from": the teacher of
# a teacher/student pair produces the learner's training signal by definition, so a model cast as the teacher with
# another model as the learner is outputs used for training, whatever verbs carry it. The role is the model's
# ("Qwen … to be the teacher"), not a person's ("she is a teacher"); human students are no learner model.
_TEACHER_ROLE = re.compile(r"\b(as|be|is|act as|serve as|becomes?)( the| a| our)? teacher\b(?!['’]s)|\bteacher (model|llm)\b")
_HUMAN_STUDENTS = re.compile(r"\b(students|student|pupils?|learners?|kids|children|class)\b(?! (model|network|llm))")


def _taught_by_teacher(low: str) -> str | None:
    # the teacher, or another role whose name is making training material ("X as the data generator for our bot")
    role = _TEACHER_ROLE.search(low) or _role_patterns()[0].search(low)
    if not role:
        return None
    before = low[:role.start()]
    lead = before[-60:]
    if not (_families(lead) or re.search(r"\b(model|llm|checkpoint|it)\b", lead)):
        return None
    learner = _HUMAN_STUDENTS.sub(" ", re.split(r"[.?!](?:\s|$)", low[role.end():], maxsplit=1)[0])
    if not learner.strip() or not _another_model(learner, "", _families(before), before):
        return None
    return learner.strip()


# The judge of a judge/learner pair: the licensed model grades, scores, ranks or critiques ANOTHER model's answers and a
# training step (RLHF, DPO, SFT, "training run") follows that names no model of its own ("feed the scores into the RLHF
# loop", "the grades go into our DPO run"): the judgements are the learner's training signal, so the judged model is
# trained on the licensed model's outputs. A judge with no training step (a benchmark, a report) trains nothing.
_JUDGE = re.compile(r"\b(judg\w*|grad(e|es|ed|ing)|scor(e|es|ed|ing)|rank(s|ed|ing)?|rat(e|es|ed|ing)|critiqu\w*|critic|"
                    r"critics|review(s|ed|ing)?|compar(e|es|ed|ing)|pick(s|ed|ing)?)\b")
# how far after the judging word the judged learner may be named, within the sentence: a judge that scores and
# filters candidates "and then uses the kept answers as the reward-model data for our Qwen fine-tune" names its
# learner at the end of a long clause (the selection is the training signal, whoever wrote the candidates)
_JUDGE_REACH = 180


def _judged_learner(low: str, trains: list[re.Match]) -> str | None:
    w = _words()
    for j in _JUDGE.finditer(low):
        window = re.split(r"[.;!?](?:\s|$)", low[j.end():j.end() + _JUDGE_REACH], maxsplit=1)[0]
        for mark in w.other.finditer(window):
            # "our in-house qwen bot", "our gemma assistant('s drafts)": the mark up to its last model word
            words = [re.sub(r"['’]s$", "", t) for t in window[mark.start():].split()[:5]]
            heads = [i for i, t in enumerate(words) if w.model.fullmatch(t) or _families(t)]
            if not heads:
                continue
            learner = " ".join(words[:heads[-1] + 1])
            if _SELF.search(learner):
                continue
            before = low[:j.start()]
            if not _another_model(learner, "", _families(before), before):
                continue
            at = j.start() + 1
            for m in trains:
                if m.start() < at:
                    continue
                s, e = _target(low, m)
                target = low[s:e]
                if re.search(_PEOPLE, target) or (w.model.search(target.replace(m.group(0), " "))
                                                  and not learner.split()[-1] in target):
                    continue
                return learner
    return None


# a training word that names a group of people is no training step: "our alignment team", "the training staff"
_PEOPLE_NOUN_AFTER = re.compile(r"\s+(team|teams|group|department|lab|engineers?|researchers?|staff|people|squad|org)\b")


def trained_targets(low: str) -> list[str]:
    """The words that say what each (non-negated) training step trains, another model or not ("llama 2 13b",
    "our own 7b model"); empty when nothing is trained."""
    return [low[s:e].strip() for s, e in (_target(low, m) for m in _words().train.finditer(low) if not _negated(low, m))]


def families(text: str) -> set[str]:
    """The model families (corpus/vocab/output_training.yaml) a text names."""
    return _families(text)


def discriminative(target: str) -> bool:
    """Is the trained model one that sorts, scores or detects (a classifier, a detector, a reward model) rather
    than one that generates?"""
    return bool(_words().discriminative.search(target))


def language_model(target: str) -> bool | None:
    """Is the trained model a language model (True), plainly not one — a classifier, a detector, an image or
    speech model (False) — or not said (None)? Output-training bans are often scoped to "any other large
    language model"."""
    w = _words()
    # the head noun decides: "a Llama-based classifier" is a classifier
    if w.not_language_models.search(target):
        return False
    if w.language_models.search(target):
        return True
    # a language-model family glued to its version ("qwen2", "llama3", "phi3") is still that family
    if _families(target) & set(_LM_FAMILIES()):
        return True
    return None


def targets_language_model(low: str) -> bool | None:
    """The kind of model the use's training steps train, when no single pipeline was read (the output-training
    fact then comes from the fact head alone): False when every trained target is plainly not a language model
    ("train a gradient-boosted classifier on the tags"), True when one is, None when none is said."""
    kinds = {language_model(t) for t in trained_targets(low)}
    if not kinds - {None}:  # no step says what it trains: the model the group builds may
        kinds = {language_model(t) for t in _models_of_the_group(low)} or kinds
    return True if True in kinds else (False if kinds == {False} else None)


def _models_of_the_group(low: str) -> list[str]:
    """*The learner is what the actor builds*: when no training step says what it trains, the model the use's group
    builds or maintains ("the analytics team that maintains a tree-based ticket classifier", "our speech team's TTS engine")
    is the one its training material is for."""
    return [learner.strip() for _, learner in _group_learners(low)]


@lru_cache(maxsize=1)
def _LM_FAMILIES() -> tuple[str, ...]:
    v = read_vocab("output_training")
    return tuple(str(f) for f in v["language_models"] if not str(f).endswith("*"))


def _negated(low: str, m: re.Match) -> bool:
    """ "we distill nothing", "without training any model", "never fine-tune" """
    return bool(re.match(r"\s*(nothing|no\b|none)", low[m.end():]) or
                re.search(r"\b(no|not|never|without|nothing|(do|does|did|wo|would|will|ca)n['’]t)\b(\s\w+){0,2}\s*$",
                          low[max(0, m.start() - 30):m.start()]))


def _target(low: str, m: re.Match) -> tuple[int, int]:
    """The words that say what is trained: after the training word (up to what it is trained on), or, for
    "… is trained on" / "training data for …", the words around it."""
    after = low[m.end():m.end() + 80]
    stop = _TARGET_END.search(after)
    end = m.end() + (stop.start() if stop else len(after))
    if m.group(0).endswith("from"):
        end = m.end()  # "… learns from X": X is the data, the learner came before
    if _words().methods.fullmatch(m.group(0)):
        # "DPO on the assistant", "RLHF of our copilot": a method's "on"/"of" names the model trained when a
        # model noun follows ("SFT on generated pairs" names the data, and stays cut there)
        on = re.match(r"(\s+(on|of|for)\s+)([^,;:.]{0,50}?)(?=\s+(with|using|from|by|so|so that|until|on)\b|[,;:]|\.(?!\d)|$)",
                      after)
        if on and (_words().model.search(on.group(3)) or _families(on.group(3))) and not _MODELS_OWN.search(on.group(3)):
            end = m.end() + on.end()
    before = low[max(0, m.start() - 60):m.start()]
    # the trained thing comes first: "our detector is trained on", "build a rival by training on its outputs",
    # "the data our next model learns from"
    passive = re.search(r"(\b[\w'-]+\b\s*){1,5}(is|are|gets|get|will be|would be|to be)\s+$", before) or \
        (re.search(r"[^,.;:]{0,60}\bby\s+$", before) if re.match(r"[\w-]+ing\b", m.group(0)) else None) or \
        (re.search(r"(\b[\w'-]+\b\s*){1,5}$", before) if m.group(0).startswith("learn") else None)
    start = m.start() - len(passive.group(0)) if passive else m.start()
    return start, end


def _producers(low: str, targets: list[tuple[int, int]]) -> set[str]:
    """The families that may have produced the data: those named outside the training targets. When the use also
    names the trained family outside them ("have Llama grade the answers our Qwen tutor gives, then DPO the Qwen
    tutor"), the producer is the family named before the first production verb — the one doing the producing."""
    outside = _outside(low, targets)
    named = _families(outside)
    trained = set().union(*(_families(low[s:e]) for s, e in targets)) if targets else set()
    if len(named) > 1 and named & trained:
        first = next(_productions(low, 0, outside), None)
        before = _families(outside[:first.start()]) if first else set()
        if before and not before >= named:
            return before
    return named


def _referent(target: str, outside: str) -> str:
    """What a definite model noun in the target refers back to: "the bot" after "our in-house bot" is the user's
    bot. Returns the earlier phrase ("our in-house bot"), or ""."""
    w = _words()
    for m in re.finditer(r"\bthe ([\w.-]+ ){0,2}?(?P<noun>[\w-]+)\b", target):
        noun = m.group("noun")
        if not w.model.fullmatch(noun):
            continue
        earlier = re.search(rf"\b(?P<phrase>({w.other.pattern})\s+([\w.'’-]+\s+){{0,3}}?{re.escape(noun)})\b", outside)
        if earlier:
            return earlier.group("phrase")
    return ""


def _outside(low: str, spans: list[tuple[int, int]]) -> str:
    out = list(low)
    for s, e in spans:
        out[s:e] = " " * (e - s)
    return "".join(out)


def _families(text: str) -> set[str]:
    return {name for name, pat in _words().families if pat.search(text)}


def _another_model(target: str, train_word: str, producer_families: set[str], outside: str = "") -> bool:
    w = _words()
    if re.match(r"(distil|teacher model|student model|student network|as (the|a) teacher|the teacher is|"
                r"as (the|a|its) student)", train_word):
        return True  # distillation has a student by definition
    if w.by_role.search(target):
        return True  # a reward or preference model is not the generator it scores
    referent = _referent(target, outside)
    if referent and not _SELF.search(referent):
        target = target + " " + referent  # "the bot" is "our in-house bot"
    named = _families(target)
    if named and producer_families and not named & producer_families:
        return True  # "fine-tune Qwen" when Llama wrote the data
    if not w.model.search(target):
        return False  # training people, pipelines, courses
    if _SELF.search(target) and not w.other.search(target):
        return False
    # a named family the producer is not ("use the model's completions to fine-tune StarCoder") is another model
    # when the producer is only "the model"; when nothing else is named it is the licensed model itself
    return bool(w.other.search(target)) or bool(named and _GENERIC_PRODUCER.search(outside))


def _produced_by_model(low: str, target: tuple[int, int]) -> bool:
    """Something the model made (not people, not the user's own data) goes into the training: made before the
    training step ("Llama writes solutions … training data for our model"), or the data trained on is the
    model's own ("… on its outputs", "… with the model's answers")."""
    if any(True for _ in _productions(low, 0, low[:target[0]])):
        return True
    data = re.match(r"\s*(on|with|using|from|into)\b([^.;]{0,70}?)(?=\b(so|so that|to|and then|then|because|which|that)\b|"
                    r"[.;,]|$)", low[target[1]:])
    if not data or _PEOPLE_MADE_DATA.search(data.group(2)):
        return False
    # the data is the model's own: "its outputs", "generated pairs", or the data names the model family that made it
    # and the trained one is another ("tune Qwen on chats Llama 3 wrote", "… on replies gen'd by Llama 3")
    own = bool(_MODELS_OWN.search(data.group(2))) or bool(_families(data.group(2)) - _families(low[target[0]:target[1]]))
    return own and any(True for _ in _productions(low, target[1] + data.start(2), data.group(2)))


def _productions(low: str, offset: int, text: str):
    for m in _words().produce.finditer(text):
        at = offset + m.start()
        if OWN_DATA.search(low[max(0, at - 25):at]):
            continue
        around = low[offset + m.end():offset + m.end() + 40]
        if _MADE_BY_PEOPLE.search(low[max(0, at - 30):at].rstrip()) or \
                re.match(r"\s*((by|from) )?(our |my |the |their )?(\w+ )?" + _PEOPLE + r"\b", around):
            continue
        yield m


# --- signals for the outputs_for_training fact head -------------------------------------------------------------------
# The head (agent/check/categories.py, evals/train_categories.py) reads the use's embedding together with these six
# word signals. An embedding reads what a use is ABOUT (training a model) but not who is trained on whose data: alone,
# "fine-tune the model on our own support transcripts" scored as high as a pipeline. The signals say it in words of
# this vocabulary (corpus/vocab/output_training.yaml), so the head learns their weight from its varied bank.
PIPELINE_SIGNALS = ("produces", "trains", "another_model", "made_by_people", "trains_itself", "training_negated")


@lru_cache(maxsize=1)
def _signal_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    v = read_vocab("output_training")
    people = re.compile(_alternation(v["made_by_people"]), re.I)
    train = _alternation(v["train_verbs"] + ["retrain*", "lora", "adapt*", "continue pretraining"])
    itself = _alternation(v["trains_itself"])
    # "fine-tune the model on …", "LoRA it with …": the licensed model is what is trained
    trains_itself = re.compile(train + r"\s+(?:\w+\s+)?" + itself + r"(?!\s+(?:to|into)\b[^.;]{0,40}\b(?:model|network))", re.I)
    # "nothing is retrained", "no training involved", "never fine-tuned"
    negated = re.compile(r"\b(?:nothing|never|no|not|without)\b[^.;,]{0,25}?" + train, re.I)
    return people, trains_itself, negated


@lru_cache(maxsize=1)
def _other_senses() -> re.Pattern:
    return re.compile(_alternation(read_vocab("output_training")["other_senses"]), re.I)


def pipeline_signals(text: str) -> list[float]:
    """The six word signals of PIPELINE_SIGNALS for the use as written, 1.0 where the use says them (read on the view
    that names every model "the model"; a training word said in another sense, "a bootstrapped startup", does not
    count). *Which model is trained is open when two are named*: in that view "fine-tune Falcon on data vicuna
    prepared" reads as training "the model" itself, so `trains_itself` is not said where the use names two or more
    different models."""
    w = _words()
    people, itself, negated = _signal_patterns()
    low = _other_senses().sub(" ", neutral_names(text).lower())
    said = [bool(p.search(low)) for p in (w.produce, w.train, w.other, people, itself, negated)]
    if said[4] and len({_name_key(n) for n in model_names(text)}) > 1:
        said[4] = False
    return [float(s) for s in said]


def _name_key(name: str) -> str:
    """A model name without case or separators ("Llama-3 8B" = "llama 3 8b")."""
    return re.sub(r"[\s._:/-]+", "", name.lower())
