"""How a CLI command gets what the entry point built: the `modelterms` group builds one Deps
(agent/deps.py) from the settings into the click context; a command takes it with `pass_deps`, or
just its settings with `pass_settings`. Nothing is loaded until a member is used."""
from __future__ import annotations

import functools

import click

pass_deps = click.pass_obj
_ANSWERED = {"read_only": False}


def answered_read_only() -> None:
    """Said by a command once its answer is printed, when it wrote nothing to the index and holds nothing
    open: `main()` may then end the process without the interpreter's teardown. After a check that teardown
    frees the ~4,000 modules torch, transformers and chromadb bring, one by one: about a second of a cold
    `modelterms check` on a 2-core machine, for nothing (BENCHMARKS.md, "Issue 11: cold start")."""
    _ANSWERED["read_only"] = True


def read_only_answer_given() -> bool:
    return _ANSWERED["read_only"]


def pass_settings(command):
    @click.pass_obj
    @functools.wraps(command)
    def run(deps, *args, **kwargs):
        return command(deps.settings, *args, **kwargs)

    return run
