"""Custom restrictions in the user's own words: set into the shape of their nearest corpus clauses,
or drafted by an LLM (checked: one item, no long verbatim corpus quote); always marked for legal review."""
from __future__ import annotations

import re

from corpus.display import shorten
from corpus.taxonomy import load_taxonomy
from prompts import load

from ..identify import normalize
from .spec import CUSTOM_PATTERNS, CustomRestriction
from .wording import load_templates, restriction_ids


_NEGATION = re.compile(
    r"^(?:(?:you\s+)?(?:shall|must|may|will)\s+not\s+|(?:do\s+not|don'?t|never|no|not|prohibit(?:ed)?|"
    r"forbid(?:den)?|ban(?:ned)?)(?:\s*[:,\-–]\s*|\s+))", re.I)
_USE = re.compile(r"^(?:(?:use|using|usage|uses|deploy(?:ing|ment)?|apply(?:ing)?)\s+"
                  r"(?:(?:of\s+)?(?:it|the\s+(?:model|data|application|software|code|materials?))\s+)?)", re.I)
_PREP = re.compile(r"^(in|for|to|as|by|within|on|against|about|during|with|inside|at|towards?|that|which|where|when)\b", re.I)


def custom_scope(text: str) -> str:
    """The user's restriction as a phrase that completes 'You shall not use the Model ...'.

    "no use in political campaigns" -> "in political campaigns"; "no deciding claims" -> "for
    deciding claims"; "never rank job applicants" -> "to rank job applicants" (after "never",
    "do not" or "must not" the words are a verb phrase; after "no" a noun phrase).
    """
    s = " ".join(text.split()).strip().rstrip(".;:!")
    verb = False
    for _ in range(3):
        m = _NEGATION.match(s)
        if m and re.match(r"(?:you\s+)?(?:shall|must|may|will)\s+not|do\s+not|don'?t|never", m.group(0), re.I):
            verb = True
        s2 = _USE.sub("", _NEGATION.sub("", s)).strip()
        if s2 == s:
            break
        if _USE.match(_NEGATION.sub("", s)):
            verb = False  # "do not use it for X": the verb was "use", X is what follows
        s = s2
    s = re.sub(r"^(?:the\s+model|it)\s+", "", s, flags=re.I) or text.strip().rstrip(".;:!")
    if s[:1].isupper() and not s[:2].isupper():
        s = s[0].lower() + s[1:]
    if _PREP.match(s):
        return s
    return f"to {s}" if verb and not s.split()[0].lower().endswith("ing") else f"for {s}"


def pattern_for(nearest_texts: list[str]) -> str:
    """How the nearest corpus clauses frame their restriction: an activity (the default), content
    generation, decisions about people, or targeting people; the closest clauses weigh most."""
    votes = {p: 0.0 for p in CUSTOM_PATTERNS}
    for i, t in enumerate(nearest_texts[:3]):
        w = 1.0 / (1 + i)
        low = t.lower()
        votes["activity"] += 0.5 * w
        if re.search(r"\b(generat\w*|disseminat\w*|content|materials?)\b", low):
            votes["content"] += w
        if re.search(r"\b(decisions?|eligibility|determin\w*)\b", low):
            votes["decisions"] += w
        if re.search(r"\b(target\w*|individuals? or groups?|persons? or groups?)\b", low):
            votes["targeting"] += w
    return max(CUSTOM_PATTERNS, key=lambda p: (votes[p], -CUSTOM_PATTERNS.index(p)))


def related_terms(text: str) -> list[str]:
    """Behavioural taxonomy terms a free-text restriction names (by the taxonomy's use patterns)."""
    valid = set(restriction_ids())
    return [t.id for t in load_taxonomy().values() if t.id in valid and t.use_re.search(text)]


def adapt_custom(c: CustomRestriction, nearest) -> CustomRestriction:
    """Without an LLM: the user's scope, kept whole, framed like the nearest corpus clauses, in modelterms' words."""
    tpl = load_templates().data["custom_patterns"]
    pattern = pattern_for([h.text for h in nearest])
    body = tpl[pattern].format(scope=custom_scope(c.text))
    return CustomRestriction(c.text, clause=body + ";", method="pattern", pattern=pattern, terms=related_terms(c.text),
                             nearest=_distinct(nearest), review=True)


def draft_custom_clause(spec, nearest_clauses, llm) -> CustomRestriction:
    """The hook for drafting one custom restriction.

    spec: the `CustomRestriction` (the user's words in `.text`); nearest_clauses: corpus `Hit`s
    nearest to it; llm: None, or an object with `.complete(prompt) -> str` (or a callable
    `llm(prompt) -> str`), such as the chat model of agent/llm/backends.py. Without an LLM, or when its
    answer fails the checks (one item, no long verbatim corpus quote, not empty), the nearest
    clause pattern is adapted instead. Either way the clause is marked for legal review.
    """
    if llm is None:
        return adapt_custom(spec, nearest_clauses)
    prompt = custom_clause_prompt(spec.text, nearest_clauses)
    try:
        answer = llm.complete(prompt) if hasattr(llm, "complete") else llm(prompt)
    except Exception as e:  # an LLM failure must not lose the draft
        out = adapt_custom(spec, nearest_clauses)
        out.method = f"pattern (llm failed: {type(e).__name__})"
        return out
    clause = _clean_llm_clause(str(answer or ""), nearest_clauses)
    if clause is None:
        out = adapt_custom(spec, nearest_clauses)
        out.method = "pattern (llm answer rejected)"
        return out
    return CustomRestriction(spec.text, clause=clause, method="llm", pattern=None, terms=related_terms(spec.text),
                             nearest=_distinct(nearest_clauses), review=True)


def _distinct(hits, n: int = 3) -> list[str]:
    """Clause ids of the first hits, one per license."""
    out, seen = [], set()
    for h in hits:
        if h.license not in seen:
            seen.add(h.license)
            out.append(h.clause_id)
    return out[:n]


def custom_clause_prompt(text: str, nearest) -> str:
    tpl = load("draft_custom_clause")
    examples = "\n".join(f"- [{h.clause_id}] {shorten(h.text, 300)}" for h in nearest[:3]) or "- (none found)"
    lead = load_templates().data["attachment"]["lead"].format(A="Model")
    return tpl.format(restriction=text, nearest=examples, lead=lead)


def _clean_llm_clause(answer: str, nearest) -> str | None:
    s = " ".join(answer.strip().strip('"“”').split())
    s = re.sub(r"^\(?[a-z0-9]{1,3}[.)]\s+", "", s, flags=re.I)  # a list marker the model added
    if not (8 <= len(s) <= 400) or "\n" in answer.strip():
        return None

    words = normalize(s)
    for h in nearest:
        other = " ".join(normalize(h.text))
        for i in range(0, max(0, len(words) - 8)):
            if " ".join(words[i:i + 9]) in other:
                return None  # quotes the corpus: the clause must be in modelterms' (and the user's) words
    return s.rstrip(".;") + ";"
