"""Corpus tab: every text (built-in and added) browsed and searched; the user's own texts added (uploaded or
pasted; stored and indexed at once) and removed."""
import re
import uuid

from corpus.atomic import atomic_write
from corpus.catalog import Corpus, plain_name
from corpus.datalock import data_lock
from corpus.display import shorten
from corpus.errors import ModeltermsError
from corpus.keys import validate_key
from retrieval.indexer import open_manifest, remove_from_index, run_index
from retrieval.store import open_store

from .guard import guard, in_panel
from .jobs import Job
from .page import Page
from .render import escape, rows_to_df
from .services import Services, ui_dir
from .uploads import UPLOAD_TYPES, read_upload, upload_limits
from .gradio_backend import gradio


CORPUS_COLUMNS = ["key", "name", "kind", "characters", "indexed clauses"]
_KEY_CHARS = re.compile(r"[^a-z0-9._+-]+")


def _indexed_clauses(svc: Services) -> dict[str, int]:
    """Clauses per indexed key, from the manifest (empty when nothing is indexed yet)."""
    try:
        m = open_manifest(svc.settings, create=False)
        try:
            return {row["key"]: row["n_clauses"] for row in m.licenses()}
        finally:
            m.close()
    except ModeltermsError:
        return {}


def corpus_rows(svc: Services):
    corpus = svc.corpus
    indexed = _indexed_clauses(svc)
    rows = []
    for k in corpus.user_keys():
        e = corpus.user.get(k)
        if e is not None:
            rows.append([k, plain_name(e.name), e.kind, len(e.text), indexed.get(k, 0)])
    return rows_to_df(rows, CORPUS_COLUMNS)


ALL_COLUMNS = ["key", "name", "kind", "source", "indexed clauses"]


def all_texts(svc: Services, query: str | None = None):
    """Every text of the corpus (built-in and added), filtered by words of the key or name: (rows frame)."""
    svc.fresh()
    words = (query or "").lower().split()
    indexed = _indexed_clauses(svc)
    corpus = svc.corpus
    rows = []
    for source, keys in (("added", corpus.user_keys()), ("built-in", corpus.builtin_keys())):
        for k in keys:
            try:
                e = corpus.get(k)
            except ModeltermsError:
                continue
            name = plain_name(e.name or k)
            if all(w in f"{k} {name}".lower() for w in words):
                rows.append([k, name, e.kind, source, indexed.get(k, 0)])
    return rows_to_df(rows, ALL_COLUMNS)


def search_texts(svc: Services, query: str | None):
    """(table of matching texts, HTML of the best matching clauses in the index) for the Corpus tab's search."""
    query = (query or "").strip()
    table = all_texts(svc, query if len(query.split()) <= 3 else None)
    if not query:
        return table, ""
    with svc.reading():
        searcher = svc.searcher
        if searcher is None:
            return table, '<p class="mt-muted">No index: clause search is off.</p>'
        hits = searcher.search(query, k=8)
        names = {h.license: plain_name(svc.corpus.get(h.license).name) for h in hits if svc.corpus.exists(h.license)}
    items = "".join(f'<details class="mt-cite"><summary><b>{escape(names.get(h.license, h.license))}</b> · '
                    f'<code>{escape(h.clause_id)}</code></summary><pre class="mt-context">{escape(h.text)}</pre></details>'
                    for h in hits)
    return table, (f'<p class="mt-muted">Clauses that best match “{escape(shorten(query, 80))}”:</p>{items}' if items
                   else '<p class="mt-muted">No clause matches.</p>')


def view_text(svc: Services, key: str | None) -> str:
    """One text of the corpus, whole, as the page shows it (plain text, escaped)."""
    key = (key or "").strip()
    if not key:
        raise ModeltermsError("pick a text to read")
    svc.fresh()
    if not svc.corpus.exists(key):
        raise ModeltermsError(svc.corpus.unknown_key_message(key))
    e = svc.corpus.get(key)
    return (f'<div class="mt-view"><h3>{escape(plain_name(e.name or key))}</h3><p class="mt-muted"><code>{escape(key)}</code> · '
            f'{escape(e.kind)} · {len(e.text):,} characters</p><pre class="mt-context mt-full">{escape(e.text)}</pre></div>')


def pasted_upload(svc: Services, text: str | None, key: str | None) -> str:
    """A pasted text written where uploads go, so it is read and checked exactly as an uploaded file is."""
    text = (text or "").strip()
    if not text:
        raise ModeltermsError("no file uploaded and nothing pasted: upload a file or paste the text")
    if not (key or "").strip():
        raise ModeltermsError("a pasted text needs a key (e.g. acme-model-license)")
    limit = svc.settings.max_file_bytes
    if len(text.encode("utf-8")) > limit:
        raise ModeltermsError(f"the pasted text is too large ({len(text.encode('utf-8')) / 1e6:.1f} MB; "
                              f"the limit is {limit / 1e6:g} MB)")
    folder = ui_dir(svc.settings) / "pasted" / uuid.uuid4().hex[:16]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pasted.txt"
    atomic_write(path, text + "\n")
    return str(path)


def corpus_add(svc: Services, upload, key: str | None = None, name: str | None = None, kind: str | None = None,
               progress=None, pasted: str | None = None):
    """Stores an uploaded text as one of the user's texts and indexes it: (status, table). `progress(done,
    total, desc)` is told the clauses indexed (it cannot stop the work: a half-written index helps no one)."""
    if not upload and (pasted or "").strip():
        upload = pasted_upload(svc, pasted, key)
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
        store = open_store(svc.settings, required=True)  # reach the store before writing anything
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
    gr = gradio()

    svc = page.svc
    with gr.Tab("Corpus", id="corpus"):
        gr.Markdown("### All texts")
        with gr.Row():
            c_query = gr.Textbox(label="Search names and clauses", scale=4, elem_id="corpus-search",
                                 placeholder="e.g. Gemma, acceptable use, military")
            c_search = gr.Button("Search", scale=1, elem_id="corpus-search-run")
        c_all = gr.Dataframe(headers=ALL_COLUMNS, label="Texts (built-in and added)", interactive=False,
                             max_height=360, elem_id="corpus-all")
        c_hits = gr.HTML("", elem_id="corpus-hits")
        with gr.Row():
            c_view_key = gr.Dropdown(page.licenses, value=None, filterable=True, allow_custom_value=True,
                                     label="Read a text", scale=4, elem_id="corpus-view-key")
            c_view = gr.Button("Open", scale=1, elem_id="corpus-view-run")
        c_text = gr.HTML("", elem_id="corpus-view")
        gr.Markdown("### Add your own")
        gr.Markdown(f"A license or use policy of your own ({upload_limits(svc)}), uploaded or pasted. It is stored in "
                    "the data folder, indexed at once and used by every tab.")
        with gr.Row():
            with gr.Column():
                c_file = gr.File(label="License or policy file", file_types=UPLOAD_TYPES, elem_id="corpus-upload")
                c_paste = gr.Textbox(label="…or paste the text", lines=4, max_lines=12, elem_id="corpus-paste",
                                     max_length=svc.settings.max_file_bytes)
            with gr.Column():
                c_key = gr.Textbox(label="Key (default: from the file name; needed for a pasted text)",
                                   elem_id="corpus-key")
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
        c_search.click(in_panel(lambda q: search_texts(svc, q), 2, at=1), c_query, [c_all, c_hits],
                       api_name="corpus_search", concurrency_id="grounded")
        c_query.submit(in_panel(lambda q: search_texts(svc, q), 2, at=1), c_query, [c_all, c_hits],
                       api_visibility="private", concurrency_id="grounded")
        c_view.click(in_panel(lambda k: view_text(svc, k), 1, at=0), c_view_key, c_text, api_name="corpus_view",
                     concurrency_id="grounded")
    page.pickers.append(c_view_key)

    def wire(page: Page) -> None:
        # After every tab is built: a change refreshes the license pickers of all of them.
        pickers = list(page.pickers)

        def refreshed(status, table):
            choices = svc.license_choices()
            return (status, table, gr.Dropdown(choices=svc.corpus.user_keys(), value=None),
                    *[gr.Dropdown(choices=choices) for _ in pickers])

        def on_add(f, pasted, k, n, kd, progress=gr.Progress()):
            job = Job(progress)
            job.step(0, 2, "reading the text")
            return refreshed(*corpus_add(svc, f, k, n, kd, pasted=pasted,
                                         progress=lambda d, total, desc: job.progress((d, total), desc=desc)))

        outs = [c_status, c_table, c_remove_key, *pickers]
        c_add.click(in_panel(on_add, len(outs), at=0), [c_file, c_paste, c_key, c_name, c_kind], outs,
                    api_name="corpus_add", concurrency_id="corpus", concurrency_limit=1)
        c_remove.click(in_panel(lambda k: refreshed(*corpus_remove(svc, k)), len(outs), at=0), c_remove_key, outs,
                       api_name="corpus_remove", concurrency_id="corpus", concurrency_limit=1)
        def on_load():
            # each page load sees the corpus as it is now (a text added from the CLI included)
            choices = svc.license_choices()
            return (corpus_rows(svc), gr.Dropdown(choices=svc.corpus.user_keys(), value=None), all_texts(svc),
                    *[gr.Dropdown(choices=choices) for _ in pickers])

        page.demo.load(guard(on_load), None, [c_table, c_remove_key, c_all, *pickers], api_visibility="private",
                       queue=False)

    page.finish.append(wire)
