import json

import pytest

from corpus.errors import ModeltermsError
from retrieval.search import Searcher

from .conftest import run_cli


@pytest.fixture(scope="module")
def searcher(indexed):
    return Searcher(indexed)


def test_fused_search_finds_the_restriction(searcher):
    hits = searcher.search("may I use it for autonomous weapons or military targeting?", k=3)
    assert hits[0].clause_id == "acme-open-model#attachment-a.a"
    assert hits[0].license == "acme-open-model"
    assert "Attachment A" in hits[0].section


@pytest.mark.parametrize("mode", ["dense", "lexical", "fused"])
def test_every_mode_ranks_the_obvious_clause_first(searcher, mode):
    hits = searcher.search("track the location of individuals without consent", k=5, mode=mode)
    assert hits and hits[0].clause_id == "acme-open-model#attachment-a.c"


def test_filters(searcher):
    hits = searcher.search("harassment", k=10, license="gemma-pup-2024-02-21")
    assert hits and {h.license for h in hits} == {"gemma-pup-2024-02-21"}
    aup = searcher.search("harassment and bullying", k=10, kind="aup")
    assert aup and all(searcher.licenses[h.license]["kind"] == "aup" for h in aup)
    assert len(searcher.search("license", k=2)) == 2


def test_quotes_are_verbatim_offsets(searcher, indexed):
    from corpus.catalog import Corpus

    corpus = Corpus(indexed)
    for h in searcher.search("monthly active users", k=10):
        assert corpus.get(h.license).text[h.start:h.end] == h.text


def test_bad_queries(searcher):
    with pytest.raises(ModeltermsError, match="empty"):
        searcher.search("   ")
    with pytest.raises(ModeltermsError, match="not in the index"):
        searcher.search("x", license="apache-2.0")


def test_cli_json_contract(indexed):
    r = run_cli("search", "medical", "diagnosis", "-k", "3", "--json", home=indexed.home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert len(data["results"]) == 3
    for item in data["results"]:
        assert {"license", "clause_id", "section", "score", "text"} <= set(item)
        assert item["clause_id"].startswith(item["license"] + "#")
    assert data["results"][0]["clause_id"] == "acme-open-model#attachment-a.b"


def test_cli_human_output_and_filters(indexed):
    r = run_cli("search", "surveillance of faces", "--kind", "aup", "-k", "2", home=indexed.home)
    assert r.returncode == 0, r.stderr
    assert "river-data-policy#prohibited-uses.3" in r.stdout
