"""`modelterms corpus fetch`: bring texts that apply into the corpus — registry keys, URLs, a model's repo.

Thin: corpus/fetch.py fetches and stores, corpus/modelrepo.py reads repositories, retrieval/ indexes.
"""
from __future__ import annotations

import json
import re
import sys

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps
from corpus.settings import Settings

from .wiring import pass_deps


@click.command("fetch")
@click.argument("targets", nargs=-1)
@click.option("--missing", is_flag=True, help="Every text the registry names as applicable that is not in the corpus.")
@click.option("--model", "model", metavar="ORG/NAME",
              help="A model repository: its license files and the registry's texts for its license.")
@click.option("--key", help="For one URL: the key to store it under.")
@click.option("--name", help="For one URL: the display name.")
@click.option("--kind", type=click.Choice(["license", "aup"]), help="For one URL: license or aup.")
@click.option("--no-index", is_flag=True, help="Only store the texts; index them with the next `modelterms index`.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per text: key, status, message, stored_as, fetched.")
@pass_deps
def fetch(deps: Deps, targets, missing, model, key, name, kind, no_index, as_json):
    """Fetch license and policy texts: registry KEYs, a URL (with --key), --missing, or --model ORG/NAME.

    Sources, in order: the Hugging Face cache, the Hub (HF_ENDPOINT, HF_TOKEN), the publisher's URL.
    A text already in the corpus is not added twice; a changed text is stored as a new version
    (KEY-v2, …) next to the old one."""
    from corpus.fetch import Fetcher, missing_keys, registry_texts, repo_file_key
    from corpus.modelrepo import open_repo
    from retrieval.indexer import run_index
    from retrieval.store import open_store

    settings = deps.settings
    if not (targets or missing or model):
        raise ModeltermsError("say what to fetch: KEY…, URL --key KEY, --missing or --model ORG/NAME")
    urls = [t for t in targets if re.match(r"^https?://", t, re.I)]
    if urls and (len(targets) != 1 or not key):
        raise ModeltermsError("fetch one URL at a time, with --key KEY to store it under")
    if (key or name or kind) and not urls:
        raise ModeltermsError("--key, --name and --kind go with a URL")
    deps = deps.with_settings(settings.replace(fetch=True))
    settings, corp = deps.settings, deps.corpus
    for k in [t for t in targets if t not in urls]:  # before anything is loaded or goes over the network
        if k not in registry_texts() and not corp.exists(k):
            raise ModeltermsError(f"{k}: not a text the registry knows a source for; give its URL: "
                                  f"`modelterms corpus fetch URL --key {k}`")
    # Reach the store before writing anything, so an unreachable server leaves the corpus as it was.
    store = None if no_index else open_store(settings, required=True)
    fetcher = Fetcher(settings, corp, identifier=_identifier(settings, corp))
    results, notes = [], []
    if urls:
        results.append(fetcher.fetch_url_as(urls[0], key, name=name, kind=kind))
    keys = [t for t in targets if t not in urls]
    if missing:
        keys += [k for k in missing_keys(corp) if k not in keys]
    if model:
        repo = open_repo(model, settings, fetch=True)
        if repo is None:
            raise ModeltermsError(f"{model}: not found")
        # The registry's texts for the card's license come first, under their own keys, so a repo
        # file that is one of them is then recognised rather than stored twice.
        for k in _registry_keys_for(repo, model):
            if k not in keys:
                keys.append(k)
        results += [fetcher.fetch_key(k) for k in keys]
        keys = []
        for f in repo.license_files():
            if repo.root is not None and (repo.root / f.path).is_file():
                results.append(fetcher.fetch_repo_file(repo, f.path, repo_file_key(repo.repo_id or repo.name, f.path)))
        notes = [_note_result(n) for n in repo.notes]
    results += [fetcher.fetch_key(k) for k in keys]
    stored = [r.entry.key for r in results if r.status in ("added", "new-version") and r.entry is not None]
    indexed = {}
    if stored and store is not None:
        report = run_index(settings, corp, only=stored, store=store)
        indexed = {"clauses": report.clauses_embedded}
    results += notes
    failed = [r for r in results if not r.ok]
    for r in results:
        if as_json:
            click.echo(json.dumps(r.as_json(), ensure_ascii=False))
        elif r.ok:
            click.echo(r.message if r.key else f"note: {r.message}")
    if stored and not as_json:
        click.echo(f"indexed {', '.join(stored)}: {indexed.get('clauses', 0)} clauses" if store is not None
                   else f"stored {', '.join(stored)}; index them with `modelterms index`")
    for r in failed:
        click.echo(f"error: {r.message}", err=True)
    if failed:
        sys.exit(1)


def _identifier(settings: Settings, corp):
    try:
        from agent.identify import Identifier
    except ImportError:
        return None
    return Identifier(settings, corp)


def _registry_keys_for(repo, model: str) -> list[str]:
    from agent.models import hf_lookup, registry_lookup

    ids = [lid for lid in repo.licenses if lid.lower() != "other"]
    if repo.license_name:
        ids.append(repo.license_name)
    entry = registry_lookup(repo.repo_id or model)
    if entry is not None:
        ids.append(entry["license"])
    keys: list[str] = []
    for hf_id in ids:
        spec = hf_lookup(hf_id) or {}
        keys += [m["key"] for m in spec.get("missing", []) if m["key"] not in keys]
    return keys


def _note_result(note: str):
    """A note from reading the repo: a file that could not be read is a failure; the rest is information."""
    from corpus.fetch import FetchResult

    return FetchResult("", "failed" if note.endswith("not read") else "note", note)
