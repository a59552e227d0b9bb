"""The web UI's Audit tab: a model card, a zipped repository, or a path / Hub id → the duties it owes as a
checklist, each with the clause that creates it and the fix. Laid out by `build(page)` inside the app's Tabs.

Uploads are unpacked under the UI's data folder (size, count and path checks; weights are kept as empty
stand-ins: only names matter to the audit). Local paths are read only when the app listens on loopback.
"""
from __future__ import annotations

import re
import shutil
import threading
import uuid
import zipfile
from pathlib import Path, PurePosixPath

from agent.audit import Auditor
from agent.present.html import audit as checklist_html
from agent.present.html import escape as _e
from agent.present.text import audit_headline, remark_text
from agent.audit.target import default_cache_dir, default_hub_opener
from corpus.errors import ModeltermsError
from ui.audit_cmd import default_hf_cache

from .gradio_backend import gradio
from .guard import guard
from .page import Page
from .uploads import upload_path

MAX_ZIP_FILES = 5_000
MAX_ZIP_TEXT_BYTES = 50_000_000
TEXT_SUFFIXES = {"", ".md", ".txt", ".markdown", ".json", ".yaml", ".yml", ".html", ".htm", ".rst"}
_lock = threading.Lock()


def auditor_for(svc):
    """One auditor per Services (it reuses the check's corpus and profiler, and their caches)."""
    with _lock:
        aud = getattr(svc, "_auditor", None)
        if aud is None or getattr(svc, "_auditor_generation", None) != svc.generation:
            # the page's corpus and profiler, with a resolver of its own (this tab may read local folders
            # where the page is served locally, see svc.local_paths)
            aud = Auditor(svc.deps.without("resolver"),
                          cache_dir=default_cache_dir(svc.settings) or default_hf_cache(),
                          hub=default_hub_opener(svc.settings) if getattr(svc.settings, "fetch", False) else None,
                          hub_bases=bool(getattr(svc.settings, "fetch", False)))
            svc._auditor, svc._auditor_generation = aud, svc.generation
        return aud


def unpack_upload(svc, upload) -> Path:
    """The uploaded card (.md) or repository (.zip) as a folder under the UI data dir."""
    path = upload_path(svc, upload)
    box = svc.upload_root / "audit" / uuid.uuid4().hex
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        # the folder is named after the card's title: the model's name is what a naming duty checks
        title = next((ln[2:] for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()[:400]
                      if ln.startswith("# ")), "")
        dest = box / _folder_name(title)
        dest.mkdir(parents=True)
        shutil.copyfile(path, dest / "README.md")
        return dest
    if suffix != ".zip":
        raise ModeltermsError(f"{path.name}: upload a model card (.md) or a zipped repository (.zip)")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ModeltermsError(f"{path.name}: not a readable zip file") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_FILES:
            raise ModeltermsError(f"{path.name}: more than {MAX_ZIP_FILES} files")
        names = [PurePosixPath(i.filename) for i in infos]
        # a zip of the folder itself: drop the common top folder so README.md is at the root
        tops = {n.parts[0] for n in names if len(n.parts) > 1}
        strip = len(tops) == 1 and all(len(n.parts) > 1 for n in names)
        dest = box / _folder_name(next(iter(tops)) if strip else path.stem)
        dest.mkdir(parents=True)
        total = 0
        for info, name in zip(infos, names):
            parts = name.parts[1:] if strip else name.parts
            if not parts or name.is_absolute() or ".." in name.parts or (info.external_attr >> 16) & 0o170000 == 0o120000:
                raise ModeltermsError(f"{path.name}: unsafe path {info.filename!r} in the zip")
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if PurePosixPath(parts[-1]).suffix.lower() in TEXT_SUFFIXES and info.file_size <= svc.settings.max_file_bytes:
                total += info.file_size
                if total > MAX_ZIP_TEXT_BYTES:
                    raise ModeltermsError(f"{path.name}: more than {MAX_ZIP_TEXT_BYTES // 1_000_000} MB of text")
                with zf.open(info) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
            else:
                target.write_bytes(b"")  # weights and other large files: the name is what the audit needs
    return dest


def _folder_name(name: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", name.strip()).strip("-.")[:96]
    return name or "uploaded-model"


def run_audit(svc, source: str, target: str | None, upload) -> tuple[str, str]:
    """(summary Markdown, checklist HTML) for the Audit tab."""
    if source == "upload":
        folder = unpack_upload(svc, upload)
        label = "the uploaded repository"
    else:
        target = (target or "").strip()
        if not target:
            raise ModeltermsError("give a Hugging Face id (ORG/NAME[@REV]) or a local folder")
        if ("/" in target and Path(target).expanduser().exists() or target.startswith((".", "~", "/"))) \
                and not getattr(svc, "local_paths", False):
            raise ModeltermsError("local folders are read only when the UI listens on 127.0.0.1; upload a zip instead")
        folder, label = None, target
    with svc.lock.read():
        result = auditor_for(svc).audit(str(folder) if folder else target)
    md = f"**{_e(audit_headline(result))}**"
    if result.usable:
        md += f"\n\nAudited {_e(label)}: declared license `{', '.join(result.repo.get('license') or []) or 'none'}`"
        if result.upstreams:
            md += "; inherits " + "; ".join(f"`{_e(u.model)}` ({_e(u.relation)}): "
                                            + (", ".join(f"`{k}`" for k in u.licenses + u.policies) or "no known text")
                                            for u in result.upstreams)
    for p in result.problems:
        md += f"\n\n> {_e(remark_text(p))}"
    return md, checklist_html(result)


def build(page: Page) -> None:
    """The Audit tab's components and events (call inside `gr.Tabs()`)."""
    gr = gradio()
    svc = page.svc

    with gr.Tab("Audit", id="audit"):
        gr.Markdown("Does a model repository meet the terms it inherits? Upload its model card or a zip of the "
                    "repository, or give a Hugging Face id (read from the local cache first).")
        with gr.Row():
            with gr.Column(scale=2):
                source = gr.Radio(["upload", "id or path"], value="upload", label="Repository", elem_id="audit-source")
                upload = gr.File(label="Model card (.md) or repository (.zip)", file_types=[".md", ".zip"],
                                 elem_id="audit-upload")
                target = gr.Textbox(label="Hugging Face id (ORG/NAME[@REV]) or local folder", visible=False,
                                    elem_id="audit-target")
                run = gr.Button("Audit", variant="primary", elem_id="audit-run")
            with gr.Column(scale=3):
                summary = gr.Markdown("", elem_id="audit-summary")
        checklist = gr.HTML("", elem_id="audit-checklist")
        source.change(lambda s: (gr.File(visible=s == "upload"), gr.Textbox(visible=s != "upload")), source,
                      [upload, target], queue=False, api_visibility="private")
        run.click(guard(lambda s, t, f: run_audit(svc, "upload" if s == "upload" else "id", t, f)),
                  [source, target, upload], [summary, checklist], api_name="audit", concurrency_id="grounded")
