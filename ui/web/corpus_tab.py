"""Corpus tab: the user's own texts, added (stored and indexed at once) and removed."""
import re

from corpus.datalock import data_lock
from corpus.errors import ModeltermsError
from corpus.keys import validate_key

from .guard import _guard, in_panel
from .jobs import Job
from .page import Page
from .render import _rows_to_df
from .services import Services
from .uploads import UPLOAD_TYPES, read_upload, upload_limits


CORPUS_COLUMNS = ["key", "name", "kind", "characters", "indexed clauses"]
_KEY_CHARS = re.compile(r"[^a-z0-9._+-]+")


def corpus_rows(svc: Services):
    from retrieval.indexer import open_manifest

    corpus = svc.corpus
    try:
        m = open_manifest(svc.settings, create=False)
        try:
            indexed = {row["key"]: row["n_clauses"] for row in m.licenses()}
        finally:
            m.close()
    except ModeltermsError:
        indexed = {}
    rows = []
    for k in corpus.user_keys():
        e = corpus.user.get(k)
        if e is not None:
            rows.append([k, e.name, e.kind, len(e.text), indexed.get(k, 0)])
    return _rows_to_df(rows, CORPUS_COLUMNS)


def corpus_add(svc: Services, upload, key: str | None = None, name: str | None = None, kind: str | None = None,
               progress=None):
    """Stores an uploaded text as one of the user's texts and indexes it: (status, table). `progress(done,
    total, desc)` is told the clauses indexed (it cannot stop the work: a half-written index helps no one)."""
    from corpus.catalog import Corpus
    from retrieval.indexer import run_index
    from retrieval.store import ClauseStore

    path, _ = read_upload(svc, upload)
    key = (key or "").strip() or None
    if key is None:
        stem = _KEY_CHARS.sub("-", path.stem.lower()).strip("-._")
        key = stem if len(stem) >= 2 else None
    kind = kind if kind in ("license", "aup") else None
    if key is not None:
        validate_key(key, "key")
    with svc.lock.write(), data_lock(svc.settings.home):  # and other processes' index/remove wait too
        corpus = Corpus(svc.settings)
        store = ClauseStore(svc.settings)  # reach the store before writing anything
        entry, status = corpus.add_user_text(path, key=key, name=(name or "").strip() or None, kind=kind)
        try:
            report = run_index(svc.settings, corpus, only=[entry.key], store=store,
                               progress=(lambda d, n: progress(d, n, "indexing clauses")) if progress else None)
        finally:
            svc.invalidate()
    n = report.clauses_embedded
    msg = f"{status} `{entry.key}` ({entry.kind}, {len(entry.text):,} characters): {entry.name}. " + (
        f"Indexed {n} clauses." if n else "Already indexed.")
    return msg, corpus_rows(svc)


def corpus_remove(svc: Services, key: str | None):
    from corpus.catalog import Corpus
    from retrieval.indexer import remove_from_index

    key = (key or "").strip()
    if not key:
        raise ModeltermsError("pick one of your texts to remove")
    validate_key(key)
    with svc.lock.write(), data_lock(svc.settings.home):
        corpus = Corpus(svc.settings)
        if key not in corpus.user_keys():
            corpus.remove_user_text(key)  # the right error: built-in or unknown
        try:
            remove_from_index(svc.settings, key)
            corpus.remove_user_text(key)
        finally:
            svc.invalidate()
    return f"removed `{key}`", corpus_rows(svc)


def build(page: Page) -> None:
    import gradio as gr

    svc = page.svc
    with gr.Tab("Corpus", id="corpus"):
        gr.Markdown(f"Add a license or use policy of your own ({upload_limits(svc)}). It is stored in the data "
                    "folder, indexed at once and used by every tab.")
        with gr.Row():
            c_file = gr.File(label="License or policy file", file_types=UPLOAD_TYPES, elem_id="corpus-upload")
            with gr.Column():
                c_key = gr.Textbox(label="Key (default: from the file name)", elem_id="corpus-key")
                c_name = gr.Textbox(label="Name (default: the text's first line)")
                c_kind = gr.Radio(["guess", "license", "aup"], value="guess", label="Kind")
        c_add = gr.Button("Add to the corpus", variant="primary", elem_id="corpus-add")
        c_status = gr.Markdown("", elem_id="corpus-status")
        c_table = gr.Dataframe(headers=CORPUS_COLUMNS, label="Your texts", interactive=False,
                               elem_id="corpus-table")
        with gr.Row():
            c_remove_key = gr.Dropdown(svc.corpus.user_keys(), value=None, label="Remove one of your texts",
                                       elem_id="corpus-remove-key")
            c_remove = gr.Button("Remove", variant="stop", elem_id="corpus-remove")

    def wire(page: Page) -> None:
        # After every tab is built: a change refreshes the license pickers of all of them.
        pickers = list(page.pickers)

        def refreshed(status, table):
            choices = svc.license_choices()
            return (status, table, gr.Dropdown(choices=svc.corpus.user_keys(), value=None),
                    *[gr.Dropdown(choices=choices) for _ in pickers])

        def on_add(f, k, n, kd, progress=gr.Progress()):
            job = Job(progress)
            job.step(0, 2, "reading the file")
            return refreshed(*corpus_add(svc, f, k, n, kd, progress=lambda d, total, desc: job.progress((d, total),
                                                                                                        desc=desc)))

        outs = [c_status, c_table, c_remove_key, *pickers]
        c_add.click(in_panel(on_add, len(outs), at=0), [c_file, c_key, c_name, c_kind], outs,
                    api_name="corpus_add", concurrency_id="corpus", concurrency_limit=1)
        c_remove.click(in_panel(lambda k: refreshed(*corpus_remove(svc, k)), len(outs), at=0), c_remove_key, outs,
                       api_name="corpus_remove", concurrency_id="corpus", concurrency_limit=1)
        page.demo.load(_guard(lambda: (corpus_rows(svc), gr.Dropdown(choices=svc.corpus.user_keys(), value=None))),
                       None, [c_table, c_remove_key], api_visibility="private", queue=False)

    page.finish.append(wire)
