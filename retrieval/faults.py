"""Fault injection for the hardening tests: a process stops dead (SIGKILL) or stalls at a named point.

`settings.fault` (env MODELTERMS_FAULT, read at the entry point like every setting) is
`POINT` (kill -9 there) or `POINT:sleep=SECONDS`. Unset in normal use: one comparison per call.
"""
from __future__ import annotations

import os
import signal
import time

from corpus.settings import Settings


def fault(settings: Settings, point: str) -> None:
    spec = settings.fault
    if not spec:
        return
    name, _, action = spec.partition(":")
    if name != point:
        return
    if action.startswith("sleep="):
        time.sleep(float(action.split("=", 1)[1]))
        return
    os.kill(os.getpid(), signal.SIGKILL)
