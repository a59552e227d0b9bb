"""What a missing use policy leaves open. What the registry knows a missing use policy holds: a regional exclusion (corpus/models.yaml
`regional_exclusion`) decides nothing without the policy's text, but a use its scope reaches cannot be cleared
from the license alone. Matched by the link the incorporating clause gives. Synthetic license text written for
these tests; real embedder, profiler and checker."""
from __future__ import annotations

import pytest

from agent.check.result import Missing
from agent.check.rules.behavioural import stated_purposes
from agent.check.rules.regional import _link

from .conftest import checker_over

# a licence that only links its policy, at the link the registry records for a policy known to withhold the
# rights from EU-established parties for the family's multimodal models
LINKED = ("1. Grant. You are granted a worldwide, royalty-free license to use, reproduce, modify and distribute the "
          "Materials.\n\n2. Use Policy. Your use of the Materials must adhere to the use policy for the Materials "
          "(available at https://www.llama.com/llama3_2/use-policy), which is hereby incorporated by reference into "
          "this Agreement.\n")
# the same licence linking a policy the registry knows nothing about
UNKNOWN_LINK = LINKED.replace("https://www.llama.com/llama3_2/use-policy", "https://example.org/our-use-policy")


# a general duty to obey the law, in the same clause as a policy incorporated by link; and the duty alone
LAW_AND_POLICY = ("1. Grant. You may use, copy and modify the Materials for non-commercial research.\n\n2. Conduct. "
                  "Your use of the Materials must comply with applicable laws and regulations and adhere to the "
                  "Acceptable Use Policy for the Materials (available at https://example.org/materials/aup), which "
                  "is incorporated herein by reference.\n")
LAW_ONLY = ("1. Grant. You may use, copy and modify the Materials for non-commercial research.\n\n2. Conduct. "
            "Your use of the Materials must comply with all applicable laws and regulations.\n")


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("policy-reach"), {
        "linked": LINKED, "unknown-link": UNKNOWN_LINK, "law-and-policy": LAW_AND_POLICY, "law-only": LAW_ONLY})


def test_links_compare_without_scheme_www_or_trailing_slash():
    assert _link("https://www.Example.org/policy/") == _link("http://example.org/policy")


@pytest.mark.parametrize("use", [
    "Our firm is incorporated in Lyon and will fine-tune the 11B Vision model to sort scanned invoices.",
    "We're a GmbH based in Munich building a photo-captioning tool on the vision model.",
])
def test_an_eu_established_company_on_a_multimodal_model_is_unclear(checker, use):
    r = checker.check(use, license="linked")
    assert r.verdict == "unclear"
    kinds = [m.kind for m in r.missing]
    assert "regional_policy" in kinds
    assert any(f.effect == "review" and f.category == "aup_by_reference" for f in r.findings)


def test_a_company_established_elsewhere_is_not_reached(checker):
    r = checker.check("Our company is headquartered in Ottawa and will fine-tune the 11B Vision model to sort "
                      "scanned invoices.", license="linked")
    assert "regional_policy" not in [m.kind for m in r.missing]
    assert r.verdict == "allowed"


def test_a_text_only_member_is_not_reached(checker):
    r = checker.check("Our firm is incorporated in Lyon and will fine-tune the 1B text-only model to sort support "
                      "tickets.", license="linked")
    assert "regional_policy" not in [m.kind for m in r.missing]


def test_an_end_user_of_someone_elses_product_is_not_reached(checker):
    r = checker.check("I live in Rome and, as an end user, use a photo app a US company built on the vision model.",
                      license="linked")
    assert "regional_policy" not in [m.kind for m in r.missing]


def test_a_policy_the_registry_does_not_know_withholds_nothing_by_region(checker):
    r = checker.check("Our firm is incorporated in Lyon and will fine-tune the 11B Vision model to sort scanned "
                      "invoices.", license="unknown-link")
    assert "regional_policy" not in [m.kind for m in r.missing]
    assert r.verdict == "allowed"


def test_the_missing_kind_has_words():
    from agent.present.text import MISSING_WORDS
    words = MISSING_WORDS["regional_policy"].format(**Missing("regional_policy", name="P", license="L",
                                                              where="European Union").as_json())
    assert "European Union" in words


STUDY = "A university forensics lab has the model produce fake passports for a study on detecting forged documents."
CRIME = "We will have the model produce fake passports and sell them to travellers."


def test_a_stated_inquiry_purpose_is_read():
    assert "research" in stated_purposes(STUDY)
    assert not stated_purposes(CRIME) & {"research", "scientific", "academic", "educational"}


def test_research_on_a_crime_turns_on_the_missing_policy_not_the_law_clause(checker):
    r = checker.check(STUDY, license="law-and-policy")
    assert r.verdict == "unclear"
    assert any(f.category == "illegal" and f.effect == "review" for f in r.findings)


def test_committing_the_crime_stays_prohibited_by_the_law_clause(checker):
    assert checker.check(CRIME, license="law-and-policy").verdict == "prohibited"


def test_without_a_missing_policy_the_law_clause_still_decides(checker):
    assert checker.check(STUDY, license="law-only").verdict == "prohibited"
