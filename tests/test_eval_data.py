"""The hand-made evaluation data stays consistent with the taxonomy and with the current clause segmentation.

Annotations and use cases cite clause ids; a segmenter change that renames a clause must fail here, not
silently lower a score.
"""
from functools import lru_cache

import pytest

from corpus import taxonomy
from corpus.catalog import Corpus
from evals import data
from evals.retrieval import load_queries
from retrieval.clauses import segment


@lru_cache(maxsize=1)
def _clause_ids(settings_key: str = "default") -> dict[str, set[str]]:
    from corpus.settings import Settings

    s = Settings.from_env({})
    c = Corpus(s)
    return {k: {cl.id for cl in segment(k, c.get(k).text, s.max_clause_tokens, s.clause_overlap_tokens)}
            for k in c.builtin_keys()}


def test_taxonomy_is_valid():
    assert taxonomy.validate() == []


def test_annotations_and_use_cases_cite_existing_clauses():
    assert data.validate(_clause_ids()) == []


def test_eval_set_is_large_enough():
    anns = data.annotations()
    assert len(anns) >= 35
    cases = data.usecases()
    assert len(cases) >= 200
    assert {c["verdict"] for c in cases} == {"prohibited", "conditional", "allowed", "unclear"}


def test_retrieval_gold_ids_exist():
    ids = _clause_ids()
    every = set().union(*ids.values())
    queries = load_queries()
    assert len(queries) >= 40
    for q in queries:
        if q.get("license"):
            assert q["license"] in ids, q["id"]
        for gold in q["gold"]:
            assert gold in every, f"{q['id']}: {gold}"


def test_validate_catches_a_broken_reference():
    ids = _clause_ids()
    key = next(iter(data.annotations()))
    broken = dict(ids)
    broken[key] = set()
    problems = data.validate(broken)
    assert problems and any(key in p for p in problems)


@pytest.mark.parametrize("key", sorted(data.annotations()))
def test_annotation_terms_are_known(key):
    terms = taxonomy.load_taxonomy()
    for tid, t in data.annotations()[key]["terms"].items():
        assert tid in terms
        assert t["attitude"] in taxonomy.ATTITUDES
