"""`modelterms ci-check`: check a project's intended uses (`.modelterms-uses.yaml`) and fail on a verdict the
project does not accept — the command behind the `modelterms-check` pre-commit hook and CI step."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.display import NOT_LEGAL_ADVICE, shorten
from agent.deps import Deps

from .wiring import pass_deps


@click.command("ci-check")
@click.option("--uses", "--policy", "uses_file", type=click.Path(path_type=Path), default=".modelterms-uses.yaml", show_default=True,
              help="The file listing the intended uses, their model/license/card and the verdicts accepted.")
@click.option("--json", "as_json", is_flag=True, help="JSON: {ok, uses: [{id, use, target, value, verdict, accepted, accept, deciding, conditions, missing}]}.")
@pass_deps
def ci_check(deps: Deps, uses_file: Path, as_json: bool):
    """Check every intended use listed in the uses file; exit 1 when a verdict is not accepted.

    \b
    model: meta-llama/Llama-3.1-8B-Instruct     # default target (or license: KEY|FILE, card: PATH)
    accept: [allowed, conditional]              # the default
    uses:
      - a support chatbot in our SaaS app
      - use: train our own model on its outputs
        accept: [allowed, conditional, unclear]

    Each failing use is printed with its verdict and the deciding clauses, quoted verbatim.
    """
    from agent.check import Checker
    from agent.intended_uses import load_intended_uses
    from agent.present import json as present_json
    from agent.present.text import condition_text, missing_text
    from agent.usecase import validate_use
    from ui.analysis_cmd import load_ref

    uses = load_intended_uses(uses_file)
    for u in uses:
        validate_use(u.use)  # every use is readable before the first (slow) check
    checker = Checker(deps)
    rows = []
    for u in uses:
        value = load_ref(checker.corpus, u.value) if u.target == "license" else u.value
        result = checker.check(u.use, **{u.target: value})
        deciding = [f for f in result.findings if f.clause_id in set(result.deciding)]
        rows.append((u, result, deciding))
    failed = [u for u, r, _ in rows if not u.accepts(r.verdict)]
    if as_json:
        click.echo(json.dumps({"ok": not failed, "uses": [
            {"id": u.id, "use": u.use, "target": u.target, "value": u.value, "verdict": r.verdict,
             "accepted": u.accepts(r.verdict), "accept": list(u.accept),
             "deciding": [present_json.finding(f) for f in deciding], "conditions": [condition_text(c) for c in r.conditions],
             "missing": [missing_text(m) for m in r.missing]}
            for u, r, deciding in rows], "disclaimer": NOT_LEGAL_ADVICE}, indent=2, ensure_ascii=False))
    else:
        for u, r, deciding in rows:
            ok = u.accepts(r.verdict)
            click.echo(f"{'ok  ' if ok else 'FAIL'}  {r.verdict:11s} use {u.id}: {shorten(u.use, 90)}  ({u.target} {u.value})")
            if ok:
                continue
            for f in deciding[:4]:
                click.echo(f"      [{f.clause_id}] \"{shorten(f.quote, 220)}\"")
            for m in r.missing[:3]:
                click.echo(f"      missing: {missing_text(m)}")
            click.echo(f"      accepted here: {', '.join(u.accept)}")
        click.echo(f"{len(rows)} use(s) checked against {uses_file}: "
                   + (f"{len(failed)} not accepted" if failed else "all accepted"))
        click.echo(NOT_LEGAL_ADVICE)
    if failed:
        sys.exit(1)


