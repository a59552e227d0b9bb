"""A disk cache for the vectors of fixed phrase sets (the taxonomy's use exemplars), so a fresh
`modelterms ask` process does not re-embed hundreds of phrases before its first answer.

Only batch calls are cached (`min_batch` texts or more): those are the exemplar sets. A user's own
use text is embedded one at a time and never written to disk. The file sits in the index folder of
its embedding model, so another model never reads these vectors; it is rewritten atomically.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np

from corpus.atomic import atomic_write

from .clauses import Clause


class CachedEmbed:
    def __init__(self, embed, path: Path, min_batch: int = 16):
        self._embed = embed
        self.path = Path(path)
        self.min_batch = min_batch
        self._vectors: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            try:
                with np.load(self.path, allow_pickle=False) as data:
                    self._vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, KeyError, ValueError):
                pass  # no cache yet, or an unreadable one: it is rebuilt
        return self._vectors

    def __call__(self, texts: list[str]) -> np.ndarray:
        if len(texts) < self.min_batch:
            return self._embed(texts)
        cache = self._load()
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = [i for i, k in enumerate(keys) if k not in cache]
        if todo:
            vecs = self._embed([texts[i] for i in todo])
            for i, v in zip(todo, vecs):
                cache[keys[i]] = np.asarray(v, dtype=np.float32)
            self._save(cache)
        return np.stack([cache[k] for k in keys])

    def _save(self, cache: dict[str, np.ndarray]) -> None:
        try:
            atomic_write(self.path, lambda f: np.savez(f, keys=np.array(list(cache)),
                                                       vectors=np.stack(list(cache.values()))))
        except OSError:
            pass  # a read-only data dir only costs speed


class IndexSnapshot:
    """A text's clauses and their vectors as the index holds them, kept beside the index in one small file,
    so that a fresh process profiling a few texts (a cold `modelterms check`) need neither start Chroma only
    to read the vectors back nor load the tokenizer to segment the text again (together ~0.6 s of the check
    on a 2-core machine).

    Written only from a complete answer of the store, and read only for the same index hash (the text and
    everything that decides its clauses: retrieval/indexer.py); the folder sits in the index folder of the
    embedding model, so another model never reads these vectors. A text replaced or removed leaves a
    snapshot that no longer matches and is overwritten or deleted with it."""

    def __init__(self, index_dir: Path, key: str):
        self.path = Path(index_dir) / "clause-vectors" / (hashlib.sha1(key.encode("utf-8")).hexdigest()[:20] + ".npz")

    def read(self, index_hash: str) -> tuple[list[Clause], np.ndarray] | None:
        """(clauses, their vectors) of this version of the text, or None when there is no snapshot of it."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                if str(data["index_hash"]) != index_hash:
                    return None
                clauses = [Clause(**c) for c in json.loads(data["clauses"].tobytes().decode("utf-8"))]
                vectors = data["vectors"]
        except (OSError, KeyError, ValueError, TypeError):
            return None  # none yet, or unreadable: the store answers and the snapshot is rewritten
        return (clauses, vectors) if len(clauses) == len(vectors) else None

    def write(self, clauses: list[Clause], vectors: np.ndarray, index_hash: str) -> None:
        raw = json.dumps([dataclasses.asdict(c) for c in clauses], ensure_ascii=False).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda f: np.savez(f, index_hash=np.array(index_hash),
                                                       clauses=np.frombuffer(raw, dtype=np.uint8),
                                                       vectors=np.asarray(vectors, dtype=np.float32)))
        except OSError:
            pass  # a read-only data dir only costs speed

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
