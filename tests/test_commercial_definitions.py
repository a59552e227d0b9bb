"""Definitions of commercial and non-commercial use read as the license writes them (issue 11, licence-side classes):

- *registration before commercial use*: commercial use opened only after sending a form, registering or obtaining
  a (free) commercial license is a condition, however the steps are worded;
- *non-production use*: a definition of the permitted use that includes a company's testing or evaluation in a
  non-production environment lets a company try the model in a sandbox or staging setup.

Synthetic texts written for these tests; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives.\n\n")
TEXTS = {
    "form-first": GRANT + ("2. Commercial Use. If you wish to use the Model for commercial purposes, please fill "
                           "in the Commercial Application Form on our website and email the completed form to "
                           "licensing@example.org to receive the license for commercial purposes at no charge.\n"),
    "nc-eval": ("1. Definitions. \"Non-Commercial Purpose\" means (a) personal, academic or hobby use, and (b) use "
                "by a business for internal testing and evaluation in a non-production environment; any use in a "
                "product or to generate revenue is not a Non-Commercial Purpose.\n\n"
                "2. Grant. You may use and modify the Model solely for your Non-Commercial Purposes. You may not use "
                "the Model for any commercial purpose.\n"),
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("definitions-home"), TEXTS)


@pytest.mark.parametrize("use", [
    "Our law firm would use the model to draft client letters that we invoice.",
    "a travel agency wants it writing the itineraries it sells",
])
def test_commercial_use_after_a_form_is_a_condition(checker, use):
    r = checker.check(use, license="form-first")
    assert r.verdict == "conditional"
    assert any(f.category == "registration" for f in r.findings)


def test_non_commercial_use_owes_no_form(checker):
    r = checker.check("I'm a retired teacher playing with the model at home to write poems for my grandchildren.",
                      license="form-first")
    assert not any(f.category == "registration" for f in r.findings)


@pytest.mark.parametrize("use", [
    "Our insurance company's data team will trial the model on a staging server for a month before deciding "
    "whether to license it.",
    "A logistics firm wants to run the model in an isolated test environment to compare it with two others.",
])
def test_company_testing_in_a_non_production_setting_is_admitted(checker, use):
    r = checker.check(use, license="nc-eval")
    assert r.verdict != "prohibited"


def test_company_use_in_production_stays_prohibited(checker):
    r = checker.check("Our logistics firm wants the model in the customer portal we sell.", license="nc-eval")
    assert r.verdict == "prohibited"
