"""Prompt templates as text files; their hash is the prompt version.

Templates are plain files beside this module (`*.md`, `*.txt`), read with `load(name)` and filled with
`str.format`-style fields. `prompt_version()` hashes every template's name and bytes, so any
edit to any prompt changes the version recorded with each LLM answer.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources


def _files():
    return sorted((f for f in resources.files(__name__).iterdir() if f.name.endswith((".md", ".txt"))), key=lambda f: f.name)


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The template `name` (with or without `.md`)."""
    fname = name if name.endswith(".md") else name + ".md"
    return resources.files(__name__).joinpath(fname).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def prompt_version() -> str:
    h = hashlib.sha256()
    for f in _files():
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:12]
