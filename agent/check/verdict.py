"""From findings to a verdict (its words are the presenters', agent/present).

Order: prohibited > unclear > conditional > allowed — an unresolved possible prohibition outranks a
condition, and "unclear" is preferred to a wrong "allowed". `allowed` needs a grant (or only use
policies at hand) and nothing against it.
"""
from __future__ import annotations

from corpus.catalog import Corpus

from .facts import UseFacts
from .result import CheckResult
from .categories import GENERIC_DUTIES


def verdict(facts: UseFacts, result: CheckResult, corpus: Corpus) -> str:
    effects = {f.effect for f in result.findings}
    if "prohibited" in effects:
        return "prohibited"
    if facts.vague or not result.licenses:
        return "unclear"
    if any(m.kind == "regional_policy" for m in result.missing):
        return "unclear"  # the use is where a policy that is not at hand withholds the rights
    # a use that may fall under a category, next to a policy whose text is missing, cannot be cleared
    # (an AI-disclosure duty the use only resembles is a condition, not a reason to withhold a verdict)
    behavioural = [c for c in facts.categories if c != "other_use" and not (
        c == "ai_disclosure" and facts.category_scores.get(c, 0.0) < 1.0)] + [
        c for c in facts.possible if c not in ("other_use", "ai_disclosure") and c not in GENERIC_DUTIES]
    missing_policy = any(f.effect == "missing" for f in result.findings) or any(
        m.text_not_in_corpus for m in result.missing)
    if (behavioural and missing_policy) or "review" in effects:
        return "unclear"
    if "condition" in effects or result.conditions:
        return "conditional"
    grants = "grant" in effects or all(corpus.get(k).kind == "aup" for k in result.licenses)
    return "allowed" if grants else "unclear"

