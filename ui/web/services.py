"""What is loaded once per process: the grounded tools behind a readers/writer lock."""
import logging
import threading
from collections import OrderedDict
from pathlib import Path

from agent.check import Checker
from agent.draft.drafter import Drafter
from agent.draft.grounding import Grounding
from agent.identify import Identifier
from agent.ask.conversation import Conversation
from agent.deps import Deps
from agent.models import ModelResolver, registry
from corpus.catalog import plain_name
from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .jobs import Jobs

log = logging.getLogger("modelterms.ui")
MAX_SESSIONS = 256  # chat conversations kept in memory (least recently used dropped first)


def ui_dir(settings: Settings) -> Path:
    """Everything the UI writes or serves: uploads, drafts to download, Gradio's cache."""
    return settings.home / "ui"



class RWLock:
    """Many readers (grounded work) or one writer (a corpus change); a waiting writer goes before new
    readers, so a steady stream of questions cannot hold a corpus change off for ever. Not re-entrant."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._waiting = 0

    def read(self):
        return _Held(self, False)

    def write(self):
        return _Held(self, True)

    def _acquire(self, write: bool):
        with self._cond:
            if write:
                self._waiting += 1
                while self._writer or self._readers:
                    self._cond.wait()
                self._waiting -= 1
                self._writer = True
            else:
                while self._writer or self._waiting:
                    self._cond.wait()
                self._readers += 1

    def _release(self, write: bool):
        with self._cond:
            if write:
                self._writer = False
            else:
                self._readers -= 1
            self._cond.notify_all()


class _Held:
    def __init__(self, lock: RWLock, write: bool):
        self.lock, self.write = lock, write

    def __enter__(self):
        self.lock._acquire(self.write)

    def __exit__(self, *exc):
        self.lock._release(self.write)


class _OneEmbed:
    """The embedding model with `embed` as one stored callable: `checker.embedder.embed` is then the same
    object on every request, so caches that agent code keys by that callable (use-exemplar vectors)
    stay warm instead of being rebuilt per request (a fresh bound method each time)."""

    def __init__(self, inner):
        self.name = inner.name
        self.inner = inner
        self.embed = inner.embed


def corpus_stamp(settings: Settings) -> tuple:
    """What changes whenever the corpus or the index does, from this page or from the CLI in another process:
    the user-text folder (a text added, replaced or removed renames a file in it) and the index manifest
    (every index run and removal writes it). Two stats per request; the tools are rebuilt when it moves."""
    out = []
    for p in (settings.user_corpus_dir, settings.index_dir / "manifest.sqlite",
              settings.index_dir / "manifest.sqlite-wal"):
        try:
            st = p.stat()
            out.append((st.st_mtime_ns, st.st_size if p.is_file() else 0))
        except OSError:
            out.append(None)
    return tuple(out)


class Services:
    """The grounded tools over one Deps (agent/deps.py), built once per process (and again only after the
    corpus changes: `invalidate` keeps the embedding model and the LLM client, and drops the rest)."""

    def __init__(self, deps: Deps | Settings):
        deps = Deps.of(deps)
        self.settings = deps.settings
        self._base = deps  # as the entry point built it
        self._deps: Deps | None = None
        self.lock = RWLock()
        self._build = threading.RLock()
        self._checker = None
        self._searcher = None
        self._searcher_error: str | None = None
        self._drafter = None
        self._identifier = None
        self._sessions: OrderedDict[str, object] = OrderedDict()
        self.generation = 0
        self.jobs = Jobs()
        self._stamp: tuple | None = None
        self.index_build = None  # an IndexBuild (index_build.py) while the page builds the index behind itself

    @property
    def upload_root(self) -> Path:
        return ui_dir(self.settings).resolve()

    def reading(self):
        """The shared lock for grounded work, after checking the corpus is still the one the tools were built on."""
        self.fresh()
        return self.lock.read()

    def fresh(self) -> None:
        """Rebuilds the tools on the next use if the corpus or index changed since they were built (e.g. a
        `modelterms corpus add` in a terminal while the page is open)."""
        stamp = corpus_stamp(self.settings)
        with self._build:
            if self.building_index:
                return  # the build writes the manifest as it goes: the tools are reopened once, when it ends
            if self._stamp is not None and stamp != self._stamp:
                log.info("the corpus or index changed on disk: reloading")
                self.invalidate()
            self._stamp = stamp

    @property
    def deps(self) -> Deps:
        """The entry point's Deps as this page uses it: one stored embed callable, and a model resolver that
        never reads server paths (nothing typed or uploaded in the page names one: models and base models
        resolve through the registry, the corpus and the HF cache only)."""
        with self._build:
            if self._deps is None:
                base = self._base
                embedder = base.embedder if isinstance(base.embedder, _OneEmbed) else _OneEmbed(base.embedder)
                self._base = base.replace(embedder=embedder)
                corpus = self._base.corpus
                self._deps = self._base.replace(resolver=ModelResolver(corpus, local_paths=False))
            return self._deps

    @property
    def checker(self):
        with self._build:
            if self._checker is None:
                self._stamp = corpus_stamp(self.settings)
                self._checker = Checker(self.deps)
            return self._checker

    @property
    def corpus(self):
        return self.checker.corpus

    @property
    def building_index(self) -> bool:
        return self.index_build is not None and self.index_build.running

    @property
    def searcher(self):
        """The hybrid searcher, or None when there is no index yet (`searcher_error` says why)."""
        with self._build:
            if self.building_index:  # a half-built index would search some of the texts only
                self._searcher_error = self.index_build.note()
                return None
            if self._searcher is None and self._searcher_error is None:
                try:
                    self._searcher = self.checker.deps.searcher
                except ModeltermsError as e:
                    self._searcher_error = str(e)
            return self._searcher

    @property
    def drafter(self):
        with self._build:
            if self._drafter is None:
                searcher = self.searcher
                grounding = Grounding(self.deps, searcher=searcher) if searcher is not None else None
                if grounding is None:
                    grounding = Grounding(self.deps)
                    grounding.error = self._searcher_error or "no index"
                self._drafter = Drafter(self.deps, grounding=grounding, llm=self._llm())
            return self._drafter

    @property
    def identifier(self):
        with self._build:
            if self._identifier is None:
                self._identifier = Identifier(self.settings, self.corpus, scope="builtin")
            return self._identifier

    def _llm(self):
        return self.deps.llm if self.settings.llm else None

    def conversation(self, session: str):
        """The chat of one browser session (follow-ups reuse its earlier turns)."""
        with self._build:
            conv = self._sessions.get(session)
            if conv is None or getattr(conv, "_mt_generation", None) != self.generation:
                conv = Conversation(self.deps, checker=self.checker, llm=self._llm() or False,
                                    searcher_factory=self._searcher_or_fail)
                conv._mt_generation = self.generation
                conv._mt_lock = threading.Lock()  # one question at a time per conversation
                self._sessions[session] = conv
            self._sessions.move_to_end(session)
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
            return conv

    def reset_conversation(self, session: str) -> None:
        with self._build:
            self._sessions.pop(session, None)

    def _searcher_or_fail(self):
        s = self.searcher
        if s is None:
            raise ModeltermsError(self._searcher_error or "no index")
        return s

    def invalidate(self) -> None:
        """After a corpus change: the next request builds the tools again (the embedding model is kept)."""
        with self._build:
            self._checker = self._searcher = self._drafter = self._identifier = None
            self._searcher_error = None
            self._base = self._base.without("corpus", "store", "profiler", "resolver", "searcher")
            self._deps = None
            self.generation += 1

    def warm(self) -> None:
        """Loads the embedding model, index and profiles now, so the first request is not the slow one."""
        with self.lock.read():
            checker = self.checker
            checker.embedder.embed(["warm-up"])
            if self.searcher is not None:
                self.searcher.search("warm-up use of the model", k=1)
            keys = [k for k in checker.corpus.builtin_keys() if self.searcher and k in self.searcher.licenses][:1]
            for k in keys:
                checker.profiler.profile(k)

    # choices for pickers
    def license_choices(self) -> list[tuple[str, str]]:
        self.fresh()
        corpus = self.corpus
        out = []
        for k in corpus.builtin_keys() + corpus.user_keys():
            try:
                e = corpus.get(k)
            except ModeltermsError:
                continue
            mine = " (yours)" if e.source == "user" else ""
            name = plain_name(e.name or "")
            out.append((f"{name} ({k}){mine}" if name and name != k else f"{k}{mine}", k))
        return out


def model_choices() -> list[tuple[str, str]]:
    """The model registry as picker entries: a pattern (it resolves as itself) and its license id."""
    return [(f"{m['id']}  ({m['license']})", m["id"]) for m in registry().get("models", [])]
