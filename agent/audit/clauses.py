"""Where an inherited text creates a duty: the clause, a verbatim quote, and values cut from it
(the notice wording, the "Built with …" phrase, the name prefix) — all verbatim from the license text."""
from __future__ import annotations

import re
from dataclasses import dataclass

from agent.terms.profile import Profiler, best_quote

from .result import Source

# A quoted passage: “…”, "…", ‘…’ (a notice wording, a phrase, a prefix).
_QUOTED = re.compile(r"[“\"]([^“”\"]{2,600})[”\"]|‘([^‘’]{2,80})’")


@dataclass
class DutyClause:
    license: str
    clause_id: str
    text: str            # the clause text
    start: int           # the clause's offset in the license text
    match_start: int     # where the duty pattern matched, within the clause
    match_end: int
    quote: str

    def source(self, upstream: str | None) -> Source:
        return Source(self.license, self.clause_id, self.quote, upstream)


def find_clause(profiler: Profiler, key: str, term: str, pattern: re.Pattern,
                require_term: bool = True) -> DutyClause | None:
    """The first clause of `key` (in text order) that states the duty: it matches `pattern` and, unless
    `require_term` is off, the text's profile has `term` (so a passing mention creates no duty)."""
    prof = profiler.profile(key)
    if require_term and term not in prof.terms:
        return None
    evidence = {e.clause_id for e in prof.terms[term].evidence} if term in prof.terms else set()
    candidates = []
    for f in profiler.features(key):
        m = pattern.search(f.clause.text)
        if m:
            candidates.append((f.clause.id not in evidence, f.clause.start, f.clause, m))
    if not candidates:
        return None
    _, _, clause, m = min(candidates, key=lambda c: (c[0], c[1]))
    quote, _, _ = best_quote(clause.text, pattern)
    return DutyClause(key, clause.id, clause.text, clause.start, m.start(), m.end(), quote)


def quoted_after(text: str, pos: int, min_len: int, within: int = 400) -> str | None:
    """The first quoted passage of at least `min_len` characters that opens within `within` characters
    after `pos` (the wording a "following notice" introduces)."""
    for m in _QUOTED.finditer(text, pos):
        if m.start() - pos > within:
            return None
        inner = (m.group(1) or m.group(2) or "").strip()
        if len(inner) >= min_len:
            return inner
    return None


def quoted_in(text: str, must: re.Pattern) -> list[str]:
    """Quoted passages of `text` that match `must` (the phrases to display, e.g. "Built with Llama")."""
    return [q for m in _QUOTED.finditer(text) if (q := (m.group(1) or m.group(2) or "").strip()) and must.search(q)]


def prefix_in(text: str) -> str | None:
    """The quoted word a naming clause requires at the beginning of a name."""
    m = re.search(r"[“\"‘']([^“”\"‘’']{2,30})[”\"’']\s+at the beginning of", text, re.I)
    return m.group(1).strip() if m else None
