"""The index's snapshot of a text's clause vectors (retrieval/vector_cache.py IndexSnapshot): a fresh process
reads a profiled text's vectors from it without opening Chroma, gets exactly the store's vectors, and never
reads a snapshot of another version of the text or keeps a partial answer. Real store, real model."""
from __future__ import annotations

import dataclasses

import numpy as np

from agent.check import Checker
from agent.deps import Deps
from agent.terms.features import clause_vectors, license_features
from corpus.catalog import Corpus
from retrieval.indexer import clauses_for, index_hash
from retrieval.store import open_store
from retrieval.vector_cache import IndexSnapshot


def _opening(store, log):
    def open_it():
        log.append("opened")
        return store
    return open_it


def test_a_second_read_comes_from_the_snapshot_and_equals_the_store(indexed):
    entry = Corpus(indexed).get("mit")
    clauses = clauses_for(entry, indexed)
    ids = [c.id for c in clauses]
    snap = IndexSnapshot(indexed.index_dir, "mit")
    snap.remove()
    store, log = open_store(indexed), []
    first = clause_vectors(entry, clauses, indexed, _opening(store, log))
    assert log == ["opened"] and snap.path.is_file()
    stored = store.vectors(ids, content_hash=index_hash(entry, indexed))
    assert np.array_equal(first, np.stack([stored[i] for i in ids]))
    second = clause_vectors(entry, clauses, indexed, _opening(store, log))
    assert log == ["opened"]  # the store was not opened again
    assert second.dtype == first.dtype and np.array_equal(second, first)


def test_a_snapshot_of_another_version_of_the_text_is_not_read(indexed):
    entry = Corpus(indexed).get("mit")
    clauses = clauses_for(entry, indexed)
    ids, version = [c.id for c in clauses], index_hash(entry, indexed)
    snap = IndexSnapshot(indexed.index_dir, "mit")
    snap.write(clauses, np.zeros((len(ids), 384), dtype=np.float32), "an older text:" + version)
    assert snap.read(version) is None and snap.read("an older text:" + version) is not None
    store, log = open_store(indexed), []
    vecs = clause_vectors(entry, clauses, indexed, _opening(store, log))
    assert log == ["opened"] and np.abs(vecs).sum() > 0
    kept_clauses, kept_vectors = snap.read(version)  # rewritten from the store
    assert kept_clauses == clauses and np.array_equal(kept_vectors, vecs)


def test_features_from_the_snapshot_equal_features_from_the_store_and_a_fresh_segmentation(indexed):
    """Same clauses (texts verbatim, offsets, paths), same vectors, same features, without the store."""
    entry = Corpus(indexed).get("llama-3.1-license-2024")
    store = open_store(indexed)
    IndexSnapshot(indexed.index_dir, entry.key).remove()
    fresh = license_features(entry, indexed, store)
    log = []
    again = license_features(entry, indexed, _opening(store, log))
    assert log == []
    assert [f.clause for f in again] == [f.clause for f in fresh] == clauses_for(entry, indexed)
    assert all(entry.text[f.clause.start:f.clause.end] == f.clause.text for f in again)
    for a, b in zip(again, fresh):
        assert np.array_equal(a.vector, b.vector) and np.array_equal(a.sims, b.sims)
        assert np.array_equal(a.hits, b.hits) and a.flags == b.flags and a.context == b.context


def test_no_snapshot_without_the_store_whole_answer(settings):
    """A text the index lacks is embedded on the fly; nothing is kept that the index does not hold."""
    entry = Corpus(settings).get("mit")
    clauses = clauses_for(entry, settings)
    vecs = clause_vectors(entry, clauses, settings, lambda: None)
    assert vecs.shape == (len(clauses), 384)
    assert not IndexSnapshot(settings.index_dir, "mit").path.exists()


def test_a_cold_check_of_snapshotted_texts_opens_no_store(indexed):
    use = "a support bot for our 2M-user app"
    first = Checker(Deps(indexed)).check(use, license="llama-3.1-license-2024")
    deps = Deps(indexed)
    again = Checker(deps).check(use, license="llama-3.1-license-2024")
    assert not deps.built("store")
    assert dataclasses.asdict(again) == dataclasses.asdict(first)
