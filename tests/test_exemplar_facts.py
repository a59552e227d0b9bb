"""The use-fact exemplar bank (corpus/exemplars/facts/*.yaml): shape, counts, no duplicates or contradictions."""
from __future__ import annotations

import pytest

from corpus.exemplars import (FACTS, MAX_WORDS, MIN_FACT_NEAR_MISSES, MIN_FACT_POSITIVES, MIN_WORDS, load_facts,
                              validate_facts)


def test_every_fact_has_a_file_and_the_bank_is_sound():
    assert set(load_facts()) == set(FACTS)
    assert validate_facts() == []


@pytest.mark.parametrize("fact", FACTS)
def test_fact_counts_and_shape(fact):
    ex = load_facts()[fact]
    assert ex.term == fact
    assert len(ex.positives) >= MIN_FACT_POSITIVES
    assert len(ex.near_misses) >= MIN_FACT_NEAR_MISSES
    assert all(MIN_WORDS <= len(e.use.split()) <= MAX_WORDS for e in (*ex.positives, *ex.near_misses))
    assert all(n.why.strip() for n in ex.near_misses)


@pytest.mark.parametrize("fact", FACTS)
def test_no_use_is_both_a_positive_and_a_near_miss(fact):
    ex = load_facts()[fact]
    assert not {p.use.lower() for p in ex.positives} & {n.use.lower() for n in ex.near_misses}


def test_validation_reports_a_thin_duplicated_or_unknown_file(tmp_path):
    (tmp_path / "hosting.yaml").write_text(
        "fact: hosting\npositives:\n"
        "  - {use: serve the model over an API to paying customers, facet: activity}\n"
        "  - {use: Serve the model over an API to paying customers., facet: activity}\n"
        "near_misses:\n  - {use: run the model on my own laptop offline, why: ''}\n", encoding="utf-8")
    (tmp_path / "weather.yaml").write_text("fact: climate\npositives: []\nnear_misses: []\n", encoding="utf-8")
    problems = validate_facts(tmp_path)
    assert any("hosting.yaml: 2 positives" in p for p in problems)
    assert any("hosting.yaml: 1 near misses" in p for p in problems)
    assert any("duplicates" in p for p in problems)
    assert any("has no reason" in p for p in problems)
    assert any("'climate' is not a use fact" in p for p in problems)
    assert any("file name says 'weather'" in p for p in problems)


def test_a_fact_file_without_its_fact_key_is_one_clear_error(tmp_path):
    (tmp_path / "hosting.yaml").write_text("term: hosting\npositives: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping with 'fact'"):
        load_facts(tmp_path)
