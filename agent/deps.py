"""The one dependency object: what the grounded tools share, built once at an entry point and passed down.

An entry point (the CLI's group callback, the web UI's Services, the MCP server, the eval runner) builds
one `Deps` from its `Settings`; the components (Checker, Auditor, the census, draft checks, the analysis
commands) take it and use its members instead of building their own. Every member is built on first
use, so an entry point that never profiles a text never opens Chroma or loads the embedding model, and
`modelterms --help` stays instant. A test passes a fake member (a store, an embedder, an LLM) to the
constructor and every component built on that Deps sees it.

The members' modules are imported when a member is first built, not with this module: the CLI builds a
Deps for every command, and importing the stages (the taxonomy's patterns alone take seconds) would make
`modelterms check --help` and every option error slow. The same reason keeps the command modules'
analysis imports inside their functions (README, "How the code is laid out").

    settings  corpus/settings.py, as the entry point built it
    corpus    the texts (built-in and the user's)
    store     the clause index, or None when there is none (retrieval.store.open_store's policy)
    embedder  the embedding model (retrieval/embed.py; one per process and spec)
    profiler  license profiles over corpus + store (agent/terms/profile.py), cached per text
    resolver  model → licenses and policies (agent/models.py)
    llm       the LLM client, or None in grounded mode (agent/llm/backends.py)
    searcher  hybrid clause search over the store, corpus and embedder (retrieval/search.py); building it
              raises a one-line ModeltermsError when there is no index, and is tried again on the next use
"""
from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from corpus.settings import Settings

if TYPE_CHECKING:
    from corpus.catalog import Corpus
    from retrieval.embed import Embedder

    from retrieval.search import Searcher

    from .llm.backends import LLMClient
    from .models import ModelResolver
    from .terms.profile import Profiler

_UNSET = object()  # a member not given: built on first use (None is a real value for store and llm)
MEMBERS = ("corpus", "store", "embedder", "profiler", "resolver", "llm", "searcher")


class Deps:
    def __init__(self, settings: Settings, *, corpus: Corpus | None = None, store=_UNSET,
                 embedder: Embedder | None = None, profiler: Profiler | None = None,
                 resolver: ModelResolver | None = None, llm=_UNSET, searcher: Searcher | None = None):
        self.settings = settings
        self._lock = threading.RLock()  # the web UI builds members from several request threads
        given = {"corpus": corpus, "store": store, "embedder": embedder, "profiler": profiler,
                 "resolver": resolver, "llm": llm, "searcher": searcher}
        # None given for store or llm means "there is none"; for the others, "build it"
        self._members = {k: v for k, v in given.items() if v is not _UNSET and (v is not None or k in ("store", "llm"))}

    @classmethod
    def of(cls, what: "Deps | Settings") -> "Deps":
        """`what` itself when it is a Deps; a fresh one for bare Settings (a script or a test that has no
        entry point of its own)."""
        return what if isinstance(what, Deps) else cls(what)

    def replace(self, **members) -> "Deps":
        """A Deps sharing this one's members, with those named set to the values given (as for the
        constructor, None means "build it on first use", except for store and llm, where it means none)."""
        unknown = set(members) - set(MEMBERS)
        if unknown:
            raise TypeError(f"Deps has no member {', '.join(sorted(unknown))}")
        return Deps(self.settings, **{**self._members, **members})

    def without(self, *names: str) -> "Deps":
        """A Deps sharing this one's members but those named, which it builds again on first use (after a
        corpus change: corpus, store, profiler, resolver, searcher; the embedding model stays loaded)."""
        return Deps(self.settings, **{k: v for k, v in self._members.items() if k not in names})

    def with_settings(self, settings: Settings) -> "Deps":
        """A Deps for other settings (a command's --fetch, an eval's LLM reader): nothing is shared but the
        embedding model, and that only while the embedding spec is the same."""
        if settings == self.settings:
            return self
        keep = "embedder" in self._members and (settings.embedding, settings.embed_batch_size) == (
            self.settings.embedding, self.settings.embed_batch_size)
        return Deps(settings, **({"embedder": self._members["embedder"]} if keep else {}))

    def built(self, name: str) -> bool:
        return name in self._members

    def _get(self, name: str, build):
        try:
            return self._members[name]
        except KeyError:
            pass
        with self._lock:
            if name not in self._members:
                self._members[name] = build()
            return self._members[name]

    @property
    def corpus(self) -> Corpus:
        return self._get("corpus", self._corpus)

    @property
    def store(self):
        return self._get("store", self._store)

    @property
    def embedder(self) -> Embedder:
        return self._get("embedder", self._embedder)

    @property
    def profiler(self) -> Profiler:
        return self._get("profiler", self._profiler)

    @property
    def resolver(self) -> ModelResolver:
        return self._get("resolver", self._resolver)

    @property
    def llm(self) -> LLMClient | None:
        return self._get("llm", self._llm)

    @property
    def searcher(self) -> Searcher:
        return self._get("searcher", self._searcher)

    # --- the builders (imports here on purpose: see the module's docstring) ------------------------
    def _corpus(self):
        from corpus.catalog import Corpus

        return Corpus(self.settings)

    def _store(self):
        from retrieval.store import open_store

        return open_store(self.settings)

    def _embedder(self):
        from retrieval.embed import load_embedder

        return load_embedder(self.settings.embedding, self.settings.embed_batch_size)

    def _profiler(self):
        from .terms.profile import Profiler

        # the store opened only if a text's vectors are not in the index's snapshot (a cold check needs no Chroma)
        return Profiler(self.settings, self.corpus, lambda: self.store, embedder=lambda: self.embedder)

    def _resolver(self):
        from .models import ModelResolver

        return ModelResolver(self.corpus)

    def _llm(self):
        from .llm.backends import client_from_settings

        return client_from_settings(self.settings)

    def _searcher(self):
        from retrieval.search import Searcher

        return Searcher(self.settings, store=self.store, corpus=self.corpus, embedder=lambda: self.embedder)
