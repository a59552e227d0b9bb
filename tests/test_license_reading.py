"""License-side reading of clause kinds the blind splits showed missed: sanctions and export control (use from,
transfer to, or hiding one's location around a sanctioned place), use policies incorporated in other words, duties
and bans on passing outputs on, duties phrased around distribution or publication, and sheets of several licences. Synthetic texts written for these tests, uses in
several wordings; real embedder, real profiler, real checker."""
from __future__ import annotations

import pytest

from agent.check.rules.regional import sanctioned_place_named
from agent.terms.profile import output_sharing_reading, sanctions_reading, summary_of_several

from .conftest import checker_over

GRANT = ("1. Grant. Subject to this License, you may use, copy, modify and distribute the Model and its "
         "derivatives for research.\n\n")
TEXTS = {
    # places not named: "a comprehensively sanctioned jurisdiction", "prohibited under export control laws"
    "trade-unnamed": GRANT + ("2. Trade Rules. You shall not: (i) access or obtain the Model while you reside in a "
                              "comprehensively sanctioned jurisdiction; (ii) send, export or otherwise transfer the "
                              "Model to any person or destination prohibited under export control laws; (iii) route "
                              "your connection through proxies or any other method to conceal your location.\n"),
    # the clause names its places: only those count
    "trade-named": GRANT + ("2. Export. You may not ship, provide or transfer the Model to Cuba or North Korea, or to "
                            "any destination embargoed by the United States.\n"),
    # a duty to obey trade laws forbids no place by itself
    "trade-comply": GRANT + "2. Laws. You shall comply with all applicable export and trade laws when you use the "
                            "Model.\n",
}


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("reading-home"), TEXTS)


def test_sanctions_clauses_are_read_as_what_they_ban():
    assert sanctions_reading("You will not hand the weights to anyone on a restricted parties list.")["sanctions"] == \
        ["transfer"]
    assert sanctions_reading("Users located in an embargoed country may not download it.")["sanctions"] == ["location"]
    assert sanctions_reading("Never mask your IP address to hide the country you are in.")["sanctions"] == ["disguise"]
    assert sanctions_reading("You must comply with export laws.") is None
    assert sanctions_reading("You may not make the Model available to third parties for the restricted uses.") is None


def test_the_profile_carries_the_sanctions_bans(checker):
    geo = checker.profiler.profile("trade-unnamed").terms["geo_restriction"]
    assert geo.attitude == "cannot"
    assert set(geo.params["sanctions"]) == {"location", "transfer", "disguise"}
    assert checker.profiler.profile("trade-named").terms["geo_restriction"].params["places"] == ["cuba", "north_korea"]
    assert "geo_restriction" not in checker.profiler.profile("trade-comply").terms


@pytest.mark.parametrize("use", [
    "a PhD student living in Damascus wants to fine-tune it for her dissertation",
    "we'd email the checkpoint to a partner university in Pyongyang",
    "our Iranian collaborators would run it on their own cluster",
])
def test_a_user_or_recipient_in_a_sanctioned_place_is_prohibited(checker, use):
    r = checker.check(use, license="trade-unnamed")
    assert r.verdict == "prohibited"
    assert any(f.reason.kind == "sanctioned_place" for f in r.findings)


@pytest.mark.parametrize("use", [
    "I'm travelling and will reach the download page through a VPN",
    "we access the model behind a proxy so the provider can't see which country we're in",
])
def test_hiding_ones_location_is_prohibited_where_the_clause_forbids_it(checker, use):
    r = checker.check(use, license="trade-unnamed")
    assert r.verdict == "prohibited"
    assert any(f.reason.kind == "location_disguise" for f in r.findings)


@pytest.mark.parametrize("use", [
    "a startup in Lisbon builds a writing assistant for its researchers",
    "a documentary team studies Cuban music history with it",
])
def test_no_sanctioned_place_no_sanctions_finding(checker, use):
    r = checker.check(use, license="trade-unnamed")
    assert not any(f.reason.kind in ("sanctioned_place", "location_disguise") for f in r.findings)


def test_a_clause_that_names_its_places_reaches_only_those(checker):
    inside = checker.check("a design studio in Havana wants a copy of the model", license="trade-named")
    assert inside.verdict == "prohibited"
    outside = checker.check("we send a copy to our office in Tehran", license="trade-named")
    assert not any(f.reason.kind == "sanctioned_place" for f in outside.findings)


def test_a_duty_to_obey_trade_laws_is_no_place_ban(checker):
    r = checker.check("a PhD student living in Damascus wants to fine-tune it for her dissertation",
                      license="trade-comply")
    assert not any(f.reason.kind == "sanctioned_place" for f in r.findings)


def test_where_a_use_puts_people():
    assert sanctioned_place_named("a lab based in Havana") == "Cuba"
    assert sanctioned_place_named("a history of the Syrian civil war for a class in Ohio") is None
    assert sanctioned_place_named("we are not in Iran") is None


# A use policy incorporated by reference in other words: "in accordance with <vendor>'s … terms, which are
# available at <link>"; the terms of a licence found at a link are no use policy.
REFERENCE_TEXTS = {
    "ref-accordance": GRANT + ("3. Ethics. Your deployment of the Model shall be in accordance with Acme's Responsible "
                               "AI terms, which are available at https://acme.example/rai-terms.\n"),
    "ref-licence-link": GRANT + ("3. Notices. Copies are distributed in accordance with the terms of the Apache License, "
                                 "which can be found at https://www.apache.org/licenses/LICENSE-2.0.\n"),
}


@pytest.fixture(scope="module")
def ref_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("reference-home"), REFERENCE_TEXTS)


def test_terms_incorporated_in_other_words_are_a_missing_policy(ref_checker):
    refs = ref_checker.profiler.profile("ref-accordance").references
    assert refs and not refs[0]["in_corpus"]
    assert refs[0]["policy"] == "Acme's Responsible AI terms"
    assert refs[0]["url"] == "https://acme.example/rai-terms"
    r = ref_checker.check("an infantry battalion wants it to plan supply convoys", license="ref-accordance")
    assert r.verdict == "unclear"
    assert any(m.kind == "policy" for m in r.missing)


def test_an_ordinary_use_stays_allowed_beside_a_missing_policy(ref_checker):
    assert ref_checker.check("a bakery writes descriptions for its menu", license="ref-accordance").verdict == "allowed"


def test_a_licence_found_at_a_link_is_no_use_policy(ref_checker):
    assert not ref_checker.profiler.profile("ref-licence-link").references


# Duties and bans on passing outputs on, and duties phrased around distribution or publication.
SHARING_TEXTS = {
    "out-duty": GRANT + ("4. Generated Material. Whenever you share outputs of the Model with others, you must state "
                         "that they were produced by an AI system.\n"),
    "out-ban": GRANT + ("4. Generated Material. You shall not publish or otherwise disseminate the outputs, in whole or "
                        "in part.\n"),
    "split-available": ("1. Grant. You may use, copy and modify the Model.\n\n2. Notices. If you distribute or make the "
                        "Model, or any modified version of it, available to other parties, you shall give them a copy "
                        "of this agreement.\n"),
    "credit-results": GRANT + ("4. Credit. Any publication of findings obtained with the Model shall name the Model and "
                               "its version.\n"),
}


@pytest.fixture(scope="module")
def sharing_checker(tmp_path_factory):
    return checker_over(tmp_path_factory.mktemp("sharing-home"), SHARING_TEXTS)


def test_output_sharing_clauses_are_read():
    assert output_sharing_reading("If you distribute any outputs, you must label them as synthetic.") == "duty"
    assert output_sharing_reading("You may not share the outputs with anyone.") == "forbidden"
    assert output_sharing_reading("You may not distribute outputs except under this license.") is None
    assert output_sharing_reading("You will not use the outputs to train other models.") is None


@pytest.mark.parametrize("use", ["we release a dataset of product blurbs the model generated on a public data hub",
                                 "posting the illustrations it makes on our online gallery"])
def test_publishing_outputs_meets_the_output_duty_or_ban(sharing_checker, use):
    assert sharing_checker.check(use, license="out-duty").verdict == "conditional"
    assert sharing_checker.check(use, license="out-ban").verdict == "prohibited"


def test_using_outputs_privately_meets_neither(sharing_checker):
    r = sharing_checker.check("an analyst reads the summaries it writes and never publishes them", license="out-ban")
    assert r.verdict != "prohibited"


def test_a_duty_for_making_the_model_available_reaches_a_hub_upload(sharing_checker):
    r = sharing_checker.check("we put our fine-tuned version up as open weights on a public model hub",
                              license="split-available")
    assert r.verdict == "conditional"


def test_publishing_results_meets_a_credit_duty(sharing_checker):
    r = sharing_checker.check("I'll post the benchmark scores I measured with it on my blog", license="credit-results")
    assert r.verdict == "conditional"


def _sheet(names: list[str]) -> str:
    rows = ["| Use the model commercially | {} |", "| Share modified versions   | {} |", "| Train models on outputs   | {} |"]
    parts = ["Licence comparison sheet", ""]
    for i, name in enumerate(names):
        parts += [f"## {name}", "+----------------------------+---+"]
        for r in rows:
            parts += [r.format("yes" if i % 2 else "no"), "+----------------------------+---+"]
        parts.append("")
    return "\n".join(parts)


def test_a_sheet_of_several_licences_is_not_one_licence(tmp_path):
    assert summary_of_several(_sheet(["Alpha Open Licence", "Alpha Research Licence", "Alpha NC Licence"]))
    one = GRANT * 10 + "Appendix: what this licence allows\n" + _sheet(["Summary"]).split("## Summary", 1)[1]
    assert not summary_of_several(one)
    sheet = _sheet(["Alpha Open Licence", "Alpha Research Licence", "Alpha NC Licence"])
    r = checker_over(tmp_path, {"alpha-sheet": sheet}, titled=False).check("we sell a chatbot built on it",
                                                                            license="alpha-sheet")
    assert r.verdict == "unclear"
    assert any(m.kind == "not_one_license" for m in r.missing)
