"""CLI commands of the grounded analysis: explain, check, compare, diff, models. Thin: parse, call agent/, print."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from corpus.display import NOT_LEGAL_ADVICE, shorten
from corpus.errors import ModeltermsError
from agent.deps import Deps

from .wiring import pass_deps

MAX_MODEL_CHARS = 300
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
    corpus.add_transient(LicenseEntry(key=key, name=name, kind=guess_kind(name, text), text=text, source="file",
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
    if as_json and as_md:
        raise ModeltermsError("choose one of --json and --md")
    key = load_ref(deps.corpus, ref)
    prof = deps.profiler.profile(key)
    if as_json:
        out = prof.as_json()
        out["groups"] = {g: [t.term for t in ts] for g, ts in prof.grouped().items()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(render_profile(prof, markdown=as_md, quotes=quotes))


def render_profile(prof, markdown: bool = False, quotes: bool = True) -> str:
    from corpus.taxonomy import load_taxonomy

    tax = load_taxonomy()
    lines = []
    if markdown:
        lines += [f"# {prof.name}", "", f"`{prof.license}` · {prof.kind} · method: {prof.method}", ""]
    else:
        lines += [click.style(f"{prof.name}", bold=True) + f"  [{prof.license}, {prof.kind}]", ""]
    titles = {"permissions": "Permissions", "prohibitions": "Prohibitions", "duties": "Duties and conditions",
              "thresholds": "Thresholds"}
    for group, terms in prof.grouped().items():
        if not terms:
            continue
        if markdown:
            lines += [f"## {titles[group]}", "", "| term | attitude | parameters | clause | quote |", "|---|---|---|---|---|"]
        else:
            lines.append(click.style(titles[group], underline=True))
        for t in sorted(terms, key=lambda t: list(tax).index(t.term)):
            ev = t.evidence[0] if t.evidence else None
            params = ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in t.params.items())
            quote = " ".join(ev.quote.split()) if ev else ""
            if markdown:
                cell = quote.replace("|", "\\|")[:300] if quotes else ""
                lines.append(f"| {tax[t.term].name} | {t.attitude} | {params} | `{ev.clause_id if ev else ''}` | {cell} |")
            else:
                lines.append(f"  {tax[t.term].name:40s} {t.attitude:7s} {params}")
                if ev:
                    lines.append(f"      [{ev.clause_id}]" + (f" \"{shorten(quote, 200, collapse=False)}\"" if quotes else ""))
        lines.append("")
    if prof.references:
        lines.append("## Policies incorporated by reference" if markdown else click.style("Policies incorporated by reference", underline=True))
        if markdown:
            lines.append("")
        for r in prof.references:
            state = f"in the corpus as `{r['key']}`" if r["in_corpus"] else "NOT in the corpus" + (
                f" — add it with `modelterms corpus add FILE --key {r['key']}`" if r.get("key") else "")
            lines.append(f"- {r['policy']}: {state}" + (f" ({r['url']})" if r.get("url") else ""))
        lines.append("")
    if not prof.terms:
        lines.append("No taxonomy term was recognised in this text.")
    lines.append(("> " if markdown else "") + NOT_LEGAL_ADVICE)
    return "\n".join(lines)


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
    from agent.usecase import validate_use

    if fetch:
        deps = deps.with_settings(deps.settings.replace(fetch=True))
    settings = deps.settings
    if batch:
        if use or license_ or model or card:
            raise ModeltermsError("--batch takes its uses and targets from the file; drop --use/--license/--model/--card")
        return _check_batch(deps, batch, as_json)
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
        click.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    click.echo(render_check(result))


def render_check(result) -> str:
    colour = {"prohibited": "red", "conditional": "yellow", "allowed": "green", "unclear": "magenta"}[result.verdict]
    lines = [click.style(result.verdict.upper(), fg=colour, bold=True) + "  (" + ", ".join(result.licenses or ["no license resolved"]) + ")"]
    body = result.answer.split("\n", 1)
    if len(body) > 1:
        lines.append(body[1])
    others = [f for f in result.findings if f.clause_id not in result.answer]
    if others:
        lines.append("Other clauses considered:")
        for f in others[:6]:
            lines.append(f"- [{f.clause_id}] {f.category} ({f.effect}): {f.why}")
    lines.append(NOT_LEGAL_ADVICE)
    return "\n".join(lines)


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
    return checker.check(job["use"], license=lic, model=model, card=card).as_json()


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
    from agent.compare import SYMBOL
    from agent.compare import compare as compare_profiles

    if len(refs) < 2:
        raise ModeltermsError("compare needs at least two licenses")
    keys = list(dict.fromkeys(load_ref(deps.corpus, r) for r in refs))
    profiler = deps.profiler
    matrix = compare_profiles([profiler.profile(k) for k in keys], all_terms=all_terms)
    if as_json:
        click.echo(json.dumps(matrix.as_json(), indent=2, ensure_ascii=False))
        return
    width = max(12, *(len(k) for k in keys))
    out = []
    if view in ("summary", "both"):
        if as_md:
            out += ["| | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
            out += [f"| {c} | " + " | ".join(v) + " |" for c, v in matrix.summary]
        else:
            out.append(f"{'':26s}" + "".join(f"{k[:width]:>{width + 2}s}" for k in keys))
            for c, v in matrix.summary:
                out.append(f"{c:26s}" + "".join(f"{x[:width]:>{width + 2}s}" for x in v))
        out.append("")
    if view in ("terms", "both"):
        if as_md:
            out += ["| term | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
            out += [f"| {name} | " + " | ".join(f"{SYMBOL[a]} {a}" for a in att) + " |" for _, name, att in matrix.rows]
        else:
            colours = {"cannot": "red", "must": "yellow", "can": "green", "none": None}
            out.append(f"{'':40s}" + "".join(f"{k[:width]:>{width + 2}s}" for k in keys))
            for _, name, att in matrix.rows:
                cells = "".join(click.style(f"{SYMBOL[a] + ' ' + a:>{width + 2}s}", fg=colours[a]) for a in att)
                out.append(f"{name[:40]:40s}" + cells)
        out.append("")
    out.append(NOT_LEGAL_ADVICE)
    click.echo("\n".join(out))


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
    from agent.compare import word_diff
    from retrieval.indexer import clauses_for

    settings, corpus = deps.settings, deps.corpus
    a, b = load_ref(corpus, old), load_ref(corpus, new)
    ea, eb = corpus.get(a), corpus.get(b)
    profiler = deps.profiler
    names = tuple(n for n in (ea.name, eb.name, ea.version, eb.version) if n)
    d = diff_texts(a, clauses_for(ea, settings), b, clauses_for(eb, settings), profiler.profile(a), profiler.profile(b),
                   names=names)
    if as_json:
        click.echo(json.dumps(d.as_json(), indent=2, ensure_ascii=False))
        return
    js = d.as_json()
    out = [click.style(f"{a} → {b}", bold=True) + f": {js['changed']} changed, {js['added']} added, "
           f"{js['removed']} removed, {js['unchanged']} unchanged clauses", ""]
    if d.terms:
        out.append(click.style("Terms whose attitude changed", underline=True))
        out += [f"  {t['name']:40s} {t['old']} → {t['new']}" for t in d.terms]
        out.append("")
    for c in d.changes:
        if c.kind == "changed":
            out.append(click.style(f"~ {c.old_id} → {c.new_id}", fg="yellow"))
            out.append("  " + (c.new_text if show_all else word_diff(c.old_text, c.new_text)))
        elif c.kind == "added":
            out.append(click.style(f"+ {c.new_id}", fg="green"))
            out.append("  " + (c.new_text if show_all else shorten(c.new_text, 400)))
        else:
            out.append(click.style(f"- {c.old_id}", fg="red"))
            out.append("  " + (c.old_text if show_all else shorten(c.old_text, 400)))
        out.append("")
    out.append(NOT_LEGAL_ADVICE)
    click.echo("\n".join(out))


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
        click.echo(json.dumps(res.as_json(), indent=2, ensure_ascii=False))
        return
    if not res.keys:
        click.echo(f"{model}: no license resolved" + (" — " + "; ".join(res.notes) if res.notes else ""))
    else:
        click.echo(click.style(res.model or model, bold=True))
        if res.chain:
            click.echo("  base-model chain: " + " → ".join(res.chain))
        for k in res.licenses:
            click.echo(f"  license: {k}  ({corpus.get(k).name})")
        for k in res.policies:
            click.echo(f"  policy:  {k}  ({corpus.get(k).name})")
    for m in res.missing:
        click.echo(f"  missing: {m['name']}" + (f" ({m['url']})" if m.get("url") else "")
                   + (f" — `modelterms corpus fetch {m['key']}`, or add it with `modelterms corpus add FILE --key {m['key']}`"
                      if m.get("key") else ""))
    for c in res.conflicts:
        click.echo(f"  conflict: {c}")
    for n in res.notes:
        click.echo(f"  note: {n}")
