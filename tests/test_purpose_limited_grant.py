"""A grant limited to a machine purpose (analysis by a computer) grants nothing for copies made for people to
read (issue 11, devz class 9). Synthetic licence wording written for this test."""
from __future__ import annotations

import pytest

from .conftest import checker_over

TEXTS = {
    "mining-only": (
        "1. Grant. You may use, copy, modify and share the Corpus for Machine Use under these terms.\n\n"
        "2. Limit. You will use the Corpus only for Machine Use.\n\n"
        "3. Definitions. \u201cMachine Use\u201d means processing the Corpus for computational analysis, such as "
        "text and data mining or training statistical models.\n"),
}


@pytest.fixture(scope="module")
def mining_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("mining-home"), TEXTS)


@pytest.mark.parametrize("use", [
    "a small press wants to reprint the poems from this corpus in a hardcover collection",
    "we'd sell printed copies of the essays in bookshops",
])
def test_copies_for_readers_are_outside_a_machine_purpose_grant(mining_checker, use):
    r = mining_checker.check(use, license="mining-only")
    assert r.verdict == "prohibited"
    assert any(f.reason.kind == "purpose_limited" for f in r.findings)


def test_analysing_the_corpus_stays_inside_it(mining_checker):
    r = mining_checker.check("we count word frequencies across the corpus for a linguistics study",
                             license="mining-only")
    assert r.verdict != "prohibited"
