"""What every rule sees: one applicable text's profile, the use's frame, and the result being built.

Rules add findings through `add_term` / `add_clause`, which quote clauses at their own offsets
(verbatim) and never add the same clause twice with the same effect. A finding says why it counts as a typed
`Reason`; its words are the presenters'.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from corpus.taxonomy import load_taxonomy

from ..terms.profile import Profile, Profiler, TermResult, best_quote
from .definitions import used_definitions
from .facts import UseFacts
from .result import CheckResult, Condition, Finding, Reason


@dataclass
class RuleContext:
    profiler: Profiler
    prof: Profile
    facts: UseFacts
    result: CheckResult
    use_vec: np.ndarray
    covered: frozenset[str]  # terms some applicable text addresses

    @property
    def terms(self) -> dict[str, TermResult]:
        return self.prof.terms

    def clause_text(self, clause_id: str) -> str:
        return self.profiler.clause_text(self.prof.license, clause_id) or ""

    def clauses_of(self, term: TermResult, n: int) -> str:
        """The whole text of a term's first n evidence clauses (quotes are only a sentence of each)."""
        return " ".join(self.clause_text(e.clause_id) for e in term.evidence[:n])

    def read_with_definitions(self, text: str) -> str:
        """A clause's text followed by the definitions of the defined terms it uses (definitions.py)."""
        entry = self.profiler.corpus.get(self.prof.license)
        return (text + " " + used_definitions(text, entry.text)).strip()

    def quotes_of(self, term: TermResult, n: int) -> str:
        return " ".join(e.quote for e in term.evidence[:n])

    def add_term(self, term: TermResult, reason: Reason, effect: str, condition: Condition | None = None, limit: int = 2):
        for ev in term.evidence[:limit]:
            if any(f.clause_id == ev.clause_id and f.effect == effect for f in self.result.findings):
                continue
            self.result.findings.append(Finding(self.prof.license, ev.clause_id, term.term, term.attitude, ev.quote,
                                                reason, effect))
        self.condition(condition)

    def condition(self, condition: Condition | None):
        if condition and condition not in self.result.conditions:
            self.result.conditions.append(condition)

    def add_clause(self, clause_id: str, category: str, attitude: str, reason: Reason, effect: str,
                   pattern: re.Pattern | None = None):
        text = self.profiler.clause_text(self.prof.license, clause_id)
        if text is None or any(f.clause_id == clause_id and f.effect == effect for f in self.result.findings):
            return
        quote = best_quote(text, pattern or load_taxonomy()[category].clause_re)[0]
        self.result.findings.append(Finding(self.prof.license, clause_id, category, attitude, quote, reason, effect))
