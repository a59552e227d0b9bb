"""What the index holds, in SQLite beside the vectors: licenses with their content hash, and clauses.

A license counts as indexed only once its row is committed here, which happens after its
vectors are in Chroma. A run killed in between leaves vectors without a row: search ignores
them (they are not in the manifest) and the next run deletes and re-embeds that license.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from .clauses import Clause

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE IF NOT EXISTS licenses (
  key TEXT PRIMARY KEY, name TEXT, kind TEXT, source TEXT, content_hash TEXT,
  n_clauses INTEGER, indexed_at REAL);
CREATE TABLE IF NOT EXISTS clauses (
  id TEXT PRIMARY KEY, license TEXT, path TEXT, title TEXT, section TEXT,
  start INTEGER, "end" INTEGER, tokens INTEGER, text TEXT, seq INTEGER);
CREATE INDEX IF NOT EXISTS clauses_license ON clauses(license);
"""


class Manifest:
    def __init__(self, path: Path, create: bool = True):
        """`create=False` (readers): a missing manifest reads as an empty one and nothing is created on
        disk, so looking at an index that was never built leaves no empty index folder behind."""
        self.path = path
        if not create and not path.is_file():
            self.db = sqlite3.connect(":memory:")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(_SCHEMA)

    def close(self):
        self.db.close()

    # --- reads -------------------------------------------------------------
    def generation(self) -> int:
        row = self.db.execute("SELECT v FROM meta WHERE k='generation'").fetchone()
        return int(row[0]) if row else 0

    def hashes(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, content_hash FROM licenses"))

    def licenses(self) -> list[dict]:
        cur = self.db.execute("SELECT key, name, kind, source, content_hash, n_clauses, indexed_at FROM licenses ORDER BY key")
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def total_clauses(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM clauses").fetchone()[0]

    def clauses(self, license: str | None = None) -> list[dict]:
        sql = 'SELECT id, license, path, title, section, start, "end", tokens, text FROM clauses'
        args: tuple = ()
        if license:
            sql += " WHERE license=?"
            args = (license,)
        cur = self.db.execute(sql + " ORDER BY license, seq", args)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row)) for row in cur]

    def clause(self, clause_id: str) -> dict | None:
        cur = self.db.execute('SELECT id, license, path, title, section, start, "end", tokens, text FROM clauses WHERE id=?', (clause_id,))
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    # --- writes (each one transaction) -------------------------------------
    def commit_license(self, key: str, name: str, kind: str, source: str, content_hash: str, clauses: list[Clause]):
        with self.db:
            self.db.execute("DELETE FROM clauses WHERE license=?", (key,))
            self.db.executemany(
                'INSERT INTO clauses (id, license, path, title, section, start, "end", tokens, text, seq) VALUES (?,?,?,?,?,?,?,?,?,?)',
                [(c.id, key, c.path, c.title, c.section, c.start, c.end, c.tokens, c.text, i) for i, c in enumerate(clauses)])
            self.db.execute("INSERT OR REPLACE INTO licenses VALUES (?,?,?,?,?,?,?)",
                            (key, name, kind, source, content_hash, len(clauses), time.time()))
            self._bump()

    def remove_license(self, key: str):
        with self.db:
            self.db.execute("DELETE FROM clauses WHERE license=?", (key,))
            self.db.execute("DELETE FROM licenses WHERE key=?", (key,))
            self._bump()

    def reset(self):
        with self.db:
            self.db.execute("DELETE FROM clauses")
            self.db.execute("DELETE FROM licenses")
            self._bump()

    def _bump(self):
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(self.generation() + 1),))
