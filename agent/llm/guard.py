"""Guardrails around LLM answers.

- `frame`: license, model-card and question texts go to the LLM as quoted data inside
  `<data ...>` elements; a text cannot close its element early, so it cannot pose as an
  instruction outside it.
- `QuoteChecker`: every quotation in an LLM answer must be a verbatim substring of a clause the
  answer was given (whitespace and typographic quotes aside); others are removed and flagged.
  Cited clause ids that were never given are flagged too.
- `verdict_guard`: the verdict is the grounded check's. An LLM that states another verdict only
  adds "needs human review"; it can never turn a cited prohibition into an allowance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

VERDICT_WORDS = ("prohibited", "unclear", "conditional", "allowed")
REMOVED = "[quote removed: not found in the cited clauses]"

# A quotation: text in straight or curly double quotes, or in «guillemets», of at least 3 words.
_QUOTE = re.compile(r"\"([^\"\n]{3,}?)\"|“([^”\n]{3,}?)”|«([^»\n]{3,}?)»")
_CLAUSE_REF = re.compile(r"\[([a-z0-9][a-z0-9.+_-]*#[^\]\s]+)\]", re.I)
_STATED_VERDICT = re.compile(r"\bverdict\W{0,3}(?:is\s+|would be\s+)?\W{0,3}(" + "|".join(VERDICT_WORDS) + r")\b", re.I)
_PERMISSIVE = re.compile(r"\b(you (?:can|may) (?:use|do|go ahead)|(?:is|are) (?:allowed|permitted|fine)|no restrictions?)\b",
                         re.I)
_NEGATED = re.compile(r"\b(not|no|never|cannot|can't|isn't|aren't)\b[\w\s,]{0,20}$", re.I)


def frame(kind: str, text: str, **attrs: str) -> str:
    """Untrusted text as a data element: `<data kind=...>text</data>`, unbreakable from inside."""
    safe = _neutralize(text)
    extra = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items() if v is not None)
    return f'<data kind="{_attr(kind)}"{extra}>\n{safe}\n</data>'


def _neutralize(text: str) -> str:
    # Tags that would end or open a data element (or pose as chat roles) lose their angle brackets.
    return re.sub(r"<\s*(/?)\s*(data|system|assistant|user|tool|instructions?)\b", r"‹\1\2", text, flags=re.I)


def _attr(value: str) -> str:
    return re.sub(r"[\"<>\n]", " ", str(value))


def _norm(text: str) -> str:
    text = (text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
            .replace("–", "-").replace("—", "-").replace("\u00a0", " "))
    return " ".join(text.split())


@dataclass
class QuoteReport:
    text: str
    verified: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unknown_clauses: list[str] = field(default_factory=list)


class QuoteChecker:
    """Verifies quotations against the clause texts an answer was given (clause_id -> text)."""

    def __init__(self, clauses: dict[str, str] | None = None):
        self.clauses: dict[str, str] = {}
        self._norm: dict[str, str] = {}
        for cid, text in (clauses or {}).items():
            self.add(cid, text)

    def add(self, clause_id: str, text: str) -> None:
        if text and clause_id not in self.clauses:
            self.clauses[clause_id] = text
            self._norm[clause_id] = _norm(text)

    def source_of(self, quote: str) -> str | None:
        """The clause id a quotation comes from verbatim, or None."""
        parts = [p.strip(" .,;:") for p in re.split(r"\s*(?:\.\.\.|…|\[\.\.\.\]|\[…\])\s*", _norm(quote))]
        parts = [p for p in parts if p]
        if not parts:
            return None
        for cid, text in self._norm.items():
            pos = 0
            for p in parts:
                i = _find(text, p, pos)
                if i < 0:
                    break
                pos = i + len(p)
            else:
                return cid
        return None

    def check(self, answer: str) -> QuoteReport:
        report = QuoteReport(text=answer)

        def repl(m: re.Match) -> str:
            quote = next(g for g in m.groups() if g is not None)
            if len(quote.split()) < 3:  # a quoted word or name, not a quotation
                return m.group(0)
            if self.source_of(quote):
                report.verified.append(quote)
                return m.group(0)
            report.removed.append(quote)
            return REMOVED

        report.text = _QUOTE.sub(repl, answer)
        for m in _CLAUSE_REF.finditer(report.text):
            if m.group(1) not in self.clauses and m.group(1) not in report.unknown_clauses:
                report.unknown_clauses.append(m.group(1))
        return report


def _find(text: str, part: str, start: int) -> int:
    i = text.find(part, start)
    if i < 0 and part:  # a quotation may start a sentence with a capital the clause does not have
        alt = part[0].swapcase() + part[1:]
        i = text.find(alt, start)
    return i


def stated_verdict(text: str) -> str | None:
    """The verdict an LLM answer states ("Verdict: allowed"), the last one if several."""
    found = _STATED_VERDICT.findall(text or "")
    return found[-1].lower() if found else None


@dataclass
class VerdictCheck:
    """The grounded verdict against the LLM's reading; `disagreement` says how they differ (agent/present/text.py
    `REVIEW_WORDS`): stated (the LLM states another verdict) | permissive (it reads a prohibition as allowed)."""
    verdict: str | None
    llm_verdict: str | None
    needs_review: bool
    disagreement: str | None = None


def verdict_guard(grounded: str | None, llm_text: str) -> VerdictCheck:
    """The grounded verdict stands; disagreement (stated, or a permissive reading of a prohibition)
    is flagged for human review."""
    said = stated_verdict(llm_text)
    if grounded is None:
        return VerdictCheck(None, said, False)
    if said and said != grounded:
        return VerdictCheck(grounded, said, True, "stated")
    if grounded == "prohibited" and _reads_permissive(llm_text):
        return VerdictCheck(grounded, said or "allowed", True, "permissive")
    return VerdictCheck(grounded, said, False)


OVERRULED = "[overruled: the LLM's reading here contradicts the grounded verdict ({verdict}), which stands]"
# Sentence ends: after . ! ? followed by a space (not the dot in "1.0" or in a clause id), and line breaks.
_SENTENCE_END = re.compile(r"(?<=[.!?])(?=\s)|(?=\n)")


def strike_overruled(grounded: str | None, text: str) -> tuple[str, int]:
    """The LLM's text with each sentence that states another verdict than the grounded one (or, under a
    prohibition, reads as permissive) replaced by a marker: an overruled claim is never shown as if it
    stood. Returns (text, sentences struck)."""
    if grounded is None or not text:
        return text, 0
    out, struck, last_struck = [], 0, False
    for sentence in _SENTENCE_END.split(text):
        said = stated_verdict(sentence)
        if (said and said != grounded) or (grounded == "prohibited" and _reads_permissive(sentence)):
            if not last_struck:  # a run of overruled sentences becomes one marker
                out.append(sentence[: len(sentence) - len(sentence.lstrip())] + OVERRULED.format(verdict=grounded))
            # a quotation removed inside the struck sentence is still reported where it was
            out[-1] += f" {REMOVED}" * sentence.count(REMOVED)
            struck += 1
            last_struck = True
        else:
            out.append(sentence)
            last_struck = last_struck and not sentence.strip()
    return "".join(out), struck


def _reads_permissive(text: str) -> bool:
    for m in _PERMISSIVE.finditer(text or ""):
        if not _NEGATED.search(text[max(0, m.start() - 40):m.start()]):
            return True
    return False


class StreamGuard:
    """Passes streamed LLM text through as it comes, but holds back an open quotation until it
    closes, so only verified quotations are ever shown."""

    def __init__(self, checker: QuoteChecker, emit):
        self.checker = checker
        self.emit = emit
        self.buffer = ""
        self.removed: list[str] = []
        self.shown: list[str] = []

    def feed(self, chunk: str) -> None:
        self.buffer += chunk
        cut = _safe_cut(self.buffer)
        if cut > 0:
            self._out(self.buffer[:cut])
            self.buffer = self.buffer[cut:]

    def close(self) -> None:
        if self.buffer:
            self._out(self.buffer)
            self.buffer = ""

    def _out(self, text: str) -> None:
        rep = self.checker.check(text)
        self.removed.extend(rep.removed)
        self.shown.append(rep.text)
        self.emit(rep.text)


def _safe_cut(text: str) -> int:
    """How much of the text can be shown now: up to an open (unclosed) quotation, if any."""
    depth_open = None
    i = 0
    pairs = {'"': '"', "“": "”", "«": "»"}
    while i < len(text):
        ch = text[i]
        if depth_open is None and ch in pairs:
            close = pairs[ch]
            j = text.find(close, i + 1)
            nl = text.find("\n", i + 1)
            if j < 0 or (0 <= nl < j):
                if j < 0 and nl < 0:
                    return i  # still open: hold back from here
                i = (nl if j < 0 else j) + 1
                continue
            i = j + 1
            continue
        i += 1
    return len(text)
