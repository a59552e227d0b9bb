"""The exemplar bank for the category layer: shape, facets, counts and independence of its entries."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import exemplars
from corpus.exemplars import FACETS, Exemplar, ExemplarSet, NearMiss, load_exemplars, validate
from corpus.taxonomy import load_taxonomy


def test_bank_is_sound():
    assert validate() == []


def test_loader_returns_typed_sets_named_after_behavioural_terms():
    bank = load_exemplars()
    assert bank, "no exemplar files found under corpus/exemplars/"
    terms = load_taxonomy()
    for name, ex in bank.items():
        assert isinstance(ex, ExemplarSet) and ex.term == name
        assert terms[name].group == "behavioural"
        assert all(isinstance(p, Exemplar) and p.facet in FACETS for p in ex.positives)
        assert all(isinstance(n, NearMiss) and n.why for n in ex.near_misses)


def test_no_positive_of_one_term_is_a_positive_of_another():
    owners: dict[str, str] = {}
    for name, ex in load_exemplars().items():
        for p in ex.positives:
            key = " ".join(p.use.lower().split())
            assert owners.setdefault(key, name) == name, f"{p.use!r} is a positive of {owners[key]} and {name}"


def _write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def _good_file(term: str, tag: str) -> str:
    lines = [f"term: {term}", "positives:"]
    for facet in FACETS:
        for i in range(8):
            lines.append(f'  - {{use: "{tag} plan number {i} for the {facet} facet here", facet: {facet}}}')
    lines.append("near_misses:")
    for i in range(exemplars.MIN_NEAR_MISSES):
        lines.append(f'  - {{use: "{tag} allowed use number {i} sharing words", why: "it only shares words"}}')
    return "\n".join(lines) + "\n"


def test_validator_accepts_a_sound_bank(tmp_path):
    _write(tmp_path, "military_weapons", _good_file("military_weapons", "alpha"))
    _write(tmp_path, "medical_advice", _good_file("medical_advice", "beta"))
    assert validate(tmp_path) == []


@pytest.mark.parametrize("mutate, expected", [
    (lambda t: t.replace("facet: actor}", "facet: person}", 1), "unknown facet 'person'"),
    (lambda t: t.replace("term: medical_advice", "term: medical_advise"), "not a taxonomy term"),
    (lambda t: t.replace("facet: object}", "facet: actor}"), "0 positives of facet object"),
    (lambda t: "\n".join(l for l in t.splitlines() if "number 7 for" not in l and "number 6 for" not in l) + "\n",
     "positives, at least"),
    (lambda t: t.replace("beta allowed use number 3 sharing words", "Alpha plan number 0 for the  direct facet here."),
     "military_weapons:positive 'alpha plan number 0 for the direct facet here' duplicates medical_advice:near miss"),
    (lambda t: t.replace('"beta plan number 2 for the sector facet here"', '"too short"'), "has 2 words"),
    (lambda t: t.replace('why: "it only shares words"', 'why: " "', 1), "has no reason"),
])
def test_validator_reports_each_defect(tmp_path, mutate, expected):
    _write(tmp_path, "military_weapons", _good_file("military_weapons", "alpha"))
    _write(tmp_path, "medical_advice", mutate(_good_file("medical_advice", "beta")))
    problems = validate(tmp_path)
    assert any(expected in p for p in problems), problems


def test_validator_reports_a_copied_taxonomy_use(tmp_path):
    copied = load_taxonomy()["medical_advice"].uses[0]
    text = _good_file("medical_advice", "beta").replace("beta plan number 0 for the direct facet here", copied)
    _write(tmp_path, "medical_advice", text)
    assert any("taxonomy.yaml:medical_advice:uses" in p for p in validate(tmp_path))


def test_validator_reports_a_term_that_is_not_behavioural(tmp_path):
    _write(tmp_path, "noncommercial", _good_file("noncommercial", "gamma"))
    assert any("not a behavioural term" in p for p in validate(tmp_path))


def test_malformed_file_is_one_clear_error(tmp_path):
    _write(tmp_path, "minors", "term: minors\npositives:\n  - {facet: direct}\n")
    with pytest.raises(ValueError, match="minors.yaml: an entry lacks a field"):
        load_exemplars(tmp_path)
