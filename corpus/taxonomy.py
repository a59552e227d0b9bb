"""The term taxonomy (corpus/taxonomy.yaml) as typed values."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .yamldata import read_yaml


ATTITUDES = ("cannot", "must", "can", "none")
GROUPS = ("behavioural", "commercial", "structural", "permission")


@dataclass(frozen=True)
class Term:
    id: str
    group: str
    default: str
    name: str
    description: str
    examples: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    # a use of this category is a crime as described (ransomware, trafficking): a license's duty to
    # comply with the law forbids it even where no clause names the category
    unlawful: bool = False
    clause_re: re.Pattern = field(default=None, compare=False, repr=False)
    use_re: re.Pattern = field(default=None, compare=False, repr=False)
    # its phrases do not name it in a counter-use context: detecting, studying or defending against the harm
    counter_use: bool = False
    # only a phrase naming the harmful act (or the frame) makes a use certainly this category; the category head's
    # resemblance alone makes it possible (corpus/vocab/uses/<term>.yaml `needs_act`)
    needs_act: bool = False
    # a use that says it does what the term asks (labels its AI output as AI) does not fall under it, whatever
    # its embedding resembles (corpus/vocab/uses/<term>.yaml `complied_by`)
    complied_re: re.Pattern = field(default=None, compare=False, repr=False)
    # a use that says it is outside the category in so many words ("civilian software" is not military use)
    # (corpus/vocab/uses/<term>.yaml `excluded_by`)
    excluded_re: re.Pattern = field(default=None, compare=False, repr=False)
    # its phrases without the counter-use context: the harm's object named, whatever is done about it
    object_re: re.Pattern = field(default=None, compare=False, repr=False)

    def defensive_at(self, low: str, start: int) -> bool:
        """Is the phrase at `start` of the lower-cased use said for a defensive purpose a few words before it
        ("explain malware samples to our analysts"), with no making verb between ("explain how to build
        ransomware" still names it)? Only for terms that take the counter-use context."""
        if not self.counter_use:
            return False
        _, _, defence, making = _counter_use()
        window = low[max(0, start - 60):start]
        window = window[window.rfind(".") + 1:]  # within its own sentence
        last = None
        for last in defence.finditer(window):
            pass
        return last is not None and not making.search(window[last.end():])

    def protected_at(self, low: str, start: int) -> bool:
        """Is the harm's object at `start` named after a protective or teaching verb ("catch grooming attempts",
        "quiz pupils about trench warfare") with no making verb between? Not a defence noun after it, which also
        names a sector's staff ("police analysts"), nor "identify"/"recognise", which name surveillance itself."""
        if not self.counter_use:
            return False
        window = low[max(0, start - 60):start]
        window = window[window.rfind(".") + 1:]  # within its own sentence
        last = None
        for last in _protective().finditer(window):
            pass
        return last is not None and not _counter_use()[3].search(window[last.end():])

    def matches_clause(self, text: str) -> bool:
        # hard-wrapped texts (CC, GPL, MIT) break phrases across lines: match on single spaces
        return bool(self.clause_re.search(" ".join(text.split())))

    def matches_use(self, text: str) -> bool:
        return bool(self.use_re.search(text))


@lru_cache(maxsize=1)
def load_taxonomy() -> dict[str, Term]:
    data = read_yaml(resources.files("corpus").joinpath("taxonomy.yaml").read_text(encoding="utf-8"))
    terms = {}
    for t in data["terms"]:
        terms[t["id"]] = Term(
            id=t["id"], group=t["group"], default=t["default"], name=t["name"], description=t["description"].strip(),
            examples=tuple(t.get("examples") or ()), uses=tuple(t.get("uses") or ()), params=tuple(t.get("params") or ()),
            unlawful=bool(t.get("unlawful")), counter_use=bool((_use_vocab(t["id"]) or {}).get("counter_use")),
            needs_act=bool((_use_vocab(t["id"]) or {}).get("needs_act")),
            clause_re=re.compile(t["clause"], re.I), use_re=use_pattern(t["id"]), complied_re=_complied(t["id"]),
            excluded_re=_phrases(t["id"], "excluded_by"), object_re=_phrases(t["id"], "patterns"))
    return terms


_NEVER = "(?!)"


@lru_cache(maxsize=1)
def _counter_use() -> tuple[str, str, re.Pattern, re.Pattern]:
    """The counter-use context (corpus/vocab/counter_use.yaml): a look-behind prefix and a look-ahead suffix
    for the phrases, and the defensive-purpose window with its making verbs (Term.defensive_at)."""
    data = read_yaml(resources.files("corpus").joinpath("vocab/counter_use.yaml").read_text(encoding="utf-8"))
    before = "".join(f"(?<!{b})" for b in data["before"])
    after = "(?!\\W{0,2}(\\w+ )?(" + "|".join(data["after"]) + "))"
    return (before, after, re.compile(r"\b(" + "|".join(data["window"]) + r")\b", re.I),
            re.compile(r"\b(" + "|".join(data["making"]) + r")\b", re.I))


@lru_cache(maxsize=1)
def _protective() -> re.Pattern:
    """The protective and teaching verbs (corpus/vocab/counter_use.yaml `protective`)."""
    data = read_yaml(resources.files("corpus").joinpath("vocab/counter_use.yaml").read_text(encoding="utf-8"))
    return re.compile(r"\b(?:" + "|".join(data["protective"]) + r")\b", re.I)


@lru_cache(maxsize=None)
def _use_vocab(term_id: str) -> dict | None:
    """corpus/vocab/uses/<term>.yaml, or None when the term has no vocabulary."""
    path = resources.files("corpus").joinpath(f"vocab/uses/{term_id}.yaml")
    if not path.is_file():
        return None
    return read_yaml(path.read_text(encoding="utf-8")) or {}


def _complied(term_id: str) -> re.Pattern | None:
    return _phrases(term_id, "complied_by")


def _phrases(term_id: str, key: str) -> re.Pattern | None:
    """One list of a term's use vocabulary as a plain pattern (no counter-use context), or None."""
    phrases = (_use_vocab(term_id) or {}).get(key)
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\b", re.I) if phrases else None


def use_pattern(term_id: str) -> re.Pattern:
    """The phrases that name a category in a described use (corpus/vocab/uses/<term>.yaml), one regular
    expression; a term without a vocabulary names nothing."""
    data = _use_vocab(term_id)
    if data is None:
        return re.compile(_NEVER)
    body = "|".join(data["patterns"])
    if data.get("counter_use"):
        before, after, _, _ = _counter_use()
        return re.compile(f"\\b{before}({body}){after}\\b", re.I)
    if data.get("boundaries"):
        return re.compile(f"\\b({body})\\b", re.I)
    return re.compile(body, re.I)


def validate() -> list[str]:
    """Problems in the taxonomy data (an empty list when it is sound); the test suite runs this."""
    problems = []
    for tid, term in load_taxonomy().items():
        if term.group not in GROUPS:
            problems.append(f"{tid}: unknown group {term.group}")
        if term.default not in ATTITUDES:
            problems.append(f"{tid}: unknown default attitude {term.default}")
        if not re.fullmatch(r"[a-z][a-z_]+", tid):
            problems.append(f"{tid}: ids are lower_snake_case")
        if tid != "other_use" and term.group != "structural" and not term.examples:
            problems.append(f"{tid}: no examples")
    return problems
