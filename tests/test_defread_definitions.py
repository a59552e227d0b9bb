"""A licence's own definitions of its permitted purposes applied to the use (issue 11, failure class 5; fourteenth
session, branch defread). The definition of non-commercial / research / evaluation / production use is read as data
(what it admits: evaluation, a hobby, a charity's work, research not aimed at commercial advantage; what it leaves out:
production use, direct or indirect payment) and applied to the frame of the use (who, does what, for what money):

- *defined evaluation purpose*: a definition of the permitted purpose that admits evaluation lets a company trial the
  model; where the use does not say the trial stays out of production, the answer is open, not a ban;
- *research not aimed at commercial advantage*: a company lab's study published as science, with products denied,
  is non-commercial research; the same study with the product question left open is unclear;
- *hobby prong*: a definition that admits personal hobby use unconnected to employment admits an employee's own
  unpaid hobby, the employer named only to say it is not for work;
- *charitable prong with a payment proviso*: a charity's unpaid use is admitted; its fundraising, under a proviso
  that no direct or indirect payment may arise, leaves the proviso open (unclear);
- *commercial use defined to include promotion*: a business's promo copy is commercial use under a definition
  that takes in use "directly or indirectly, for the … promotion" of a business, though nothing is sold;
- *production use left out*: a grant "for purposes other than commercial or production use" does not reach a
  non-profit's live, public deployment, though nothing is sold.

Each sub-class has sentences written here (not from any eval case) and near misses that must not trigger it.
Synthetic licence texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame

from .conftest import checker_over

TEXTS = {
    # a defined non-commercial use with three prongs and a payment proviso
    "nc-prongs": ("1. Definitions. \"Non-Commercial Use\" means any of the following, provided that no payment, whether "
                  "direct or indirect, arises to you from the use: (a) personal use for learning, experiments or a "
                  "hobby, not connected with any business activity or employment duties; (b) testing and evaluation "
                  "by a business in a non-production environment; (c) use by a charitable organisation for its "
                  "charitable purposes.\n\n"
                  "2. Grant. You may use, copy and modify the Model solely for Non-Commercial Use. Any other use "
                  "requires a separate commercial licence from us.\n"),
    # the same prongs without a payment proviso
    "nc-charity-plain": ("1. Definitions. \"Non-Commercial Use\" means (a) personal hobby use and (b) use by a "
                         "charitable organisation for its charitable purposes.\n\n"
                         "2. Grant. You may use the Model solely for Non-Commercial Use and not for any commercial "
                         "purpose.\n"),
    # evaluation named in the definition, no actor named
    "eval-defined": ("1. Definitions. \"Non-Commercial\" means solely for research or evaluation purposes.\n\n"
                     "2. Grant. You may use, reproduce and modify the Materials for Non-Commercial purposes only. If "
                     "you use the Materials commercially, you must request a licence from us.\n"),
    # research defined by its motive
    "research-motive": ("1. Definitions. \"Research Use\" means scientific research that is not primarily intended "
                        "for commercial advantage or monetary compensation.\n\n"
                        "2. Grant. You may use and modify the Model solely for Research Use. You may not use the "
                        "Model for any commercial purpose.\n"),
    # a grant that leaves production use out
    "no-production": ("1. Grant. Subject to this Agreement, we grant you a non-exclusive, worldwide, royalty-free "
                      "licence to use, reproduce, distribute and create derivative works of the Model for purposes "
                      "other than commercial or production use.\n\n"
                      "2. Notices. Keep this licence with any copy you share.\n"),
    # non-commercial only, nothing said about production
    "nc-only": ("1. Grant. You may use, reproduce and modify the Model for non-commercial purposes only. You may not "
                "use the Model for any commercial purpose.\n"),
    # commercial use defined to take in promotion, opened by a registration form
    "promo-defined": ("1. Definitions. \u201cCommercial Use\u201d means use of the Model, directly or indirectly, for "
                      "the operation, promotion or revenue of any business or individual.\n\n"
                      "2. Grant. Subject to this Agreement, you may use, copy, modify and distribute the Model.\n\n"
                      "3. Commercial Use. If you wish to use the Model for Commercial Use, please complete the "
                      "Commercial Registration Form on our website and email it to licensing@example.org to receive "
                      "the commercial licence at no charge.\n"),
    # the same registration, commercial use not defined
    "form-plain": ("1. Grant. Subject to this Agreement, you may use, copy, modify and distribute the Model.\n\n"
                   "2. Commercial Use. If you wish to use the Model for commercial purposes, please complete the "
                   "Commercial Registration Form on our website and email it to licensing@example.org to receive "
                   "the commercial licence at no charge.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("defread-home"), TEXTS)


# --- defined evaluation purpose ---------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A shipping company's analytics unit is putting the model through a two-week trial.",
    "an insurer's pricing team kicking the tyres on it against their current vendor",
    "We're a consultancy and want to benchmark the model for three weeks on a staging box; outputs stay with the test team.",
])
def test_a_company_trial_under_a_definition_admitting_evaluation_is_no_ban(checker, use):
    assert checker.check(use, license="eval-defined").verdict in ("allowed", "conditional", "unclear")


@pytest.mark.parametrize("use", [
    "A shipping company wants the model to write the delivery notices it emails to customers every day.",
    "Our consultancy will use the model to draft the reports we bill clients for.",
])
def test_a_company_production_use_stays_prohibited_under_an_evaluation_definition(checker, use):
    assert checker.check(use, license="eval-defined").verdict == "prohibited"


# --- research not aimed at commercial advantage -----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A chip maker's research group wants to probe the model's attention heads for a conference paper; nothing from "
    "it goes into any product.",
    "Scientists at a pharmaceutical company's AI lab will study the model's reasoning errors and publish the findings "
    "openly, with no commercial use planned.",
    "corporate lab, pure research on the model's tokeniser, results go to arxiv only, no product",
])
def test_a_company_labs_published_study_with_products_denied_is_research(checker, use):
    r = checker.check(use, license="research-motive")
    assert r.verdict in ("allowed", "conditional"), r.verdict


def test_a_company_labs_study_with_the_product_question_open_is_unclear(checker):
    r = checker.check("A retail bank's AI research team wants to study the model and publish a paper on it.",
                      license="research-motive")
    assert r.verdict == "unclear"


@pytest.mark.parametrize("use", [
    "A chip maker's research group wants to fine-tune the model to power the design assistant it sells to customers.",
    "Our company's lab will build the model into the analytics product we license to banks, then blog about the results.",
])
def test_a_company_labs_product_work_stays_prohibited(checker, use):
    assert checker.check(use, license="research-motive").verdict == "prohibited"


# --- hobby prong ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "I'm an accountant by day; in my spare time I draw fantasy maps with it for my own tabletop campaign, unpaid and "
    "unrelated to my work.",
    "A software engineer using it privately for a hobby zine she gives away, not for her employer.",
    "bank clerk here, personal project: bedtime-story pictures for my kids, nothing to do with the job",
])
def test_an_employees_own_unpaid_hobby_fits_a_hobby_prong(checker, use):
    assert checker.check(use, license="nc-prongs").verdict in ("allowed", "conditional")


@pytest.mark.parametrize("use", [
    "I'm a freelance illustrator and want to use it for the book covers clients commission from me.",
    "In my spare time I sell the fantasy maps I make with it on Etsy.",
])
def test_paid_work_or_sales_do_not_fit_the_hobby_prong(checker, use):
    assert checker.check(use, license="nc-prongs").verdict == "prohibited"


# --- charitable prong and the payment proviso -------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A volunteer-run animal shelter wants pictures for the adoption leaflets it hands out free.",
    "Our soup kitchen, a registered charity, needs illustrations for the volunteer rota poster.",
])
def test_a_charitys_unpaid_use_fits_the_charitable_prong(checker, use):
    assert checker.check(use, license="nc-prongs").verdict in ("allowed", "conditional")


@pytest.mark.parametrize("use", [
    "A hospice charity wants artwork for the raffle tickets and flyers of its charity auction.",
    "An NGO wants images for the donation appeal it mails to supporters.",
    "kids' charity making banners for a sponsored run that raises funds",
])
def test_a_charitys_fundraising_leaves_an_indirect_payment_proviso_open(checker, use):
    assert checker.check(use, license="nc-prongs").verdict == "unclear"


def test_fundraising_without_a_payment_proviso_is_a_charitable_purpose(checker):
    r = checker.check("A hospice charity wants artwork for the raffle tickets and flyers of its charity auction.",
                      license="nc-charity-plain")
    assert r.verdict in ("allowed", "conditional")


def test_a_charity_selling_goods_is_not_inside_the_prong(checker):
    r = checker.check("A charity shop wants to print the model's pictures on mugs it sells.", license="nc-prongs")
    assert r.verdict == "prohibited"


def test_a_food_bank_is_no_lender():
    assert "lender" not in read_frame("A food bank wants posters for its winter collection drive.").actors
    assert "lender" in read_frame("A retail bank wants the model to score loan applicants.").actors


# --- production use left out ------------------------------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "A public library (non-profit) wants the model running on the reading-room kiosk for visitors all year.",
    "A volunteer astronomy club wants to put the model behind the public Q&A page of its website for good.",
    "our free city-guide app would use it live for every tourist who opens it",
])
def test_a_live_public_deployment_is_production_use(checker, use):
    assert checker.check(use, license="no-production").verdict in ("prohibited", "unclear")


@pytest.mark.parametrize("use", [
    "The staff of a public library want to try the model for a week on a laptop to see whether it could help with "
    "cataloguing.",
    "A museum curator experimenting with the model at home to learn how it animates pictures.",
])
def test_trials_and_personal_experiments_are_not_production(checker, use):
    assert checker.check(use, license="no-production").verdict in ("allowed", "conditional")


def test_a_grant_without_a_production_limit_does_not_reach_a_non_profit_deployment(checker):
    r = checker.check("A public library (non-profit) wants the model running on the reading-room kiosk for visitors "
                      "all year.", license="nc-only")
    assert r.verdict != "prohibited"


# --- commercial use defined to include promotion ----------------------------------------------------------------
@pytest.mark.parametrize("use", [
    "brainstorm promo slogans in house for the spring campaign, nothing published yet",
    "Our dental practice wants the model drafting ad copy for its flyers.",
    "a gym owner getting taglines and marketing blurbs out of it",
])
def test_promotion_is_commercial_under_a_definition_that_names_it(checker, use):
    r = checker.check(use, license="promo-defined")
    assert any(f.category == "registration" for f in r.findings), r.verdict


@pytest.mark.parametrize("use, license", [
    ("brainstorm promo slogans in house for the spring campaign, nothing published yet", "form-plain"),
    ("I write poems for my grandchildren with it at the weekend.", "promo-defined"),
    ("A volunteer-run animal shelter wants a slogan for its adoption day posters.", "promo-defined"),
])
def test_no_promotion_definition_or_no_business_promotion_owes_no_registration(checker, use, license):
    r = checker.check(use, license=license)
    assert not any(f.category == "registration" for f in r.findings), r.verdict
