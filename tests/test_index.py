"""Indexing: incremental by content hash, and safe against failures and kills."""
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from corpus.catalog import Corpus
from retrieval.indexer import open_manifest, run_index
from retrieval.search import Searcher
from retrieval.store import ClauseStore

from .conftest import FIXTURES, make_settings


def consistent(settings):
    """The store holds exactly the manifest's clauses."""
    m = open_manifest(settings)
    try:
        ids = {row["id"] for row in m.clauses()}
        hashes = m.hashes()
    finally:
        m.close()
    store = ClauseStore(settings)
    for key in hashes:
        assert set(store.license_ids(key)) == {i for i in ids if i.startswith(key + "#")}, key
    assert store.count() == len(ids)
    return len(ids)


def test_reindex_of_unchanged_corpus_embeds_nothing(indexed):
    m = open_manifest(indexed)
    keys = list(m.hashes())
    m.close()
    report = run_index(indexed, Corpus(indexed), only=keys)
    assert report.clauses_embedded == 0 and not report.licenses_indexed
    assert "up to date" in report.summary()
    consistent(indexed)


def test_changed_text_is_reembedded_alone(tmp_path):
    s = make_settings(tmp_path / "home")
    corpus = Corpus(s)
    for f in FIXTURES.glob("*"):
        corpus.add_user_text(f)
    first = run_index(s, corpus, only=corpus.user_keys())
    assert len(first.licenses_indexed) == 3
    edited = tmp_path / "zephyr-research.txt"
    edited.write_text((FIXTURES / "zephyr-research.txt").read_text() + "\n4. Export. No export to embargoed countries.\n")
    corpus.add_user_text(edited)
    second = run_index(s, corpus, only=corpus.user_keys())
    assert second.licenses_indexed == ["zephyr-research"]
    assert consistent(s) == first.clauses_total + 1


def test_failure_midway_leaves_a_usable_index_and_the_next_run_completes(tmp_path, monkeypatch):
    s = make_settings(tmp_path / "home")
    corpus = Corpus(s)
    for f in FIXTURES.glob("*"):
        corpus.add_user_text(f)
    calls = {"n": 0}
    real_upsert = ClauseStore.upsert

    def flaky_upsert(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C while the 2nd license was written
        return real_upsert(self, *a, **kw)

    monkeypatch.setattr(ClauseStore, "upsert", flaky_upsert)
    with pytest.raises(KeyboardInterrupt):
        run_index(s, corpus, only=corpus.user_keys())
    monkeypatch.setattr(ClauseStore, "upsert", real_upsert)

    m = open_manifest(s)
    committed = set(m.hashes())
    m.close()
    assert len(committed) == 1
    hits = Searcher(s).search("spam", k=20)
    assert hits and {h.license for h in hits} <= committed

    report = run_index(s, corpus, only=corpus.user_keys())
    assert len(report.licenses_indexed) == 2
    consistent(s)


@pytest.mark.slow
def test_killed_index_run_recovers_without_duplicates(tmp_path):
    home = tmp_path / "home"
    s = make_settings(home)
    keys = Corpus(s).builtin_keys()[:24]
    cmd = [sys.executable, "-m", "ui.cli", "--home", str(home), "index"] + [a for k in keys for a in ("--key", k)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    manifest_path = s.index_dir / "manifest.sqlite"
    deadline = time.time() + 240
    committed = 0
    while time.time() < deadline and proc.poll() is None:
        if manifest_path.exists():
            try:
                with sqlite3.connect(manifest_path, timeout=1) as db:
                    committed = db.execute("SELECT COUNT(*) FROM licenses").fetchone()[0]
            except sqlite3.Error:
                committed = 0
            if committed >= 1:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "index finished before it could be killed; use more keys"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 1 <= committed < len(keys)

    hits = Searcher(s).search("use restrictions", k=5)  # usable as it is
    assert hits
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    m = open_manifest(s)
    assert set(m.hashes()) == set(keys)
    m.close()
    consistent(s)
