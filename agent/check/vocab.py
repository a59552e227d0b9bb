"""The use frame's vocabularies (corpus/vocab/*.yaml): actors, activities — reviewable data, compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from corpus.yamldata import read_yaml


@dataclass(frozen=True)
class Actor:
    id: str
    sector: str
    implies: tuple[str, ...]
    pattern: re.Pattern
    may_imply: tuple[str, ...] = ()  # categories the actor may fall under: whether it does depends on facts not said
    # activities (ids in activities.yaml) one of which the use must name for `may_imply` to count: a trade's back
    # office (payroll, a staff handbook) is not the trade whose goods a ban may reach
    may_imply_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    id: str
    implies: tuple[str, ...]
    with_sectors: tuple[str, ...]
    decides_about_people: bool
    pattern: re.Pattern
    informs_only: bool = False  # prepares information for a person (summarise, draft …): decides nothing alone
    deciding_verbs: re.Pattern | None = None  # wording that makes an informing activity deciding after all
    unless_informing: bool = False  # implies nothing where the use only informs a person (categories._informs_only)


def read_vocab(name: str) -> dict:
    """corpus/vocab/<name>.yaml as data."""
    return read_yaml(resources.files("corpus").joinpath(f"vocab/{name}.yaml").read_text(encoding="utf-8")) or {}


def _compile(phrases: list[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in phrases) + r")\b", re.I)


@lru_cache(maxsize=1)
def actors() -> tuple[Actor, ...]:
    return tuple(Actor(k, v["sector"], tuple(v.get("implies") or ()), _compile(v["phrases"]), tuple(v.get("may_imply") or ()),
                       tuple(v.get("may_imply_with") or ()))
                 for k, v in read_vocab("actors").items())


@lru_cache(maxsize=1)
def activities() -> tuple[Activity, ...]:
    return tuple(Activity(k, tuple(v.get("implies") or ()), tuple(v.get("with_sectors") or ()),
                          bool(v.get("decides_about_people")), _compile(v["phrases"]), bool(v.get("informs_only")),
                          re.compile(r"\b" + v["deciding_verbs"], re.I) if v.get("deciding_verbs") else None,
                          bool(v.get("unless_informing")))
                 for k, v in read_vocab("activities").items())


@lru_cache(maxsize=1)
def _former_members() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("former_members")
    before = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in v["before"]) + r")$", re.I)
    after = re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in v["after"]) + ")", re.I)
    return before, after


@lru_cache(maxsize=1)
def _other_parties() -> tuple[re.Pattern, re.Pattern]:
    v = read_vocab("other_parties")
    subject = re.compile(r"^\s*(?:and |but |while |whereas )?(?:" + "|".join(f"(?:{p})" for p in v["subjects"]) + r")\b", re.I)
    return re.compile(v["clause_breaks"], re.I), subject


def another_party(low: str, start: int) -> bool:
    """*Another party is not the actor* (corpus/vocab/other_parties.yaml): the words at low[start:] lie in a clause
    whose subject is another organisation ("a sister company in our group builds drones for the defence ministry")."""
    breaks, subject = _other_parties()
    before = low[:start]
    cut = max((m.end() for m in breaks.finditer(before)), default=0)
    return bool(subject.search(before[cut:]))


def without_other_parties(text: str) -> str:
    """The use without its clauses about another party (*another party is not the actor*): what the category head
    reads, so that a sister company's customers do not colour the user's own use. The use itself when nothing is
    left."""
    breaks, subject = _other_parties()
    low = text.lower()
    cuts = [0] + [m.end() for m in breaks.finditer(low)] + [len(text)]
    kept = [text[a:b] for a, b in zip(cuts, cuts[1:]) if not subject.search(low[a:b])]
    out = "".join(kept).strip()
    return out if out and len(kept) < len(cuts) - 1 else text


def not_the_actor(low: str, start: int, end: int) -> bool:
    """*Former members are not the actor* (corpus/vocab/former_members.yaml): the actor's name at low[start:end] is
    said of its former members or its members' families ("former soldiers", "ex-army", "veterans of the navy",
    "soldiers' families"), who are civilians: a ban aimed at the actor's use does not reach a service for them."""
    before, after = _former_members()
    return bool(before.search(low[max(0, start - 40):start]) or after.search(low[end:end + 30])) or another_party(low, start)
