"""The use-fact exemplar bank (corpus/exemplars/facts/*.yaml): shape, counts, no duplicates or contradictions."""
from __future__ import annotations

import pytest

from corpus.exemplars import FACTS, MIN_FACT_NEAR_MISSES, MIN_FACT_POSITIVES, load_facts, validate_facts


def test_every_fact_has_a_file_and_the_bank_is_sound():
    facts = load_facts()
    assert set(facts) == set(FACTS)
    assert validate_facts() == []


@pytest.mark.parametrize("fact", FACTS)
def test_fact_counts_and_shape(fact):
    ex = load_facts()[fact]
    assert ex.term == fact
    assert len(ex.positives) >= MIN_FACT_POSITIVES
    assert len(ex.near_misses) >= MIN_FACT_NEAR_MISSES
    assert all(len(p.use.split()) >= 5 for p in ex.positives)
    assert all(n.why for n in ex.near_misses)


@pytest.mark.parametrize("fact", FACTS)
def test_no_use_is_both_a_positive_and_a_near_miss(fact):
    ex = load_facts()[fact]
    pos = {p.use.lower() for p in ex.positives}
    assert not pos & {n.use.lower() for n in ex.near_misses}


def test_validation_reports_a_thin_or_duplicated_file(tmp_path):
    (tmp_path / "hosting.yaml").write_text(
        "fact: hosting\npositives:\n  - {use: serve it over an API to paying customers}\n"
        "  - {use: Serve it over an API to paying customers}\nnear_misses: []\n", encoding="utf-8")
    problems = validate_facts(tmp_path)
    assert any("positives, need" in p for p in problems)
    assert any("near misses, need" in p for p in problems)
    assert any("duplicate use" in p for p in problems)
