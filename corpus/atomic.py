"""The one way state is written: a temporary file in the same folder, fsync, then os.replace.

A reader (or a process killed mid-write) sees the old file or the new one, never half of either;
the temporary file is removed on every failure, including KeyboardInterrupt. Writers that need a
file name rather than a file object (DuckDB's COPY, a Parquet writer given a path) use
`atomic_output`; everything else `atomic_write`.
"""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, IO, Iterator

# What the new file's permission bits are: PRIVATE keeps mkstemp's 0600 (state only this user reads),
# SHARED is what a plain open() would give (0666 less the umask: outputs the user hands on), KEEP is the
# replaced file's own mode (a file in the user's repository), SHARED when there is none.
PRIVATE, SHARED, KEEP = "private", "shared", "keep"


def atomic_write(path: Path, content: str | bytes | Callable[[IO[bytes]], None], mode: str = PRIVATE) -> None:
    """Replace `path` with `content` (text is written as UTF-8; a callable writes to the binary file)."""
    with atomic_output(path, mode) as tmp:
        with open(tmp, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)


@contextmanager
def atomic_output(path: Path, mode: str = PRIVATE) -> Iterator[Path]:
    """A temporary path next to `path` to write to; when the block ends it is synced and renamed onto
    `path`. If the block (or the rename) fails, the temporary file is removed and `path` is untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        if mode != PRIVATE:
            os.chmod(tmp, _mode(path, mode))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode(path: Path, mode: str) -> int:
    if mode == KEEP:
        try:
            return path.stat().st_mode & 0o777
        except FileNotFoundError:
            pass
    elif mode != SHARED:
        raise ValueError(f"unknown file mode {mode!r}")
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
