"""A license duty scoped to one named model family (issue 11, licence-side class 4): a text that defines a family
among its models ("'Aurora Model' means a video-generation Model released under this License") and attaches a
duty to it ("if you … use an Aurora Model or its outputs to train an AI model, you must include 'Made with
Aurora'") owes that duty for a use of that family, and not for another model under the same text.

Synthetic text written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from .conftest import checker_over

TEXTS = {
    "family-duty": (
        "1. Definitions. \"Model\" means any machine learning model released by Northwind under this License. "
        "\"Aurora Model\" means a video-generation Model released under this License.\n\n"
        "2. Grant. Subject to this License, you may use, copy, modify and distribute the Models and their "
        "derivatives for any purpose, including commercial purposes. Northwind claims no rights in outputs.\n\n"
        "3. Aurora credit. If you distribute an Aurora Model, offer a product or service that contains or uses "
        "an Aurora Model, or use an Aurora Model or its outputs to create, train or improve an AI model, you "
        "will include \"Made with Aurora\" on a related website, user interface or product documentation.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("family-home"), TEXTS)


def test_the_profile_reads_the_family_duty(checker):
    scoped = checker.profiler.profile("family-duty").family_duties
    assert [d["family"] for d in scoped] == ["Aurora"]


@pytest.mark.parametrize("use", [
    "We render ten thousand clips with Aurora-2-Video and train the vision network of the drones we sell on them.",
    "farm-robot startup: aurora makes synthetic field footage, our weed detector learns from it",
])
def test_a_use_of_the_family_owes_its_duty(checker, use):
    r = checker.check(use, license="family-duty")
    assert r.verdict == "conditional"
    assert any("Aurora" in f.quote and f.effect == "condition" for f in r.findings)


@pytest.mark.parametrize("use", [
    "We have Northwind's Lumen text model write FAQ answers and fine-tune our own small chatbot on them.",
    "Our shop runs the Lumen-7B model (not an Aurora model) to tag product photos.",
])
def test_another_member_of_the_text_owes_no_family_duty(checker, use):
    r = checker.check(use, license="family-duty")
    assert not any("Aurora" in f.quote and f.effect == "condition" for f in r.findings)
