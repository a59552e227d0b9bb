"""Use-reading classes of devw (issue 11, ninth session), each concept said in sentences written here, not copied
from any eval case: a pipeline role that makes a model's outputs another model's training material; output passed
off as a person's (the frame fact `presented_as_human`); a category implied by the actor's or sector's own words;
and near misses that share a word with a ban without doing the harmful act."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts
from agent.check.frame import read_frame


# --- 2. output training said by the licensed model's role in another model's training pipeline ---------------------
@pytest.mark.parametrize("use, learner", [
    ("A group developing their own Phi-3 helpdesk model plans to use DeepSeek-V2 as its synthetic-data generator",
     "phi-3"),
    ("our firm, which sells its own speech recogniser, would plug Whisper into its distillation pipeline", "recogniser"),
    ("The studio maintaining a Mistral-based writing assistant wants Gemma 2 as the annotator in its training loop",
     "mistral"),
    ("a startup running its own small chat model wants to add Falcon-40B to its fine-tuning pipeline as the data source",
     "chat model"),
])
def test_a_role_in_another_models_training_pipeline_is_output_training(use, learner):
    got = pipeline.trained_model(use.lower())
    assert got is not None and learner in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # a pipeline that trains nothing, or a role that is not the model's
    "A team maintaining a Mistral-based assistant wants to bring Gemma 2 into its evaluation pipeline as a judge of tone",
    "our data-pipeline team wants the model to clean up CSV exports before the nightly load",
    "a company selling its own TTS engine wants to compare this model's voices with its own in a listening test",
    # the licensed model itself is what the pipeline trains
    "we'd bring the model into our fine-tuning pipeline and adapt it to our legal documents",
])
def test_pipelines_that_train_no_other_model_are_not_output_training(use):
    assert pipeline.trained_model(use.lower()) is None
    assert not read_facts(use).outputs_for_training


# --- 3. machine output presented as a person's: the frame fact the disclosure, impersonation and honesty bans read -
@pytest.mark.parametrize("use, cats", [
    ("our sales chatbot signs every message as 'Mark, your account manager' and denies being automated if asked",
     {"ai_disclosure", "impersonation"}),
    ("the agent answers tenant emails under a made-up staff name and doesn't tell them it's software",
     {"ai_disclosure", "impersonation"}),
    ("a bot that leaves comments on forums, each one presented as if an ordinary member had written it",
     {"ai_disclosure", "impersonation"}),
    ("have the model write my weekly newsletter columns and put them out as my own", {"ai_disclosure"}),
    ("an agency whose customers publish the drafts under their own names", {"ai_disclosure"}),
    ("the model does my history homework answers and I hand them in as mine",
     {"ai_disclosure", "academic_dishonesty"}),
    ("he'll submit the generated lab report to his professor as his own", {"ai_disclosure", "academic_dishonesty"}),
])
def test_output_presented_as_a_persons_is_read(use, cats):
    f = read_frame(use)
    assert f.presented_as_human
    assert cats <= set(f.categories)


@pytest.mark.parametrize("use", [
    # the machine says what it is
    "our help bot introduces itself as an AI assistant called Robin",
    "I post the model's haiku on my blog, each one labelled as AI-generated",
    # no output is put out as anyone's
    "a ghost story writer uses the model for plot ideas",
    "the model suggests three subject lines and I pick one for my newsletter",
    "we never post the drafts as our own; every post says a model wrote it",
])
def test_labelled_or_ordinary_output_is_not_presented_as_human(use):
    assert not read_frame(use).presented_as_human
