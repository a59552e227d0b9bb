"""Hybrid clause search: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from corpus.catalog import Corpus
from corpus.errors import ModeltermsError
from corpus.settings import Settings

from . import lexical
from .embed import load_embedder
from .consistency import repair
from .indexer import open_manifest
from .store import ClauseStore, open_store

MODES = ("fused", "dense", "lexical")
_RRF_K = 60  # the usual constant of reciprocal rank fusion; damps the weight of top ranks


@dataclass
class Hit:
    license: str
    clause_id: str
    section: str
    score: float
    text: str
    title: str = ""
    start: int = 0
    end: int = 0

    def as_json(self) -> dict:
        d = asdict(self)
        return {k: d[k] for k in ("license", "clause_id", "section", "score", "text", "title", "start", "end")}


class Searcher:
    """Loads the index once; `search` is then cheap and can be called many times."""

    def __init__(self, settings: Settings, store: ClauseStore | None = None, corpus: Corpus | None = None,
                 embedder: Callable[[], object] | None = None):
        """`embedder()` gives the model for dense queries (asked for only then; by default the settings' model)."""
        self.settings = settings
        # The store first: an unreachable server is reported as such (not as an empty index), and a
        # bad URL never gets an index folder.
        self.store = store or open_store(settings, required=True)
        # A user text replaced or removed behind the index's back is re-indexed (or dropped) now;
        # while another command holds the lock, its clauses are left out instead of served stale.
        self.inconsistent = repair(settings, corpus or Corpus(settings), self.store)
        skip = set() if self.inconsistent.repaired else self.inconsistent.keys
        manifest = open_manifest(settings, create=False)
        try:
            rows = manifest.licenses()
            self.licenses = {row["key"]: row for row in rows if row["key"] not in skip}
            if not self.licenses:
                raise ModeltermsError("the index is empty: run `modelterms index` first")
            self.clauses = {row["id"]: row for row in manifest.clauses() if row["license"] not in skip}
            kinds = {row["key"]: row["kind"] for row in rows}
            # Clauses left out above stay in the BM25 index but are dropped from its results (_lexical).
            self.lexical = lexical.load_or_build(settings.index_dir / "lexical.pkl", manifest.generation(),
                                                 manifest.clauses, kinds)
        finally:
            manifest.close()
        self._embedder = None
        self._embedder_source = embedder

    @property
    def embedder(self):
        """Loaded on the first dense query (seconds), not before a query has been checked."""
        if self._embedder is None:
            self._embedder = (self._embedder_source() if self._embedder_source is not None
                              else load_embedder(self.settings.embedding, self.settings.embed_batch_size))
        return self._embedder

    def search(self, query: str, k: int = 5, license: str | None = None, kind: str | None = None,
               mode: str = "fused", pool: int = 50, vector: np.ndarray | None = None) -> list[Hit]:
        """`vector`: the query's embedding when the caller has it already (batch-embedded queries)."""
        query = check_query(query)
        if mode not in MODES:
            raise ModeltermsError(f"unknown search mode {mode!r}; use one of {', '.join(MODES)}")
        if license and license not in self.licenses:
            raise ModeltermsError(f"license {license!r} is not in the index; `modelterms corpus list` shows what is")
        pool = max(pool, 4 * k)
        dense = self._dense(query, pool, license, kind, vector) if mode in ("fused", "dense") else []
        lex = self._lexical(query, pool, license, kind) if mode in ("fused", "lexical") else []
        if mode == "dense":
            ranked = dense
        elif mode == "lexical":
            ranked = lex
        else:
            fused: dict[str, float] = {}
            for ranking in (dense, lex):
                for rank, (cid, _) in enumerate(ranking):
                    fused[cid] = fused.get(cid, 0.0) + 1.0 / (_RRF_K + rank + 1)
            ranked = sorted(fused.items(), key=lambda kv: -kv[1])
        return [self._hit(cid, score) for cid, score in ranked[:k]]

    def _dense(self, query, n, license, kind, vector=None) -> list[tuple[str, float]]:
        where = _where(license, kind)
        if vector is None:
            vector = self.embedder.embed([query])[0]
        out = []
        for cid, sim, meta in self.store.query(vector, n, where):
            # Only clauses the manifest vouches for: vectors of an interrupted run are skipped.
            row = self.licenses.get(meta.get("license"))
            if row and cid in self.clauses and meta.get("content_hash") == row["content_hash"]:
                out.append((cid, sim))
        return out

    def _lexical(self, query, n, license, kind) -> list[tuple[str, float]]:
        mask = None
        if license or kind:
            mask = np.ones(len(self.lexical.ids), dtype=bool)
            if license:
                mask &= self.lexical.licenses == license
            if kind:
                mask &= self.lexical.kinds == kind
        return [(cid, s) for cid, s in self.lexical.top(query, n, mask) if cid in self.clauses]

    def _hit(self, cid: str, score: float) -> Hit:
        row = self.clauses[cid]
        return Hit(license=row["license"], clause_id=cid, section=row["section"] or row["path"], score=round(score, 6),
                   text=row["text"], title=row["title"] or "", start=row["start"], end=row["end"])


MAX_QUERY_CHARS = 5_000


def check_query(query: object) -> str:
    """The search text, stripped; a one-line error for an empty, non-text or over-long one."""
    if not isinstance(query, str) or not query.strip():
        raise ModeltermsError("empty search text")
    query = query.strip()
    if len(query) > MAX_QUERY_CHARS:
        raise ModeltermsError(f"search text is too long ({len(query):,} characters; the limit is {MAX_QUERY_CHARS:,})")
    return query


def _where(license: str | None, kind: str | None) -> dict | None:
    conds = [{"license": license}] if license else []
    if kind:
        conds.append({"kind": kind})
    if not conds:
        return None
    return conds[0] if len(conds) == 1 else {"$and": conds}
