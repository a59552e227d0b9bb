"""`modelterms draft` and `modelterms eval draft`: thin, they parse and call agent/draft/."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps
from corpus.settings import Settings

from .wiring import pass_deps, pass_settings

FORMATS = ("md", "text", "json")


def _split(values) -> list[str]:
    out = []
    for v in values or ():
        out += [x.strip() for x in v.split(",") if x.strip()]
    return out


@click.command("draft")
@click.option("--spec", "spec_path", type=click.Path(path_type=Path),
              help="Spec file (YAML or JSON, or the license-spec.json a draft wrote); flags override its fields.")
@click.option("--wizard", is_flag=True, help="Ask for each choice interactively.")
@click.option("--licensor", help="Who grants the license (a person or organisation).")
@click.option("--name", help="License name [default: '<licensor> OpenRAIL-M License' style].")
@click.option("--license-version", "version", help="Version of your license [default: 1.0].")
@click.option("--artifact", "artifacts", multiple=True,
              help="What is licensed: data, application, model, source (repeatable or comma-separated) [default: model].")
@click.option("--family", type=click.Choice(["open-rail", "restricted", "research-only"]),
              help="open-rail: open, with use restrictions; restricted: no redistribution; research-only [default: open-rail].")
@click.option("-r", "--restriction", "restrictions", multiple=True,
              help="A use restriction by taxonomy id (repeatable or comma-separated); presets: core, aup, all.")
@click.option("--custom", "customs", multiple=True, help="A restriction in your own words, e.g. \"no use in political campaigns\".")
@click.option("--noncommercial", is_flag=True, help="Non-commercial use only.")
@click.option("--commercial", is_flag=True, help="Allow commercial use (the default except for research-only).")
@click.option("--user-threshold", help="Separate license needed above N monthly active users (e.g. 700000000 or 700M).")
@click.option("--revenue-threshold", help="Separate license needed above this annual revenue in US$ (e.g. 1000000 or 1M).")
@click.option("--registration", is_flag=True, default=None, help="Commercial use needs registration with the licensor.")
@click.option("--attribution/--no-attribution", default=None, help="Recipients get a copy of the license and notices.")
@click.option("--notice", "attribution_notice", help="A notice to display, e.g. \"Built with Acme\" (implies --attribution).")
@click.option("--naming", "naming_prefix", help="Derived models' names must begin with this.")
@click.option("--flowdown/--no-flowdown", default=None, help="Use restrictions must be passed on to recipients of derivatives.")
@click.option("--hosted-is-distribution", is_flag=True, default=None,
              help="Offering the model as a hosted service or API counts as distribution.")
@click.option("--outputs", "output_ownership", type=click.Choice(["unspecified", "licensee", "licensor"]),
              help="Who owns the outputs [default: unspecified].")
@click.option("--no-output-training", "output_training_ban", is_flag=True, default=None,
              help="Outputs may not be used to train other models.")
@click.option("--distillation-derivative", is_flag=True, default=None, help="Models trained on outputs count as derivatives.")
@click.option("--litigation-termination/--no-litigation-termination", "termination_litigation", default=None,
              help="Rights end if the licensee sues over patents [default: on for open-rail].")
@click.option("--guardrail-termination", is_flag=True, default=None, help="Rights end if safety guardrails are bypassed.")
@click.option("--terms-update", is_flag=True, default=None, help="The licensor may update the use restrictions.")
@click.option("--patent-grant/--no-patent-grant", default=None, help="Include a patent license [default: on for open-rail].")
@click.option("--exclude-region", "geo_exclusions", multiple=True, help="No rights for those domiciled in this region (repeatable).")
@click.option("--jurisdiction", help="Governing law, e.g. \"the State of New York\".")
@click.option("--policy-url", help="Also incorporate an acceptable-use policy published at this URL.")
@click.option("--open-source", is_flag=True, default=None,
              help="You intend to call the release open source (checked for consistency).")
@click.option("--base-model", help="Check against the licenses of this upstream model (a Hugging Face id or a local card).")
@click.option("--upstream", "upstream", multiple=True, help="Check against this upstream corpus license key (repeatable).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
              help="What to print: Markdown or plain text (license then notes), or JSON.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path),
              help="Write LICENSE.md, LICENSE.txt, license-spec.json and DRAFTING-NOTES.md into this folder.")
@click.option("--no-notes", is_flag=True, help="Print the license only, without the drafting notes.")
@click.option("--no-provenance", is_flag=True, help="Skip the corpus search for similar clauses.")
@click.option("--llm/--no-llm", "use_llm", default=True, show_default=True,
              help="Draft custom restrictions with the configured LLM (MODELTERMS_LLM), if any.")
@click.option("--verify", is_flag=True, help="Read the draft back with the profiler and report the terms it recovers.")
@click.option("--strict", is_flag=True,
              help="Exit 1 on consistency warnings, upstream violations or (with --verify) a failed read-back.")
@pass_deps
def draft(deps: Deps, spec_path, wizard, fmt, out_dir, no_notes, no_provenance, use_llm, verify, strict,
          **flags):
    """Draft responsible-AI license terms: open, restricted or research-only, with use restrictions from the taxonomy.

    The wording is modelterms' own; each restriction is shown with the corpus clauses that carry a
    similar term, custom restrictions are marked for legal review, and the spec (with template
    version and hash) is saved so the exact text can be regenerated. Not legal advice.

    \b
    modelterms draft --licensor "Acme Labs" -r core --custom "no use in political campaigns"
    modelterms draft --licensor Acme --family research-only --artifact model,data -r all -o out/
    modelterms draft --licensor Acme -r core --base-model meta-llama/Llama-3.1-8B --naming Llama
    modelterms draft --spec license-spec.json        # regenerate the same text
    """
    from agent.draft.drafter import DraftNote, Drafter
    from agent.present import json as present_json
    from agent.present.markdown import draft_notes as notes_markdown
    from agent.present.text import draft_notes as notes_text
    from agent.draft.spec import load_or_build_spec
    from agent.draft.upstream import check_upstream

    settings = deps.settings
    if wizard and spec_path:
        raise ModeltermsError("conflicting flags: --wizard with --spec (choose one)")
    if flags["noncommercial"] and flags["commercial"]:
        raise ModeltermsError("conflicting flags: --noncommercial with --commercial")
    if flags["commercial"] and flags["family"] == "research-only":
        raise ModeltermsError("conflicting flags: --commercial with --family research-only")
    if flags["attribution_notice"] and flags["attribution"] is False:
        raise ModeltermsError("conflicting flags: --notice with --no-attribution")
    overrides = _overrides(flags)
    if wizard:
        overrides = _wizard(overrides)
    spec, saved = load_or_build_spec(spec_path, overrides)

    llm = deps.llm if use_llm and settings.llm else None
    drafter = Drafter(deps, grounding=None if not no_provenance or spec.custom_restrictions else False, llm=llm)
    d = drafter.draft(spec, provenance=not no_provenance)
    if d.spec.upstream or d.spec.base_model or verify:
        from agent.draft.verify import verify_draft

        g = drafter.grounding
        store = g.searcher.store if g is not None and g.available and (d.spec.upstream or d.spec.base_model) else None
        # profiles over the grounding's store, not an index opened again (None: vectors from the text)
        profiled = deps.replace(store=store, profiler=None)
        d.upstream = check_upstream(d.spec, profiled)
        if verify:
            d.verification = verify_draft(d, profiled)
    if saved is not None and saved.template_version and saved.template_version != d.template_version:
        d.notes.append(DraftNote("template_changed", template=saved.template_version, current=d.template_version))
    elif saved is not None and saved.text_sha256 and saved.text_sha256 != d.text_sha256:
        d.notes.append(DraftNote("spec_edited"))

    if out_dir:
        _write_outputs(d, Path(out_dir), notes_markdown(d))
    if fmt == "json":
        click.echo(json.dumps(present_json.draft(d), indent=2, ensure_ascii=False))
    else:
        click.echo(d.markdown if fmt == "md" else d.text, nl=False)
        if not no_notes:
            click.echo("\n" + ("-" * 72) + "\n")
            click.echo(notes_markdown(d) if fmt == "md" else notes_text(d), nl=False)
    if out_dir:
        click.echo(f"wrote {out_dir}/LICENSE.md, LICENSE.txt, license-spec.json, DRAFTING-NOTES.md", err=True)
    problems = len(d.warnings) + (len(d.upstream.violations) if d.upstream else 0) \
        + (0 if d.verification is None or d.verification.ok else 1)
    if problems:
        failed = "" if d.verification is None or d.verification.ok else ", read-back differs from the spec"
        click.echo(f"{len(d.warnings)} consistency warning(s), "
                   f"{len(d.upstream.violations) if d.upstream else 0} upstream violation(s){failed}: "
                   "see the drafting notes", err=True)
    if strict and problems:
        sys.exit(1)


def _overrides(flags: dict) -> dict:
    o = {k: flags[k] for k in ("licensor", "name", "version", "family", "user_threshold", "revenue_threshold",
                               "registration", "attribution", "attribution_notice", "naming_prefix", "flowdown",
                               "hosted_is_distribution", "output_ownership", "output_training_ban",
                               "distillation_derivative", "termination_litigation", "guardrail_termination",
                               "terms_update", "patent_grant", "jurisdiction", "policy_url", "open_source", "base_model")}
    o["artifacts"] = _split(flags["artifacts"]) or None
    o["restrictions"] = _split(flags["restrictions"]) or None
    o["custom_restrictions"] = list(flags["customs"]) or None
    o["geo_exclusions"] = list(flags["geo_exclusions"]) or None
    o["upstream"] = _split(flags["upstream"]) or None
    if flags["noncommercial"]:
        o["noncommercial"] = True
    elif flags["commercial"]:
        o["noncommercial"] = False
    for k in ("registration", "hosted_is_distribution", "output_training_ban", "distillation_derivative",
              "guardrail_termination", "terms_update", "open_source"):
        if o[k] is False:  # an is_flag left off says nothing
            o[k] = None
    return o


def _write_outputs(d, out: Path, notes: str) -> None:
    """All four files, each written whole (temp file, then rename)."""
    from corpus.atomic import atomic_write

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ModeltermsError(f"out: cannot create {out}: {e.strerror or e}")
    files = {"LICENSE.md": d.markdown, "LICENSE.txt": d.text, "DRAFTING-NOTES.md": notes,
             "license-spec.json": json.dumps(d.saved_spec(), indent=2, ensure_ascii=False) + "\n"}
    for name, content in files.items():
        try:
            atomic_write(out / name, content)
        except OSError as e:
            raise ModeltermsError(f"out: cannot write {out / name}: {e.strerror or e}")


def _wizard(o: dict) -> dict:
    """Interactive choices (prompts on stderr, so stdout stays the draft); flags already given are not asked again."""
    from agent.draft.spec import ARTIFACTS, FAMILIES, PRESETS
    from agent.draft.wording import restriction_ids

    def prompt(text, **kw):
        return click.prompt(text, err=True, **kw)

    def optional(text):
        return prompt(f"{text} (Enter for none)", default="", show_default=False).strip() or None

    def yes(text, default):
        return click.confirm(text, default=default, err=True)

    def ask(key, fn, *args, **kw):
        if o.get(key) is None:
            o[key] = fn(*args, **kw)

    click.echo("modelterms draft wizard: press Enter for the default in [brackets]. Not legal advice.", err=True)
    ask("licensor", prompt, "Licensor (who grants the license)")
    ask("family", prompt, "License family", type=click.Choice(FAMILIES), default="open-rail")
    if o.get("artifacts") is None:
        o["artifacts"] = _split([prompt(f"Artifacts ({', '.join(ARTIFACTS)})", default="model")])
    if o.get("restrictions") is None:
        click.echo(f"Use restrictions: presets {', '.join(PRESETS)}, all; or ids: {', '.join(restriction_ids())}", err=True)
        o["restrictions"] = _split([prompt("Restrictions", default="core")])
    if o.get("custom_restrictions") is None:
        customs = []
        while (c := optional("Custom restriction in your own words")) is not None:
            customs.append(c)
        o["custom_restrictions"] = customs
    research = o.get("family") == "research-only"
    if o.get("noncommercial") is None and not research:
        o["noncommercial"] = not yes("Allow commercial use?", True)
    if not o.get("noncommercial") and not research:
        ask("user_threshold", optional, "Monthly-active-user threshold for a separate license")
        ask("revenue_threshold", optional, "Annual revenue threshold in US$")
    if o.get("family") != "restricted":
        ask("attribution_notice", optional, "Notice to display, e.g. 'Built with Acme'")
        ask("naming_prefix", optional, "Required prefix for derived model names")
    ask("hosted_is_distribution", yes, "Does offering it as a hosted service count as distribution?", False)
    ask("output_ownership", prompt, "Who owns outputs", type=click.Choice(["unspecified", "licensee", "licensor"]),
        default="licensee")
    ask("output_training_ban", yes, "Forbid using outputs to train other models?", False)
    ask("guardrail_termination", yes, "End the license when safety guardrails are bypassed?", False)
    ask("jurisdiction", optional, "Governing law, e.g. 'the State of New York'")
    if o.get("base_model") is None and o.get("upstream") is None:
        o["base_model"] = optional("Base model this derives from")
    return o


@click.command("draft")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--no-identify", is_flag=True, help="Skip the identification check (it builds the LicenseDB index once).")
@click.option("--out", type=click.Path(path_type=Path), help="Also write the JSON report to this file.")
@pass_settings
def eval_draft(settings: Settings, as_json, no_identify, out):
    """Round-trip: ≥30 drafted configurations profiled back (terms recovered, no extras) and identified (no match)."""
    from evals.draft_roundtrip import format_report, run

    report = run(settings, identify=not no_identify)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if out:
        from corpus.atomic import atomic_write

        atomic_write(Path(out), text + "\n")
    click.echo(text if as_json else format_report(report))
    if not report["passed"]:
        sys.exit(1)
