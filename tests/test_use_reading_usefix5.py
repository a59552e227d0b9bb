"""Use-reading classes of the devv failure reports (issue 11, tenth session, usefix5), each said in sentences written
here, not copied from any eval case. Fast: the lexical frame only (no index, no embedding head).

1. Actor-only wording: the category implied by who the actor is or the sector (a fake-engagement service, the pricing
   side of an insurer, a field that reads people's emotions, a lender deciding on a proxy for origin, reoffending said
   casually), and the other direction (people who still decide).
2. A ban on passing machine output off as a person's, or a user who refuses the label the licence asks: the use falls
   under the ai_disclosure category itself (a ban), not under a mere duty to mark.
"""
from __future__ import annotations

import pytest

from agent.check.facts import read_facts
from agent.check.frame import read_frame
from agent.check.vocab import actors


def _certain(use: str) -> set[str]:
    return set(read_frame(use).categories)


# --- 1a. a service whose trade is fake engagement: the actor implies the fake-review / spam category ---------------
@pytest.mark.parametrize("use", [
    "A review-farm outfit wants Mistral 7B for its hotel clients.",
    "Our star-rating boosting service for dentists plans to run Gemma 2 for customers.",
    "An astroturfing agency would like to plug Qwen into its workflow.",
])
def test_fake_engagement_service_implies_spam(use):
    assert "spam" in _certain(use)


@pytest.mark.parametrize("use", [
    # honest reputation work and reading reviews are not fake engagement
    "An online reputation management firm wants to draft polite replies to customer reviews.",
    "Our bakery wants to summarise what its Google reviews say about the croissants.",
    "A reviews editor at a tech magazine wants Llama to proofread product reviews.",
])
def test_reviews_without_fake_engagement_are_not_spam(use):
    f = read_frame(use)
    assert "fake_engagement_service" not in f.actors
    assert "spam" not in f.implied


# --- 1b. the pricing side of an insurer, named by its people or said casually: a decision about people ------------
@pytest.mark.parametrize("use", [
    "The underwriting team of a life-insurance firm wants to build on this model.",
    "Our actuarial department at a motor insurer wants the model for its rating team.",
    "bill policyholders extra based on their BMI and smoking",
])
def test_insurance_pricing_by_its_people_or_casually_is_an_automated_decision(use):
    f = read_frame(use)
    assert "insurer" in f.actors
    assert "automated_decisions" in f.implied


@pytest.mark.parametrize("use", [
    # pricing goods, not people; a shop's pricing team is no insurer
    "The pricing team of a sneaker shop wants to build on this model.",
    "charge customers more for next-day shipping",
    "An actuarial science student wants help understanding life tables for an exam.",
])
def test_pricing_goods_or_studying_actuarial_science_is_not(use):
    assert "automated_decisions" not in read_frame(use).implied


# --- 1c. a field that reads people's emotions, with what it measures in people -------------------------------------
@pytest.mark.parametrize("use", [
    "An affective-computing startup wants to measure shopper emotions in its clients' stores.",
    "The emotion-analytics team of a stadium operator studies spectator mood during matches.",
])
def test_emotion_field_measuring_people_is_emotion_recognition(use):
    assert "emotion_recognition" in read_frame(use).implied


def test_mood_of_music_is_not_people():
    f = read_frame("A game studio wants the model to set the mood of its soundtrack.")
    assert "emotion_recognition" not in f.implied and "emotion_recognition" not in f.categories


# --- 1d. a decision taken on a stand-in for origin or ethnicity is discrimination --------------------------------
@pytest.mark.parametrize("use", [
    "A mortgage broker wants to rank borrowers using what their surname says about their heritage.",
    "We'd treat the applicant's zip code as a proxy for race when setting credit limits.",
    "filter out tenants with foreign-sounding names... sorry, ethnic-sounding names",
])
def test_proxy_for_a_protected_characteristic_is_discrimination(use):
    assert "discrimination" in _certain(use)


@pytest.mark.parametrize("use", [
    "Check that each applicant's first name matches the name on their ID card.",
    "Use the postcode to work out which branch is closest to the customer.",
])
def test_names_and_postcodes_used_plainly_are_not(use):
    assert "discrimination" not in _certain(use)


# --- 1e. reoffending said casually is crime prediction ---------------------------------------------------------
@pytest.mark.parametrize("use", [
    "predict which inmates land back in jail within a year",
    "guess which of the released men gets re-arrested first",
])
def test_reoffending_said_casually_is_law_enforcement(use):
    assert "law_enforcement_justice" in _certain(use)


def test_getting_back_home_is_not():
    assert "law_enforcement_justice" not in _certain("tell travellers when they will end up back home after the tour")


# --- 1f. people who still decide, said with a pronoun ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "Our hiring managers want it to sort the applications, but they still choose who gets an offer.",
    "The loan desk wants summaries of each file; we always make the final call ourselves.",
])
def test_people_who_still_decide_said_with_a_pronoun(use):
    assert read_facts(use).human_review


def test_the_model_picking_is_not_a_person_deciding():
    assert not read_facts("The model ranks the CVs and they pick the top ten automatically.").human_review


# --- 2. machine output passed off as a person's, or the label refused: the ai_disclosure category itself ----------
@pytest.mark.parametrize("use", [
    "We sell the AI illustrations as hand-drawn by our studio artists.",
    "We'd tell readers each column was written by one of our staff journalists, though the model drafts them.",
    "we'd prefer not to mark the newsletters as AI-generated, people unsubscribe",
    "A podcast network wants a synthetic host voice and would keep that quiet from its listeners.",
])
def test_passing_off_or_refusing_the_label_is_the_disclosure_category(use):
    assert "ai_disclosure" in _certain(use)


@pytest.mark.parametrize("use", [
    "We label every newsletter as AI-generated at the top.",
    "Scan my grandmother's hand-written recipes and transcribe them.",
    "Our staff journalists write the columns; the model only suggests headlines.",
])
def test_labelled_or_handwork_by_people_is_not(use):
    assert "ai_disclosure" not in _certain(use)


def test_new_actors_are_in_the_vocabulary():
    ids = {a.id for a in actors()}
    assert {"fake_engagement_service", "consumer_health_app"} <= ids


# --- 1g. output training said by the learner's owner (actor voice): an organisation named by the models it trains or
# sells, casting the licensed model as its teacher, its training material's source, or a helper of its data curation -
from agent.check import pipeline  # noqa: E402


@pytest.mark.parametrize("use, learner", [
    ("An agency whose main business is reselling fine-tuned Gemma models wants Falcon as the teacher for its next batch.",
     "gemma models"),
    ("A bank that trains its own Mistral-based helpdesk bot wants Yi-34B to provide its fine-tuning data.", "mistral"),
    ("The dataset team of a startup that trains Phi models wants DBRX as its annotator.", "phi models"),
])
def test_learner_named_by_its_owner_trains_on_outputs(use, learner):
    got = pipeline.trained_model(use.lower())
    assert got is not None and learner in got
    assert read_facts(use).outputs_for_training


@pytest.mark.parametrize("use", [
    # the same organisations using the model for something else
    "A firm that builds Phi chatbots wants Gemma to be its grader in its evaluation pipeline.",
    "A company that sells Mistral assistants wants Llama to supply its marketing copy.",
    "The data-curation team of a hospital wants Qwen as its grader for scanned forms.",
])
def test_owner_using_the_model_for_other_work_is_not(use):
    assert pipeline.trained_model(use.lower()) is None
    assert not read_facts(use).outputs_for_training


# --- 1h. money in words, said as a floor already passed ---------------------------------------------------------
@pytest.mark.parametrize("use, floor", [
    ("A chain of gyms, comfortably over thirty million dollars in sales a month, wants the model.", 360_000_000),
    ("We're well past $5M in yearly revenue and want to ship it.", 5_000_000),
])
def test_revenue_said_as_a_floor_passed_is_above_it(use, floor):
    assert read_facts(use).revenue_usd > floor


def test_revenue_said_plainly_is_that_amount():
    assert read_facts("Our shop makes about $2M in sales a year.").revenue_usd == 2_000_000

