"""`modelterms identify PATH|- [PATH …]`: which corpus license is this text?

Thin: it reads each file with the project's own validation (corpus/textfile.py) and prints what
agent/identify.py answers. One Identifier serves every path, so many files cost one index load.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps
from corpus.settings import Settings

from .wiring import pass_deps

STDIN = "-"


def read_input(arg: str, settings: Settings) -> str:
    """The text of a file, or of standard input for "-"; ModeltermsError with a one-line reason."""
    from corpus.textfile import check_size, read_text_file, text_from_bytes

    if arg != STDIN:
        return read_text_file(Path(arg), settings.max_file_bytes)
    data = sys.stdin.buffer.read(settings.max_file_bytes + 1)
    check_size(len(data), settings.max_file_bytes, "<stdin>", what="input")
    return text_from_bytes(data, "", "<stdin>")


def _human(result, threshold: float) -> list[str]:
    if not result.matches:
        return ["unknown: no corpus text shares any wording with it"]
    best = result.matches[0]
    if result.unknown:
        lines = [f"unknown: no corpus text matches well (best score {best.score:.3f}, a match needs {threshold:.2f})",
                 "nearest:"]
        width = max(len(m.license) for m in result.matches)
        lines += [f"  {m.license:{width}s}  {m.score:.3f}  {m.name}" for m in result.matches]
        return lines
    lines = [f"{best.license}  {best.name}  (score {best.score:.3f})"]
    if len(result.matches) > 1:  # how clearly it won: the next version or relative
        nxt = result.matches[1]
        lines.append(f"runner-up: {nxt.license} ({nxt.score:.3f})")
    return lines


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH|- [PATH ...]")
@click.option("--json", "as_json", is_flag=True,
              help='JSON: {"path", "matches": [{"license", "score", "name"}], "unknown"}; '
                   'one line per PATH when several.')
@click.option("-n", "n", default=5, show_default=True, type=click.IntRange(1, 50),
              help="How many matches (the nearest neighbours when unknown).")
@click.option("--scope", type=click.Choice(["all", "builtin"]), default="all", show_default=True,
              help="Compare with the whole LicenseDB or only the built-in set (your texts always count).")
@pass_deps
def identify(deps: Deps, paths: tuple[str, ...], as_json: bool, n: int, scope: str):
    """Say which corpus license or policy each text is (or `unknown`, with its nearest neighbours).

    PATH is a .txt, .md, .html or .pdf file, or - for standard input. Reformatting, markdown,
    HTML, a model-card header and truncation do not hide a text; versions are told apart
    (Llama 3.1 / 3.2 / 3.3, Gemma terms 2024 / 2025). A file that cannot be read is reported on
    stderr and the others are still identified; the exit status is then 1.
    """
    from agent.identify import UNKNOWN_BELOW, Identifier

    settings = deps.settings
    if paths.count(STDIN) > 1:
        raise click.UsageError("standard input (-) can be given only once")
    several = len(paths) > 1
    identifier = None
    failed = printed = 0
    for arg in paths:
        try:
            text = read_input(arg, settings)
        except ModeltermsError as e:
            click.echo(f"error: {e}", err=True)
            failed += 1
            continue
        if identifier is None:  # built (or loaded) once the first text is known to be readable
            identifier = Identifier(settings, deps.corpus, scope=scope)
        result = identifier.identify(text, n=n)
        if as_json:
            data = {"path": arg, **result.as_json()}
            click.echo(json.dumps(data, ensure_ascii=False) if several else
                       json.dumps(data, ensure_ascii=False, indent=2))
            continue
        if several:
            if printed:
                click.echo()
            click.echo(click.style(f"{arg}:", bold=True))
        for line in _human(result, UNKNOWN_BELOW):
            click.echo(("  " if several else "") + line)
        printed += 1
    if failed:
        sys.exit(1)
