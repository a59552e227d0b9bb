"""Outputs used for training (issue 11, class 2; thirteenth session), in sentences written here, not copied from any
eval case or from the head's bank:

1. *The licensed model as one step of another model's training*, told indirectly: the learner said by who builds it
   (the actor voice: "a group developing its own Basque model"), the model said by its place in the data work
   (corpus preparation, annotation tool, data labeller, simulation data) → the outputs_for_training fact holds.
   Near misses that share the words and must not fire: the model in a data step whose result trains nothing (labels
   read by radiologists, grades on a dashboard), the builder of a model using the licensed one for something else
   (a support desk, grant reports).
2. *The licence's own Derivative definition decides*: a definition whose derivatives "do not include" a model made by
   distillation or from synthetic data overrides the general reading that a model trained on outputs is a derivative
   (no derivative condition); a definition that includes them keeps it.

Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder

from .conftest import checker_over

TEXTS = {
    # a derivative definition that leaves distilled / synthetic-data models out
    "excluding-derivative-terms": (
        "1. Definitions. \"Derivatives\" means modifications of the Model and works based on the Model. Derivatives "
        "do not include any model developed by distillation or trained on synthetic data generated with the Model.\n\n"
        "2. Grant. You may use, copy, modify and distribute the Model for any lawful purpose, including commercial "
        "purposes.\n\n"
        "3. Conditions. If you distribute the Model or Derivatives, you must include a copy of this license.\n"),
    # a derivative definition that takes them in
    "including-derivative-terms": (
        "1. Definitions. \"Derivatives\" means modifications of the Model, works based on the Model, and any model "
        "trained on outputs of the Model, including by distillation or on synthetic data generated with the Model.\n\n"
        "2. Grant. You may use, copy, modify and distribute the Model for any lawful purpose, including commercial "
        "purposes.\n\n"
        "3. Conditions. Derivatives are subject to the terms of this license, and you must include a copy of this "
        "license with them.\n"),
}

DATA_STEPS = [
    # actor only: the learner by who builds it, the model by its place in the data work (several pipeline kinds);
    # each read below the head's threshold before the session-13 bank
    "A hospital research unit developing a triage classifier wants the model as its annotation tool.",  # annotator
    "A team building its own robot-control policy wants the model in its simulation data generation.",  # renderer
    "A company building its own legal assistant wants the model in its dataset-cleaning stage.",  # cleaner
    "An e-commerce firm that builds its own product-search embedder wants the model for dataset work.",  # embedder
]
# the same class the head still reads below its threshold (kept as a measure, not asserted)
STILL_MISSED = [
    "A university group developing its own Basque language model wants the model for corpus preparation.",
    "A PhD student is going to use the model as the data labeller for the network in his dissertation.",
    "An agency wants the model in the preprocessing stage that feeds the fine-tune of a rival chat model.",
]

NEAR_MISSES = [
    # a data step whose result trains nothing, said with the training words negated (read as output training before)
    "Our labelling contractor uses the model to label x-rays so our radiologists can review them faster; no model is "
    "trained on the labels.",
    "The model grades our own chatbot nightly and the grades go on a dashboard; we never retrain on them.",
    # the builder of a model uses the licensed one for something else
    "A startup building its own chat model wants the licensed model in its customer-support desk.",
    "A university group developing its own Basque language model wants the model to translate its grant reports for "
    "the funding body.",
]
# a near miss the head still reads as output training: the builder's training words and the model writing a document
STILL_FIRING = [
    "A team training its own robot-control policy wants the model to write the safety manual for the robot operators.",
]


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("outpipe-13-home"), TEXTS)


@pytest.mark.parametrize("use", DATA_STEPS)
def test_the_model_as_a_step_of_another_models_training_is_outputs_for_training(embed, use):
    assert read_frame(use, embed).outputs_for_training


@pytest.mark.parametrize("use", NEAR_MISSES)
def test_a_data_step_that_trains_nothing_is_not_outputs_for_training(embed, use):
    assert not read_frame(use, embed).outputs_for_training


@pytest.mark.xfail(strict=False, reason="the head still reads these below its threshold (session 13)")
@pytest.mark.parametrize("use", STILL_MISSED)
def test_still_missed_data_steps(embed, use):
    assert read_frame(use, embed).outputs_for_training


@pytest.mark.xfail(strict=False, reason="the builder's training words still carry the head over its threshold")
@pytest.mark.parametrize("use", STILL_FIRING)
def test_still_firing_near_misses(embed, use):
    assert not read_frame(use, embed).outputs_for_training


DISTILLATIONS = [
    "We have the model write 30k support dialogues and distil them into a small model of our own that we keep "
    "in-house.",
    "our own tiny model learns from synthetic Q&A the model generates, internal use only",
]


@pytest.mark.parametrize("use", DISTILLATIONS)
def test_a_definition_that_excludes_distilled_models_decides(checker, use):
    r = checker.check(use, license="excluding-derivative-terms")
    assert not any(f.reason.kind == "distillation_derivative" for f in r.findings), (r.verdict, r.findings)
    assert r.verdict == "allowed", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])


@pytest.mark.parametrize("use", DISTILLATIONS)
def test_a_definition_that_includes_distilled_models_keeps_the_derivative_condition(checker, use):
    r = checker.check(use, license="including-derivative-terms")
    assert r.verdict == "conditional", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])


def test_a_distilled_model_handed_on_keeps_a_condition_under_an_excluding_definition(checker):
    # such texts attach their own notice to distributing the distilled model; the safer reading is a condition
    r = checker.check("We distil the model's answers into a small model of our own and publish the small model on "
                      "Hugging Face for anyone to download.", license="excluding-derivative-terms")
    assert r.verdict == "conditional", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])


@pytest.mark.parametrize("use, trains_itself", [
    # two different models named: which one is trained is open, so the use does not say the licensed model is
    ("a startup fine-tuning Phi-3 for its chatbot wants Qwen2.5-7B to rewrite the training dialogues first", False),
    ("we will LoRA-tune Gemma 2 9B on explanations that Mixtral-8x7B writes for each exercise", False),
    # one model named (twice, in two spellings): the licensed model itself is trained
    ("fine-tune Llama-3 8B on our own support tickets", True),
    ("fine-tune Llama 3 8B on tickets, then fine-tune llama-3-8b again on the corrected ones", True),
])
def test_trains_itself_is_open_when_two_models_are_named(use, trains_itself):
    from agent.check.pipeline import PIPELINE_SIGNALS, pipeline_signals

    assert pipeline_signals(use)[PIPELINE_SIGNALS.index("trains_itself")] == float(trains_itself)


@pytest.mark.parametrize("use, kind", [
    # no training step said: the model the group builds or maintains is the learner
    ("the risk analytics squad that maintains a gradient-boosted transaction classifier wants the model in its "
     "labelling step", False),
    ("a startup running its own intent classifier wants the model to pre-label the tickets it learns from", False),
    ("a startup running its own 7B chat model wants the model to pre-label the tickets it learns from", True),
    ("our research unit, which develops a small Mistral-based assistant, wants the model to pre-label its tickets", True),
    # nothing built is named: the kind stays open
    ("we want the model in the labelling step", None),
])
def test_the_learner_is_what_the_group_builds(use, kind):
    from agent.check.pipeline import targets_language_model

    assert targets_language_model(use.lower()) is kind


@pytest.mark.parametrize("use", [
    "We turn the model's answers into a compact distilled model and sell that model to insurance firms.",
    "we distil the model into a small student and license the student to three banks",
])
def test_a_distilled_model_sold_or_not_said_to_stay_inside_keeps_a_condition(checker, use):
    # the exclusion spares a model kept in-house only; one sold to others is handed on (the text's own notice applies)
    r = checker.check(use, license="excluding-derivative-terms")
    assert r.verdict == "conditional", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])
