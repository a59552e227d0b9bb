"""*What crossing a threshold asks* is read from its clause (fourteenth session): most thresholds ask for a
separate license, some ask the product to display a name instead. The verdict is conditional either way; the
condition and the reason say the duty the clause states. Synthetic texts written for these tests; real embedder,
profiler and checker."""
from __future__ import annotations

import pytest

from agent.present import text as words
from agent.terms.profile import threshold_duty

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives for any purpose, including commercial purposes.\n\n")
TEXTS = {
    "display-above": GRANT + ("2. Attribution at scale. Where the Model powers a commercial service with more than "
                              "30 million monthly active users, or more than 8 million US dollars in monthly revenue, "
                              "you must prominently display \"Made with Heron\" in that service's interface.\n"),
    "license-above": GRANT + ("2. Scale. If your products have more than 30 million monthly active users, you must "
                              "request a license from Heron Labs, which it may grant at its discretion.\n"),
}


@pytest.mark.parametrize("clause, mark", [
    ('above that size you shall show "Built on Finch" on every screen of the product', "Built on Finch"),
    ("services over the limit must credit “Owl Model” visibly in their user interface", "Owl Model"),
    ('over 10 million users you must request a license from Finch Inc. and display "Finch" in the app', None),
    ("products with more than 100 million users must obtain a separate license from the licensor", None),
])
def test_the_threshold_duty_is_read_from_the_clause(clause, mark):
    assert threshold_duty(clause).get("mark") == mark


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("threshold-duty-home"), TEXTS)


def _conditions(result) -> list[str]:
    return [words.condition_text(c) for c in result.conditions]


@pytest.mark.parametrize("use", [
    "our recipe app has 45 million monthly active users and the model suggests dinners",
    "Monthly revenue of our parcel-tracking service is close to $12M; the model answers customer chats.",
])
def test_a_display_threshold_asks_for_the_name_not_a_license(checker, use):
    result = checker.check(use, license="display-above")
    assert result.verdict == "conditional"
    said = " ".join(_conditions(result))
    assert '"Made with Heron"' in said and "license" not in said.replace("display-above", "")


def test_a_license_threshold_still_asks_for_a_license(checker):
    result = checker.check("our recipe app has 45 million monthly active users and the model suggests dinners",
                           license="license-above")
    assert result.verdict == "conditional"
    assert any("separate license" in c for c in _conditions(result))


def test_below_the_threshold_there_is_no_duty(checker):
    result = checker.check("our recipe app has 2 million monthly active users and the model suggests dinners",
                           license="display-above")
    assert result.verdict == "allowed"
