"""The wording of a use as the category head reads it: model names replaced by "the model".

A model's name is not what the use is about, yet an embedding reads its everyday meaning: "Llama 4
Scout" and "Maverick" sit near reconnaissance and fighter jets, "Falcon" near birds of prey, "Whisper"
near secrets. Facts that depend on the name (which family, which modality, how large) are read from
the text as written; only the embedding, for the category head and the clause similarities, sees this
view. The names are data (corpus/vocab/model_names.yaml).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .vocab import read_vocab

NEUTRAL = "the model"
# a version, a size or a bracketed variant: "3.1", "2.5", "70B", "8x7b", "v3", "k2", "[dev]", ".1"
_VERSION = r"(?:\.?\d[\w.]*|v\d[\w.]*|k\d\w*|r\d\w*|\d+x\d+\w*|\[\w+\])"
_SEP = r"[\s._:/-]?"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    vocab = read_vocab("model_names")
    alt = lambda words: "|".join(re.escape(w).replace(r"\ ", r"[\s-]") for w in sorted(words, key=len, reverse=True))
    variant = rf"(?:{_VERSION}|(?:{alt(vocab['variants'])})\b)"
    tail = rf"(?:{_SEP}{variant})*"
    named = rf"(?:{alt(vocab['names'])})\d*(?:\b|(?={_VERSION})){tail}"
    ambiguous = rf"(?:{alt(vocab['ambiguous'])})(?:{_SEP}{variant})+"
    # a Hub id ("meta-llama/Llama-3.1-8B-Instruct"): an owner, a slash and a name with a digit or a known name
    hub_id = r"[\w.-]+/[\w.-]*\d[\w.-]*"
    return re.compile(rf"(?<![\w/])(?:{hub_id}|{named}|{ambiguous})(?![\w/])", re.I)


def neutral_names(text: str) -> str:
    """The use with every model name replaced by "the model" (repeated "the model the model" collapsed)."""
    out = _pattern().sub(NEUTRAL, text)
    if out == text:
        return text
    # "the Falcon 180B model" → "the model", not "the the model model"
    out = re.sub(rf"\b(?:(?:the|a|an|our|my|their)\s+)?{NEUTRAL}(?:\s+models?\b)?", NEUTRAL, out, flags=re.I)
    return re.sub(rf"\b(?:{NEUTRAL}\s+)+{NEUTRAL}\b", NEUTRAL, out)


def model_names(text: str) -> list[str]:
    """The model names a use writes ("Llama 4 Scout", "qwen2.5-7b", "meta-llama/Llama-3.1-8B"), in order."""
    return [m.group(0) for m in _pattern().finditer(text)]
