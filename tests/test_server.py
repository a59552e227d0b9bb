"""Against a real Chroma server on 127.0.0.1."""
import json

import pytest

from corpus.catalog import Corpus
from retrieval.indexer import run_index
from retrieval.search import Searcher
from retrieval.store import ClauseStore

from .conftest import FIXTURES, make_settings, run_cli

pytestmark = pytest.mark.server


def test_index_and_search_on_a_chroma_server(tmp_path, chroma_server):
    s = make_settings(tmp_path / "home", chroma_url=chroma_server)
    corpus = Corpus(s)
    corpus.add_user_text(FIXTURES / "acme-open-model.txt")
    report = run_index(s, corpus, only=["acme-open-model", "mit"])
    assert report.clauses_embedded > 10
    assert ClauseStore(s).count() == report.clauses_total
    assert not s.chroma_path.exists(), "no embedded store is created when a server is used"
    hits = Searcher(s).search("medical diagnosis", k=3)
    assert hits[0].clause_id == "acme-open-model#attachment-a.b"
    again = run_index(s, corpus, only=["acme-open-model", "mit"])
    assert again.clauses_embedded == 0

    r = run_cli("--chroma-url", chroma_server, "search", "weapons", "--json", "-k", "1", home=s.home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["clause_id"] == "acme-open-model#attachment-a.a"
