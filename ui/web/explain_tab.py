"""Explain tab: the term profile of one license (from the corpus or uploaded)."""
from agent.models import policies_for_license
from agent.present import markdown
from agent.present.markdown import PROFILE_COLUMNS
from agent.present.markdown import table as table_markdown
from corpus.errors import ModeltermsError

from .export import export_buttons, export_files, ready
from .guard import in_panel
from .jobs import Job
from .page import Page, session_of, stop_handler
from .render import rows_to_df
from .services import Services
from .uploads import UPLOAD_TYPES, read_upload, transient_license, upload_limits
from .gradio_backend import gradio


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
    rows = markdown.profile_rows([prof, *policies])
    head = markdown.profile_head(prof, policies, len(rows))
    refs_md = markdown.references(prof)
    export_md = f"{head}\n\n{table_markdown(rows, PROFILE_COLUMNS)}\n\n{refs_md}"
    report = {**prof.as_json(), "policies": [p.as_json() for p in policies]}
    return head, rows_to_df(rows, PROFILE_COLUMNS), refs_md, report, export_md


def build(page: Page) -> None:
    gr = gradio()

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
            with svc.jobs.running(session_of(request), "explain", progress) as job:
                *shown, report, md = explain_report(svc, k, f, job=job)
            return (*shown, *ready(export_files(svc, "explain", report, md)))

        run = ex_btn.click(in_panel(on_explain, 5, at=0), [ex_key, ex_file], [ex_head, ex_table, ex_refs, ex_json, ex_md],
                           api_name="explain", concurrency_id="grounded")
        stop_btn.click(stop_handler(svc, "explain"), None, None,
                       cancels=[run], queue=False, api_visibility="private")
    page.pickers.append(ex_key)
