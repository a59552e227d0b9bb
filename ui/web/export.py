"""Export of a result shown in a tab: the result's JSON (what the CLI's --json prints) and a Markdown report
of what the page shows, written under the UI's data folder for the tab's download buttons."""
import json
import time
import uuid

from corpus.display import NOT_LEGAL_ADVICE

from .services import Services, ui_dir
from .gradio_backend import gradio


def export_files(svc: Services, kind: str, data: dict, markdown: str) -> tuple[str, str]:
    """(JSON path, Markdown path) of one result, in a fresh folder per export (two people never share one)."""
    out = ui_dir(svc.settings) / "exports" / uuid.uuid4().hex[:16]
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    payload = {"kind": kind, "exported": stamp, "disclaimer": NOT_LEGAL_ADVICE,
               **data}
    p_json, p_md = out / f"modelterms-{kind}.json", out / f"modelterms-{kind}.md"
    # throwaway files in a fresh folder nobody else reads: written plainly (no fsync on every request)
    p_json.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    p_md.write_text(f"# modelterms {kind}\n\n*Exported {stamp}. {NOT_LEGAL_ADVICE}*\n\n{markdown.strip()}\n",
                    encoding="utf-8")
    return str(p_json), str(p_md)


def export_buttons(kind: str):
    """The two download buttons of a tab, off until the tab has a result."""
    gr = gradio()

    with gr.Row():
        a = gr.DownloadButton("Export JSON", value=None, interactive=False, size="sm", elem_id=f"{kind}-export-json")
        b = gr.DownloadButton("Export Markdown", value=None, interactive=False, size="sm",
                              elem_id=f"{kind}-export-md")
    return a, b


def ready(paths: tuple[str, str]):
    gr = gradio()

    return tuple(gr.DownloadButton(value=p, interactive=True) for p in paths)


