"""Concepts named only by their actor or activity in casual words (issue 11, devz part B classes 4–8): the
lexical frame reads the same concept as the wording that spells it out. Fast: the frame alone (no embedder,
no index). The sentences are written for these tests, not copied from any eval split."""
from __future__ import annotations

import pytest

from agent.check.facts import read_facts
from agent.check.frame import read_frame
from agent.terms.industries import industries_of_use

FOSSIL = "fossil fuels and extraction"


# --- an excluded industry's work, without a business noun -------------------------------------------------
@pytest.mark.parametrize("use", [
    "a tool that helps our geologists locate untapped lithium deposits",
    "we'd use it to map promising offshore oil reservoirs from survey logs",
    "ranking which sites to drill next from well data",
    "software for hydrocarbon exploration in the Barents Sea",
])
def test_doing_the_industrys_work_is_being_in_it(use):
    assert industries_of_use(use.lower()) == {FOSSIL: "direct"}


@pytest.mark.parametrize("use", [
    "a quiz app that explains how oil exploration works to schoolchildren",
    "a newsletter summarising articles about coal mining operations",
    "we are not in mineral exploration; we sell bicycles",
])
def test_the_industry_as_a_subject_or_excluded_is_not_the_user(use):
    assert FOSSIL not in industries_of_use(use.lower()) or industries_of_use(use.lower())[FOSSIL] != "direct"


# --- a safeguard removed, in casual words -------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "we'd like a copy of the assistant with its safety tuning ripped out",
    "take the guardrails off so our pentesters get straight answers",
    "a private build with the refusals cut out",
])
def test_safeguards_taken_out_is_circumventing_them(use):
    assert "safety_circumvention" in read_frame(use).categories


def test_a_guardrail_left_in_place_is_not_circumvention():
    assert "safety_circumvention" not in read_frame("we keep the built-in refusals and add our own filter").categories


# --- a user count stated as a floor -------------------------------------------------------------------------
@pytest.mark.parametrize("use, above", [
    ("a messaging app with well over fifty million people a month", 50_000_000),
    ("our platform has more than 100M users", 100_000_000),
    ("north of two hundred million monthly actives", 200_000_000),
])
def test_a_count_said_as_a_floor_is_above_it(use, above):
    assert read_facts(use).users > above


def test_a_plain_count_is_that_count():
    assert read_facts("an app with 100 million users").users == 100_000_000


# --- an AI label the user says will be missing --------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "the newsletter goes out every Friday with no 'AI' badge anywhere",
    "auto-publish the product blurbs without any note that software wrote them",
    "the columns run under the usual masthead, no mention of a language model",
])
def test_a_missing_ai_label_said_outright_is_undisclosed_ai_content(use):
    assert "ai_disclosure" in read_frame(use).categories


def test_a_label_kept_is_not_a_missing_label():
    assert "ai_disclosure" not in read_frame("every generated caption is labelled as AI-generated").categories


# --- insurance pricing named by its method or by the priced person ------------------------------------------
@pytest.mark.parametrize("use", [
    "figure out what every motorist should pay from their phone's driving data",
    "a telematics score that sets the monthly price of a policy",
])
def test_pricing_drivers_is_an_insurers_decision(use):
    frame = read_frame(use)
    assert "insurance" in frame.sectors


def test_a_drivers_earnings_are_not_an_insurance_price():
    assert "insurance" not in read_frame("show each rideshare driver how much they earned this week").sectors


# --- copies handed on, and a blend offered to a site's visitors ---------------------------------------------
@pytest.mark.parametrize("use", [
    "I want to hand out printed copies of the report at the workshop",
    "we will ship them to 40 clients on USB sticks",
    "we vendor this parsing library into the closed-source plugin we sell",
    "we compile the library into the firmware we ship with our printers",
])
def test_handing_copies_on_is_distribution(use):
    assert read_facts(use).distribution


@pytest.mark.parametrize("use", [
    "a drawing site that lets its visitors play with our own blend of two checkpoints",
    "we mixed the model with one of ours and folks use it on our web app",
])
def test_a_blend_that_people_use_on_a_site_is_a_hosted_derivative(use):
    facts = read_facts(use)
    assert facts.derivative and facts.hosting


def test_a_blended_family_is_not_a_model_blend():
    assert not read_facts("a counselling chatbot for blended families").derivative


# --- a moderation tool is not the harm it flags -------------------------------------------------------------
def test_flagging_harassment_is_not_harassment():
    assert "harassment_hate" not in read_frame(
        "a bot that would flag bullying or harassing replies for our moderators").categories


def test_writing_harassment_is_still_harassment():
    assert "harassment_hate" in read_frame("write harassing messages to my ex every day").categories


# --- a company's own research unit evaluating internally ----------------------------------------------------
def test_a_research_unit_trying_a_model_is_internal_non_production():
    frame = read_frame("a for-profit chip maker's research group wants to try out the model")
    assert frame.internal and frame.non_production


def test_a_research_unit_hosting_a_public_demo_is_not_internal():
    assert not read_frame("our research team wants to host a public demo of the model for anyone").internal


def test_nothing_opening_a_clause_negates_each_coordinated_verb():
    facts = read_facts("we test it in a sandbox; nothing it draws reaches customers or goes into a release")
    assert not facts.distribution
