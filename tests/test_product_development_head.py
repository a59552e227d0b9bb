"""The product-development fact head (issue 11 failure class 5, thirteenth session), said in sentences written here,
not copied from any eval case or from the head's bank:

1. *Product work*: a business developing, choosing or evaluating a product or service (a model picked for a feature,
   a prototype to sell, a pilot before launch) → the fact holds. Near misses that share the words but are no product
   work (a thesis benchmark, a hobbyist comparing models, a course project, a non-profit's study, a company's published
   study with nothing to build) → it does not.
2. *Grant scope: product development left out*: a research or non-commercial definition that "does not include …
   product development" does not reach product work, however internal and unreleased (prohibited); the near misses
   stay inside it.
3. *For-profit evaluation admitted*: a non-commercial definition that names "testing or evaluation by for-profit
   entities in a non-production environment" admits a company's trial of the model toward a product or a purchase
   (not prohibited), while a commercial use in production stays outside it.

Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.categories import model
from agent.check.frame import read_frame
from corpus.settings import DEFAULT_EMBEDDING
from retrieval.embed import load_embedder

from .conftest import checker_over

TEXTS = {
    # a research-only grant whose definition leaves product development out
    "research-no-products-terms": (
        "1. Definitions. \u201cResearch Use\u201d means non-commercial scientific research and experiments carried out to "
        "advance knowledge. Research Use does not include product development, commercial exploitation or use in any "
        "product or service.\n\n"
        "2. Grant. You may use, copy and modify the Model solely for Research Use.\n"),
    # a non-commercial grant whose definition leaves the development of commercial products out
    "noncommercial-no-products-terms": (
        "1. Definitions. \u201cNon-Commercial Use\u201d means use that is not intended for commercial advantage or "
        "monetary compensation, excluding the development of commercial products or services.\n\n"
        "2. Grant. The Licensor grants you a licence to use the Model only for Non-Commercial Use.\n"),
    # a non-commercial grant whose definition admits for-profit entities' testing and evaluation
    "noncommercial-eval-admitted-terms": (
        "1. Definitions. \u201cNon-Commercial Use\u201d means (a) personal, academic or hobby use, and (b) use by "
        "commercial or for-profit organizations for internal testing and evaluation in a non-production "
        "environment. Use for revenue-generating activity or in interaction with end users is not Non-Commercial "
        "Use.\n\n"
        "2. Grant. You may use the Model solely for Non-Commercial Use. You may not use the Model for any "
        "commercial purpose without a separate commercial licence.\n"),
}

PRODUCT_WORK = [
    # a household-robot maker's feature team, actor only
    "The feature team of a household-robot company would like to try the model out.",
    # a brand's app developers choosing a model for a feature (third person)
    "A sports-nutrition brand's app developers are testing the model to decide if their coaching feature will use it.",
    # an agency prototyping for a client who will sell the result
    "An agency builds a clickable prototype on the model for a client who plans to sell the finished assistant.",
    # a device maker's engineers checking fitness for next year's units, in-house
    "Engineers at a navigation-device maker check in-house whether the model is good enough for next year's units.",
]

# fresh product-work sentences the head reads below its threshold (0.44-0.70 against 0.84 on 2026-12-07): its recall on
# new wordings is about that of its held-out figure (0.77), and these are kept as the measure of what it still misses
PRODUCT_WORK_MISSED = [
    "A mattress retailer's web team is trying several open models to settle which one will answer sleep questions in "
    "its online shop.",
    "me and my cofounder are hacking an early version of our paid recipe app on it, no users yet",
    "I am contractor, I make proof of concept with the model for client company, they want later sell it as service",
    "The new-products group of a power-tool manufacturer.",
]

NEAR_MISSES = [
    "For my doctoral dissertation I compare how five models translate medieval Latin.",
    "Just for fun I pit a few local models against each other on chess puzzles at home.",
    "Students in an undergraduate seminar measure the model's bias as their term assignment.",
    "A wildlife charity's research unit checks how well the model identifies frog calls for a published survey.",
]


@pytest.fixture(scope="module")
def embed():
    return load_embedder(DEFAULT_EMBEDDING).embed


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("product-development-home"), TEXTS)


def _why(r):
    return r.verdict, [(f.reason.kind, f.effect) for f in r.findings]


# --- 1. the fact, read by the head --------------------------------------------------------------------------------
def test_the_head_ships():
    head = model()
    assert head is not None and "product_development" in head.fact_ids
    i = head.fact_ids.index("product_development")
    assert head.fact_p[i] <= head.fact_t[i] < 1.0


@pytest.mark.parametrize("use", PRODUCT_WORK)
def test_product_work_is_read_as_product_development(embed, use):
    assert read_frame(use, embed).product_development


@pytest.mark.xfail(strict=False, reason="fresh wordings the head reads below its threshold (reported recall)")
@pytest.mark.parametrize("use", PRODUCT_WORK_MISSED)
def test_product_work_the_head_still_misses(embed, use):
    assert read_frame(use, embed).product_development


@pytest.mark.parametrize("use", NEAR_MISSES)
def test_study_hobby_and_coursework_are_not_product_development(embed, use):
    assert not read_frame(use, embed).product_development


# --- 2. a definition that leaves product development out -----------------------------------------------------------
@pytest.mark.parametrize("key", ["research-no-products-terms", "noncommercial-no-products-terms"])
@pytest.mark.parametrize("use", PRODUCT_WORK)
def test_product_work_falls_outside_a_definition_that_leaves_it_out(checker, key, use):
    r = checker.check(use, license=key)
    assert r.verdict == "prohibited", _why(r)


@pytest.mark.parametrize("use", NEAR_MISSES[:3])
def test_study_and_hobby_stay_inside_a_research_definition(checker, use):
    r = checker.check(use, license="research-no-products-terms")
    assert r.verdict != "prohibited", _why(r)


# --- 3. a definition that admits for-profit entities' testing and evaluation ------------------------------------
ADMITTED = [
    "A furniture chain's digital team is testing the model in a sandbox to decide whether to buy it for a future app.",
    "our startup evaluates the model on sample tickets before picking a vendor, nothing in production",
]


@pytest.mark.parametrize("use", ADMITTED)
def test_a_companys_evaluation_is_inside_a_definition_that_admits_it(checker, use):
    r = checker.check(use, license="noncommercial-eval-admitted-terms")
    assert r.verdict != "prohibited", _why(r)


def test_a_product_in_production_stays_outside_that_definition(checker):
    r = checker.check("Our online shop's live chatbot answers paying customers with the model every day.",
                      license="noncommercial-eval-admitted-terms")
    assert r.verdict == "prohibited", _why(r)
