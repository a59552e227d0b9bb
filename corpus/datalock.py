"""One lock file in the data folder, held by every command that changes the corpus or the index
(`index`, `corpus add`, `corpus remove`, the UI's corpus tab), so they run one after another:
a `corpus remove` during an `index` waits, and the index can no longer commit a text that is gone.

An OS file lock (flock): a process killed with -9 releases it, so no stale lock is left behind.
Re-entrant within a process (a command that adds, then indexes, takes it once).
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path

from .errors import ModeltermsError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: commands are not serialized there
    fcntl = None

LOCK_NAME = ".lock"
_local = threading.RLock()
_held: dict[str, list] = {}  # lock path -> [fd, depth]


@contextlib.contextmanager
def data_lock(home: Path, timeout: float = 600.0, wait: bool = True):
    """Hold the data folder's lock. `wait=False` yields False at once when another process or thread
    holds it (a reader that would only repair something skips the repair); otherwise waits up to `timeout`."""
    path = Path(home) / LOCK_NAME
    # Threads of one process take the in-process lock first (re-entrant for the thread that holds it);
    # the file lock then serializes processes.
    if not (_local.acquire(timeout=timeout) if wait else _local.acquire(blocking=False)):
        if not wait:
            yield False
            return
        raise ModeltermsError(f"another modelterms command is changing {path.parent} "
                              f"(waited {timeout:g} s); try again when it has finished")
    try:
        key = str(path)
        if key in _held:
            _held[key][1] += 1
            try:
                yield True
            finally:
                _held[key][1] -= 1
            return
        fd = _acquire(path, timeout, wait)
        if fd is None:
            yield False
            return
        _held[key] = [fd, 1]
        try:
            yield True
        finally:
            del _held[key]
            _release(fd)
    finally:
        _local.release()


def _acquire(path: Path, timeout: float, wait: bool):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if fcntl is None:
        return fd
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not wait:
                os.close(fd)
                return None
            if time.monotonic() >= deadline:
                os.close(fd)
                raise ModeltermsError(f"another modelterms command is changing {path.parent} "
                                      f"(waited {timeout:g} s); try again when it has finished") from None
            time.sleep(0.1)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _release(fd) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
