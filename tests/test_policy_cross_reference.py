"""A use policy that a licence "references in Section N" of its own text is written into the licence, not a
document missing from the corpus (issue 11, devz class 8: restrictions inline read as a missing policy).
Synthetic licence wording written for this test."""
from __future__ import annotations

import pytest

from .conftest import checker_over

_GRANT = ("1. Grant. Subject to this Agreement, the Licensor grants you a worldwide, royalty-free licence to use, "
          "reproduce, modify and distribute the Model and Derivative Models.\n\n")
TEXTS = {
    "xref-inline": _GRANT + (
        "2.3. Restricted Use Policy. You will not use the Model for (a) unlawful surveillance, (b) harassment of "
        "individuals, or (c) deceiving others.\n\n"
        "3.1. You may distribute the Model or Derivative Models if you (i) include the Restricted Use Policy "
        "referenced in Section 2.3 as an enforceable provision in your terms, and (ii) give every recipient a copy "
        "of this Agreement.\n"),
    "xref-elsewhere": _GRANT + (
        "3.1. You may distribute the Model if you include the Example Acceptable Use Policy as an enforceable "
        "provision in your terms and give every recipient a copy of this Agreement.\n"),
    "xref-manner": _GRANT + (
        "4. Use. Your use of the Model must comply with the Example Acceptable Use Policy, hosted at the web address "
        "we publish.\n\n"
        "5. Distribution. Use-based restrictions incorporating the Example Acceptable Use Policy in the manner set "
        "out in Section 4 must be included in any agreement under which you distribute the Model.\n"),
}


@pytest.fixture(scope="module")
def xref_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("xref-home"), TEXTS)


def test_a_policy_referenced_in_a_section_of_the_text_is_not_missing(xref_checker):
    assert not [r for r in xref_checker.profiler.profile("xref-inline").references if not r["in_corpus"]]
    r = xref_checker.check("we fine-tune it on our manuals and publish the weights on the Hub", license="xref-inline")
    assert not any(m.kind == "policy" for m in r.missing)
    assert r.verdict == "conditional"


def test_a_named_policy_with_no_section_is_still_missing(xref_checker):
    refs = xref_checker.profiler.profile("xref-elsewhere").references
    assert refs and not refs[0]["in_corpus"]


def test_a_manner_set_out_in_a_section_is_no_inline_policy(xref_checker):
    # "in the manner set out in Section 4" says how the policy is passed on; the policy itself is hosted elsewhere
    refs = xref_checker.profiler.profile("xref-manner").references
    assert refs and not refs[0]["in_corpus"]
