"""Reading a described use into facts and categories: the lexical layer alone (no embedder), and
money amounts in any currency. Fast: no model, no index."""
from __future__ import annotations

import pytest

from agent.terms.money import find_money
from agent.usecase import parse_use


@pytest.mark.parametrize("text, usd, period", [
    ("more than USD $1,000,000 in annual revenue", 1_000_000, "year"),
    ("annual revenue in the preceding year exceeded RMB 1 billion", 140_000_000, "year"),
    ("more than 20 million US dollars (or equivalent in other currencies) in monthly revenue", 240_000_000, "month"),
    ("turnover of €2M", 2_160_000, "year"),
])
def test_money_in_licenses_is_an_annual_dollar_equivalent(text, usd, period):
    money = find_money(text, near="revenue|turnover")
    assert money is not None and money.annual_usd == usd and money.period == period


def test_money_ignores_monthly_active_users_beside_an_annual_figure():
    money = find_money("USD $1,000,000 in annual revenue; 700 million monthly active users", near="revenue")
    assert money.period == "year" and money.annual_usd == 1_000_000


@pytest.mark.parametrize("use, revenue", [
    ("our studio makes about $250k revenue a year", 250_000),
    ("a marketplace doing $2M in monthly revenue", 24_000_000),
    ("our group had RMB 500 million revenue last year", 70_000_000),
    ("a chatbot for our 40 employees", None),
])
def test_revenue_of_a_use(use, revenue):
    assert parse_use(use).revenue_usd == revenue


def test_publishing_a_paper_is_not_distributing_the_model():
    f = parse_use("a university lab fine-tunes the model and publishes a paper with the results")
    assert f.publication and f.derivative and not f.distribution
    f = parse_use("we publish our fine-tuned weights on the hub")
    assert f.distribution


@pytest.mark.parametrize("use", ["we distil it into a small student and publish the student's weights",
                                 "we publish the fine-tuned model's checkpoint",
                                 "the team publishes its own LoRA adapter for the model"])
def test_publishing_weights_named_with_a_possessive_or_hyphen_is_distribution(use):
    assert parse_use(use).distribution
    assert not parse_use("we publish the team's findings in a blog post").distribution


def test_shipping_questions_and_publishers_are_not_distribution():
    assert not parse_use("a support bot answering order and shipping questions for our shop").distribution
    assert not parse_use("I sell the covers I make with it to book publishers").distribution
    assert parse_use("we sell USB sticks with copies of the model at meetups").distribution


def test_negated_hosting_and_sales():
    assert not parse_use("upload the fine-tune for download (no hosted demo)").hosting
    assert parse_use("fine-tune it for my thesis; nothing gets sold").commercial is not True


def test_a_person_with_the_final_say_unless_negated():
    assert parse_use("the model ranks claims and a human adjuster makes the final decision").human_review
    assert not parse_use("approve loans automatically with no human in the loop").human_review


def test_a_nonprofits_cost_covering_ads_leave_commerciality_open():
    f = parse_use("a charity runs the model in a free app with a few ads that cover its server costs")
    assert f.commercial is None and f.commercial_doubt
    f = parse_use("a nonprofit sells premium subscriptions to its app")
    assert f.commercial is True and not f.commercial_doubt


@pytest.mark.parametrize("use, category", [
    ("write text messages urging swing voters to back our candidate in the election", "political_campaigning"),
    ("score how stressed our warehouse workers are from their facial expressions", "emotion_recognition"),
    ("a Selenium script that harvests answers from the free web chat", "automated_extraction"),
    ("tell readers the generated columns were written by a human journalist", "ai_disclosure"),
    ("decide which tenants get the apartment based only on the model's score", "automated_decisions"),
    ("recommend each patient the dose of their medication to take", "medical_advice"),
    ("build it into software we sell to police departments", "law_enforcement_justice"),
])
def test_categories_from_patterns(use, category):
    assert category in parse_use(use).categories


def test_flagging_known_offenders_is_not_committing_the_offence():
    assert "illegal" not in parse_use("flag faces of known shoplifters on the store cameras").categories


def test_using_a_service_from_where_it_is_not_offered():
    assert parse_use("our team sits in a country the provider does not serve; can we use a VPN?").unsupported_region
    assert not parse_use("a team in Berlin using the API").unsupported_region


def test_industry_of_the_user_direct_tied_or_only_a_topic():
    from agent.terms.industries import industries_of_use

    assert industries_of_use("a coal mining company wants shift reports summarised") == {
        "fossil fuels and extraction": "direct"}
    assert industries_of_use("we sell analytics software to oil and gas companies") == {
        "fossil fuels and extraction": "indirect"}
    assert industries_of_use("summarise news about the oil industry for a newsletter") == {}
    assert industries_of_use("a bakery's order chatbot") == {}


def test_thresholds_are_shown_as_the_license_states_them():
    from agent.terms.money import describe

    assert describe({"revenue_usd": 1_000_000}) == "US$1,000,000 a year"
    assert describe({"revenue_usd": 140_000_000, "revenue": 1e9, "currency": "CNY", "period": "year"}) == \
        "CNY 1,000,000,000 a year"
    assert describe({"revenue_usd": 240_000_000, "revenue": 2e7, "currency": "USD", "period": "month"}) == \
        "US$20,000,000 a month"
    assert parse_use("our group had RMB 2 billion revenue last year").revenue_converted


@pytest.mark.parametrize("use,users", [
    ("we have 500M MAU today but expect to pass 800M by next year", 800_000_000),
    ("about 2 million users now; we hope to reach 1 billion users in five years", 1_000_000_000),
    ("a shop with 4,000 employees and 30k customers", 30_000),
    ("our app has 300k users and we hit 3 deadlines a week", 300_000),
])
def test_the_largest_user_count_stated_or_projected_counts(use, users):
    """A threshold applies once the use will pass it, not only at today's count."""
    assert parse_use(use).users == users


def test_a_stated_revenue_makes_the_use_commercial_unless_a_nonprofit_says_it():
    assert parse_use("a one-person studio with $40k in yearly sales makes game assets").commercial is True
    assert parse_use("our charity with about $2M in annual income writes donor letters").commercial is not True


@pytest.mark.parametrize("use", ["the model ranks the credit union's mortgage applicants",
                                 "we set each driver's car insurance premiums with it",
                                 "we screen each first-time customer's loan applications with it"])
def test_words_with_possessives_or_hyphens_between_the_verb_and_its_object(use):
    assert parse_use(use).decision_support
