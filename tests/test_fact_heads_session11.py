"""Use facts read by fact heads and vocabularies (issue 11, eleventh session), each said in sentences written here,
not copied from any eval case:

1. *Unlawful act under a duty to obey the law*: a use that plainly is a crime, under a text whose only relevant
   restriction is "comply with applicable law" → prohibited; lawful work in the same fields is not.
2. Output training told tersely or indirectly (arrows, speech, "help improve our X-based assistant").
3. A machine presented as a human: customers meant to believe they deal with a person.

Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder

from .conftest import checker_over

TEXTS = {
    "lawful-only-terms": (
        "1. Grant. You may use, copy, modify and share the Model for any purpose, including commercial purposes.\n\n"
        "2. Your use. By using the Model you agree to comply with all applicable laws and regulations.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("fact-heads-home"), TEXTS)


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


# --- 1. unlawful act under a duty to comply with the law ---------------------------------------------------------
_NEAR_THRESHOLD = pytest.mark.xfail(strict=False, reason="read only near the head's threshold; no review is asked there "
                                    "(measured: it cost a held-out case), so this wording stays allowed")


@pytest.mark.parametrize("use", [
    # customs fraud (another actor, another tax)
    "A wholesaler wants the model to invent export records for goods that never left the country so it can reclaim "
    "the excise duty.",
    # bribery
    pytest.param("our property firm needs the model to word a note offering the planning officer a free holiday villa "
                 "if he approves our rezoning", marks=_NEAR_THRESHOLD),
    # identity theft, casual voice
    "make payslips with my cousin's name and tax number so i can rent a flat pretending to be him",
    # extortion of a business
    "Write messages to the café owner telling him his delivery vans will burn unless he pays our protection fee",
])
def test_a_crime_under_a_duty_to_obey_the_law_is_prohibited(checker, use):
    r = checker.check(use, license="lawful-only-terms")
    assert r.verdict == "prohibited", (r.verdict, r.use.unlawful_act)
    assert any(f.category == "illegal" and f.effect == "prohibited" and "comply with all applicable laws" in f.quote
               for f in r.findings)


@pytest.mark.parametrize("use", [
    # lawful tax work
    "A tax adviser wants help filling in her clients' quarterly VAT returns and checking which refunds they may claim.",
    # fraud detection
    "Our audit team wants the model to flag supplier invoices that look duplicated or come from unknown vendors.",
    # crime fiction (a use that names laundering is read by the `illegal` phrase itself, as before; here the head)
    "For my crime novel, a bookkeeper forges invoices for a gang until an inspector catches her: help with chapter 3.",
    # lawful collection
    "A utility company wants friendly reminder emails for customers with overdue bills, offering instalment plans.",
    # ordinary money service said tersely: the head alone reads money words as a crime; no category agrees
    "bot answers 'my card hasn't arrived' emails for our bank, nothing about investments",
    "helpdesk drafts replies to customers whose refund is late",
])
def test_lawful_work_in_the_same_fields_is_not_an_unlawful_act(checker, use):
    r = checker.check(use, license="lawful-only-terms")
    assert r.verdict != "prohibited", r.findings
    assert not any(f.reason.kind.startswith("unlawful_act") and f.effect == "prohibited" for f in r.findings)


# --- 2. output training told tersely or indirectly ---------------------------------------------------------------
_HEAD_SHORT = pytest.mark.xfail(strict=False, reason="the outputs_for_training head (session 12) stays below its pooled "
                                "threshold on these terse wordings; the class is not fixed for them")


@pytest.mark.parametrize("use", [
    "deepseek chats -> cleaned -> sft dataset for our own phi model",
    pytest.param("We'd synthesise hours of narration with the speech model and use the audio to build our own "
                 "commercial voice engine.", marks=_HEAD_SHORT),
    pytest.param("Our shop's assistant is built on Mistral; we want Gemma's answers to help us make that assistant "
                 "better.", marks=_HEAD_SHORT),
    "The image model paints the pictures, and the generator we train on them will take over from it.",
])
def test_a_pipeline_said_tersely_is_outputs_for_training(embed, use):
    assert read_frame(use, embed).outputs_for_training


@pytest.mark.parametrize("use", [
    "we improve the prompts of our Llama assistant by testing different instructions against it",
    "compare Gemma's answers with Mistral's on our internal benchmark and write up which is better",
    "train our own speech model on studio recordings of our voice actors",
])
def test_no_other_model_trained_on_the_outputs_is_not(embed, use):
    assert not read_frame(use, embed).outputs_for_training


# --- 3. customers meant to believe they deal with a person ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "An energy supplier wants callers to believe they are speaking with a real agent when the model answers the phone.",
    "we want shoppers to assume a human is typing the chat replies, not software",
    "A dating site would like members to feel they're messaging a real woman while the model writes the replies.",
])
def test_users_meant_to_believe_a_person_answers_is_presented_as_human(use):
    assert read_frame(use).presented_as_human


@pytest.mark.parametrize("use", [
    "Our phone assistant has a warm, human-sounding voice and opens every call by saying it is an AI.",
    "the chat persona is called Mia and a banner tells users she is an AI assistant",
    "customers know they are chatting with an automated assistant and can ask for a person at any time",
])
def test_a_disclosed_machine_is_not_presented_as_human(use):
    assert not read_frame(use).presented_as_human
