"""The `modelterms` command line. Thin: it parses, builds the settings, calls retrieval/ and agent/."""
from __future__ import annotations

import atexit
import json
import os
import sys
import threading
from pathlib import Path

import click

from agent.deps import Deps
from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .wiring import pass_deps, pass_settings, read_only_answer_given


class _Group(click.Group):
    """Turns ModeltermsError into a one-line error and a non-zero exit, everywhere."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except ModeltermsError as e:
            click.echo(f"error: {_one_line(str(e))}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted: what was committed stays; run the command again to finish", err=True)
            sys.exit(130)
        except OSError as e:  # the file system refused something the checks did not foresee
            where = f"{_one_line(str(e.filename), 120)}: " if e.filename else ""
            click.echo(f"error: {where}{e.strerror or type(e).__name__}", err=True)
            sys.exit(1)
        except ValueError as e:
            if "null byte" not in str(e):  # click's path checks meet the NUL of an argument before we do
                return self._internal(e)
            click.echo("error: an argument contains a NUL byte", err=True)
            sys.exit(1)
        except Exception as e:  # a bug: still one line for the user; MODELTERMS_DEBUG=1 shows the traceback
            return self._internal(e)

    @staticmethod
    def _internal(e: Exception):
        if os.environ.get("MODELTERMS_DEBUG"):
            raise e
        click.echo(f"error: internal error ({type(e).__name__}: {_one_line(str(e), 200)}); "
                   "run with MODELTERMS_DEBUG=1 for the traceback and please report it", err=True)
        sys.exit(2)


def _one_line(text: str, limit: int = 2000) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(path_type=Path), envvar="MODELTERMS_HOME",
              help="Data dir for the index and user texts [env MODELTERMS_HOME; default ~/.modelterms].")
@click.option("--chroma-url", envvar="MODELTERMS_CHROMA_URL",
              help="Use a Chroma server (http://host:port) instead of the embedded store [env MODELTERMS_CHROMA_URL].")
@click.option("--embedding", envvar="MODELTERMS_EMBEDDING",
              help="Embedding backend, e.g. sentence-transformers:all-MiniLM-L6-v2 (default) or sentence-transformers:/path/to/model.")
@click.pass_context
def cli(ctx, home, chroma_url, embedding):
    """modelterms: review AI-model licenses and acceptable-use policies.

    Index the built-in corpus once (`modelterms index`), then search clauses, add your own
    license texts, and run the evaluations. Everything works offline.
    """
    # The one wiring point: every command gets this Deps (or its settings); its members are built on first use.
    ctx.obj = Deps(Settings.from_env(home=home, chroma_url=chroma_url, embedding=embedding))


# --- index -------------------------------------------------------------------

@cli.command()
@click.option("--all", "all_", is_flag=True, help="Index every LicenseDB entry (~2,600), not just the built-in AI and common licenses.")
@click.option("--key", "keys", multiple=True, help="Index only these keys (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the run's figures as JSON.")
@pass_deps
def index(deps: Deps, all_: bool, keys: tuple[str, ...], as_json: bool):
    """Build or update the clause index (incremental: unchanged texts are not re-embedded)."""
    from retrieval.indexer import run_index

    settings, corpus = deps.settings, deps.corpus
    only = None
    if keys:
        only = list(dict.fromkeys(keys))
        for k in only:
            if not corpus.exists(k):
                raise ModeltermsError(corpus.unknown_key_message(k))
    report = _with_progress(lambda progress: run_index(settings, corpus, scope="all" if all_ else "builtin",
                                                       only=only, progress=progress))
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2))
    else:
        click.echo(report.summary())


def _with_progress(fn):
    """Runs fn(progress) with a live bar on a terminal; silently otherwise."""
    if not sys.stderr.isatty():
        return fn(None)
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                               TimeRemainingColumn)

    columns = [TextColumn("embedding clauses"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]} clauses/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn()]
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("index", total=None, rate="-")

        def progress(done: int, total: int):
            elapsed = bar.tasks[0].elapsed or 0
            rate = f"{done / elapsed:.0f}" if elapsed and done else "-"
            bar.update(task, completed=done, total=total or None, rate=rate)

        return fn(progress)


# --- search ------------------------------------------------------------------

@cli.command()
@click.argument("text", nargs=-1, required=True)
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="How many clauses.")
@click.option("--license", "license_", help="Only clauses of this license key.")
@click.option("--kind", type=click.Choice(["license", "aup"]), help="Only licenses or only use policies.")
@click.option("--mode", type=click.Choice(["fused", "dense", "lexical"]), default="fused", show_default=True,
              help="Ranking: dense (embeddings), lexical (BM25) or both fused.")
@click.option("--json", "as_json", is_flag=True, help="JSON: {results: [{license, clause_id, section, score, text}]}.")
@pass_deps
def search(deps: Deps, text, k, license_, kind, mode, as_json):
    """Find the clauses closest to TEXT across the indexed licenses and policies."""
    from retrieval.search import check_query

    query = check_query(" ".join(text))  # before the index or the model is loaded
    if license_ and not deps.corpus.exists(license_):
        raise ModeltermsError(deps.corpus.unknown_key_message(license_))
    hits = deps.searcher.search(query, k=k, license=license_, kind=kind, mode=mode)
    if as_json:
        click.echo(json.dumps({"query": query, "mode": mode, "results": [h.as_json() for h in hits]},
                              ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("no matching clauses")
        return
    for i, h in enumerate(hits, 1):
        click.echo(click.style(f"{i}. {h.clause_id}", bold=True) + f"  score {h.score:.4f}")
        if h.section:
            click.echo(f"   {h.section}")
        click.echo(_indent(h.text, 3, 600))
        click.echo()


def _indent(text: str, n: int, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + " …"
    return " " * n + text


# --- corpus --------------------------------------------------------------------

@cli.group()
def corpus():
    """List, show, add and remove license and policy texts."""


@corpus.command("add")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--key", help="Key to file it under (default: from the file name).")
@click.option("--name", help="Display name (default: the text's first line).")
@click.option("--kind", type=click.Choice(["license", "aup"]), help="license or aup (default: guessed from the text).")
@click.option("--no-index", is_flag=True, help="Only store the text; index it with the next `modelterms index`.")
@pass_deps
def corpus_add(deps: Deps, path, key, name, kind, no_index):
    """Add a license or policy text (.txt, .md, .html, .pdf) to the corpus and index it.

    Adding a changed text under an existing key replaces the old version and its clauses.
    """
    from retrieval.indexer import run_index
    from retrieval.store import open_store

    from corpus.datalock import data_lock
    from retrieval.faults import fault

    settings, corp = deps.settings, deps.corpus
    # Reach the store before writing anything, so an unreachable server leaves the corpus as it was.
    store = None if no_index else open_store(settings, required=True)
    with data_lock(settings.home):
        entry, status = corp.add_user_text(path, key=key, name=name, kind=kind)
        click.echo(f"{status} {entry.key} ({entry.kind}, {len(entry.text):,} chars): {entry.name}")
        if no_index:
            if status == "replaced":
                click.echo(f"note: the index still holds the old {entry.key}; the next search or `modelterms index` "
                           "re-indexes it (until then its clauses are left out of answers)")
            return
        fault(settings, "add.before-index")
        report = run_index(settings, corp, only=[entry.key], store=store)
    n = report.clauses_embedded
    click.echo(f"indexed {entry.key}: {n} clauses" if n else f"{entry.key} already indexed")


@corpus.command("list")
@click.option("--source", type=click.Choice(["all", "builtin", "user", "indexed"]), default="all", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_deps
def corpus_list(deps: Deps, source, as_json):
    """List corpus entries: the built-in set, your texts, or what the index holds."""
    from retrieval.indexer import index_hash, open_manifest

    settings, corp = deps.settings, deps.corpus
    manifest = open_manifest(settings, create=False)
    try:
        indexed = {row["key"]: row for row in manifest.licenses()}
    finally:
        manifest.close()
    if source == "indexed":
        keys = sorted(indexed)
    elif source == "builtin":
        keys = corp.builtin_keys()
    elif source == "user":
        keys = corp.user_keys()
    else:
        keys = corp.builtin_keys() + corp.user_keys()
        keys += sorted(k for k in indexed if k not in set(keys))
    rows = []
    for k in keys:
        e = corp.get(k)
        rows.append({"key": k, "name": e.name, "kind": e.kind, "source": e.source, "family": e.family,
                     "indexed": k in indexed and indexed[k]["content_hash"] == index_hash(e, settings),
                     "clauses": indexed[k]["n_clauses"] if k in indexed else 0})
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    for r in rows:
        mark = "indexed" if r["indexed"] else "-"
        click.echo(f"{r['key']:40s} {r['kind']:7s} {r['source']:8s} {mark:8s} {r['name']}")
    click.echo(f"{len(rows)} entries")


@corpus.command("show")
@click.argument("key")
@click.option("--clauses", "with_clauses", is_flag=True, help="Also list the clause ids and their first words.")
@click.option("--text", "with_text", is_flag=True, help="Print the full text.")
@click.option("--json", "as_json", is_flag=True)
@pass_deps
def corpus_show(deps: Deps, key, with_clauses, with_text, as_json):
    """Show one entry's metadata (and optionally its clauses or text)."""
    from retrieval.indexer import clauses_for

    settings, entry = deps.settings, deps.corpus.get(key)
    clauses = clauses_for(entry, settings) if (with_clauses or as_json) else []
    if as_json:
        data = entry.meta()
        data["clauses"] = [{"clause_id": c.id, "section": c.section, "start": c.start, "end": c.end,
                            "tokens": c.tokens, "text": c.text} for c in clauses]
        if with_text:
            data["text"] = entry.text
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for field, value in entry.meta().items():
        if value not in (None, [], ""):
            click.echo(f"{field:13s} {', '.join(value) if isinstance(value, list) else value}")
    if with_clauses:
        click.echo()
        for c in clauses:
            click.echo(f"{c.id:50s} {_indent(c.text, 0, 70)}")
    if with_text:
        click.echo()
        click.echo(entry.text)


@corpus.command("remove")
@click.argument("key")
@pass_deps
def corpus_remove(deps: Deps, key):
    """Remove one of your texts from the corpus and the index."""
    from retrieval.indexer import remove_from_index

    from corpus.datalock import data_lock
    from corpus.keys import validate_key

    validate_key(key)
    settings, corp = deps.settings, deps.corpus
    # Under the data folder's lock: a running `index` finishes first, so it cannot commit KEY again.
    with data_lock(settings.home):
        if key not in corp.user_keys():
            corp.remove_user_text(key)  # raises the right error (built-in or unknown)
        remove_from_index(settings, key)
        corp.remove_user_text(key)
    click.echo(f"removed {key}")


# --- eval ----------------------------------------------------------------------

@cli.group("eval", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--split", "split", type=click.Choice(["dev", "test", "paraphrase", "external", "devx", "devx-paraphrase", "devy", "devm", "devz", "devw", "devv", "devu", "devt", "devs", "devr", "devq", "all"]),
              default="all", show_default=True,
              help="Which use-case split to score (each is reported separately; `all` leaves out devx, devx-paraphrase, devy, devm, devz, devw, devv, devu, devt, devs, devr, devq).")
@click.option("--external", "external", type=click.Path(path_type=Path),
              help="The external set [default: ../shared/evals/external-usecases.jsonl next to the repository]; "
                   "devx and devy read their external texts from the `external` folder beside that set's folder.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="Where to write the JSON report [default: $MODELTERMS_HOME/reports/usecases-splits.json].")
@click.option("--leave-family-out", "lofo", is_flag=True,
              help="Profile each annotated license with a term classifier trained without its family (honest figures).")
@click.option("--llm", "llm", metavar="SPEC",
              help="Read the use-case set with the rule reader and with this LLM's reader; report both and where "
                   "they disagree (the agent's eval is `modelterms eval ask --llm SPEC`).")
@click.pass_context
def eval_(ctx, as_json, split, external, report_path, lofo, llm):
    """Offline evaluations over the annotated sets in evals/.

    Without a subcommand: the use-case splits (dev, frozen test, paraphrase, external) through the grounded
    check, each reported on its own — verdict accuracy, confusion, dangerous misses (gold prohibited →
    predicted allowed), citation accuracy, 'unclear' on allowed/conditional uses, paraphrase consistency,
    external accuracy by kind — and a JSON report. Held-out splits are reported as aggregates."""
    if ctx.invoked_subcommand is not None:
        return
    from evals.data import SPLITS

    splits = SPLITS if split == "all" else (split,)
    if llm:
        from evals.data import load_split
        from evals.usecase_eval import compare_readers, format_readers
        from ui.ask_cmd import with_llm

        cases = [c for sp in splits for c in (load_split(sp, external) or [])]
        report = compare_readers(ctx.obj, with_llm(ctx.obj.settings, llm, None), cases,
                                 list_ids=set(splits) <= {"dev"})
        click.echo(json.dumps(report, indent=2) if as_json else format_readers(report))
        return
    from evals.usecase_eval import evaluate_splits, format_splits, leave_family_out_answerer, write_report

    settings: Settings = ctx.obj.settings
    report = evaluate_splits(ctx.obj, splits, answer=leave_family_out_answerer(settings) if lofo else None,
                             external=external)
    report["mode"] = "leave-family-out" if lofo else "shipped classifier"
    path = report_path or settings.home / "reports" / "usecases-splits.json"
    write_report(report, path)
    if "dev" in report["splits"]:  # the UI's use-case view reads the dev report
        write_report(report["splits"]["dev"], settings.home / "reports" / "usecases.json")
    click.echo(json.dumps(report, indent=2, ensure_ascii=False) if as_json else format_splits(report))
    if not as_json:
        click.echo(f"\nreport: {path}")


@eval_.command("retrieval")
@click.option("--json", "as_json", is_flag=True)
@click.option("-k", "k", default=5, show_default=True, help="Cut-off for recall@k.")
@pass_settings
def eval_retrieval(settings: Settings, as_json, k):
    """Recall@k and MRR of dense, lexical and fused search on evals/retrieval_queries.yaml."""
    from evals.retrieval import evaluate, format_table

    report = evaluate(settings, k=k)
    click.echo(json.dumps(report, indent=2) if as_json else format_table(report))


from ui.ask_cmd import ask, chat, eval_ask, serve_llm  # noqa: E402

cli.add_command(ask)
cli.add_command(chat)
cli.add_command(serve_llm)
eval_.add_command(eval_ask)

from ui.draft_cmd import draft, eval_draft  # noqa: E402

cli.add_command(draft)
eval_.add_command(eval_draft, "draft")

from ui.identify_cmd import identify  # noqa: E402
cli.add_command(identify)

from ui.analysis_cmd import check, compare, diff, explain, models  # noqa: E402

for _command in (explain, check, compare, diff, models):
    cli.add_command(_command)

from ui.audit_cmd import audit, eval_audit  # noqa: E402

cli.add_command(audit)
eval_.add_command(eval_audit)

from ui.census_cmd import census  # noqa: E402

cli.add_command(census)

from ui.ui_cmd import ui  # noqa: E402
from ui.fetch_cmd import fetch  # noqa: E402

corpus.add_command(fetch)

cli.add_command(ui)

from ui.ci_cmd import ci_check  # noqa: E402
from ui.mcp_cmd import mcp  # noqa: E402

cli.add_command(mcp)
cli.add_command(ci_check)


def main():
    try:
        cli(prog_name="modelterms")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if isinstance(e.code, str):
            click.echo(e.code, err=True)
    else:
        code = 0
    # The answer is printed: exit now, even if a worker thread abandoned at a deadline (an LLM
    # stream read, a silent server) is still blocked; Python would otherwise wait for it at exit.
    if any(t.is_alive() and not t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        _exit_now(code)
    if code == 0 and read_only_answer_given():
        # Nothing left to write: the exit handlers run (logging, temporary files), the module teardown does not.
        atexit._run_exitfuncs()
        _exit_now(code, quiet=True)
    sys.exit(code)


def _exit_now(code: int, quiet: bool = False):
    """Flush what is printed and end the process without the interpreter's own exit. `quiet`: a reader that
    went away (`| head`) is not reported, as the usual exit would not either."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:
        if not quiet:
            raise
    os._exit(code)


if __name__ == "__main__":
    main()
