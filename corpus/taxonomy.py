"""The term taxonomy (corpus/taxonomy.yaml) as typed values."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

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

    def matches_clause(self, text: str) -> bool:
        # hard-wrapped texts (CC, GPL, MIT) break phrases across lines: match on single spaces
        return bool(self.clause_re.search(" ".join(text.split())))

    def matches_use(self, text: str) -> bool:
        return bool(self.use_re.search(text))


@lru_cache(maxsize=1)
def load_taxonomy() -> dict[str, Term]:
    data = yaml.safe_load(resources.files("corpus").joinpath("taxonomy.yaml").read_text(encoding="utf-8"))
    terms = {}
    for t in data["terms"]:
        terms[t["id"]] = Term(
            id=t["id"], group=t["group"], default=t["default"], name=t["name"], description=t["description"].strip(),
            examples=tuple(t.get("examples") or ()), uses=tuple(t.get("uses") or ()), params=tuple(t.get("params") or ()),
            unlawful=bool(t.get("unlawful")),
            clause_re=re.compile(t["clause"], re.I), use_re=use_pattern(t["id"]))
    return terms


_NEVER = "(?!)"


@lru_cache(maxsize=1)
def _counter_use() -> tuple[str, str]:
    """The counter-use context (corpus/vocab/counter_use.yaml) as a look-behind prefix and a look-ahead suffix."""
    data = yaml.safe_load(resources.files("corpus").joinpath("vocab/counter_use.yaml").read_text(encoding="utf-8"))
    before = "".join(f"(?<!{b})" for b in data["before"])
    after = "(?!\\W{0,2}(\\w+ )?(" + "|".join(data["after"]) + "))"
    return before, after


def use_pattern(term_id: str) -> re.Pattern:
    """The phrases that name a category in a described use (corpus/vocab/uses/<term>.yaml), one regular
    expression; a term without a vocabulary names nothing."""
    path = resources.files("corpus").joinpath(f"vocab/uses/{term_id}.yaml")
    if not path.is_file():
        return re.compile(_NEVER)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    body = "|".join(data["patterns"])
    if data.get("counter_use"):
        before, after = _counter_use()
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
