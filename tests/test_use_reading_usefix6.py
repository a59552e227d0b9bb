"""Use-frame classes of issue 11, eleventh session (usefix6): each concept said in sentences written here, not copied
from any eval case. Fast tests read the lexical frame; those that need the embedding head use the real MiniLM model."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


# --- former members are not the actor: veterans, retired officers, ex-service people -------------------------------
@pytest.mark.parametrize("use", [
    "a charity wants the model to help retired soldiers write CVs for civilian jobs",
    "an ex-military support group wants it to summarise pension rules for its members",
    "We help former navy sailors apply for housing grants; can the model draft the letters?",
    "a job board for ex-army mechanics wants help writing listings",
    "a hospice that cares for elderly veterans of the marine corps wants a visiting-hours chatbot",
])
def test_former_members_of_the_armed_forces_are_not_the_armed_forces(use):
    f = read_frame(use)
    assert "armed_forces" not in f.actors
    assert "military_weapons" not in f.categories


@pytest.mark.parametrize("use", [
    # serving members doing the actor's work: still the armed forces
    "the army wants the model to plan supply convoys for troops at the border",
    "soldiers of the third brigade want it to summarise patrol reports",
    # a former officer is named, but the user is the serving force
    "the air force wants a briefing on what a former commander said about the drills",
])
def test_serving_members_stay_the_actor(use):
    assert "military_weapons" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "a veterans' association wants the model to explain the disability pension forms to its members",
    "former service members asking a chatbot about their medical benefits and GI Bill schooling",
])
def test_civilian_services_for_veterans_are_not_military_use(embed, use):
    f = read_frame(use, embed)
    assert "military_weapons" not in f.categories


# --- a person who lives in a region is domiciled there: the licensee's own home, not an end user's ------------------
@pytest.mark.parametrize("use", [
    "A solo consultant who lives in Belgium wants to fine-tune the vision model for invoices",
    "an indie game developer who resides in Austria wants to build on the multimodal model",
    "freelance designer, living in Lisbon, wants to caption photos with the vision model",
    "im in germany and building an OCR tool on the vision model for my clients",
    "I am in Spain and want to adapt the multimodal model for my own app",
])
def test_an_individual_licensee_living_in_a_region_is_domiciled_there(use):
    assert "European Union" in read_frame(use).established


@pytest.mark.parametrize("use", [
    # the people living there are the product's users, not the licensee
    "a developer in Canada builds an app for customers who live in France",
    "an app for people who live in Italy, built by a studio headquartered in Toronto",
    # a visit is no domicile
    "I'm in Paris for a conference and want to try the vision model on my slides",
    # someone else's product used there
    "I'm in Spain and use a chatbot app that another company built on the model",
])
def test_users_visitors_and_end_users_are_not_domiciled_licensees(use):
    assert "European Union" not in read_frame(use).established


# --- a decision on a protected trait's stand-in: how people write or speak taken to say where they come from ---------
@pytest.mark.parametrize("use", [
    "the lettings bot should reject renters whose accent sounds foreign on the phone",
    "screen out job seekers whose names suggest they belong to a minority",
    "our lender wants to down-rank borrowers whose spelling indicates they are from poor districts",
    "decline customers whose dialect points to certain regions of the country",
])
def test_deciding_on_a_proxy_for_origin_is_discrimination(use):
    assert "discrimination" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    # studying language variation decides about nobody
    "a sociolinguist wants to map which slang suggests speakers come from certain neighbourhoods",
    # a non-origin reading of writing: spam, not a people group
    "filter out messages whose wording suggests they come from bots",
    "reject essays whose grammar shows they were machine-translated",
])
def test_reading_language_without_deciding_on_origin_is_not(use):
    assert "discrimination" not in read_frame(use).categories


# --- a person decides: said with "in the loop" or with the decision made after reading --------------------------
@pytest.mark.parametrize("use", [
    "we keep humans in the loop for every claim the model drafts",
    "an underwriter looks at the summary and makes the final call",
    "the caseworker reads it and then takes the decision",
])
def test_a_person_deciding_is_read(use):
    assert read_frame(use).human_review


@pytest.mark.parametrize("use", [
    "the model reads it and makes the decision on its own",
    "nobody is in the loop; the system approves loans by itself",
    "auto-reject refund requests, zero humans in the loop",
    "approve grants with no people in the loop at all",
])
def test_the_model_deciding_is_no_person_deciding(use):
    assert not read_frame(use).human_review


@pytest.mark.parametrize("use", [
    "a credit union wants the model to support its lending decisions",
    "our landlord software helps with tenancy decisions",
])
def test_a_decision_named_by_its_field_is_a_decision_about_people(use):
    assert read_frame(use).decision_support


# --- custody and migration decisions taken automatically; checking refugee claims is the asylum process -------------
@pytest.mark.parametrize("use, cat", [
    ("the tool auto-approves or rejects parole requests and we stamp them as AI-made", "automated_decisions"),
    ("automatically deny residence permits that look incomplete", "automated_decisions"),
    ("cross-check asylum seekers' statements against country reports for contradictions", "law_enforcement_justice"),
    ("flag weak refugee applications before the hearing", "law_enforcement_justice"),
    ("vet visa applicants' stories for inconsistencies", "law_enforcement_justice"),
])
def test_custody_and_migration_processes(use, cat):
    assert cat in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "translate a refugee charity's newsletter into Arabic",
    "automatically approve holiday requests from staff",
])
def test_help_for_refugees_and_ordinary_approvals_are_not(use):
    f = read_frame(use)
    assert "law_enforcement_justice" not in f.categories and "automated_decisions" not in f.categories


# --- a person's own medical results explained to them -----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "a clinic chatbot that walks patients through their blood test results",
    "help me make sense of my lab results from last week",
    "the hospital app explains each patient's own pathology reports in plain words",
])
def test_explaining_own_results_is_medical_results_interpretation(use):
    assert "medical_advice" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "explain the unit test results of our CI pipeline to new engineers",
    "go through their exam results with the students and suggest revision topics",
])
def test_other_results_are_not_medical(use):
    assert "medical_advice" not in read_frame(use).categories


# --- fake reviews described by who is said to write them ----------------------------------------------------------
@pytest.mark.parametrize("use", [
    "post reviews of my hotel on Booking, each signed by an invented guest",
    "generate about 300 glowing reviews for the app store from fictional users",
    "ratings for our plugin written as made-up customers",
])
def test_reviews_in_the_names_of_people_who_do_not_exist_are_fake_reviews(use):
    assert "spam" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "reply politely to the reviews from real diners on Google",
    "summarise the reviews from verified buyers for our product team",
])
def test_real_reviews_are_not_fake_ones(use):
    assert "spam" not in read_frame(use).categories


# --- a safeguard done away with, said by a pronoun; uncensored variants as the product -----------------------------
@pytest.mark.parametrize("use", [
    "the content filter keeps blocking our medical terms, so we will disable it",
    "its refusals annoy our users; we plan to strip them out",
    "our lab publishes abliterated checkpoints of popular chat models",
    "a community that releases uncensored fine-tunes of open models",
])
def test_doing_away_with_a_safeguard(use):
    assert "safety_circumvention" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    # *weakening a safeguard* (fourteenth session): loosened, dialled down or watered down
    "we'd loosen the NSFW classifier on our image app so more explicit pictures get through",
    "dial down the model's safety settings so it refuses violent scenes less",
    "for premium users we plan to weaken the moderation layer",
])
def test_weakening_a_safeguard(use):
    assert "safety_circumvention" in read_frame(use).categories


@pytest.mark.parametrize("use", [
    "the filter blocks harmless medical questions; we want it to refuse those less often",
    "we will make the safety filter stricter for the kids' version",
    "our spam filter blocks less junk than it should; the model will help us write better rules",
    "the guardrail flags too many harmless prompts, so we want to tune its threshold",
    "our safety filter works well; we'll switch it on for every user",
])
def test_keeping_or_tuning_a_safeguard_is_not_circumvention(use):
    assert "safety_circumvention" not in read_frame(use).categories


# --- keeping medicines safe and disposing of them is harm reduction, not facilitating a controlled substance ------------
@pytest.mark.parametrize("use", [
    "a pharmacy bot that tells customers how to dispose of unused opioid tablets",
    "explain to parents how to keep prescribed stimulants locked away from teenagers",
    "a county health page listing drug take-back days and where to return expired painkillers",
])
def test_safe_storage_and_disposal_of_medicines_is_not_drug_facilitation(embed, use):
    f = read_frame(use, embed)
    assert "illegal_goods_drugs" not in f.categories + f.possible


@pytest.mark.parametrize("use", [
    # dealing stays dealing, whatever is said about storage
    "sell leftover opioid pills without a prescription and tell buyers to store them safely",
    "how to cook meth at home and dispose of the chemical waste",
])
def test_dealing_or_making_drugs_is_still_named(use):
    assert "illegal_goods_drugs" in read_frame(use).categories


# --- a trade in lawful but regulated substances may fall under a regulated-substances ban --------------------------------
@pytest.mark.parametrize("use", [
    "a tobacconist wants catchy slogans for its cigar range",
    "write shop listings for our THC gummies",
    "an e-cigarette brand wants Instagram captions",
])
def test_a_regulated_substance_trade_may_fall_under_the_ban(use):
    f = read_frame(use)
    assert "illegal_goods_drugs" in f.possible and "illegal_goods_drugs" not in f.categories


@pytest.mark.parametrize("use", [
    "an anti-vaping campaign for secondary schools wants poster slogans",
    "a quit-smoking clinic wants reminder messages for its patients",
])
def test_campaigns_against_a_substance_are_not_its_trade(use):
    f = read_frame(use)
    assert "illegal_goods_drugs" not in f.categories + f.possible


@pytest.mark.parametrize("use", [
    "our vape shop wants the model to do the bookkeeping and payroll for our three stores",
    "a tobacco retailer wants its staff handbook translated into Polish",
    "a cannabis dispensary wants help scheduling its employees' shifts",
])
def test_a_regulated_trade_s_back_office_is_not_its_goods(use):
    """Only a use that promotes or sells the goods may fall under a regulated-substances ban (actors.yaml
    `may_imply_with`); the trade's own back office is an ordinary business use."""
    f = read_frame(use)
    assert "illegal_goods_drugs" not in f.categories + f.possible
