"""The one check for a corpus key, wherever a key enters: add, lookup, remove, batch lines, the UI,
a card's `license:`. Keys name files under the data folder, so anything but the key alphabet
(no '/', no '..', no NUL) is refused before a path is built, and every refusal is one short line."""
from __future__ import annotations

from .entry import KEY_RE
from .errors import ModeltermsError

MAX_KEY_CHARS = 100
KEY_RULE = "2-100 lowercase letters, digits, '.', '_', '+' or '-', starting with a letter or digit"


def shown(text: object, limit: int = 60) -> str:
    """A value as it may appear in a one-line message: repr'd, one line, cut to `limit` characters."""
    s = repr(text) if isinstance(text, str) else type(text).__name__
    return s if len(s) <= limit else s[:limit - 1] + "…"


def key_problem(key: object, what: str = "license key") -> str | None:
    """Why `key` is not a valid key (one line), or None when it is."""
    if not isinstance(key, str):
        return f"{what} must be text, not {type(key).__name__}"
    if not key.strip():
        return f"empty {what}"
    if len(key) > MAX_KEY_CHARS:
        return f"{what} is too long ({len(key):,} characters; the limit is {MAX_KEY_CHARS})"
    if not KEY_RE.match(key):
        return f"invalid {what} {shown(key)}: use {KEY_RULE}"
    return None


def is_valid_key(key: object) -> bool:
    return key_problem(key) is None


def validate_key(key: object, what: str = "license key") -> str:
    """`key` itself when valid; a one-line ModeltermsError otherwise."""
    problem = key_problem(key, what)
    if problem:
        raise ModeltermsError(problem)
    return key  # type: ignore[return-value]
