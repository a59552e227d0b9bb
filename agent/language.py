"""Which language a question (or an answer) is written in: enough to tell a reader that the grounded answer is in
English, and to ask an LLM to answer in the question's language. A small reading of scripts and function words
(vocabulary in agent/data/languages.yaml), not a general language identifier: `detect` returns a code listed there
("en", "es", "de", "fr", "zh", "ja", …) or "unknown" when the text is too short or too mixed to say."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.yamldata import read_yaml

DATA = Path(__file__).parent / "data" / "languages.yaml"
ENGLISH = "en"
UNKNOWN = "unknown"
# Letters of Latin-script words, accents included; digits and model ids ("3.1", "8B") are no evidence.
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# A quotation (straight or curly quotes) is the license's English, not the writer's language.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|\[[^\]]*\]")


@dataclass(frozen=True)
class _Vocab:
    note: str
    scripts: list[tuple[str, re.Pattern, int]]
    words: dict[str, frozenset]
    marks: dict[str, str]
    names: dict[str, str]
    notes: dict[str, str]


@functools.lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    data = read_yaml(DATA.read_text(encoding="utf-8"))
    langs = data["languages"]
    return _Vocab(
        note=data["note"],
        scripts=[(s["lang"], re.compile(f"[{s['chars']}]"), int(s["weight"])) for s in data["scripts"]],
        words={k: frozenset(_word(k, w) for w in v.get("words", [])) for k, v in langs.items() if v.get("words")},
        marks={k: v["marks"] for k, v in langs.items() if v.get("marks")},
        names={k: v["name"] for k, v in langs.items()},
        notes={k: v["note"] for k, v in langs.items() if v.get("note")})


def _word(lang: str, w) -> str:
    if not isinstance(w, str):  # YAML reads an unquoted no / on / yes as a boolean
        raise ValueError(f"{DATA.name}: {lang}: quote the word {w!r}")
    return w.lower()


def detect(text: str) -> str:
    """The language code of `text` (see the module doc), or "unknown"."""
    text = text or ""
    v = _vocab()
    latin = len(_LATIN.findall(text))
    for lang, chars, weight in v.scripts:
        n = len(chars.findall(text))
        if n >= 2 and n * weight >= latin:
            return lang
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in v.words.items()}
    lowered = text.lower()
    for lang, marks in v.marks.items():
        scores[lang] = scores.get(lang, 0) + sum(m in lowered for m in marks)
    english = scores.get(ENGLISH, 0)
    # dict order is the file's order, so max() breaks a tie in favour of the language listed first
    best = max((k for k in scores if k != ENGLISH), key=lambda k: scores[k], default=None)
    if best is not None and scores[best] >= 2 and scores[best] > english:
        return best
    if english >= 2 or (english >= 1 and len(words) <= 3):
        return ENGLISH
    return UNKNOWN


def detect_prose(text: str) -> str:
    """`detect` over the writer's own words: quotations and [clause ids] left out (an answer in Spanish quotes the
    license in English)."""
    return detect(_QUOTED.sub(" ", text or ""))


def name(lang: str) -> str:
    """The language's English name ("Spanish"); the code itself for one the vocabulary does not list."""
    return _vocab().names.get(lang, lang)


def english_note(lang: str) -> str | None:
    """The note for a reader of `lang` whose answer is in English: None when they asked in English or the
    language could not be told; else the note in English, followed by the same in their language when known."""
    if lang in (ENGLISH, UNKNOWN):
        return None
    v = _vocab()
    own = v.notes.get(lang)
    return f"{v.note} ({own})" if own else v.note


__all__ = ["ENGLISH", "UNKNOWN", "detect", "detect_prose", "english_note", "name"]
