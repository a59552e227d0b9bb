"""A ban that lists what may not be predicted about people ("any predictions about sensitive characteristics or
behavior related to people, including but not limited to, emotions, sentiment, and age").

License concept (*listed characteristics*): the ban's own list, read from the licence's text, says which
characteristics of people may not be inferred; a use that predicts, estimates, detects or classifies one of them
about people (by role or in general: "people's emotions", "the age of pedestrians", "the religion of applicants") is
that prediction → prohibited, whatever purpose the use states: a specific ban outranks the grant it limits (research
included). The same characteristic of a thing ("the age of trees") is not a characteristic of people.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..facts import NEGATION
from ..result import Reason
from ..vocab import read_vocab

# "predictions about sensitive characteristics or behavior related to people, including but not limited to, A, B and C";
# "inferences of personal attributes of individuals, such as A or B"
_LISTED_BAN = re.compile(
    r"\b(predict\w*|inferen\w*|infer\w*|deduc\w*|determin\w*|classif\w*|categori[sz]\w*)\b[^;.()]{0,60}?"
    r"\b(characteristics?|attributes?|traits?|behaviou?rs?)\b[^;.()]{0,80}?\b(includ\w*|such as)\b,?\s*"
    r"(?:but not limited to,?\s*)?(?P<items>[^;.()]{3,200}?)(?=[;.(]|,? (?:or|and) \(|$)", re.I)
_QUOTE = re.compile(r"\b(characteristics?|attributes?|traits?)\b", re.I)
_BAN = re.compile(r"\b(will not|shall not|may not|must not|cannot|do not|agree not to|not (be )?(permitted|allowed)|"
                  r"prohibit\w*|restrict\w*)\b", re.I)
_FILLER = {"other", "any", "the", "their", "such", "similar", "etc", "and", "or", "all", "its", "related", "to"}


@lru_cache(maxsize=1)
def _people() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("people")
    return (re.compile(r"\b(?:" + "|".join(v["people"]) + r")\b", re.I),
            re.compile(r"\b(?:" + "|".join(v["inference"]) + r")\b", re.I))


def listed_items(clause: str) -> list[str]:
    """The characteristics a listed-characteristics ban names, as the text names them ("emotions", "age")."""
    out = []
    for m in _LISTED_BAN.finditer(" ".join(clause.split())):
        for part in re.split(r",|\band\b|\bor\b|/", m.group("items")):
            words = [w for w in re.findall(r"[a-z][a-z'-]+", part.lower()) if w not in _FILLER]
            if words and len(words) <= 3:
                out.append(" ".join(words))
    return out


def _item_pattern(item: str) -> re.Pattern:
    words = []
    for w in item.split():
        stem = w[:-1] if w.endswith("s") and len(w) > 4 else w
        words.append(re.escape(stem) + (r"\w*" if len(stem) > 4 else r"s?"))
    return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.I)


def predicts_listed(use: str, items: list[str]) -> bool:
    """Does one sentence of the use infer a listed characteristic about people?"""
    people, inference = _people()
    for sentence in re.split(r"(?<=[.!?;])\s+", use):
        low = sentence.lower()
        verb = next((m for m in inference.finditer(low) if not NEGATION.search(low[max(0, m.start() - 30):m.start()])), None)
        if verb is None or not people.search(low):
            continue
        if any(_item_pattern(i).search(low) for i in items):
            return True
    return False


def apply(ctx: RuleContext):
    people, inference = _people()
    low = ctx.facts.text.lower()
    if not (people.search(low) and inference.search(low)):
        return  # (on the hot path: no clause need be read for a use that infers nothing about people)
    for f in ctx.profiler.features(ctx.prof.license):
        clause = " ".join(f.clause.text.split())
        items = listed_items(clause)
        if not items:
            continue
        if not (f.flags.get("restrictive") or _BAN.search(clause) or _BAN.search(f.context or "")):
            continue
        if predicts_listed(ctx.facts.text, items):
            ctx.add_clause(f.clause.id, "privacy_pii", "cannot", Reason("listed_characteristic", ctx.prof.name,
                                                                        category=", ".join(items[:4])), "prohibited",
                           pattern=_QUOTE)
            return
