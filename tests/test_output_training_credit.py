"""*Credit for training on the outputs*: a license that owes a credit line for using the model or its outputs to
train another model (whether or not anything is shared), possibly written for one member of the family only (a
defined model name). Synthetic license texts written for these tests; real embedder, profiler and checker."""
from __future__ import annotations

import pytest

from agent.terms.profile import output_training_credit_reading

from .conftest import checker_over

BASE = ("1. Definitions. \"Model\" means the machine learning model distributed under this Agreement. \"Orbit "
        "Model\" means a multimodal Model shared under this Agreement.\n\n2. Grant. You may use, reproduce, modify and "
        "distribute the Model and Derivative Models for any purpose.\n\n")
# written for the family's multimodal member only
SCOPED = BASE + ("3. Credit. If you use an Orbit Model or its outputs to create, train, fine tune, or otherwise "
                 "improve an AI model, you will include \"Made with Orbit\" on a related website or in the product "
                 "documentation.\n")
# for every model under the text
UNSCOPED = BASE + ("3. Credit. Where you use the Model's outputs to train or improve another machine learning model, "
                   "you shall acknowledge the Model in that model's documentation.\n")
# owed only once the trained model is distributed: the naming term's, not this one
ON_DISTRIBUTION = BASE + ("3. Naming. If you use outputs of the Model to train an AI model, which is distributed or "
                          "made available, you shall include \"Orbit\" at the beginning of its name.\n")


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("output-credit"),
                        {"scoped": SCOPED, "unscoped": UNSCOPED, "on-distribution": ON_DISTRIBUTION})


def test_the_reading_finds_the_duty_and_its_scope():
    assert output_training_credit_reading(SCOPED, SCOPED) == {"scope": "Orbit Model", "modality": "multimodal"}
    assert output_training_credit_reading(UNSCOPED, UNSCOPED) == {"scope": "", "modality": ""}
    assert output_training_credit_reading(ON_DISTRIBUTION) is None
    assert output_training_credit_reading("You may use outputs for any purpose.") is None


TRAIN_ON_ORBIT = "Orbit renders synthetic warehouse scenes and we train our own detection model on them, used in-house."
TRAIN_ON_TEXT_MEMBER = ("We use the text-only model under this license to generate question-answer pairs and fine-tune "
                        "our own small model on them for internal search.")


def test_training_on_the_named_members_outputs_owes_the_credit(checker):
    r = checker.check(TRAIN_ON_ORBIT, license="scoped")
    assert r.verdict == "conditional"
    assert any(f.category == "attribution" and f.effect == "condition" for f in r.findings)


def test_another_member_of_the_family_owes_nothing(checker):
    r = checker.check(TRAIN_ON_TEXT_MEMBER, license="scoped")
    assert not any(f.category == "attribution" and f.effect == "condition" for f in r.findings)


def test_an_unscoped_credit_reaches_any_training_on_outputs(checker):
    assert checker.check(TRAIN_ON_TEXT_MEMBER, license="unscoped").verdict == "conditional"


def test_a_duty_owed_on_distribution_waits_for_distribution(checker):
    r = checker.check(TRAIN_ON_TEXT_MEMBER, license="on-distribution")
    assert not any(f.effect == "condition" for f in r.findings)
