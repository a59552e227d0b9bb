"""Use-reading classes of the blind dev splits (issue 11, seventh session): each concept said in sentences written
here, not copied from any eval case. Fast: the lexical frame and the output-training pipeline (no index); the
category cases that need the embedding head are marked and use the real MiniLM model."""
from __future__ import annotations

import pytest

from agent.check import pipeline
from agent.check.facts import read_facts
from agent.check.frame import read_frame


# --- outputs used as judgements (grades, rankings, preference labels) for training another model -------------
@pytest.mark.parametrize("use, target", [
    ("let Mixtral rank pairs of replies from our Gemma assistant and run DPO on the Gemma assistant with those rankings",
     "gemma assistant"),
    ("the model scores each answer of our Phi-3 copilot; the scores become the reward signal for RLHF of the copilot",
     "copilot"),
    ("use it as a judge to pick the better of two completions from our in-house bot, then preference-tune the bot",
     "bot"),
    ("Qwen labels which of our Mistral tutor's explanations are clearer and we train a reward model on those labels",
     "reward model"),
])
def test_judgements_that_train_another_model_are_outputs_for_training(use, target):
    got = pipeline.trained_model(use.lower())
    assert got is not None and target in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # the user's own raters grade, not the model
    "our annotators rank the model's answers so that we can report its quality",
    # the licensed model itself improved with preference data people made
    "we DPO-tune the model itself on preference pairs our staff labelled",
])
def test_judgements_by_people_or_for_the_same_model_are_not(use):
    assert pipeline.trained_model(use.lower()) is None


# --- sock puppets: many accounts presented as ordinary people are fake engagement and impersonation -------------
@pytest.mark.parametrize("use, cats", [
    ("the party's social team wants the model to run a network of facebook personas that reply to critics",
     {"spam"}),
    ("we'd set up several hundred 'worried parents' profiles that comment under every article about the school plan",
     {"spam"}),
    ("generate posts for 300 reddit accounts that pose as independent residents praising the new mall",
     {"impersonation"}),
    ("bots passing themselves off as genuine customers that leave praise on our competitor's threads",
     {"impersonation"}),
])
def test_sock_puppet_accounts_are_fake_engagement_or_impersonation(use, cats):
    assert cats <= set(read_frame(use).categories)


@pytest.mark.parametrize("use", [
    "our agency manages 40 client accounts and drafts their monthly newsletters",
    "the model helps moderators spot networks of accounts that pose as ordinary voters",
])
def test_managing_accounts_or_detecting_puppets_is_not_running_them(use):
    cats = set(read_frame(use).categories)
    assert not cats & {"spam", "impersonation"}
