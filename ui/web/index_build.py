"""Building the clause index behind a page that already answers (`modelterms ui --build-index`, what `make run`
does): on a fresh machine embedding the built-in corpus takes minutes on 2 cores, and nothing grounded waits for
it. A check reads the texts and computes the clause vectors it lacks; what needs the index (search, search-based
citations, corpus search) says it is being built and how far it is, and is there once it is done."""
from __future__ import annotations

import logging
import threading
import time

from corpus.catalog import Corpus
from retrieval.indexer import index_hash, open_manifest, run_index

log = logging.getLogger("modelterms.ui")


class IndexBuild:
    """One background run of the indexer over the built-in corpus (`only` narrows it, for tests)."""

    def __init__(self, svc, only: list[str] | None = None):
        self.svc = svc
        self.only = only
        self.done = 0
        self.total = 0
        self.error: str | None = None
        self.finished = threading.Event()
        self.started = 0.0
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        """From creation (the page is built knowing a build is due) until the build ends."""
        return not self.finished.is_set()

    def start(self) -> "IndexBuild":
        self.started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, name="modelterms-index", daemon=True)
        self._thread.start()
        return self

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self) -> None:
        try:
            report = run_index(self.svc.settings, Corpus(self.svc.settings), scope="builtin", only=self.only,
                               progress=self._progress)
            log.info("index built in the background: %s", report.summary())
        except Exception as e:  # shown in the page; the grounded tools go on without the index
            self.error = " ".join(str(e).split())[:300] or type(e).__name__
            log.warning("the background index build failed: %s", self.error)
        finally:
            self.finished.set()
            self.svc.invalidate()  # the next request opens the finished index

    def note(self) -> str:
        """One line for the page: how far the build is, or "" when there is nothing to say."""
        if self.error:
            return f"The clause index could not be built ({self.error}); search is off, checks still work."
        if not self.running:
            return ""
        part = f"{self.done:,} of {self.total:,} clauses" if self.total else "reading the texts"
        took = f" ({time.perf_counter() - self.started:.0f} s so far)" if self.started else ""
        return (f"Building the clause index: {part}{took}. Checks answer meanwhile; search and search-based "
                "citations come when it is done.")


def needs_build(settings) -> bool:
    """Whether the built-in corpus has texts the index lacks or holds in an older version."""
    corpus = Corpus(settings)
    try:
        manifest = open_manifest(settings, create=False)
    except Exception:  # no index folder yet
        return True
    try:
        have = manifest.hashes()
    finally:
        manifest.close()
    return any(have.get(k) != index_hash(corpus.get(k), settings) for k in corpus.keys("builtin"))
