"""CLI commands of the grounded analysis: explain, check, compare, diff, models. Thin: parse, call agent/, print."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.errors import ModeltermsError
from agent.deps import Deps

from .wiring import answered_read_only, pass_deps

MAX_MODEL_CHARS = 300
# The CLI's advice for a text that applies but is not in the corpus (the presenters take it with {key}).
ADD_HINT = "add it with `modelterms corpus add FILE --key {key}`"
GET_HINT = "`modelterms corpus fetch {key}`, or " + ADD_HINT
REF_HELP = "a corpus key (`modelterms corpus list`) or the path of a license file (.txt/.md/.html/.pdf)"


def load_ref(corpus, ref: str) -> str:
    """The corpus key for REF: a key as is, or a file read and validated as a transient entry (never stored)."""
    from corpus.entry import LicenseEntry, guess_kind
    from corpus.paths import path_exists, user_path
    from corpus.textfile import read_text_file

    if not isinstance(ref, str):
        raise ModeltermsError(f"a license must be named by a key or a file path, not {type(ref).__name__}")
    if corpus.exists(ref):
        return ref
    if not (_named_as_file(ref) or path_exists(ref)):
        raise ModeltermsError(corpus.unknown_key_message(ref))  # meant as a key: says why it is not one
    path = user_path(ref)  # a one-line error for what cannot be a path (over-long, NUL bytes)
    text = read_text_file(path, corpus.settings.max_file_bytes)
    name = next((ln.strip(" #*_\t") for ln in text.splitlines() if len(ln.strip(" #*_\t")) >= 3), path.name)[:120]
    key = "file:" + path.name
    corpus.add_transient(LicenseEntry(key=key, name=name, kind=guess_kind(name, text, path.name), text=text, source="file",
                                      family=key, origin_file=str(path.resolve())))
    return key


_TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")


def _named_as_file(ref: str) -> bool:
    """REF is written as a file (a folder separator or a text suffix), not as a corpus key."""
    return "/" in ref or Path(ref).suffix.lower() in _TEXT_SUFFIXES


# --- explain -------------------------------------------------------------------------------

@click.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="JSON: {license, name, kind, method, groups, terms, references}.")
@click.option("--md", "as_md", is_flag=True, help="Markdown tables.")
@click.option("--quotes/--no-quotes", default=True, show_default=True, help="Show the verbatim evidence quotes.")
@pass_deps
def explain(deps: Deps, ref, as_json, as_md, quotes):
    """Explain a license: its terms as permissions, prohibitions, duties and thresholds, each with
    the clause id and a verbatim quote; and the use policies it incorporates by reference.

    REF is a corpus key or the path of a license file (analysed, not stored)."""
    from agent.present import json as present_json
    from agent.present import markdown, text

    if as_json and as_md:
        raise ModeltermsError("choose one of --json and --md")
    key = load_ref(deps.corpus, ref)
    prof = deps.profiler.profile(key)
    if as_json:
        click.echo(json.dumps(present_json.profile(prof), indent=2, ensure_ascii=False))
        return
    click.echo(markdown.profile(prof, quotes=quotes, how_to_add=ADD_HINT) if as_md
               else text.profile(prof, quotes=quotes, style=click.style, how_to_add=ADD_HINT))


# --- check ---------------------------------------------------------------------------------

@click.command()
@click.option("--license", "license_", metavar="REF", help="A corpus key or license file.")
@click.option("--model", help="A model id or name (e.g. meta-llama/Llama-3.1-8B-Instruct, gemma-2-9b) or a local model folder.")
@click.option("--card", type=click.Path(path_type=Path), help="A model card (README.md with YAML front matter) or model folder.")
@click.option("--use", "use", help="The proposed use, in your words.")
@click.option("--batch", type=click.Path(path_type=Path),
              help="A JSON-lines file: each line {use, license|model|card, id?}; one output line each.")
@click.option("--json", "as_json", is_flag=True, help="JSON: {verdict, licenses, findings, conditions, missing, answer, …}.")
@click.option("--fetch", "fetch", is_flag=True,
              help="Fetch what applies but is missing (model repo from the Hub, use policies) [env MODELTERMS_FETCH].")
@pass_deps
def check(deps: Deps, license_, model, card, use, batch, as_json, fetch):
    """May this use be made of this model or license? Verdict prohibited / conditional / allowed / unclear,
    decided over every text that applies (license, incorporated use policies, base models), each finding
    citing a clause with a verbatim quote."""
    from agent.check import Checker
    from agent.check.llm_reader import reader_for
    from agent.present import json as present_json
    from agent.present import text
    from agent.usecase import validate_use

    if fetch:
        deps = deps.with_settings(deps.settings.replace(fetch=True))
    settings = deps.settings
    if batch:
        if use or license_ or model or card:
            raise ModeltermsError("--batch takes its uses and targets from the file; drop --use/--license/--model/--card")
        _check_batch(deps, batch, as_json)
        answered_read_only()  # a check writes nothing to the index; files it fetched are written whole
        return
    if not use:
        raise ModeltermsError("say what the use is: --use TEXT")
    validate_use(use)
    if model is not None and len(model) > MAX_MODEL_CHARS:
        raise ModeltermsError(f"--model is too long ({len(model):,} characters; the limit is {MAX_MODEL_CHARS})")
    if card is not None:
        from corpus.paths import user_path

        card = user_path(card)
    checker = Checker(deps, llm_reader=reader_for(settings))
    if license_:
        license_ = load_ref(checker.corpus, license_)
    result = checker.check(use, license=license_, model=model, card=card)
    if as_json:
        click.echo(json.dumps(present_json.check(result), indent=2, ensure_ascii=False))
    else:
        click.echo(text.check(result, style=click.style))
    answered_read_only()


MAX_BATCH_BYTES = 50_000_000
_BATCH_FIELDS = ("use", "license", "model", "card", "id")


def _check_batch(deps: Deps, path: Path, as_json: bool) -> None:
    """One output line per input line, in order; a bad line (not JSON, wrong types, unknown key, a
    traceback-worthy surprise) is its own error line with its line number, and the batch goes on."""
    from agent.check import Checker
    from agent.check.llm_reader import reader_for
    from corpus.paths import user_path
    from corpus.textfile import check_size

    path = user_path(path)
    if not path.is_file():
        raise ModeltermsError(f"{path}: no such batch file")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ModeltermsError(f"{path}: cannot read it ({e.strerror or type(e).__name__})") from None
    check_size(len(data), MAX_BATCH_BYTES, str(path))
    checker = None
    for n, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        job: dict = {}
        try:
            job = _batch_job(raw)
            if checker is None:
                checker = Checker(deps, llm_reader=reader_for(deps.settings))
            out = _batch_check(checker, job, path.parent)
        except ModeltermsError as e:
            out = _batch_error(str(e))
        except Exception as e:  # one line's surprise must not lose the others' answers
            out = _batch_error(f"internal error ({type(e).__name__}: {' '.join(str(e).split())[:200]})")
        out["id"] = job.get("id", n)
        if "error" in out:
            out["line"] = n
        if as_json:
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(f"{out['id']}\t{out['verdict']}\t{out.get('error') or ', '.join(out['licenses'])}")
        sys.stdout.flush()


def _batch_job(raw: bytes) -> dict:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ModeltermsError(f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})") from None
    try:
        job = json.loads(line)
    except json.JSONDecodeError as e:
        raise ModeltermsError(f"not a JSON object ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise ModeltermsError("not a JSON object (nested too deeply)") from None
    if not isinstance(job, dict):
        raise ModeltermsError(f"not a JSON object (a JSON {type(job).__name__})")
    bad_id = job.get("id")
    if bad_id is not None and not isinstance(bad_id, (str, int, float)) or isinstance(bad_id, str) and len(bad_id) > 200:
        job.pop("id", None)
        raise ModeltermsError("`id` must be a short string or a number")
    for k in ("use", "license", "model", "card"):
        if job.get(k) is not None and not isinstance(job[k], str):
            raise ModeltermsError(f"`{k}` must be a string, not {type(job[k]).__name__}")
    return job


def _batch_check(checker, job: dict, folder: Path) -> dict:
    from agent.present import json as present_json
    from agent.usecase import validate_use
    from corpus.paths import user_path

    targets = [k for k in ("license", "model", "card") if job.get(k)]
    if not job.get("use") or len(targets) != 1:
        raise ModeltermsError("each line needs `use` and exactly one of `license`, `model`, `card`")
    validate_use(job["use"])
    lic = load_ref(checker.corpus, _batch_file(job["license"], folder, checker.corpus)) if job.get("license") else None
    model = job.get("model")
    if model is not None and len(model) > MAX_MODEL_CHARS:
        raise ModeltermsError(f"`model` is too long ({len(model):,} characters; the limit is {MAX_MODEL_CHARS})")
    card = user_path(job["card"]) if job.get("card") else None
    return present_json.check(checker.check(job["use"], license=lic, model=model, card=card))


def _batch_file(ref: str, folder: Path, corpus) -> str:
    """A batch line names a corpus key, or a license file inside the batch file's own folder: a line cannot make
    the command read files elsewhere ("../../etc/passwd")."""
    from corpus.paths import user_path

    if corpus.exists(ref) or not _named_as_file(ref):
        return ref
    target = user_path(str(folder / ref))
    try:
        inside = target.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        inside = False
    if not inside:
        raise ModeltermsError(f"{ref}: a license file in a batch must be inside the batch file's folder")
    return str(target)


def _batch_error(message: str) -> dict:
    return {"verdict": "unclear", "licenses": [], "findings": [], "conditions": [], "missing": [],
            "answer": "", "error": " ".join(message.split())}


# --- compare / diff ----------------------------------------------------------------------------

@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--view", type=click.Choice(["terms", "summary", "both"]), default="both", show_default=True,
              help="terms: every taxonomy term found; summary: weights / training / outputs overview.")
@click.option("--all-terms", is_flag=True, help="Also list terms no text addresses.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--md", "as_md", is_flag=True, help="Markdown tables.")
@pass_deps
def compare(deps: Deps, refs, view, all_terms, as_json, as_md):
    """Several licenses side by side: a matrix of terms (✗ cannot, ! must, ✓ can, · not addressed)."""
    from agent.compare import compare as compare_profiles
    from agent.present import json as present_json
    from agent.present import markdown, text

    if len(refs) < 2:
        raise ModeltermsError("compare needs at least two licenses")
    keys = list(dict.fromkeys(load_ref(deps.corpus, r) for r in refs))
    profiler = deps.profiler
    matrix = compare_profiles([profiler.profile(k) for k in keys], all_terms=all_terms)
    if as_json:
        click.echo(json.dumps(present_json.comparison(matrix), indent=2, ensure_ascii=False))
        return
    click.echo(markdown.comparison(matrix, keys, view) if as_md else text.comparison(matrix, keys, view, style=click.style))


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "show_all", is_flag=True, help="Print whole clause texts, not word diffs.")
@pass_deps
def diff(deps: Deps, old, new, as_json, show_all):
    """Clause-level changes from OLD to NEW (e.g. llama-3.1-license-2024 → llama-3.3-license-2024),
    and the terms whose attitude changed."""
    from agent.compare import diff as diff_texts
    from agent.present import json as present_json
    from agent.present import text
    from retrieval.indexer import clauses_for

    settings, corpus = deps.settings, deps.corpus
    a, b = load_ref(corpus, old), load_ref(corpus, new)
    ea, eb = corpus.get(a), corpus.get(b)
    profiler = deps.profiler
    names = tuple(n for n in (ea.name, eb.name, ea.version, eb.version) if n)
    d = diff_texts(a, clauses_for(ea, settings), b, clauses_for(eb, settings), profiler.profile(a), profiler.profile(b),
                   names=names)
    if as_json:
        click.echo(json.dumps(present_json.diff(d), indent=2, ensure_ascii=False))
        return
    click.echo(text.diff(d, a, b, show_all=show_all, style=click.style))


# --- models ------------------------------------------------------------------------------------

@click.command()
@click.argument("model", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--fetch", "fetch", is_flag=True, help="Read the repository from the Hub when it is not in the HF cache "
              "[env MODELTERMS_FETCH].")
@pass_deps
def models(deps: Deps, model, as_json, fetch):
    """Which licenses and use policies apply to MODEL (a Hugging Face id, a name, a model card or folder),
    following base-model chains. Without MODEL: the registry's known model families."""
    from agent.models import policies_for_license, registry
    from agent.present import json as present_json
    from agent.present import text

    if not model:
        reg = registry()
        rows = [{"pattern": m.get("pattern") or m.get("id"), "license": m.get("license"), "base_model": m.get("base_model")}
                for m in reg.get("models", [])]
        if as_json:
            click.echo(json.dumps({"models": rows, "hf_licenses": sorted(reg.get("hf_licenses", {}))}, indent=2))
            return
        for r in rows:
            click.echo(f"{str(r['pattern']):50s} {r['license']}" + (f"  (base: {r['base_model']})" if r["base_model"] else ""))
        return
    if fetch:
        deps = deps.with_settings(deps.settings.replace(fetch=True))
    corpus, resolver = deps.corpus, deps.resolver
    res = resolver.resolve_model(model)
    for key in list(res.licenses):
        present, missing = policies_for_license(key, corpus)
        res._add(policies=present, missing=missing)
    if as_json:
        click.echo(json.dumps(present_json.resolution(res), indent=2, ensure_ascii=False))
        return
    click.echo(text.resolution(res, corpus, model, style=click.style, how_to_get=GET_HINT))
