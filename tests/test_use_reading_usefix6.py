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
