"""A data licence's duty attaches to the data passed on: a model trained on the data and shared is not the data
(issue 11, devz class 8: data-licence duties applied to a trained model). Synthetic licence wording."""
from __future__ import annotations

import pytest

from .conftest import checker_over

TEXTS = {
    "data-terms": (
        "1. Permission. You may use, modify and distribute the Data for any purpose, including commercial "
        "purposes.\n\n"
        "2. Credit. If you distribute the Data, you must include with the Data all credit and attribution "
        "information that came with it, and a copy of this Agreement.\n"),
}


@pytest.fixture(scope="module")
def data_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("data-home"), TEXTS)


def test_sharing_a_model_trained_on_the_data_owes_no_data_credit(data_checker):
    r = data_checker.check("we fit a sentiment classifier on this corpus of reviews and ship the trained model to shops",
                           license="data-terms")
    assert r.verdict == "allowed"


def test_passing_the_data_on_still_owes_the_credit(data_checker):
    r = data_checker.check("we train a tagger on these texts and also redistribute the cleaned dataset to partners",
                           license="data-terms")
    assert r.verdict == "conditional"
