"""The one way state is written: a temporary file in the same folder, fsync, then os.replace.

A reader (or a process killed mid-write) sees the old file or the new one, never half of either;
the temporary file is removed on every failure, including KeyboardInterrupt.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, IO


def atomic_write(path: Path, content: str | bytes | Callable[[IO[bytes]], None]) -> None:
    """Replace `path` with `content` (text is written as UTF-8; a callable writes to the binary file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
