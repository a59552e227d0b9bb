"""The grounded functions as LangChain tools for the LLM agent.

Each tool returns JSON. Texts in it (clauses, quotes) are corpus data: the system prompt says
so, and every clause text a tool hands out is recorded in the QuoteChecker, so quotations in the
final answer can be verified against exactly what the LLM was shown. Errors come back as
`{"error": ...}` for the LLM to read, never as exceptions that end the turn.
"""
from __future__ import annotations

import functools
import json
from typing import Optional

from corpus.errors import ModeltermsError
from retrieval.indexer import clauses_for

from ..compare import diff
from ..identify import Identifier
from ..llm.backends import structured_tool
from ..llm.guard import QuoteChecker
from ..present import json as present_json

MAX_HITS = 8
_CLIP = 1200  # characters of clause text per hit; a prefix is still a verbatim substring


class LazySearcher:
    """The clause searcher, made on first use (opening the index takes a while, and many answers need none):
    from `factory` (the web UI's, which has none while it builds the index) or else the checker's Deps."""

    def __init__(self, checker, factory=None):
        self._make = factory or (lambda: checker.deps.searcher)
        self._searcher = None

    def get(self):
        if self._searcher is None:
            self._searcher = self._make()
        return self._searcher


class Toolbox:
    """The grounded tools bound to one Checker; records what they show and the checks they run."""

    def __init__(self, checker, quotes: QuoteChecker, searcher_factory=None, cancelled=None):
        self.checker = checker
        self.cancelled = cancelled  # a threading.Event: set once the answer was given up on
        self.quotes = quotes
        self._searcher = LazySearcher(checker, searcher_factory)
        self._identifier = None
        self.checks: list = []  # CheckResults of check_use calls, in order
        self.calls: list[tuple[str, dict]] = []

    # --- the grounded functions ------------------------------------------------------------
    @property
    def searcher(self):
        return self._searcher.get()

    def resolve_model(self, model: str) -> str:
        """Which license texts apply to a model (a Hugging Face id like meta-llama/Llama-3.1-8B, or a model card path)."""
        res = self.checker.resolve(model=model)
        return _dump(present_json.resolution(res))

    def search_clauses(self, query: str, license: Optional[str] = None, k: int = 5) -> str:
        """Clauses of the indexed licenses and policies closest to the query; optionally within one license key."""
        hits = self.searcher.search(query, k=max(1, min(int(k or 5), MAX_HITS)), license=license or None)
        out = []
        for h in hits:
            text = h.text[:_CLIP]
            self.quotes.add(h.clause_id, h.text)
            out.append({"clause_id": h.clause_id, "license": h.license, "section": h.section, "text": text})
        return _dump({"results": out})

    def profile_license(self, license: str) -> str:
        """The terms a license key addresses (permissions, prohibitions, duties, thresholds) with evidence quotes."""
        prof = self.checker.profiler.profile(_key(self.checker, license))
        for t in prof.terms.values():
            for ev in t.evidence[:2]:
                text = self.checker.profiler.clause_text(prof.license, ev.clause_id)
                if text:
                    self.quotes.add(ev.clause_id, text)
        data = prof.as_json() if hasattr(prof, "as_json") else {"license": prof.license}
        for t in data.get("terms", []) if isinstance(data.get("terms"), list) else []:
            t["evidence"] = t.get("evidence", [])[:2]
        return _dump(data)

    def check_use(self, use: str, license: Optional[str] = None, model: Optional[str] = None) -> str:
        """The grounded verdict (prohibited / conditional / allowed / unclear) for a use of a license key or model id,
        with the deciding clauses."""
        if not (license or model):
            return _dump({"error": "give license (a corpus key) or model (a model id)"})
        result = self.checker.check(use, license=_key(self.checker, license) if license else None,
                                    model=None if license else model)
        self.checks.append(result)
        for f in result.findings:
            text = self.checker.profiler.clause_text(f.license, f.clause_id)
            self.quotes.add(f.clause_id, text or f.quote)
        data = present_json.check(result)  # the contract without its short answer: the agent writes its own words
        data.pop("answer")
        data.pop("facts", None)
        return _dump(data)

    def compare_licenses(self, license_a: str, license_b: str) -> str:
        """Term-by-term attitudes of two license keys, where they differ."""
        pa = self.checker.profiler.profile(_key(self.checker, license_a))
        pb = self.checker.profiler.profile(_key(self.checker, license_b))
        terms = sorted(set(pa.terms) | set(pb.terms))
        rows = [{"term": t, license_a: pa.attitude(t), license_b: pb.attitude(t)} for t in terms
                if pa.attitude(t) != pb.attitude(t)]
        return _dump({"differences": rows})

    def diff_licenses(self, old: str, new: str) -> str:
        """Clause-level changes from one license key to another (e.g. two versions) and the terms whose attitude changed."""
        corpus, prof, settings = self.checker.corpus, self.checker.profiler, self.checker.settings
        ea, eb = corpus.get(_key(self.checker, old)), corpus.get(_key(self.checker, new))
        names = tuple(n for n in (ea.name, eb.name, getattr(ea, "version", None), getattr(eb, "version", None)) if n)
        d = diff(old, clauses_for(ea, settings), new, clauses_for(eb, settings), prof.profile(old), prof.profile(new),
                 names=names)
        data = d.as_json()
        changes = []
        for c in data["changes"][:12]:
            for cid, text in ((c["old"], c["old_text"]), (c["new"], c["new_text"])):
                if cid and text:
                    self.quotes.add(cid, text)
            changes.append({k: (v[:_CLIP] if isinstance(v, str) else v) for k, v in c.items()})
        data["changes"] = changes
        return _dump(data)

    def identify_license(self, text: str) -> str:
        """Which corpus license a pasted license text is (best matches with scores; 'unknown' when none fits)."""
        if self._identifier is None:
            self._identifier = Identifier(self.checker.settings, self.checker.corpus)
        return _dump(self._identifier.identify(text, n=3).as_json())

    def list_licenses(self, contains: Optional[str] = None) -> str:
        """Corpus keys and names, optionally only those whose key or name contains a word."""
        corpus = self.checker.corpus
        rows = []
        for k in corpus.builtin_keys() + corpus.user_keys():
            name = corpus.get(k).name
            if not contains or contains.lower() in (k + " " + name).lower():
                rows.append({"key": k, "name": name})
        return _dump({"licenses": rows[:60]})

    # --- as LangChain tools ----------------------------------------------------------------
    def tools(self) -> list:
        out = []
        for fn in (self.check_use, self.resolve_model, self.search_clauses, self.profile_license,
                   self.compare_licenses, self.diff_licenses, self.identify_license, self.list_licenses):
            out.append(structured_tool(self._safe(fn), name=fn.__name__, description=fn.__doc__))
        return out

    def _safe(self, fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            if self.cancelled is not None and self.cancelled.is_set():
                raise ModeltermsError("cancelled: the answer was given up on")
            self.calls.append((fn.__name__, dict(kwargs)))
            try:
                return fn(*args, **kwargs)
            except ModeltermsError as e:
                return _dump({"error": str(e)})
            except (TypeError, ValueError) as e:
                return _dump({"error": f"bad arguments: {e}"})
        return run


def _key(checker, key: str) -> str:
    if not checker.corpus.exists(key):
        raise ModeltermsError(checker.corpus.unknown_key_message(key))
    return key


def _dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)
