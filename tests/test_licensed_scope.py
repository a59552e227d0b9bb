"""*Scope of the licensed materials*: a definition that leaves named models out ("does not include the second
generation model Foo2-7B and later models") makes the text silent on them: a use naming one is unclear, whatever the
text's own bans and grants say. Synthetic license text written for these tests; real embedder, profiler, checker."""
from __future__ import annotations

import pytest

from agent.check.rules.grants import named_excluded_model

from .conftest import checker_over

SCOPED = ("1. Definitions. \"Model\" means the Quasar-7B model weights released under this license (does not include "
          "the second-generation model Quasar2-7B and subsequent models).\n\n2. Grant. You may use, copy, modify and "
          "distribute the Model for any purpose, including commercial purposes.\n\n3. Restrictions. You may not use "
          "the Model for any military purpose.\n")


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("licensed-scope"), {"quasar": SCOPED})


def test_the_profile_lists_the_models_left_out(checker):
    left_out = checker.profiler.profile("quasar").excluded_models
    assert [(m["name"], m["later"]) for m in left_out] == [("Quasar2-7B", True)]


@pytest.mark.parametrize("use", ["Can I ship Quasar2-7B inside my paid app?",
                                 "We want to fine-tune Quasar3-7B for customer support."])
def test_a_model_left_out_is_not_decided_by_this_text(checker, use):
    r = checker.check(use, license="quasar")
    assert r.verdict == "unclear"
    assert "out_of_scope" in [m.kind for m in r.missing]


def test_the_licensed_model_itself_is_decided_as_before(checker):
    assert checker.check("Can I ship Quasar-7B inside my paid app?", license="quasar").verdict == "allowed"
    assert checker.check("A navy unit fine-tunes Quasar-7B to plan missile strikes.", license="quasar").verdict == \
        "prohibited"


def test_a_size_after_a_hyphen_is_no_generation():
    left_out = [{"name": "Quasar2-7B", "later": True, "clause_id": "c"}]
    assert named_excluded_model("we use Quasar-7B", left_out) is None
    assert named_excluded_model("we use Quasar2-7B", left_out)["named"] == "Quasar2-7B"
