"""`modelterms census INPUT --out DIR`: license adoption and adherence over a whole hub (agent/census)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps

from .wiring import pass_deps


@click.command()
@click.argument("input_path", metavar="INPUT", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder for the tables (Parquet), report.md, report.html and the resumable work (.work/).")
@click.option("--from-hub", is_flag=True, help="List the Hub's models (HF_ENDPOINT, HF_TOKEN) instead of reading INPUT.")
@click.option("--limit", type=int, help="With --from-hub: list at most this many models.")
@click.option("--ray", "ray_address", metavar="auto|ADDRESS",
              help="Run the text path on Ray: 'auto' joins a running cluster or starts a local one; or a cluster address.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (local engine) / CPUs (local Ray). [all cores]")
@click.option("--no-profile", is_flag=True, help="Identify license texts only; do not profile the unknown ones.")
@click.option("--text-chunk", type=int, default=128, show_default=True,
              help="Distinct texts per finished part (what a killed run keeps).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON.")
@pass_deps
def census(deps: Deps, input_path: Path | None, out: Path, from_hub: bool, limit: int | None,
           ray_address: str | None, jobs: int | None, no_profile: bool, text_chunk: int, quiet: bool, as_json: bool):
    """Census of license adoption and adherence over a metadata dump (JSON lines / Parquet in the shape of
    /api/models?full=true&cardData=true, optional `readme` and `license_files` columns) or the Hub itself.
    A killed run continues where it stopped when run again with the same INPUT and --out."""
    from agent.census import CensusOptions, run_census

    if from_hub == (input_path is not None):
        raise click.UsageError("give either INPUT or --from-hub")
    if from_hub:
        from agent.census.hub import list_hub

        input_path = out / "hub-models.jsonl"
        if not input_path.is_file():  # a listing from an earlier, interrupted run is reused
            n = list_hub(input_path, endpoint=os.environ.get("HF_ENDPOINT") or None,
                         token=os.environ.get("HF_TOKEN") or None, limit=limit)
            if not quiet:
                click.echo(f"listed {n:,} models from {os.environ.get('HF_ENDPOINT') or 'the Hub'}", err=True)
    elif not input_path.is_file():
        raise ModeltermsError(f"{input_path}: no such metadata dump")
    options = CensusOptions(out=out, input=input_path, ray=ray_address, jobs=jobs or os.cpu_count() or 1,
                            profile_unknown=not no_profile, text_chunk=max(1, text_chunk), progress=not quiet and not as_json)
    result = run_census(deps, options)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    s = result.summary
    click.echo(f"{result.repos:,} repos, {result.distinct_texts:,} distinct texts, {result.signatures:,} decision "
               f"signatures in {result.seconds:.1f} s ({result.engine} engine{', resumed' if result.resumed else ''})")
    click.echo(f"conflicts: {s.get('with_conflict', 0):,} repos; no license: {s.get('no_license', 0):,}")
    for line in result.stages:
        click.echo(f"  {line}")
    click.echo(f"tables: {', '.join(str(p) for p in result.tables.values())}")
    click.echo(f"report: {result.report_md} and {result.report_html}")
