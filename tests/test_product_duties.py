"""*Making a product or service available*: a license whose notice duty covers "a product or service that contains"
the model reaches a use that builds a product on it ("our app runs on X", "we're building a tool on X"), not an
internal tool nor someone else's product used as an end user. Synthetic license text written for these tests;
real embedder, profiler and checker."""
from __future__ import annotations

import pytest

from agent.check.frame import read_frame
from agent.check.rules.distribution import offers_product

from .conftest import checker_over

PRODUCT_NOTICE = ("1. Grant. You are granted a worldwide, royalty-free license to use, reproduce, modify and distribute "
                  "the Materials.\n\n2. Notices. If you distribute or make available the Materials, or a product or "
                  "service that contains any of them, you shall display \"Made with Quill\" on a related website or "
                  "in the product documentation, and provide a copy of this Agreement with them.\n")


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("product-duties"), {"quill": PRODUCT_NOTICE})


@pytest.mark.parametrize("use", [
    "Our recipe-suggestion app runs on the Quill model and has a few thousand users.",
    "We're a two-person studio building a contract-review product on Quill.",
    "The translation plugin we sell is powered by Quill under the hood.",
])
def test_a_product_built_on_the_model_owes_the_product_notice(checker, use):
    r = checker.check(use, license="quill")
    assert r.verdict == "conditional"
    assert any(f.category == "attribution" and f.effect == "condition" for f in r.findings)


@pytest.mark.parametrize("use", [
    "An internal tool for our own staff runs on Quill to tag invoices.",
    "I use a note-taking app that another company built on Quill.",
    "We evaluate Quill on our laptops to compare it with other models.",
])
def test_no_product_offered_no_product_notice(checker, use):
    r = checker.check(use, license="quill")
    assert not any(f.category == "attribution" for f in r.findings if f.effect == "condition")


def test_offers_product_reads_the_product_not_the_word():
    assert offers_product(read_frame("our photo-tagging app runs on it and has many users"))
    assert not offers_product(read_frame("we read about apps and products in the news"))
