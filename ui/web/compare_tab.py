"""Compare tab: a term matrix over licenses, and the clause-level diff of two versions."""
from agent.compare import compare, diff, with_policies
from agent.models import policies_for_license
from agent.present import html, markdown
from agent.present import json as present_json
from corpus.catalog import plain_name
from corpus.errors import ModeltermsError
from retrieval.indexer import clauses_for

from .export import export_buttons, export_files, ready
from .guard import in_panel
from .page import Page
from .services import Services
from .gradio_backend import gradio

MAX_COMPARE = 8


def compare_html(svc: Services, keys: list[str] | None) -> str:
    """The matrix as HTML: `compare_report` without the export."""
    return compare_report(svc, keys)[0]


def profiles_with_policies(svc: Services, keys: list[str]) -> list:
    """Each license's profile, and after it "license + its policies" where the registry says it incorporates use
    policies that are in the corpus (a Llama license's bans live in its acceptable-use policy)."""
    profiler = svc.checker.profiler
    out = []
    for k in keys:
        prof = profiler.profile(k)
        out.append(prof)
        present, _ = policies_for_license(k, svc.corpus)
        present = [p for p in present if p != k and p not in keys and svc.corpus.exists(p)]
        if present:
            out.append(with_policies(prof, [profiler.profile(p) for p in present]))
    return out


def compare_report(svc: Services, keys: list[str] | None):
    """A colour-coded matrix of terms (rows) by licenses (columns), each license followed by itself read with
    the use policies it incorporates; the overview above it. (html, JSON, Markdown)."""
    keys = list(dict.fromkeys(k.strip() for k in (keys or []) if k and k.strip()))
    if len(keys) < 2:
        raise ModeltermsError("pick at least two licenses to compare")
    if len(keys) > MAX_COMPARE:
        raise ModeltermsError(f"compare at most {MAX_COMPARE} licenses at once")
    with svc.reading():
        for k in keys:
            if not svc.corpus.exists(k):
                raise ModeltermsError(svc.corpus.unknown_key_message(k))
        profiles = profiles_with_policies(svc, keys)
        matrix = compare(profiles)
        quotes = {e.clause_id: e.quote for p in profiles for r in p.terms.values() for e in r.evidence[:1]}
        out = html.comparison(matrix, quotes, lambda key: plain_name(svc.corpus.get(key).name)
                              if svc.corpus.exists(key) else key)
    return out, present_json.comparison(matrix), markdown.comparison_tables(matrix)


def diff_html(svc: Services, old: str | None, new: str | None, limit: int = 200) -> str:
    """Clause-level changes from OLD to NEW, and the terms whose attitude changed."""
    old, new = (old or "").strip(), (new or "").strip()
    if not old or not new:
        raise ModeltermsError("pick the old and the new version")
    if old == new:
        raise ModeltermsError("pick two different texts")
    with svc.reading():
        corpus, profiler = svc.corpus, svc.checker.profiler
        for k in (old, new):
            if not corpus.exists(k):
                raise ModeltermsError(corpus.unknown_key_message(k))
        ea, eb = corpus.get(old), corpus.get(new)
        names = tuple(n for n in (ea.name, eb.name, ea.version, eb.version) if n)
        d = diff(old, clauses_for(ea, svc.settings), new, clauses_for(eb, svc.settings), profiler.profile(old),
                 profiler.profile(new), names=names)
    return html.diff(d, old, new, limit)


def build(page: Page) -> None:
    gr = gradio()

    svc = page.svc
    with gr.Tab("Compare", id="compare"):
        cmp_keys = gr.Dropdown(page.licenses, multiselect=True, max_choices=MAX_COMPARE, filterable=True,
                               label=f"Licenses to compare (2–{MAX_COMPARE})", elem_id="compare-licenses")
        cmp_btn = gr.Button("Compare", variant="primary", elem_id="compare-run")
        cmp_out = gr.HTML("", elem_id="compare-matrix")
        cmp_json, cmp_md = export_buttons("compare")

        def on_compare(ks):
            html_out, report, md = compare_report(svc, ks)
            return (html_out, *ready(export_files(svc, "compare", report, md)))

        cmp_btn.click(in_panel(on_compare, 3, at=0), cmp_keys, [cmp_out, cmp_json, cmp_md], api_name="compare",
                      concurrency_id="grounded")
        gr.Markdown("### Version diff")
        with gr.Row():
            d_old = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True, label="Old",
                                elem_id="diff-old")
            d_new = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True, label="New",
                                elem_id="diff-new")
        diff_btn = gr.Button("Diff", elem_id="diff-run")
        diff_out = gr.HTML("", elem_id="diff-out")
        diff_btn.click(in_panel(lambda a, b: diff_html(svc, a, b), 1, at=0), [d_old, d_new], diff_out, api_name="diff",
                       concurrency_id="grounded")
    page.pickers.extend([cmp_keys, d_old, d_new])
