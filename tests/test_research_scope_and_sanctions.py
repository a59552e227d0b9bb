"""Research-licence scope and who-is-where under sanctions (issue 11, devv classes: research-only scope, a missing
incorporated policy next to a clause that decides). Synthetic licence wording and uses written for this test."""
from __future__ import annotations

import pytest

from agent.check.rules.regional import sanctioned_place_named

from .conftest import checker_over

TEXTS = {
    "research-grant": (
        "1. Grant. You are granted a non-exclusive, royalty-free license to use, copy and modify the Research "
        "Materials solely for non-commercial research purposes.\n\n"
        "2. Restrictions. You will not use the Research Materials, or any results of experiments run with the "
        "Research Materials, in connection with any commercial uses or for the benefit of any third party.\n\n"
        "3. Publication. If you publish results of research performed with the Research Materials, you must "
        "acknowledge their use.\n\n"
        "4. Sanctions. You may not use or download the Research Materials if you are located in a comprehensively "
        "sanctioned jurisdiction.\n\n"
        "5. Policy. Your use must adhere to the Acceptable Use Policy (available at https://example.org/rm/aup), "
        "which is incorporated herein by reference.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("research-scope"), TEXTS)


@pytest.mark.parametrize("use", [
    "I'm an academic researcher and will submit a paper reporting experiments with the Chameleon materials.",
    "As a university scientist I will write up experiments with the Chameleon materials for a journal paper.",
])
def test_academic_research_published_is_not_read_as_commercial_by_resemblance(checker, use):
    # a research licence whose commercial-use ban is worded close to publishing results ("use … any outputs or
    # results … in connection with any commercial uses")
    r = checker.check(use, license="chameleon-research-2024")
    assert not any(f.effect == "prohibited" and f.category in ("commercial_use", "noncommercial", "research_only")
                   for f in r.findings), [(f.effect, f.category, f.reason.kind) for f in r.findings]


@pytest.mark.parametrize("use", [
    "An engineer living under a full trade embargo wants to download the model",
    "a lab based in an embargoed country asks for the weights",
    "Our partner, who is located in a comprehensively sanctioned jurisdiction, would run it",
])
def test_a_place_described_by_its_sanctions_is_reached_by_a_clause_naming_none(checker, use):
    assert sanctioned_place_named(use) is not None
    r = checker.check(use, license="research-grant")
    assert r.verdict == "prohibited", [(f.effect, f.category, f.reason.kind) for f in r.findings]
    assert any(f.reason.kind == "sanctioned_place" for f in r.findings)


@pytest.mark.parametrize("use", [
    "a bank's compliance team summarises news about trade embargoes for its analysts",
    "our office is not in a sanctioned country; we are in Canada",
])
def test_sanctions_talked_about_put_no_one_there(use):
    assert sanctioned_place_named(use) is None


SCOPES = {
    "research-solely": ("1. Grant. You may access, use and modify the Model solely for research purposes, such as "
                        "conducting experiments and publishing results.\n\n2. Scope. Any use beyond the scope of "
                        "this grant requires a separate written agreement.\n"),
    "research-and-teaching": ("1. Grant. You may access, use and modify the Model solely for research and "
                              "educational purposes, such as conducting experiments and teaching.\n"),
}


@pytest.fixture(scope="module")
def scope_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("purpose-scope"), SCOPES)


@pytest.mark.parametrize("use", [
    "I run an evening class on machine learning at a community college and want my students to try the model in "
    "the exercises",
    "a secondary-school teacher wants pupils to chat with the model during her history lessons",
])
def test_teaching_is_outside_a_research_only_grant(scope_checker, use):
    r = scope_checker.check(use, license="research-solely")
    assert r.verdict == "unclear", [(f.effect, f.category, f.reason.kind) for f in r.findings]
    assert any(f.reason.kind == "teaching_outside_research" for f in r.findings)
    r = scope_checker.check(use, license="research-and-teaching")
    assert not any(f.reason.kind == "teaching_outside_research" for f in r.findings)


@pytest.mark.parametrize("use", [
    "a PhD student runs experiments on the model for her thesis",
    "our lab studies how the model handles long documents and will publish a paper",
])
def test_research_stays_inside_a_research_only_grant(scope_checker, use):
    r = scope_checker.check(use, license="research-solely")
    assert not any(f.reason.kind == "teaching_outside_research" for f in r.findings)
