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
