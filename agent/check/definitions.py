"""Defined terms: a license says what its capitalised terms mean ("“Non-Commercial Purpose” means …"), and
a clause that uses such a term is read with its definition.

A non-commercial grant "solely for your Non-Commercial Purposes" admits what the definition admits
(testing and evaluation by a company, say), which the granting clause itself never says.
"""
from __future__ import annotations

import re
from functools import lru_cache

# “Term” means … / "Term" shall mean … / 'Term' refers to … (straight or curly quotes; an optional "(s)")
_DEFINITION = re.compile(
    r"[“\"‘']\s*(?P<term>[A-Z][\w&/\- ]{1,60}?)\s*[”\"’']\s*(?:\([^)]{0,40}\)\s*)?,?\s*"
    r"(?:means|shall mean|refers to|is defined as|has the meaning)\b")
# a quoted or capitalised multi-word term used in a clause ("Non-Commercial Purposes", "Research Purpose")
_USED = re.compile(r"\b([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\b")
_MAX_DEFINITION = 1500


@lru_cache(maxsize=256)
def definitions(text: str) -> dict[str, str]:
    """Defined term (normalised) -> the text of its definition, up to the next definition."""
    found = list(_DEFINITION.finditer(text))
    out: dict[str, str] = {}
    for i, m in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        out.setdefault(_norm(m.group("term")), text[m.start():min(end, m.start() + _MAX_DEFINITION)])
    return out


def used_definitions(clause_text: str, license_text: str) -> str:
    """The definitions of the defined terms a clause uses, joined (empty when it uses none)."""
    defs = definitions(license_text)
    if not defs:
        return ""
    seen, parts = set(), []
    for m in _USED.finditer(clause_text):
        words = m.group(1).split()
        # every run of consecutive words, longest first: "your Non-Commercial Purposes" → "Non-Commercial Purposes"
        for n in range(len(words), 0, -1):
            for s in range(0, len(words) - n + 1):
                key = _norm(" ".join(words[s:s + n]))
                if key in defs and key not in seen:
                    seen.add(key)
                    parts.append(defs[key])
    return " ".join(parts)


def _norm(term: str) -> str:
    """Case, spacing and a plural -s do not change which term is meant."""
    t = " ".join(term.lower().replace("-", " ").split())
    return t[:-1] if t.endswith("s") and not t.endswith("ss") else t
