"""Progress bars with rates and ETA (rich), or nothing when quiet or not on a terminal."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager


class Progress:
    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self._p = None
        self.log: list[str] = []   # one line per finished step, with its rate (kept for the report)

    @contextmanager
    def session(self):
        if not self.enabled:
            yield self
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TaskProgressColumn,
                                   TextColumn, TimeElapsedColumn, TimeRemainingColumn)

        with RichProgress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                          TaskProgressColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                          TextColumn("ETA"), TimeRemainingColumn(), console=Console(stderr=True)) as p:
            self._p = p
            try:
                yield self
            finally:
                self._p = None

    @contextmanager
    def task(self, description: str, total: int, unit: str, already: int = 0):
        """A bar for one stage; yields advance(n). `already`: work a killed run finished (shown, not rated).
        The stage's rate over the work done now goes to `log`."""
        t0 = time.perf_counter()
        done = [0]
        tid = self._p.add_task(description, total=total, completed=already, rate="") if self._p is not None else None

        def advance(n: int) -> None:
            done[0] += n
            if tid is not None:
                dt = max(time.perf_counter() - t0, 1e-9)
                self._p.update(tid, advance=n, rate=f"{done[0] / dt:,.0f} {unit}/s")

        yield advance
        dt = time.perf_counter() - t0
        kept = f"; {already:,} kept from the interrupted run" if already else ""
        self.log.append(f"{description}: {done[0]:,} {unit} in {dt:.1f} s ({done[0] / max(dt, 1e-9):,.1f} {unit}/s){kept}")
