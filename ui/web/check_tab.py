"""Check tab: one use against a model, a license or an uploaded text."""
from agent.present import json as present_json
from agent.present import markdown
from agent.present.markdown import table as table_markdown
from agent.usecase import validate_use
from corpus.display import shorten
from corpus.errors import ModeltermsError

from .export import export_buttons, export_files, ready
from .guard import in_panel
from .jobs import Job
from .page import Page, session_of, stop_handler
from .render import rows_to_df, citations_html, deciding_first, verdict_badge
from .services import Services, model_choices
from .wording import term_name, web_words
from .uploads import UPLOAD_TYPES, is_card, hide_json_paths, hide_server_paths, identify_note, read_upload, transient_license, upload_limits
from .gradio_backend import gradio


FINDING_COLUMNS = ["effect", "license", "clause", "category", "attitude", "quote", "why"]


def run_check(svc: Services, target: str, model: str | None, license_key: str | None, upload, use: str | None,
              job: Job | None = None):
    """(badge, summary markdown, findings table, citations): `check_report` without the export."""
    return check_report(svc, target, model, license_key, upload, use, job)[:4]


def check_report(svc: Services, target: str, model: str | None, license_key: str | None, upload, use: str | None,
                 job: Job | None = None):
    """(badge, summary markdown, findings table, citations) for a use of a model, license or uploaded text.
    `job` reports the steps (an uploaded text's clauses are embedded first, which takes a while) and stops."""
    job = job or Job()

    if not (use or "").strip():
        raise ModeltermsError("describe the use: what will the model do, for whom, and do you share, host or sell it?")
    use = validate_use(use)
    target = (target or "model").lower()
    note = ""
    # Inputs are checked before anything is loaded.
    if target == "model" and not (model or "").strip():
        raise ModeltermsError("pick or type a model (e.g. meta-llama/Llama-3.1-8B-Instruct, Gemma 2 9B)")
    if target == "license" and not (license_key or "").strip():
        raise ModeltermsError("pick a license from the list")
    if target not in ("model", "license", "upload"):
        raise ModeltermsError(f"unknown target {target!r}: choose model, license or upload")
    job.step(0, 3, "reading the input")
    path, text = read_upload(svc, upload) if target == "upload" else (None, "")
    with svc.reading():
        job.step(1, 3, "loading the corpus and the index")
        checker = svc.checker
        job.step(2, 3, "checking the use against the terms")
        if target == "model":
            result = checker.check(use, model=model.strip())
        elif target == "license":
            key = license_key.strip()
            if not checker.corpus.exists(key):
                raise ModeltermsError(checker.corpus.unknown_key_message(key))
            result = checker.check(use, license=key)
        else:
            if is_card(text):
                try:
                    result = checker.check(use, card=str(path))
                except ModeltermsError as e:
                    raise ModeltermsError(hide_server_paths(svc, str(e), path)) from None
                note = f"Read `{path.name}` as a model card."
            else:
                key = transient_license(svc, path, text)
                checker.profiler.profile(key, progress=job.counter(f"reading {path.name}: clauses embedded"))
                job.step(2, 3, "checking the use against the terms")
                result = checker.check(use, license=key)
                note = f"Read `{path.name}` as a license text (analysed, not stored). " + identify_note(svc, text)
        findings = [present_json.finding(f) for f in result.findings]
        deciding = result.deciding
        cites = citations_html(svc, findings, deciding=deciding, anchor="check")
    # The table holds the findings that decide the verdict; the others are folded in the citations below it.
    top, _ = deciding_first(findings, deciding)
    rows = [[f["effect"], f["license"], f["clause_id"], term_name(f["category"]), f["attitude"], shorten(f["quote"], 220),
             web_words(f["why"])] for f in top]
    md_text = web_words(hide_server_paths(svc, markdown.check_summary(result, note), path))
    report = present_json.check(result)
    report["use"] = use
    export_md = (f"**Use:** {use}\n\n**Verdict: {result.verdict.upper()}**\n\n{md_text}\n\n"
                 + ("### Findings that decide the verdict\n\n" + table_markdown(rows, FINDING_COLUMNS) if rows else ""))
    return verdict_badge(result.verdict), md_text, rows_to_df(rows, FINDING_COLUMNS), cites, \
        hide_json_paths(svc, report, path), export_md


def build(page: Page) -> None:
    gr = gradio()

    svc = page.svc
    with gr.Tab("Check", id="check"):
        with gr.Row():
            with gr.Column(scale=2):
                target = gr.Radio(["model", "license", "upload"], value="model", label="What to check",
                                  elem_id="check-target")
                model = gr.Dropdown(model_choices(), value=None, allow_custom_value=True, filterable=True,
                                    label="Model (search the registry or type a Hugging Face id or name)",
                                    elem_id="check-model")
                lic = gr.Dropdown(page.licenses, value=None, allow_custom_value=True, filterable=True,
                                  label="License", visible=False, elem_id="check-license")
                card = gr.File(label=f"Model card or license file ({upload_limits(svc)})", file_types=UPLOAD_TYPES,
                               visible=False, elem_id="check-upload")
                use = gr.Textbox(label="The use", lines=3, elem_id="check-use",
                                 placeholder="a customer-support bot in our app with 2M monthly users")
                with gr.Row():
                    check_btn = gr.Button("Check", variant="primary", elem_id="check-run")
                    stop_btn = gr.Button("Stop", variant="stop", elem_id="check-stop", size="sm")
            with gr.Column(scale=3):
                check_badge = gr.HTML("", elem_id="check-verdict")
                check_md = gr.Markdown("", elem_id="check-summary")
        findings = gr.Dataframe(headers=FINDING_COLUMNS, label="Findings that decide the verdict", wrap=True, interactive=False,
                                column_widths=["8%", "13%", "17%", "11%", "7%", "26%", "18%"],
                                elem_id="check-findings")
        check_cites = gr.HTML("", elem_id="check-citations")
        ex_json, ex_md = export_buttons("check")
        target.change(lambda t: (gr.Dropdown(visible=t == "model"), gr.Dropdown(visible=t == "license"),
                                 gr.File(visible=t == "upload")), target, [model, lic, card], queue=False,
                      api_visibility="private")
        def on_check(t, m, k, f, u, request: gr.Request, progress=gr.Progress()):
            with svc.jobs.running(session_of(request), "check", progress) as job:
                *shown, report, md = check_report(svc, t, m, k, f, u, job=job)
            return (*shown, *ready(export_files(svc, "check", report, md)))

        # A failure is written where the answer goes; the badge says "not checked"; the last table stays.
        run = check_btn.click(in_panel(on_check, 6, at=1, also={0: verdict_badge(None, "not checked")}),
                              [target, model, lic, card, use],
                              [check_badge, check_md, findings, check_cites, ex_json, ex_md],
                              api_name="check", concurrency_id="grounded")
        stop_btn.click(stop_handler(svc, "check"), None, None,
                       cancels=[run], queue=False, api_visibility="private")
    page.pickers.append(lic)
