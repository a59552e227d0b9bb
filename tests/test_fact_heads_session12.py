"""Fact heads (issue 11, twelfth session), each said in sentences written here, not copied from any eval case or
from the heads' banks:

1. *Outputs used for training*, told as a pipeline without the phrases' words: the licensed model synthesises speech,
   cleans a dataset, annotates images, and ANOTHER model learns from what it made → the fact holds, and an
   output-training ban prohibits the use. Near misses that must not fire: the licensed model itself fine-tuned on
   people's notes, a grader that only picks a vendor, dialogues for people to read, rewrites that are printed,
   a benchmark with nothing trained, a classifier of ours trained on hand-tagged data next to the model.
2. The fact heads' thresholds come from pooled out-of-fold probabilities, with the spread across seeds reported.

Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import numpy as np
import pytest

from agent.check.categories import model
from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder

from .conftest import checker_over

TEXTS = {
    "no-output-training-terms": (
        "1. Grant. You may use, copy and modify the Model for any lawful purpose, including commercial purposes.\n\n"
        "2. Outputs. Outputs may not be used to train or improve any other AI model.\n"),
    # the ban's object is a language model, and the clause wraps between "other" and "large"
    "lm-scoped-output-training-terms": (
        "1. Grant. You may use, copy and modify the Model for any lawful purpose, including commercial purposes.\n\n"
        "2. Restrictions. You will not use the Model or its Output to improve any other\n"
        "large language model (excluding the Model or its derivatives).\n"),
}

PIPELINES = [
    # synthesised speech trains another speech recogniser (speech -> ASR)
    "A speech start-up will have the voice model read out a million invented sentences so our own dictation engine "
    "can learn from the recordings.",
    # the licensed model cleans a dataset that then fine-tunes another model (cleaner -> fine-tune)
    "we let Command R tidy and reformat our scraped Q&A dump, and the tidied dump becomes the fine-tuning set for our "
    "Mistral-based bot",
    # the licensed model annotates, another classifier learns (non-native voice)
    "Kindly advise if we may let the model annotate medical images so a classifier of ours can be trained from its "
    "annotations.",
]

NEAR_MISSES = [
    "We fine-tune the model itself on call notes our own nurses typed up over the years.",
    "The model judges which of three translation agencies writes the best Spanish, and we hire that agency.",
    "Generate two hundred practice dialogues with the model for our language learners to read aloud in class.",
    "The model rewrites our product manuals in plain English and we print them.",
    "Benchmark the model on our support tickets to see if it beats our current vendor; nothing gets trained.",
    "Our in-house classifier is trained on tickets our support team tagged by hand, and the model drafts the replies.",
    "Synthesise a narrated version of our warehouse handbook so new staff can listen to it.",
    # a training word in another sense: a bootstrapped (self-funded) company trains nothing
    "A bootstrapped two-person company sells a paid text-generation API built on the model.",
    "Our bootstrapped SaaS uses the image model to make thumbnails for paying customers.",
]


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("fact-heads-12-home"), TEXTS)


# --- 1. outputs used for training, read by the head -------------------------------------------------------------
@pytest.mark.parametrize("use", PIPELINES)
def test_a_pipeline_without_the_phrases_words_is_outputs_for_training(embed, use):
    assert read_frame(use, embed).outputs_for_training


@pytest.mark.parametrize("use", NEAR_MISSES)
def test_training_near_misses_are_not_outputs_for_training(embed, use):
    assert not read_frame(use, embed).outputs_for_training


@pytest.mark.parametrize("use", PIPELINES[:2])
def test_an_output_training_ban_prohibits_the_pipeline(checker, use):
    r = checker.check(use, license="no-output-training-terms")
    assert r.verdict == "prohibited", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])


@pytest.mark.parametrize("use", NEAR_MISSES[:3])
def test_an_output_training_ban_does_not_reach_the_near_misses(checker, use):
    r = checker.check(use, license="no-output-training-terms")
    assert not any(f.reason.kind == "output_training_ban" for f in r.findings), r.findings


# a ban scoped to language models, the fact read by the head alone: the trained model's kind still decides
LM_SCOPE_NOT_REACHED = [
    "The model writes tags for 300k insurance claims and we fit a random-forest fraud classifier on those tags.",
    "we'd have it caption our product photos and then teach a small image classifier from the captions",
]
LM_SCOPE_REACHED = [
    "The model writes tags for 300k insurance claims and we fine-tune our own 3B chat model on the tagged claims.",
    "we'd have it answer our FAQ a thousand ways and then teach our Mistral-based assistant from the answers",
]


@pytest.mark.parametrize("use", LM_SCOPE_NOT_REACHED)
def test_a_ban_on_improving_language_models_spares_a_classifier_trained_on_outputs(checker, use):
    r = checker.check(use, license="lm-scoped-output-training-terms")
    assert not any(f.reason.kind == "output_training_ban" for f in r.findings), (r.verdict, r.findings)


@pytest.mark.parametrize("use", LM_SCOPE_REACHED)
def test_a_ban_on_improving_language_models_reaches_a_language_model_trained_on_outputs(checker, use):
    r = checker.check(use, license="lm-scoped-output-training-terms")
    assert r.verdict == "prohibited", (r.verdict, [(f.reason.kind, f.effect) for f in r.findings])


# --- 2. the heads' thresholds ----------------------------------------------------------------------------------------
def test_the_fact_heads_ship_with_thresholds_below_certainty():
    head = model()
    assert head is not None and {"unlawful_act", "outputs_for_training"} <= set(head.fact_ids)
    i = head.fact_ids.index("outputs_for_training")
    # on the embedding alone the head's held-out threshold was 0.99 and it never fired
    assert head.fact_t[i] < 0.98 and head.fact_p[i] <= head.fact_t[i]
    # the word signals are read by this head only
    assert head.fact_S is not None and np.any(head.fact_S[i]) and not np.any(head.fact_S[head.fact_ids.index("unlawful_act")])


def test_pooled_thresholds_report_their_spread_across_seeds():
    from evals.train_categories import _fast_threshold, _threshold

    rng = np.random.default_rng(3)
    p = rng.random(400)
    y = rng.random(400) < p  # a calibrated toy head
    for precision, floor in ((0.9, 0.5), (0.75, 0.4)):
        assert _fast_threshold(p, y, precision, floor) == pytest.approx(_threshold(p, y, precision, floor))
