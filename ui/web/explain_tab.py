"""Explain tab: the term profile of one license (from the corpus or uploaded)."""
from agent.models import policies_for_license
from corpus.catalog import plain_name
from corpus.display import shorten
from corpus.errors import ModeltermsError
from corpus.taxonomy import load_taxonomy

from .export import export_buttons, export_files, ready, table_markdown
from .guard import in_panel
from .jobs import Job
from .page import Page, session_of, stop_handler
from .render import _rows_to_df
from .services import Services
from .uploads import UPLOAD_TYPES, read_upload, transient_license, upload_limits


PROFILE_COLUMNS = ["group", "term", "attitude", "parameters", "text", "clause", "quote"]


def _ref_key(svc: Services, license_key: str | None, upload, text: tuple | None = None) -> str:
    if text is not None:
        return transient_license(svc, *text)
    key = (license_key or "").strip()
    if not svc.corpus.exists(key):
        raise ModeltermsError(svc.corpus.unknown_key_message(key))
    return key


def explain(svc: Services, license_key: str | None, upload=None, job: Job | None = None):
    """(heading markdown, profile table, references markdown): `explain_report` without the export."""
    return explain_report(svc, license_key, upload, job)[:3]


def explain_report(svc: Services, license_key: str | None, upload=None, job: Job | None = None):
    """(heading markdown, profile table, references markdown) of one license. `job` reports the steps (an
    uploaded text's clauses are embedded one batch at a time) and can stop the work between them."""
    job = job or Job()
    job.step(0, 3, "reading the input")
    tax = load_taxonomy()
    order = list(tax)
    uploaded = read_upload(svc, upload) if upload else None
    if uploaded is None and not (license_key or "").strip():
        raise ModeltermsError("pick a license from the list or upload a license file")
    with svc.reading():
        job.step(1, 3, "loading the corpus and the index")
        key = _ref_key(svc, license_key, upload, uploaded)
        job.step(2, 3, "reading the terms")
        prof = svc.checker.profiler.profile(key, progress=job.counter("clauses embedded"))
        # the use policies the license incorporates (per the model registry) are read with it: their terms
        # follow the license's own, each row naming the text it comes from
        present, _ = policies_for_license(key, svc.corpus)
        policies = [svc.checker.profiler.profile(p) for p in present if p != key and svc.corpus.exists(p)]
    titles = {"permissions": "permission", "prohibitions": "prohibition", "duties": "duty", "thresholds": "threshold"}
    rows = []
    for source in [prof, *policies]:
        for group, terms in source.grouped().items():
            for t in sorted(terms, key=lambda t: order.index(t.term) if t.term in order else 999):
                ev = t.evidence[0] if t.evidence else None
                params = ", ".join(f"{k}={v:,}" if isinstance(v, int) else f"{k}={v}" for k, v in t.params.items())
                rows.append([titles.get(group, group), tax[t.term].name if t.term in tax else t.term, t.attitude,
                             params, plain_name(source.name), ev.clause_id if ev else "",
                             shorten(ev.quote, 300) if ev else ""])
    head = f"### {plain_name(prof.name)}\n`{prof.license}` · {prof.kind} · {len(rows)} terms recognised (method: {prof.method})"
    if policies:
        head += "\n\nRead with the use " + ("policies" if len(policies) > 1 else "policy") + " it incorporates: " + \
            ", ".join(f"{plain_name(p.name)} (`{p.license}`)" for p in policies) + " — the *text* column says which."
    if not rows:
        head += "\n\nNo taxonomy term was recognised in this text."
    refs = []
    for r in prof.references:
        state = f"in the corpus as `{r['key']}`" if r["in_corpus"] else "**not in the corpus**" + (
            f" — add it in the Corpus tab under the key `{r['key']}`" if r.get("key") else "")
        refs.append(f"- {r['policy']}: {state}" + (f" ({r['url']})" if r.get("url") else ""))
    refs_md = ("**Use policies incorporated by reference**\n" + "\n".join(refs)) if refs else \
        "No use policy is incorporated by reference."
    export_md = f"{head}\n\n{table_markdown(rows, PROFILE_COLUMNS)}\n\n{refs_md}"
    report = {**prof.as_json(), "policies": [p.as_json() for p in policies]}
    return head, _rows_to_df(rows, PROFILE_COLUMNS), refs_md, report, export_md


def build(page: Page) -> None:
    import gradio as gr

    svc = page.svc
    with gr.Tab("Explain", id="explain"):
        with gr.Row():
            ex_key = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True,
                                 label="License", scale=3, elem_id="explain-license")
            ex_file = gr.File(label=f"…or upload a license file ({upload_limits(svc)})", file_types=UPLOAD_TYPES,
                              scale=2, elem_id="explain-upload")
        with gr.Row():
            ex_btn = gr.Button("Explain", variant="primary", elem_id="explain-run")
            stop_btn = gr.Button("Stop", variant="stop", elem_id="explain-stop", size="sm")
        ex_head = gr.Markdown("", elem_id="explain-head")
        ex_table = gr.Dataframe(headers=PROFILE_COLUMNS, label="Terms", wrap=True, interactive=False,
                                column_widths=["8%", "14%", "7%", "10%", "13%", "16%", "32%"], max_height=720,
                                elem_id="explain-table")
        ex_refs = gr.Markdown("", elem_id="explain-refs")
        ex_json, ex_md = export_buttons("explain")
        def on_explain(k, f, request: gr.Request, progress=gr.Progress()):
            session = session_of(request)
            job = svc.jobs.start(session, "explain", progress)
            try:
                *shown, report, md = explain_report(svc, k, f, job=job)
            finally:
                svc.jobs.done(session, "explain", job)
            return (*shown, *ready(export_files(svc, "explain", report, md)))

        run = ex_btn.click(in_panel(on_explain, 5, at=0), [ex_key, ex_file], [ex_head, ex_table, ex_refs, ex_json, ex_md],
                           api_name="explain", concurrency_id="grounded")
        stop_btn.click(stop_handler(svc, "explain"), None, None,
                       cancels=[run], queue=False, api_visibility="private")
    page.pickers.append(ex_key)
