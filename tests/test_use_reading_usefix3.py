"""Use-reading classes of issue 11 (round usefix3): fresh wordings, none copied from an eval case."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts


# --- class 1: outputs of one model train another, said tersely, by shorthand, or in reverse order ---------------
@pytest.mark.parametrize("use", [
    "spin up llama 3 to crank out 20k q&a pairs, then sft our mistral 7b w/ em",
    "our gemma tune gets trained on convos llama 3 spat out",
    "qwen2 gets finetuned on 50k chats llama 3 wrote",
    "batch-gen dialogs with llama-3-70b -> ft phi-3-mini on the lot",
    "tune a tinyllama on replies gen'd by Llama 3, for an offline helper",
    "DBRX grades the replies of our in-house Qwen bot and the grades go into our DPO run",
    "Mixtral acts as the critic for our Gemma assistant's drafts; its critiques feed the SFT stage",
])
def test_shorthand_and_reversed_output_pipelines_are_output_training(use):
    assert pipeline.trained_model(use.lower()) is not None
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    "gen 50k chats w/ llama 3 for our support FAQ page",
    "finetune llama 3 on our own support tickets",
    "use Llama 3 as the judge to score our Mistral bot's answers on a benchmark, no training",
    "Llama 3 writes the FAQ answers for our Mistral bot; we also train staff on them",
    "we fine-tune llama 3 on chats our agents wrote",
    "we tune Llama 3 for our legal team and compare it with our old Mistral bot",
])
def test_generating_data_for_people_or_tuning_the_model_itself_is_not(use):
    assert not read_facts(use).outputs_for_training


def test_a_family_glued_to_its_version_is_a_language_model():
    assert pipeline.language_model("finetune qwen2") is True
