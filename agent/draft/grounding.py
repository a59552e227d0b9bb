"""Grounding a draft: the corpus clauses, from the hybrid index, that say something similar to each drafted clause."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from corpus.atomic import atomic_write
from corpus.display import shorten
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy
from retrieval.manifest import Manifest

from ..deps import Deps


@dataclass
class Source:
    license: str
    clause_id: str
    score: float
    section: str = ""
    excerpt: str = ""

    def as_json(self) -> dict:
        return {"license": self.license, "clause_id": self.clause_id, "score": round(self.score, 4),
                "section": self.section, "excerpt": self.excerpt}


class Grounding:
    """Corpus clauses similar to a draft clause, from the hybrid index.

    Provenance depends only on the clause's template and the index, so it is cached in memory and
    on disk beside the index (`draft-provenance.json`, keyed by the manifest's generation and
    content hashes: any change to the index starts it afresh). A draft whose clauses are all cached needs neither the embedding
    model nor the vector store; only new clauses and custom restrictions are searched.
    """

    POOL = 40  # hits kept per query: enough for three licenses whose clause the term's pattern also finds
    CACHE_FILE = "draft-provenance.json"

    def __init__(self, deps: Deps | Settings, searcher=None):
        """`searcher`: one the caller holds (then no disk cache); by default the Deps' searcher, on first need."""
        self.deps = Deps.of(deps)
        self.settings = self.deps.settings
        self._searcher = searcher
        self._cache: dict[str, list] = {}  # query -> hits
        self._disk: dict[str, list[dict]] | None = None  # "term\tquery" -> sources
        self._dirty = False
        self._state: str | None = None  # the index's generation and contents, from its manifest
        self.error: str | None = None

    # --- the index ------------------------------------------------------------------
    @property
    def available(self) -> bool:
        """True when the index holds licenses (read from its manifest; nothing heavy is loaded)."""
        if self._state is None and self.error is None:
            if self._searcher is not None:
                self._state = ""  # a searcher given by the caller: no disk cache
            else:
                path = self.settings.index_dir / "manifest.sqlite"
                if not path.exists():
                    self.error = "the index is empty: run `modelterms index` first"
                else:
                    m = Manifest(path)
                    try:
                        hashes = m.hashes()
                        if not hashes:
                            self.error = "the index is empty: run `modelterms index` first"
                        else:
                            digest = hashlib.sha256(json.dumps(sorted(hashes.items())).encode()).hexdigest()[:16]
                            self._state = f"{m.generation()}:{digest}"
                    finally:
                        m.close()
        return self.error is None

    @property
    def searcher(self):
        if self._searcher is None and self.available:
            try:
                self._searcher = self.deps.searcher
            except ModeltermsError as e:
                self.error = str(e)
        return self._searcher

    # --- searching ----------------------------------------------------------------------
    def hits(self, query: str, k: int = POOL):
        if query not in self._cache:
            self.prefetch([query])
        return self._cache.get(query, [])[:k]

    def prefetch(self, queries: list[str]) -> None:
        """Searches the queries not yet cached, embedding them in one batch (one model call, not one each)."""
        todo = [q for q in dict.fromkeys(queries) if q not in self._cache]
        if not todo or self.searcher is None:
            return
        vectors = self.searcher.embedder.embed(todo)
        for q, v in zip(todo, vectors):
            self._cache[q] = self.searcher.search(q, k=self.POOL, vector=v)

    def cached(self, text: str, term: str | None) -> list[Source] | None:
        hit = self._disk_cache().get(f"{term}\t{text}")
        return None if hit is None else [Source(**x) for x in hit]

    def similar(self, text: str, term: str | None, n: int = 3) -> list[Source]:
        """Up to n clauses (one per license) close to `text`; with a term, only clauses the term's pattern finds."""
        found = self.cached(text, term)
        if found is not None:
            return found
        pattern = load_taxonomy()[term].clause_re if term else None
        out: list[Source] = []
        seen = set()
        queries = [text]
        if term:  # the taxonomy's own phrasings, when the clause itself finds too few
            queries += list(load_taxonomy()[term].examples[:2])
        for query in queries:
            for h in self.hits(query):
                if h.license in seen or h.license.startswith("draft-"):
                    continue
                if pattern is not None and not pattern.search(h.text):
                    continue
                seen.add(h.license)
                out.append(Source(h.license, h.clause_id, h.score, h.section, shorten(h.text, 160)))
                if len(out) >= n:
                    break
            if len(out) >= n:
                break
        if self.searcher is not None:
            self._disk_cache()[f"{term}\t{text}"] = [x.as_json() for x in out]
            self._dirty = True
        return out

    # --- the disk cache ------------------------------------------------------------------
    def _disk_cache(self) -> dict:
        if self._disk is None:
            self._disk = {}
            if self.available and self._state:
                try:
                    data = json.loads((self.settings.index_dir / self.CACHE_FILE).read_text(encoding="utf-8"))
                    if data.get("index") == self._state:
                        self._disk = data["entries"]
                except (OSError, ValueError, KeyError, TypeError):
                    pass
        return self._disk

    def clear(self, disk: bool = False) -> None:
        """Forget the searches of this process (and, with disk, the cached provenance too)."""
        self._cache.clear()
        if disk:
            self._disk = {}

    def save(self) -> None:
        """Writes the provenance cache whole (temp file, then rename); a failure only costs speed later."""
        if not self._dirty or not self._state:
            return
        path = self.settings.index_dir / self.CACHE_FILE
        try:
            atomic_write(path, json.dumps({"index": self._state, "entries": self._disk}))
            self._dirty = False
        except OSError:
            pass


