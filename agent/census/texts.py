"""The text path: each distinct license or card text, once — identified against the corpus, and when it is
no corpus text, segmented, embedded and profiled for its use restrictions.

`TextWorker` is what an engine runs: one per process (local pool) or per Ray actor, holding the
LicenseDB shingle index and, when an unknown license text first needs it, the profiler with its
embedding model (on a GPU when the worker has one). A batch in, a batch out, as plain columns.
"""
from __future__ import annotations

import hashlib

from agent.identify import Identifier
from agent.terms.profile import Profiler
from corpus.catalog import Corpus, builtin_spec
from corpus.entry import LicenseEntry, guess_kind
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy

# A card that quotes a license whole identifies as it; a card that only mentions one does not.
OUT_COLUMNS = ("hash", "key", "score", "unknown", "family", "restrictions", "terms")


class TextWorker:
    def __init__(self, settings: Settings, profile_unknown: bool = True):
        self.settings = settings
        self.corpus = Corpus(settings)
        self.identifier = Identifier(settings, self.corpus)
        self.profile_unknown = profile_unknown
        self._profiler = None
        self._behavioural = {t.id for t in load_taxonomy().values() if t.group == "behavioural"}

    @property
    def profiler(self):
        if self._profiler is None:
            self._profiler = Profiler(self.settings, self.corpus, store=None)
        return self._profiler

    def one(self, h: str, kind: str, text: str) -> dict:
        ident = self.identifier.identify(text, n=1)
        best = ident.best
        row = {"hash": h, "key": None, "score": float(best.score) if best else 0.0, "unknown": ident.unknown,
               "family": None, "restrictions": [], "terms": []}
        if best is not None and not ident.unknown:
            row["key"] = best.license
            row["family"] = builtin_spec().get(best.license, {}).get("family") or best.license
        elif kind == "license" and self.profile_unknown:
            # No corpus text: read it as it is (segment, embed, profile) under a key from its content hash.
            key = "census-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
            if not self.corpus.exists(key):
                self.corpus.add_transient(LicenseEntry(key=key, name=f"license text {key}", kind=guess_kind("LICENSE", text),
                                                       text=text, source="local", family=f"local:{key}"))
            prof = self.profiler.profile(key)
            row["terms"] = sorted(prof.terms)
            row["restrictions"] = sorted(t.term for t in prof.terms.values()
                                         if t.term in self._behavioural and t.attitude == "cannot")
        return row

    def __call__(self, batch: dict) -> dict:
        rows = [self.one(h, k, t) for h, k, t in zip(batch["hash"], batch["kind"], batch["text"])]
        return {c: [r[c] for r in rows] for c in OUT_COLUMNS}


# --- the local engine's process-pool entry points (module level: they are pickled by name) ------------
_worker: TextWorker | None = None


def init_worker(settings: Settings, profile_unknown: bool) -> None:
    global _worker
    _worker = TextWorker(settings, profile_unknown)


def run_chunk(args: tuple[int, dict]) -> tuple[int, dict]:
    i, batch = args
    return i, _worker(batch)
