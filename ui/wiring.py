"""How a CLI command gets what the entry point built: the `modelterms` group builds one Deps
(agent/deps.py) from the settings into the click context; a command takes it with `pass_deps`, or
just its settings with `pass_settings`. Nothing is loaded until a member is used."""
from __future__ import annotations

import functools

import click

pass_deps = click.pass_obj


def pass_settings(command):
    @click.pass_obj
    @functools.wraps(command)
    def run(deps, *args, **kwargs):
        return command(deps.settings, *args, **kwargs)

    return run
