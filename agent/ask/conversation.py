"""Asking questions: grounded answers first, an LLM's explanation on top when one is configured.

`Conversation.ask(question)` reads the question with rules (question.py), runs the grounded
tools (resolve, check, profile, search, compare) and composes a template answer with citations.
That is the whole answer in grounded mode (no LLM configured, the default).

With an LLM (settings.llm), a LangChain agent (`create_agent`) gets the question, the grounded
check and the clauses that bear on it (fitted to a token budget, lowest-ranked dropped first),
with the grounded functions as tools. Its answer passes the guards (agent/llm/guard.py): the verdict
stays the grounded one, disagreement is flagged for human review, quotations that are not verbatim
in a clause it was shown are removed. Whatever goes wrong with the LLM — timeout, refused or
unreachable endpoint, 429 / 5xx after retries, malformed output or tool calls, an overall
deadline — the grounded answer is given with a one-line notice. The conversation keeps earlier
turns, so follow-ups reuse the previous use or target.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field

import prompts
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from retrieval.tokens import count_tokens, encoding
from retrieval.vector_cache import CachedEmbed

from .. import language as lang  # `language` is also an Answer field
from ..check import Checker, CheckResult
from ..check.frame import read_frame
from ..deps import Deps
from ..llm.backends import LLMClient, LLMError, chat_messages, describe_error, tool_agent
from ..llm.guard import QuoteChecker, StreamGuard, frame, strike_overruled, verdict_guard
from ..models import Note, Resolution, Unresolved, policies_for_license
from ..present import json as present_json
from ..present.text import VERDICT_HEAD, condition_text, missing_text, review_text, unresolved_text
from . import answer as tpl
from .question import Question, QuestionParser
from .tools import LazySearcher, Toolbox

MAX_QUESTION_CHARS = 10_000
HISTORY_TURNS = 3
_EXAMPLES = ["meta-llama/Llama-3.1-8B", "Gemma 2", "llama-3.2-license-2024", "the Apache 2.0 license"]
_FAMILY_EXAMPLES = {"Llama": ["Llama 2", "Llama 3.1", "Llama 3.3", "Llama 4", "meta-llama/Llama-3.2-1B"],
                    "Mistral": ["Mistral 7B", "Mixtral 8x7B", "Mistral NeMo"], "Falcon": ["Falcon 2 11B", "Falcon 7B"]}
_ORDER = {"prohibited": 0, "unclear": 1, "conditional": 2, "allowed": 3}


@dataclass
class Answer:
    question: str
    intent: str
    verdict: str | None
    licenses: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    answer: str = ""
    model: str | None = None
    mode: str = "grounded"
    prompt_version: str | None = None
    deciding: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    needs_human_review: bool = False
    review: str | None = None
    llm_verdict: str | None = None
    removed_quotes: list[str] = field(default_factory=list)
    facts: dict | None = None
    parsed: dict = field(default_factory=dict)
    resolution: dict | None = None
    seconds: float = 0.0
    language: str = lang.UNKNOWN  # the question's (agent/language.py)
    answer_language: str = lang.ENGLISH  # the answer's: English when grounded
    language_note: str | None = None  # "This answer is in English." when the question was not


    def as_json(self) -> dict:
        return {"question": self.question, "verdict": self.verdict, "licenses": self.licenses,
                "findings": self.findings, "conditions": self.conditions, "missing": self.missing,
                "answer": self.answer, "model": self.model, "mode": self.mode, "prompt_version": self.prompt_version,
                "intent": self.intent, "deciding": self.deciding, "needs_human_review": self.needs_human_review,
                "review": self.review, "llm_verdict": self.llm_verdict, "removed_quotes": self.removed_quotes,
                "notices": self.notices, "facts": self.facts, "parsed": self.parsed, "resolution": self.resolution,
                "language": self.language, "answer_language": self.answer_language,
                "language_note": self.language_note, "seconds": round(self.seconds, 3)}


@dataclass
class _Grounding:
    """What the grounded tools found for a question, kept for the LLM's context."""
    answer: Answer
    result: CheckResult | None = None
    res: Resolution | None = None
    clauses: list[tuple[str, str]] = field(default_factory=list)  # (clause_id, text), best first
    summary: dict = field(default_factory=dict)


class Conversation:
    """One chat: a Checker, the question parser, the LLM (or none) and the turns so far."""

    def __init__(self, deps: Deps | Settings, checker: Checker | None = None, llm: LLMClient | None | bool = None,
                 searcher_factory=None):
        """`llm`: None or True, the one `deps` is configured with; False, none; or a client. `searcher_factory`:
        where clause search comes from (the web UI's, which is none while it builds the index); by default the
        checker's Deps."""
        deps = Deps.of(deps)
        self.settings = deps.settings
        self.checker = checker or Checker(deps)
        self.parser = QuestionParser(self.checker.corpus)
        self.llm = deps.llm if llm is None or llm is True else (llm or None)
        self._searcher = LazySearcher(self.checker, searcher_factory)
        self._embed_fn = None
        self.turns: list[tuple[Question, Answer]] = []

    @property
    def _embed(self):
        # One bound method for the whole conversation: agent/usecase.py caches the exemplar vectors by
        # the identity of the embed function, and a fresh `embedder.embed` per call would miss that
        # cache and re-embed every exemplar phrase (seconds) on each question.
        if self._embed_fn is None:
            self._embed_fn = CachedEmbed(self.checker.embedder.embed, self.settings.index_dir / "phrase-vectors.npz")
        return self._embed_fn

    @property
    def mode(self) -> str:
        return self.llm.name if self.llm else "grounded"

    def reset(self) -> None:
        self.turns.clear()

    # --- the one entry point ----------------------------------------------------------------
    def ask(self, question: str, on_text=None) -> Answer:
        """Answers one question (a follow-up of the earlier ones). `on_text(str)` receives the
        answer as it is produced (streaming)."""
        t0 = time.perf_counter()
        question = (question or "").strip()
        if not question:
            raise ModeltermsError("empty question: ask e.g. \"Can I use Llama 3.1 8B in a paid chatbot?\"")
        if len(question) > MAX_QUESTION_CHARS:
            raise ModeltermsError(f"question too long ({len(question):,} chars; the limit is {MAX_QUESTION_CHARS:,})")
        prev = self.turns[-1][0] if self.turns else None
        q = self.parser.parse(question, previous=prev)
        g = self._grounded(q, lang.detect(question))
        if self.llm is None:
            ans = g.answer
            if on_text:
                on_text(ans.answer + "\n")
        else:
            ans = self._with_llm(q, g, on_text)
        if ans.answer_language == lang.ENGLISH:
            ans.language_note = lang.english_note(ans.language)
        ans.seconds = time.perf_counter() - t0
        self.turns.append((q, ans))
        return ans

    # --- grounded ---------------------------------------------------------------------------
    def _grounded(self, q: Question, language: str = lang.UNKNOWN) -> _Grounding:
        ans = Answer(question=q.text, intent=q.intent, verdict=None, parsed=q.as_json(), language=language)
        g = _Grounding(answer=ans)
        real = [t for t in q.targets if t.kind != "other"]
        res = self._resolve(q) if real else None
        g.res = res
        if res is not None:
            ans.model = res.model
            ans.resolution = present_json.resolution(res)
            ans.licenses = res.keys
        if res is None or not (res.keys or res.missing):
            if q.intent in ("check", "resolve", "explain", "search", "compare") and not (q.intent == "search" and q.topic):
                ans.verdict = "unclear" if q.intent == "check" else None
                ans.missing = [("which version? " if q.ambiguous else "") + "name the model or license to check"]
                examples = [x for a in q.ambiguous for x in _FAMILY_EXAMPLES.get(a, [])] or _EXAMPLES
                ans.answer = tpl.no_target_answer(q, examples)
                return g
        if q.intent == "resolve":
            ans.answer = tpl.resolve_answer(q, res, self.checker.corpus)
            ans.missing = [f"{m.name}: {unresolved_text(m)}" for m in res.missing]
        elif q.intent == "compare":
            profiles = [self.checker.profiler.profile(k) for k in res.keys]
            ans.answer = tpl.compare_answer(profiles)
            g.clauses = self._profile_clauses(profiles)
        elif q.intent in ("explain", "search"):
            keys = res.keys if res else []
            hits = self._search(q.topic or q.use, keys, k=3 if keys else 6) if (q.topic or q.intent == "search") else []
            ans.findings = [{"license": h["license"], "clause_id": h["clause_id"], "category": None, "attitude": None,
                             "quote": h["text"], "why": "matches the question", "effect": "match"} for h in hits]
            if q.intent == "search":
                ans.answer = tpl.search_answer(hits, q.topic or q.use)
            else:
                profiles = [self.checker.profiler.profile(k) for k in keys]
                ans.answer = tpl.profile_answer(profiles, hits, q.topic)
                g.clauses = self._profile_clauses(profiles)
            g.clauses = [(h["clause_id"], h["text"]) for h in hits] + g.clauses
        else:
            facts = read_frame(q.use or q.text, embed=self._embed)
            result = self.checker.decide(facts, res)  # a use in another language is never cleared there
            g.result = result
            ans.verdict = result.verdict
            ans.findings = [present_json.finding(f) for f in result.findings]
            ans.conditions = [condition_text(c) for c in result.conditions]
            ans.missing = [missing_text(m) for m in result.missing]
            ans.deciding = result.deciding
            ans.facts = facts.as_json()
            ans.answer = tpl.check_answer(q, result)
            g.clauses = self._finding_clauses(result)
        return g

    def _resolve(self, q: Question) -> Resolution:
        """One resolution for all the targets a question names (texts that apply together)."""
        merged: Resolution | None = None
        resolver = self.checker.resolver
        for t in q.targets:
            if t.kind == "other":
                continue
            try:
                if t.kind in ("key", "license"):
                    parts = [self.checker.resolve(license=k) for k in (t.keys or [t.value])]
                elif t.kind == "card":
                    parts = [self.checker.resolve(card=t.value)]
                elif t.kind == "model_id":
                    parts = [self.checker.resolve(model=t.value)]
                else:  # a model named in prose → its HF license id
                    r = Resolution(query=t.label, model=t.label)
                    if not resolver.resolve_hf_license(t.value, r):
                        r.missing.append(Unresolved("unknown_id", t.label, license_id=t.value))
                    r.notes.append(Note("read_as_model", model=t.label, key=t.value))
                    for key in list(r.licenses):
                        present, missing = policies_for_license(key, self.checker.corpus)
                        r._add(policies=present, missing=missing)
                    parts = [r]
            except ModeltermsError as e:
                r = Resolution(query=t.value)
                r.missing.append(Unresolved("error", t.label, text=str(e)))
                parts = [r]
            for part in parts:
                if merged is None:
                    merged = part
                    continue
                merged._add(part.licenses, part.policies, part.missing)
                merged.model = merged.model or part.model
                merged.query = f"{merged.query}; {part.query}"
                merged.chain += [c for c in part.chain if c not in merged.chain]
                merged.notes += [n for n in part.notes if n not in merged.notes]
                merged.conflicts += [c for c in part.conflicts if c not in merged.conflicts]
        return merged or Resolution(query=q.text)

    def _finding_clauses(self, result: CheckResult) -> list[tuple[str, str]]:
        order = {"prohibited": 0, "condition": 1, "review": 2, "missing": 3, "grant": 4}
        decisive = set(result.deciding)
        ranked = sorted(result.findings, key=lambda f: (f.clause_id not in decisive, order.get(f.effect, 5)))
        out = []
        for f in ranked:
            text = self.checker.profiler.clause_text(f.license, f.clause_id) or f.quote
            out.append((f.clause_id, text))
        return _unique(out)

    def _profile_clauses(self, profiles) -> list[tuple[str, str]]:
        out = []
        for p in profiles:
            for t in p.terms.values():
                for ev in t.evidence[:1]:
                    out.append((ev.clause_id, self.checker.profiler.clause_text(p.license, ev.clause_id) or ev.quote))
        return _unique(out)

    def _search(self, query: str, keys: list[str], k: int = 3) -> list[dict]:
        if not query.strip():
            return []
        try:
            searcher = self.searcher
        except ModeltermsError:
            return []
        out = []
        try:
            if keys:
                for key in keys:
                    if key in searcher.licenses:
                        out += [h.as_json() for h in searcher.search(query, k=k, license=key)]
            else:
                out = [h.as_json() for h in searcher.search(query, k=k)]
        except ModeltermsError:
            return []
        return out

    @property
    def searcher(self):
        return self._searcher.get()

    # --- with an LLM --------------------------------------------------------------------------
    def _with_llm(self, q: Question, g: _Grounding, on_text) -> Answer:
        ans = g.answer
        head = _head(ans.answer)
        quotes = QuoteChecker()
        clauses = g.clauses
        if q.intent == "check" and g.res is not None and g.res.keys and q.use:
            clauses = _unique(clauses + [(h["clause_id"], h["text"]) for h in self._search(q.use, g.res.keys, k=3)])
        fitted = fit_clauses(clauses, self.settings.llm_context_tokens)
        for cid, text in fitted:
            quotes.add(cid, text)
        for f in ans.findings:  # the grounded answer's own quotes are verbatim by construction
            quotes.add(f["clause_id"], self.checker.profiler.clause_text(f["license"], f["clause_id"]) or f["quote"])
        cancelled = threading.Event()
        shown: list[str] = []

        def emit(text: str):
            if on_text and not cancelled.is_set():
                shown.append(text)
                on_text(text)

        if on_text:
            emit(head + "\n")
        stream = StreamGuard(quotes, emit) if on_text else None
        try:
            text, toolbox = _run_with_deadline(
                lambda: self._run_agent(q, ans, fitted, quotes, stream, cancelled), self.settings.llm_deadline)
        except Exception as e:  # any failure of the LLM: the grounded answer, with one line saying why
            cancelled.set()  # a thread left behind by the deadline stops at its next tool call or chunk
            notice = f"LLM unavailable ({describe_error(e, self.settings)}): grounded answer shown"
            ans.notices.append(notice)
            if on_text:
                on_text(("\n" if shown and not shown[-1].endswith("\n") else "") + _rest(ans.answer, head) + "\n")
            return ans
        if stream is not None:
            stream.close()

        # The verdict of record: the grounded check's. When the rules found no target but the LLM
        # ran check_use itself, the most restrictive of those grounded checks.
        if ans.verdict is not None and g.result is None and toolbox.checks:
            best = min(toolbox.checks, key=lambda r: _ORDER[r.verdict])
            ans.verdict, ans.licenses = best.verdict, best.licenses
            ans.findings = [present_json.finding(f) for f in best.findings]
            ans.conditions, ans.deciding = [condition_text(c) for c in best.conditions], best.deciding
            ans.missing = [missing_text(m) for m in best.missing]
            ans.missing = [m for m in ans.missing if "name the model" not in m]
            if best.resolution is not None:
                ans.model, ans.resolution = best.resolution.model, present_json.resolution(best.resolution)
            ans.notices.append("the target was read by the LLM; the verdict is the grounded check of what it named")
            head = f"{', '.join(best.licenses)}\nVerdict: {VERDICT_HEAD[best.verdict]}"
        report = quotes.check(text)
        vc = verdict_guard(ans.verdict, report.text)
        ans.mode = self.llm.name
        ans.prompt_version = prompts.prompt_version()
        # asked to answer in the question's language, the LLM may not manage: the note then says it is English
        told = lang.detect_prose(report.text)
        ans.answer_language = ans.language if told == lang.UNKNOWN else told
        ans.llm_verdict = vc.llm_verdict
        ans.needs_human_review = vc.needs_review
        ans.review = review_text(vc)
        ans.removed_quotes = report.removed + ([x for x in stream.removed if x not in report.removed] if stream else [])
        if report.unknown_clauses:
            ans.notices.append("the LLM cited clause ids it was not shown: " + ", ".join(report.unknown_clauses[:5]))
        trailer = []
        if ans.review:
            trailer.append("⚠ " + ans.review)
        if ans.removed_quotes:
            trailer.append(f"⚠ {len(ans.removed_quotes)} quotation(s) removed: not verbatim in the cited clauses")
        if ans.deciding:
            trailer.append("Grounded on: " + ", ".join(f"[{c}]" for c in dict.fromkeys(ans.deciding)))
        ans.answer = "\n".join([head, strike_overruled(ans.verdict, report.text)[0].strip()] + trailer)
        if on_text and trailer:
            on_text("\n" + "\n".join(trailer) + "\n")
        return ans

    def _run_agent(self, q: Question, ans: Answer, fitted, quotes: QuoteChecker, stream, cancelled):
        HumanMessage, AIMessage = chat_messages()
        toolbox = Toolbox(self.checker, quotes, searcher_factory=self._searcher.get, cancelled=cancelled)
        model = self.llm.chat_model(streaming=stream is not None)
        agent = tool_agent(model, toolbox.tools(), prompts.load("system"))
        history = []
        for pq, pa in self.turns[-HISTORY_TURNS:]:
            history.append(HumanMessage(frame("question", pq.text)))
            history.append(AIMessage(pa.answer))
        grounded = {k: v for k, v in ans.as_json().items()
                    if k in ("verdict", "licenses", "conditions", "missing", "model", "deciding")}
        grounded["findings"] = [{k: f[k] for k in ("clause_id", "effect", "why")} for f in ans.findings[:12]]
        if ans.verdict is None:
            grounded["answer"] = ans.answer
        turn = prompts.load("turn").format(
            question=frame("question", q.text),
            verdict=ans.verdict or "n/a (not a may-I question)",
            grounded=frame("grounded-check", json.dumps(grounded, ensure_ascii=False, indent=1)),
            clauses="\n".join(frame("clause", text, id=cid) for cid, text in fitted) or "(none)",
            history_note="This is a follow-up to the conversation above.\n" if history else "",
            language=lang.name(ans.language) if ans.language != lang.UNKNOWN else "the language of the question")
        inputs = {"messages": history + [HumanMessage(turn)]}
        config = {"recursion_limit": 12}
        if stream is None:
            state = agent.invoke(inputs, config)
            final = state["messages"][-1]
        else:
            final = None
            for mode, payload in agent.stream(inputs, config, stream_mode=["messages", "values"]):
                if cancelled.is_set():
                    raise LLMError("cancelled")
                if mode == "messages":
                    chunk, meta = payload
                    if getattr(chunk, "type", "") == "AIMessageChunk" and isinstance(chunk.content, str) and chunk.content:
                        stream.feed(chunk.content)
                else:
                    final = payload["messages"][-1]
        text = _content(final)
        if not isinstance(final, AIMessage):
            raise LLMError("the LLM gave no final answer")
        if not text.strip():
            if getattr(final, "invalid_tool_calls", None):
                raise LLMError("the LLM sent a malformed tool call")
            raise LLMError("the LLM gave an empty answer")
        return text, toolbox


# --- helpers ---------------------------------------------------------------------------------

def fit_clauses(clauses: list[tuple[str, str]], budget: int) -> list[tuple[str, str]]:
    """The best-ranked clauses that fit in `budget` tokens (tiktoken cl100k, offline): the lowest-ranked
    are dropped first; a first clause larger than the budget is cut to a verbatim prefix."""
    out, used = [], 0
    for cid, text in clauses:
        n = count_tokens(text) + 12  # the data element around it
        if used + n > budget:
            if not out and budget > 40:
                ids = encoding().encode(text, disallowed_special=())[: budget - 40]
                prefix = encoding().decode(ids)
                prefix = text[: len(prefix)] if text.startswith(prefix) else prefix.rsplit(" ", 1)[0]
                out.append((cid, prefix))
            break
        out.append((cid, text))
        used += n
    return out


def _run_with_deadline(fn, seconds: float):
    """fn() in a daemon thread; LLMError if it has not returned within `seconds` (never hangs)."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as e:  # handed to the caller
            box["error"] = e

    th = threading.Thread(target=target, name="modelterms-llm", daemon=True)
    th.start()
    th.join(seconds)
    if th.is_alive():
        raise LLMError(f"the LLM did not answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _content(msg) -> str:
    if msg is None:
        return ""
    c = msg.content
    if isinstance(c, str):
        return c
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in c)


def _head(text: str) -> str:
    """The grounded answer up to and including its verdict line."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Verdict:"):
            return "\n".join(lines[: i + 1])
    return lines[0] if lines else ""


def _rest(text: str, head: str) -> str:
    return text[len(head):].lstrip("\n") if text.startswith(head) else text


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for cid, text in pairs:
        if cid not in seen and text:
            seen.add(cid)
            out.append((cid, text))
    return out


__all__ = ["Answer", "Conversation", "fit_clauses"]
