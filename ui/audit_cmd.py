"""`modelterms audit TARGET` and `modelterms eval audit`. Thin: parse, call agent/audit, print, exit.

Exit codes: 0 — audited (and the --fail-on condition does not hold); 1 — the --fail-on condition holds
(an unmet duty, or a license conflict); 2 — the target cannot be audited (no such folder, no card,
malformed front matter, binary README, not in the cache and no Hub access) or a usage error.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps
from corpus.settings import Settings

from .wiring import pass_deps, pass_settings

FORMATS = ("text", "md", "json", "sarif", "cyclonedx")


def default_hf_cache() -> Path:
    """The Hugging Face hub cache as huggingface_hub finds it (HF_HUB_CACHE, HF_HOME/hub, ~/.cache)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME", "~/.cache"), "huggingface")
    return Path(home).expanduser() / "hub"


def build_auditor(deps: Deps, cache_dir: Path | None, fetch: bool = False):
    from agent.audit import Auditor
    from agent.audit.target import default_cache_dir, default_hub_opener

    # nothing goes over the network unless the user asks (--fetch, or MODELTERMS_FETCH=1 in the settings)
    settings = deps.settings
    fetch = fetch or bool(getattr(settings, "fetch", False))
    return Auditor(deps, cache_dir=cache_dir or default_cache_dir(settings) or default_hf_cache(),
                   hub=default_hub_opener(settings) if fetch else None, hub_bases=fetch)


def render(result, fmt: str, corpus) -> str:
    from agent.present import json as present_json
    from agent.present import markdown, text

    if fmt == "json":
        return json.dumps(present_json.audit(result), indent=2, ensure_ascii=False)
    if fmt == "md":
        return markdown.audit(result)
    if fmt == "sarif":
        from agent.present.sarif import to_sarif

        return json.dumps(to_sarif(result), indent=2, ensure_ascii=False)
    if fmt == "cyclonedx":
        from agent.present.bom import to_cyclonedx

        return to_cyclonedx(result, corpus)
    return text.audit(result)


@click.command()
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="Report format: text, Markdown, JSON (stable keys), SARIF 2.1.0, CycloneDX 1.6 ML-BOM.")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--md", "as_md", is_flag=True, help="Same as --format md.")
@click.option("--sarif", "as_sarif", is_flag=True, help="Same as --format sarif.")
@click.option("--cyclonedx", "as_bom", is_flag=True, help="Same as --format cyclonedx.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the report to this file (atomically).")
@click.option("--fail-on", type=click.Choice(["unmet", "conflict"]),
              help="Exit 1 when a duty is unmet (unmet) or the declared license conflicts with inherited terms (conflict).")
@click.option("--fix", "fix", is_flag=True,
              help="Write NOTICE, the license copy and the card's license section into the repo for review (never weights).")
@click.option("--cache-dir", type=click.Path(path_type=Path),
              help="Hugging Face hub cache to read ORG/NAME targets and base models from [default: HF_HUB_CACHE, HF_HOME/hub].")
@click.option("--fetch", is_flag=True,
              help="Read from the Hub (huggingface_hub, HF_ENDPOINT, HF_TOKEN) what the Hugging Face cache lacks: the target "
                   "ORG/NAME and base models that are neither local, cached nor in the registry.")
@pass_deps
def audit(deps: Deps, target, fmt, as_json, as_md, as_sarif, as_bom, output, fail_on, fix, cache_dir, fetch):
    """Does the model repository TARGET meet the terms it inherits?

    TARGET is a local model folder (or its README.md), or ORG/NAME[@REV] — read from the Hugging Face
    cache, or from the Hub with --fetch. Each duty the inherited licenses create (license copy, notice wording,
    "Built with …", derivative naming, flow-down of use restrictions, incorporated policies, a declared
    license consistent with the base, output-training bans) is met, unmet or cannot tell, with the
    clause that creates it and the file:line that meets it or the fix. Exit codes: 0 ok; 1 the
    --fail-on condition holds; 2 the target cannot be audited or a usage error."""
    from agent.audit.fix import apply_fixes
    from agent.present.text import audit_problem
    from corpus.atomic import KEEP, atomic_write

    chosen = [f for f, on in (("json", as_json), ("md", as_md), ("sarif", as_sarif), ("cyclonedx", as_bom)) if on]
    if len(chosen) > 1 or (chosen and fmt != "text"):
        raise click.UsageError("choose one output format")
    fmt = chosen[0] if chosen else fmt
    if output is not None and not Path(output).expanduser().parent.is_dir():
        raise click.BadParameter(f"{output}: its folder does not exist", param_hint="-o/--output")
    auditor = build_auditor(deps, cache_dir, fetch)
    result = auditor.audit(target)
    fixed = None
    if fix and result.usable:
        try:
            fixed = apply_fixes(result, auditor.corpus)
        except ModeltermsError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(2)
        result = auditor.audit(target)  # the report shows the repository as it is now
    text = render(result, fmt, auditor.corpus)
    if output:
        atomic_write(Path(output).expanduser(), text + "\n", KEEP)
        click.echo(f"report: {output}", err=True)
    else:
        click.echo(text)
    if fixed is not None:
        for line in fixed.lines():
            click.echo(line, err=True)
    if not result.usable:
        click.echo(f"error: {audit_problem(result, 'cannot audit ' + target)}", err=True)
    sys.exit(result.exit_code(fail_on))


@click.command("audit")
@click.option("--split", type=click.Choice(["all", "tune", "heldout"]), default="all", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("-v", "--verbose", is_flag=True, help="List every false positive and miss.")
@pass_settings
def eval_audit(settings: Settings, split, as_json, verbose):
    """Precision and recall of unmet duties and of license conflicts on evals/audit/repos (materialised
    into temporary folders at run time; license texts come from the installed LicenseDB)."""
    from evals.audit_eval import evaluate, format_report

    report = evaluate(settings, split=split)
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_report(report, verbose))
