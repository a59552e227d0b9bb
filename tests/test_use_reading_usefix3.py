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
    "KD from llama 3 70b into a qwen 1.5b for edge devices",
    "we'll have llama 3 write the answers and then our mistral learns from them",
    "llama 3 70b annotates preference pairs; we run DPO on qwen with them",
])
def test_shorthand_and_reversed_output_pipelines_are_output_training(use):
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    "gen 50k chats w/ llama 3 for our support FAQ page",
    "finetune llama 3 on our own support tickets",
    "use Llama 3 as the judge to score our Mistral bot's answers on a benchmark, no training",
    "Llama 3 writes the FAQ answers for our Mistral bot; we also train staff on them",
    "we fine-tune llama 3 on chats our agents wrote",
    "we tune Llama 3 for our legal team and compare it with our old Mistral bot",
    "Llama 3 ranks candidate replies from our search engine for customers",
    "Llama 3 scores essays for our teachers, who then grade them",
])
def test_generating_data_for_people_or_tuning_the_model_itself_is_not(use):
    assert not read_facts(use).outputs_for_training


def test_a_family_glued_to_its_version_is_a_language_model():
    assert pipeline.language_model("finetune qwen2") is True


# --- class 2: a ban's own exception, said by the practice or place of the purpose -----------------------------
from agent.check.rules.behavioural import carved_out_purposes, reaches_people, stated_purposes  # noqa: E402

BAN_WITH_EXCEPTION = ("Generate sexually explicit content. This does not include content created for scientific, "
                      "educational, documentary, or artistic purposes.")


@pytest.mark.parametrize("use", [
    "an evening figure-drawing club asks the model to draft the flyer for its nude study sessions",
    "our museum wants wall labels for a room of Renaissance nudes",
    "a photography school's syllabus for its module on the nude in portraiture",
])
def test_a_purpose_said_by_its_practice_or_place_meets_the_ban_exception(use):
    assert carved_out_purposes(BAN_WITH_EXCEPTION) & stated_purposes(use)


def test_a_use_with_no_exempted_purpose_stays_under_the_ban():
    assert not carved_out_purposes(BAN_WITH_EXCEPTION) & stated_purposes("explicit stories for an adult chat app")


# --- class 3: a duty to disclose is owed to the people a use reaches; 'host' is hosting only as the act ---------
@pytest.mark.parametrize("use", [
    "a murder at the manor: the host is found in the library. the model drafts chapter two for me",
    "the model helps me outline a hostage thriller, just for myself",
    "tidy my own lab notebook with the model",
])
def test_a_use_that_reaches_no_one_owes_no_disclosure(use):
    f = read_facts(use)
    assert not f.hosting
    assert not reaches_people(f)


@pytest.mark.parametrize("use", [
    "we self-host it for our tenants' portal",
    "we host the model on our own servers and customers chat with it",
    "the model drafts replies we send to customers",
])
def test_a_use_that_reaches_people_owes_the_disclosure(use):
    assert reaches_people(read_facts(use))
