"""The one dependency object (agent/deps.py) and the one way to open the clause store (retrieval/store.py):
members are built once and lazily, a member passed in is what every component built on the Deps sees,
and the store opens under one error policy."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from agent.ask.conversation import Conversation
from agent.ask.tools import Toolbox
from agent.audit import Auditor
from agent.check import Checker
from agent.deps import Deps
from agent.draft.drafter import Drafter
from agent.llm.guard import QuoteChecker
from corpus.errors import ModeltermsError
from retrieval.search import Hit, Searcher
from retrieval.store import ClauseStore, open_store

from .conftest import make_settings

ROOT = Path(__file__).resolve().parents[1]


class RecordingEmbedder:
    """Unit vectors from a hash of the text; remembers what it was asked to embed."""
    name = "recording"

    def __init__(self):
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen += texts
        out = np.stack([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts]).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


class RecordingStore:
    """An index that has no vector for anything; remembers the clause ids it was asked for."""

    def __init__(self):
        self.asked: list[str] = []

    def vectors(self, ids, content_hash=None):
        self.asked += ids
        return {}


class RecordingSearcher:
    """A clause search that finds one MIT clause for anything; remembers the queries."""

    licenses = {"mit": {"key": "mit"}}

    def __init__(self):
        self.queries: list[str] = []

    def search(self, query, k=5, license=None, **kw):
        self.queries.append(query)
        return [Hit("mit", "mit#0", "", 1.0, "Permission is hereby granted, free of charge")]


def test_members_are_built_once_and_only_when_used(settings):
    deps = Deps(settings)
    assert not any(deps.built(m) for m in ("corpus", "store", "embedder", "profiler", "resolver", "llm", "searcher"))
    assert deps.corpus is deps.corpus and deps.profiler is deps.profiler
    assert deps.profiler.corpus is deps.corpus and deps.resolver.corpus is deps.corpus
    assert deps.llm is None  # grounded mode: no LLM configured
    assert not deps.built("embedder")  # nothing above needed the model


def test_a_fake_embedder_passed_through_deps_is_what_the_check_reads_with(settings):
    fake = RecordingEmbedder()
    checker = Checker(Deps(settings, embedder=fake))
    checker.read("a customer-support chatbot for our SaaS product")
    assert "a customer-support chatbot for our SaaS product" in fake.seen
    assert checker.embedder is fake


def test_fakes_passed_through_deps_are_what_profiles_and_audits_use(settings):
    store, fake = RecordingStore(), RecordingEmbedder()
    deps = Deps(settings, store=store, embedder=fake)
    checker, auditor = Checker(deps), Auditor(deps)
    assert checker.profiler is auditor.profiler is deps.profiler and deps.profiler.store is store
    prof = checker.profiler.profile("mit")
    assert store.asked and all(cid.startswith("mit#") for cid in store.asked)  # the profile asked our store
    # the store had no vector: the clauses were embedded by the Deps' model, not one the profiler loaded
    assert any("Permission is hereby granted" in t for t in fake.seen)
    assert prof.license == "mit"


def test_a_fake_searcher_passed_through_deps_is_what_the_ask_tools_the_chat_and_drafts_search(indexed):
    fake = RecordingSearcher()
    deps = Deps(indexed, searcher=fake, embedder=RecordingEmbedder())
    checker = Checker(deps)
    quotes = QuoteChecker()
    found = json.loads(Toolbox(checker, quotes).search_clauses("attribution in the notice"))
    assert fake.queries == ["attribution in the notice"] and found["results"][0]["clause_id"] == "mit#0"
    assert "mit#0" in quotes.clauses  # what the tool showed can be quoted
    assert Conversation(deps, checker=checker, llm=False).searcher is fake
    assert Drafter(deps).grounding.searcher is fake  # the draft's provenance searches the Deps' index too


def test_the_searcher_is_built_once_over_the_deps_members(indexed):
    fake = RecordingEmbedder()
    deps = Deps(indexed, embedder=fake)
    searcher = deps.searcher
    assert isinstance(searcher, Searcher) and deps.searcher is searcher and searcher.store is deps.store
    assert searcher.embedder is fake  # dense queries embed with the Deps' model, not one loaded again
    assert deps.without("searcher").searcher is not searcher


def test_replace_without_and_with_settings(settings):
    fake = RecordingEmbedder()
    deps = Deps(settings, embedder=fake)
    corpus = deps.corpus
    assert deps.replace(store=None).corpus is corpus and deps.replace(store=None).store is None
    again = deps.without("corpus")
    assert again.embedder is fake and again.corpus is not corpus
    other = deps.with_settings(settings.replace(fetch=True))
    assert other.settings.fetch and other.embedder is fake and other.corpus is not corpus
    with pytest.raises(TypeError):
        deps.replace(searchers=object())


def test_building_deps_and_cli_help_load_no_backend(tmp_path):
    """The CLI builds a Deps for every command: that must not import the stages or the heavy backends."""
    code = ("import sys; from agent.deps import Deps; from corpus.settings import Settings\n"
            f"d = Deps(Settings.from_env({{}}, home={str(tmp_path)!r}))\n"
            "heavy = [m for m in ('chromadb', 'sentence_transformers', 'torch', 'agent.terms.profile', 'langchain_openai')"
            " if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- open_store: one error policy ------------------------------------------------------------

def test_no_index_yet_is_none_and_creates_nothing(settings):
    assert open_store(settings) is None
    assert not settings.index_dir.exists()


def test_an_unreachable_store_is_none_for_readers_and_an_error_for_writers(tmp_path):
    s = make_settings(tmp_path / "home", chroma_url="http://127.0.0.1:9", chroma_timeout=2.0)
    s.index_dir.mkdir(parents=True)
    (s.index_dir / "manifest.sqlite").touch()  # indexed once; the server is gone now
    assert open_store(s) is None
    with pytest.raises(ModeltermsError) as err:
        open_store(s, required=True)
    assert "\n" not in str(err.value) and "127.0.0.1:9" in str(err.value)


def test_an_index_is_opened(indexed):
    store = open_store(indexed)
    assert isinstance(store, ClauseStore) and store.count() > 0
    assert isinstance(Deps(indexed).store, ClauseStore)


def test_the_cli_group_builds_one_deps_that_commands_receive(tmp_path):
    import click
    from click.testing import CliRunner

    from ui.cli import cli
    from ui.wiring import pass_deps, pass_settings

    seen = []

    @click.command("probe-deps")
    @pass_deps
    def probe_deps(deps):
        seen.append(deps)

    @click.command("probe-settings")
    @pass_settings
    def probe_settings(settings):
        seen.append(settings)

    cli.add_command(probe_deps)
    cli.add_command(probe_settings)
    try:
        runner = CliRunner()
        assert runner.invoke(cli, ["--home", str(tmp_path / "h"), "probe-deps"]).exit_code == 0
        assert runner.invoke(cli, ["--home", str(tmp_path / "h"), "probe-settings"]).exit_code == 0
    finally:
        cli.commands.pop("probe-deps")
        cli.commands.pop("probe-settings")
    deps, settings = seen
    assert isinstance(deps, Deps) and deps.settings.home == tmp_path / "h" and settings == deps.settings
    assert not any(deps.built(m) for m in ("corpus", "store", "embedder", "profiler", "resolver", "llm"))
