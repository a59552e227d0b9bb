"""File paths typed by a user (CLI arguments, batch lines): checked before the file system sees them,
so an over-long name or a NUL byte is a one-line error, not an OSError traceback."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import ModeltermsError
from .keys import shown

MAX_PATH_CHARS = 4096
MAX_NAME_BYTES = 255


def path_problem(text: object) -> str | None:
    if not isinstance(text, (str, os.PathLike)):
        return f"a path must be text, not {type(text).__name__}"
    s = os.fspath(text)
    if not s.strip():
        return "empty path"
    if "\x00" in s:
        return f"{shown(s)}: a path cannot contain a NUL byte"
    if len(s) > MAX_PATH_CHARS:
        return f"path is too long ({len(s):,} characters; the limit is {MAX_PATH_CHARS:,})"
    for part in Path(s).parts:
        if len(part.encode("utf-8", errors="surrogateescape")) > MAX_NAME_BYTES:
            return f"{shown(s)}: a file name in it is too long (the limit is {MAX_NAME_BYTES} bytes)"
    return None


def user_path(text: object) -> Path:
    """The path `text` names (~ expanded); one-line ModeltermsError when it cannot be a path."""
    problem = path_problem(text)
    if problem:
        raise ModeltermsError(problem)
    try:
        return Path(os.fspath(text)).expanduser()
    except RuntimeError:  # '~user' for an unknown user
        return Path(os.fspath(text))


def path_exists(text: object) -> bool:
    """Whether `text` names an existing file or folder; False (never an error) for what cannot be a path."""
    if path_problem(text):
        return False
    try:
        return user_path(text).exists()
    except (OSError, ModeltermsError):
        return False
