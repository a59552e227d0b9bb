"""The use as the category head embeds it: model names out, ordinary words that look like names kept."""
from __future__ import annotations

import pytest

from agent.check.embedding_view import NEUTRAL, neutral_names


@pytest.mark.parametrize("use, name", [
    ("an insurer deploys Llama 4 Scout to read claim forms", "Llama 4 Scout"),
    ("run Maverick? no: run Qwen2.5-Coder-32B-Instruct on our repo", "Qwen2.5-Coder-32B-Instruct"),
    ("check meta-llama/Llama-3.1-8B-Instruct for a help desk", "meta-llama/Llama-3.1-8B-Instruct"),
    ("render posters with FLUX.1 [dev]", "FLUX.1 [dev]"),
    ("fine-tune Phi-3-mini on tickets", "Phi-3-mini"),
    ("transcribe podcasts with Whisper large-v3", "Whisper large-v3"),
    ("serve the Falcon 180B model to staff", "Falcon 180B"),
])
def test_model_names_become_the_model(use, name):
    out = neutral_names(use)
    assert name not in out and NEUTRAL in out
    assert "the the" not in out and "model model" not in out


@pytest.mark.parametrize("use", [
    "store PHI of patients in the hospital record system",  # protected health information, not Phi
    "newsletter subscribers can opt out at any time",
    "cut a short video clip for the trailer",
    "measure heat flux in the furnace",
    "whisper the answer to a friend",
])
def test_ordinary_words_that_are_also_model_names_stay(use):
    assert neutral_names(use) == use


def test_model_name_alone_does_not_bring_a_category(indexed):
    from agent.check import Checker
    checker = Checker(indexed)
    a = checker.read("an Italian bank deploys Llama 4 Scout to extract fields from scanned loan documents")
    b = checker.read("an Italian bank deploys the model to extract fields from scanned loan documents")
    assert "military_weapons" not in a.categories + a.possible
    assert a.categories == b.categories and a.possible == b.possible
