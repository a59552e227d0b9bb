"""Draft tab: a license drafted from a form, previewed as it changes, and written for download."""
import json
import uuid
from pathlib import Path

from agent.present.markdown import draft_notes as notes_markdown
from agent.draft.spec import ARTIFACTS, DraftSpec, FAMILIES, OUTPUT_OWNERSHIP, PRESETS
from agent.draft.upstream import check_upstream
from agent.draft.wording import restriction_ids
from agent.present.text import upstream_missing_text, upstream_text, warning_text
from corpus.atomic import atomic_write
from corpus.errors import ModeltermsError

from .guard import guard, in_panel
from .page import Page
from .render import escape
from .services import Services, ui_dir
from .wording import term_name, web_words
from .gradio_backend import gradio


DRAFT_FIELDS = ("licensor", "name", "family", "artifacts", "restrictions", "custom_restrictions", "noncommercial",
                "user_threshold", "revenue_threshold", "attribution_notice", "naming_prefix", "hosted_is_distribution",
                "output_ownership", "output_training_ban", "guardrail_termination", "jurisdiction", "policy_url",
                "open_source", "base_model")


STALE = "*The form changed: press **Draft and prepare downloads** to download this text.*"


def form_key(values) -> str:
    """The form's values as one string: downloads stay offered while the form is what they were drafted from."""
    return json.dumps(list(values), sort_keys=True, default=str)


def spec_from_form(values: dict):
    """A DraftSpec from the form; empty fields and unticked boxes say nothing (the family defaults apply)."""
    data = {}
    for k in DRAFT_FIELDS:
        v = values.get(k)
        if isinstance(v, str):
            v = v.strip()
        if k == "custom_restrictions" and isinstance(v, str):
            v = [x.strip(" -•\t") for x in v.splitlines() if x.strip(" -•\t")]
        if v in (None, "", [], False):
            continue
        data[k] = v
    if not data.get("licensor"):
        raise ModeltermsError("licensor: who grants the license? (a person or organisation)")
    spec = DraftSpec.from_mapping(data)
    return spec


def _draft(svc: Services, values: dict, provenance: bool):
    spec = spec_from_form(values)
    with svc.reading():
        d = svc.drafter.draft(spec, provenance=provenance)
        if provenance and (d.spec.upstream or d.spec.base_model):
            d.upstream = check_upstream(d.spec, svc.deps)
    return d


def _warnings_html(d) -> str:
    items = [f'<li class="mt-warn"><b>{escape(w.field)}</b>: {escape(web_words(warning_text(w)))}</li>' for w in d.warnings]
    up = getattr(d, "upstream", None)
    if up is not None:
        items += [f'<li class="mt-warn"><b>upstream</b>: {escape(web_words(upstream_text(f)))}</li>' for f in up.violations]
        items += [f'<li class="mt-warn"><b>upstream</b>: missing text — {escape(web_words(upstream_missing_text(m)))}</li>'
                  for m in up.missing]
    if any(c for c in d.spec.custom_restrictions):
        items.append('<li class="mt-review">custom restrictions are marked for legal review in the text</li>')
    if not items:
        return '<div class="mt-warnings mt-ok">No consistency warnings.</div>'
    return '<div class="mt-warnings"><b>Warnings</b><ul>' + "".join(items) + "</ul></div>"


def _notes_for_display(notes: str) -> str:
    # The page says once, at the top, that this is not legal advice; the downloaded notes keep their line.
    return "\n".join(ln for ln in notes.splitlines() if "not legal advice" not in ln)


def draft_preview(svc: Services, values: dict):
    """(markdown preview, warnings html) as the form changes; a form error is shown in place of the warnings."""
    try:
        d = _draft(svc, values, provenance=False)
    except ModeltermsError as e:
        return gr_skip(), f'<div class="mt-warnings"><b>Cannot draft yet</b>: {escape(web_words(str(e)))}</div>'
    return d.markdown, _warnings_html(d)


def draft_files(svc: Services, values: dict):
    """The full draft (with provenance and upstream check) written for download:
    (preview, notes, warnings, LICENSE.md, LICENSE.txt, license-spec.json paths)."""
    d = _draft(svc, values, provenance=True)
    notes = notes_markdown(d)
    out = ui_dir(svc.settings) / "drafts" / uuid.uuid4().hex[:16]
    out.mkdir(parents=True, exist_ok=True)
    files = {"LICENSE.md": d.markdown, "LICENSE.txt": d.text, "DRAFTING-NOTES.md": notes,
             "license-spec.json": json.dumps(d.saved_spec(), indent=2, ensure_ascii=False) + "\n"}
    for name, content in files.items():
        atomic_write(out / name, content)
    return (d.markdown, _notes_for_display(notes), _warnings_html(d), str(out / "LICENSE.md"), str(out / "LICENSE.txt"),
            str(out / "license-spec.json"))


def restriction_choices(presets: dict, ids: list[str]) -> list[tuple[str, str]]:
    """The restriction picker: preset sets by what they hold, single uses by their human name (values stay ids)."""
    out = [(f"Preset: {k} ({len(v)} uses)", k) for k, v in presets.items()]
    out.append(("Preset: all (every use below)", "all"))
    return out + [(term_name(i), i) for i in ids]


def gr_skip():
    gr = gradio()

    return gr.skip()


def build(page: Page) -> None:
    gr = gradio()

    svc = page.svc
    with gr.Tab("Draft", id="draft"):
        with gr.Row():
            with gr.Column(scale=2):
                f_licensor = gr.Textbox(label="Licensor", elem_id="draft-licensor")
                f_name = gr.Textbox(label="License name (optional)", elem_id="draft-name")
                f_family = gr.Radio(list(FAMILIES), value="open-rail", label="Family", elem_id="draft-family")
                f_artifacts = gr.CheckboxGroup(list(ARTIFACTS), value=["model"], label="Artifacts",
                                               elem_id="draft-artifacts")
                f_restr = gr.Dropdown(restriction_choices(PRESETS, restriction_ids()), value=["core"],
                                      multiselect=True, label="Use restrictions (a preset set, or single uses)",
                                      elem_id="draft-restrictions")
                f_custom = gr.Textbox(label="Custom restrictions, one per line", lines=2,
                                      elem_id="draft-custom")
                with gr.Row():
                    f_nc = gr.Checkbox(label="Non-commercial only", elem_id="draft-noncommercial")
                    f_hosted = gr.Checkbox(label="Hosting counts as distribution")
                    f_otb = gr.Checkbox(label="No training on outputs")
                with gr.Row():
                    f_guard = gr.Checkbox(label="Terminate on guardrail bypass")
                    f_os = gr.Checkbox(label="We call it open source")
                with gr.Row():
                    f_users = gr.Textbox(label="Monthly-user threshold (e.g. 700M)")
                    f_revenue = gr.Textbox(label="Revenue threshold US$ (e.g. 1M)")
                with gr.Row():
                    f_notice = gr.Textbox(label="Attribution notice")
                    f_naming = gr.Textbox(label="Name prefix for derivatives")
                f_outputs = gr.Radio(list(OUTPUT_OWNERSHIP), value="unspecified", label="Outputs belong to")
                with gr.Row():
                    f_juris = gr.Textbox(label="Governing law")
                    f_policy = gr.Textbox(label="Use-policy URL")
                f_base = gr.Textbox(label="Base model (checked against its license)", elem_id="draft-base")
                draft_btn = gr.Button("Draft and prepare downloads", variant="primary", elem_id="draft-run")
                with gr.Row():
                    # off until a draft is prepared, and off again as soon as the form changes: a download is
                    # always the text the preview shows
                    dl_md = gr.DownloadButton("Download .md", value=None, interactive=False, elem_id="draft-dl-md")
                    dl_txt = gr.DownloadButton("Download .txt", value=None, interactive=False, elem_id="draft-dl-txt")
                    dl_json = gr.DownloadButton("Download spec .json", value=None, interactive=False,
                                                elem_id="draft-dl-json")
                d_ready = gr.Markdown("", elem_id="draft-ready")
            with gr.Column(scale=3):
                d_warn = gr.HTML("", elem_id="draft-warnings")
                d_prev = gr.Markdown("*Fill in the licensor to see the draft.*", elem_id="draft-preview",
                                     height=640)
                with gr.Accordion("Drafting notes", open=False):
                    d_notes = gr.Markdown("", elem_id="draft-notes")
        form = [f_licensor, f_name, f_family, f_artifacts, f_restr, f_custom, f_nc, f_users, f_revenue,
                f_notice, f_naming, f_hosted, f_outputs, f_otb, f_guard, f_juris, f_policy, f_os, f_base]
        order = ("licensor", "name", "family", "artifacts", "restrictions", "custom_restrictions",
                 "noncommercial", "user_threshold", "revenue_threshold", "attribution_notice", "naming_prefix",
                 "hosted_is_distribution", "output_ownership", "output_training_ban", "guardrail_termination",
                 "jurisdiction", "policy_url", "open_source", "base_model")

        built = gr.State(None)  # the form values the offered downloads were drafted from

        def preview(*vals):
            *vals, made_from = vals
            md, warn = draft_preview(svc, dict(zip(order, vals)))
            if made_from is not None and form_key(vals) == made_from:
                # a preview that lands after the downloads were prepared from this very form leaves them on
                return md, warn, gr.skip(), gr.skip(), gr.skip(), gr.skip()
            off = [gr.DownloadButton(value=None, interactive=False) for _ in range(3)]
            return md, warn, *off, STALE

        def build_files(*vals):
            md, notes, warn, p_md, p_txt, p_json = draft_files(svc, dict(zip(order, vals)))
            ready = f"Ready to download: `{Path(p_md).name}`, `{Path(p_txt).name}`, `{Path(p_json).name}`."
            on = [gr.DownloadButton(value=p, interactive=True) for p in (p_md, p_txt, p_json)]
            return md, notes, warn, *on, ready, form_key(vals)

        for comp in form:
            comp.change(guard(preview), [*form, built], [d_prev, d_warn, dl_md, dl_txt, dl_json, d_ready],
                        trigger_mode="always_last", show_progress="hidden", api_visibility="private",
                        concurrency_id="draft-preview", concurrency_limit=2)
        draft_btn.click(in_panel(build_files, 8, at=2), form,
                        [d_prev, d_notes, d_warn, dl_md, dl_txt, dl_json, d_ready, built],
                        api_name="draft", concurrency_id="grounded")
