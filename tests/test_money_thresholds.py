"""Money and user thresholds read as the license writes them (issue 11, licence-side classes):

- *alternative triggers*: "more than N users, or more than $X revenue" is met by either one, so a product
  with few users and revenue over the line meets it; the use's revenue is read however it is said ("takes
  in $3M every month", "$3M/mo");
- *threshold for commercial use only*: a user count that triggers a duty only for commercial use leaves a
  non-profit's free service alone.

Synthetic texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.usecase import parse_use

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives for any purpose, including commercial purposes.\n\n")
TEXTS = {
    # two triggers joined by "or": either one is enough
    "either-trigger": GRANT + ("2. Credit. If the Model is used in any of your commercial products or services that "
                               "have more than 50 million monthly active users, or more than 5 million US dollars "
                               "in monthly revenue, you shall show \"Powered by Quill\" in the product's interface.\n"),
    # a duty above a user count, only for commercial use
    "commercial-users": GRANT + ("2. Scale. If you are commercially using the Model and your product or service "
                                 "has more than 40 million monthly active users, you must request a separate "
                                 "license from the Licensor.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("money-home"), TEXTS)


@pytest.mark.parametrize("use, revenue", [
    ("our shop takes in roughly $3M every month", 36_000_000),
    ("a mobile studio grossing 2 million dollars per month", 24_000_000),
    ("the platform brings in ~4M USD/month", 48_000_000),
    ("the agency grosses about $900k a month", 10_800_000),
])
def test_revenue_is_read_however_the_period_is_said(use, revenue):
    assert parse_use(use).revenue_usd == revenue


@pytest.mark.parametrize("use", [
    "Our puzzle app has only 300k players but takes in about $9 million every month; we want the model to write "
    "its hint texts.",
    "quill model inside our trading tool. 40k users, revenue ~8M USD/month",
])
def test_either_trigger_is_met_by_revenue_alone(checker, use):
    r = checker.check(use, license="either-trigger")
    assert r.verdict == "conditional"
    assert any(f.category == "revenue_threshold" for f in r.findings)


def test_neither_trigger_met_is_no_duty(checker):
    r = checker.check("Our puzzle app has 300k players and makes about $20k a month; the model writes hint texts.",
                      license="either-trigger")
    assert not any(f.category in ("revenue_threshold", "user_threshold") for f in r.findings)


@pytest.mark.parametrize("use", [
    "We are a volunteer-run non-profit library catalogue with 60 million monthly visitors; the model writes book "
    "blurbs on our free site.",
    "A charity's free homework-help site, around 55 million monthly users, no fees and no ads, would use the model.",
])
def test_a_commercial_only_user_threshold_leaves_a_non_profit_alone(checker, use):
    r = checker.check(use, license="commercial-users")
    assert not any(f.category == "user_threshold" for f in r.findings)


def test_a_commercial_only_user_threshold_still_reaches_a_business(checker):
    r = checker.check("Our subscription video app has 70 million monthly active users and wants the model for "
                      "subtitles.", license="commercial-users")
    assert any(f.category == "user_threshold" for f in r.findings)
