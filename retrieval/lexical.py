"""BM25 over clause texts (bm25s), built from the manifest and cached on disk by generation."""
from __future__ import annotations

import pickle
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from corpus.atomic import atomic_write

_STOP = set("""a an and are as at be by for from has have if in into is it its of on or such that the their then there
these they this to was were will with you your any all may not no shall""".split())
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1]
    return _stemmer().stemWords(words)


class LexicalIndex:
    def __init__(self, ids: list[str], licenses: list[str], kinds: list[str], retriever):
        self.ids = ids
        self.licenses = np.array(licenses, dtype=object)
        self.kinds = np.array(kinds, dtype=object)
        self.retriever = retriever

    @classmethod
    def build(cls, rows: list[dict], kinds: dict[str, str]) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25()
        docs = [tokenize(f"{r['title'] or ''} {r['text']}") for r in rows]
        if rows:
            retriever.index(docs, show_progress=False)
        return cls([r["id"] for r in rows], [r["license"] for r in rows],
                   [kinds.get(r["license"], "license") for r in rows], retriever)

    def scores(self, query: str) -> np.ndarray:
        tokens = tokenize(query)
        if not self.ids or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        vocab = self.retriever.vocab_dict
        known = [t for t in tokens if t in vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(known), dtype=np.float32)

    def top(self, query: str, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        scores = self.scores(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        n = min(n, int((scores > 0).sum()))
        if n <= 0:
            return []
        idx = np.argpartition(-scores, n - 1)[:n]
        idx = idx[np.argsort(-scores[idx], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in idx]


def load_or_build(cache: Path, generation: int, rows_fn, kinds: dict[str, str]) -> LexicalIndex:
    """The cached index if it matches the manifest generation; otherwise rebuild and cache it."""
    try:
        with open(cache, "rb") as f:
            gen, index = pickle.load(f)
        if gen == generation:
            return index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        pass
    index = LexicalIndex.build(rows_fn(), kinds)
    save(cache, generation, index)
    return index


def save(cache: Path, generation: int, index: LexicalIndex) -> None:
    atomic_write(cache, lambda f: pickle.dump((generation, index), f, protocol=pickle.HIGHEST_PROTOCOL))
