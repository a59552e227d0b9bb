"""Every place that writes state goes through corpus/atomic.py: a write that fails part-way leaves the old
file as it was and no temporary file beside it (census parts and reports, the Hub listing, audit --fix,
the synthetic hub, the known-failures list)."""
from __future__ import annotations

import os
import stat

import pytest

from corpus.atomic import KEEP, SHARED, atomic_output, atomic_write

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
duckdb = pytest.importorskip("duckdb")

from agent.census import hub as census_hub  # noqa: E402
from agent.census import pipeline as census_pipeline  # noqa: E402
from agent.census.store import atomic_write_table, atomic_write_text  # noqa: E402
from corpus.errors import ModeltermsError  # noqa: E402
from evals import known_failures, synthetic_hub  # noqa: E402


def only(folder, name):
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_census_table_part(tmp_path):
    path = tmp_path / "part-000001.parquet"
    atomic_write_table(pa.table({"a": [1, 2]}), path)
    with pytest.raises(Exception):
        atomic_write_table("not a table", path)
    assert pq.read_table(path).column("a").to_pylist() == [1, 2]
    only(tmp_path, path.name)


def test_census_text(tmp_path):
    path = tmp_path / "report.md"
    atomic_write_text("old", path)
    with pytest.raises(TypeError):
        atomic_write_text(object(), path)
    assert path.read_text() == "old"
    only(tmp_path, path.name)


def test_census_duckdb_copy(tmp_path):
    path = tmp_path / "repos.parquet"
    con = duckdb.connect()
    census_pipeline._copy(con, "SELECT 1 AS a", path)
    with pytest.raises(duckdb.Error):
        census_pipeline._copy(con, "SELECT * FROM no_such_table", path)
    assert pq.read_table(path).column("a").to_pylist() == [1]
    only(tmp_path, path.name)


def test_hub_listing(tmp_path):
    path = tmp_path / "hub.jsonl"
    path.write_text("old\n")
    with pytest.raises(ModeltermsError):  # nothing listens on port 9: the listing fails at once
        census_hub.list_hub(path, "http://127.0.0.1:9", limit=5)
    assert path.read_text() == "old\n"
    only(tmp_path, path.name)


def test_synthetic_hub(tmp_path, monkeypatch):
    out = tmp_path / "hub.jsonl"
    synthetic_hub.write(out, 3)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    real = synthetic_hub.generate

    def half(n, **kw):
        for i, row in enumerate(real(n, **kw)):
            if i == 1:
                raise RuntimeError("generator failed")
            yield row

    monkeypatch.setattr(synthetic_hub, "generate", half)
    with pytest.raises(RuntimeError):
        synthetic_hub.write(out, 3)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_audit_fix_keeps_the_mode_and_the_old_file(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("old card\n")
    os.chmod(card, 0o640)
    atomic_write(card, "new card\n", KEEP)
    assert card.read_text() == "new card\n" and stat.S_IMODE(card.stat().st_mode) == 0o640

    def boom(f):
        f.write(b"half a card")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(card, boom, KEEP)
    assert card.read_text() == "new card\n"
    only(tmp_path, card.name)


def test_known_failures_write(tmp_path, monkeypatch):
    target = tmp_path / "known_failures.yaml"
    target.write_text("old: list\n")
    monkeypatch.setattr(known_failures, "path", lambda: target)
    monkeypatch.setattr(known_failures, "load", lambda: {})
    monkeypatch.setattr(known_failures, "rows_from_report", lambda p: [])

    def refuse(src, dst):  # the rename itself fails (a read-only mount, a full disk's metadata)
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        known_failures.main(["--write", "--from", str(tmp_path / "r.json")])
    assert target.read_text() == "old: list\n"
    only(tmp_path, target.name)


def test_atomic_output_modes(tmp_path):
    shared = tmp_path / "shared.txt"
    with atomic_output(shared, SHARED) as tmp:
        tmp.write_text("x")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o666 & ~umask
    private = tmp_path / "private.txt"
    atomic_write(private, "x")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
