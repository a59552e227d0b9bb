"""JSON: the machine contract of each result (`--json`, the MCP server, the eval, the web page's export).

Keys and their order are a contract: `check` keeps {verdict, licenses, findings, conditions, missing,
answer, deciding, facts?, model?, resolution?}, its `answer` the text presenter's short answer.
"""
from __future__ import annotations

from .text import check_answer


def check(r) -> dict:
    """A check result, with its short answer in words."""
    out = {}
    for key, value in r.as_json().items():
        if key == "deciding":  # the contract's order: answer before deciding
            out["answer"] = check_answer(r)
        out[key] = value
    return out


def profile(prof) -> dict:
    """A profile, with the term ids of each group."""
    out = prof.as_json()
    out["groups"] = {g: [t.term for t in ts] for g, ts in prof.grouped().items()}
    return out


def resolution(res) -> dict:
    return res.as_json()


def comparison(matrix) -> dict:
    return matrix.as_json()


def diff(d) -> dict:
    return d.as_json()


def audit(r) -> dict:
    return r.as_json()
