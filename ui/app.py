"""The web UI: a Gradio Blocks app over the grounded tools, assembled from ui/web/ (one module per tab).
Thin: handlers validate, call agent/, retrieval/ and evals/, and format; they hold no analysis of their own.

- ui/web/services.py: `Services`, what is loaded once per process (checker, searcher, drafter, identifier),
  rebuilt only when the corpus changes; grounded work takes a shared lock, corpus changes an exclusive one.
- ui/web/uploads.py: uploads confined to `<home>/ui/`; ui/web/asgi.py: `ServeOnly` refuses every `/file=`
  request outside it.
- ui/web/<tab>_tab.py: each tab's handlers (plain functions of `Services` and the inputs, tested without a
  browser) and its `build(page)`, which lays the tab out and wires it with `guard` (one-line messages,
  never tracebacks). A tab is added to the page by listing its builder in `TABS`.
- ui/web/style.css: the page's CSS, read when the app is built.
"""
import logging
import os
import time
from pathlib import Path

from corpus.display import NOT_LEGAL_ADVICE
from corpus.settings import Settings

from .web import audit_tab, chat_tab, check_tab, compare_tab, corpus_tab, draft_tab, evals_tab, explain_tab
from .web.asgi import ServeOnly
from .web.chat_tab import chat_reset, chat_stream  # noqa: F401  (the handlers, for tests and scripts)
from .web.check_tab import FINDING_COLUMNS, run_check  # noqa: F401
from .web.compare_tab import MAX_COMPARE, compare_html, diff_html  # noqa: F401
from .web.corpus_tab import corpus_add, corpus_remove, corpus_rows  # noqa: F401
from .web.draft_tab import draft_files, draft_preview, spec_from_form  # noqa: F401
from .web.evals_tab import open_reports, run_retrieval_eval, run_usecase_eval, usecase_views  # noqa: F401
from .web.explain_tab import PROFILE_COLUMNS, explain  # noqa: F401
from .web.gradio_backend import gradio
from .web.page import Page
from .web.render import citations_html, clause_context, verdict_badge  # noqa: F401
from .web.services import Services, model_choices, ui_dir  # noqa: F401
from .web.uploads import UPLOAD_TYPES, hide_server_paths, read_upload, transient_license, upload_path  # noqa: F401

log = logging.getLogger("modelterms.ui")

TITLE = "modelterms"
CSS_FILE = Path(__file__).parent / "web" / "style.css"

# The page's tabs, in order: each builder takes the `Page` and lays out one tab inside the open Blocks.
# To add a tab, write ui/web/<name>_tab.py with `build(page)` and list it here.
TABS = [chat_tab.build, check_tab.build, explain_tab.build, compare_tab.build, draft_tab.build, audit_tab.build,
        corpus_tab.build, evals_tab.build]


# A clause id in an answer is a link to "#<tab>-<clause>": open that cited clause and bring it into view.
HEAD = """<script>
document.addEventListener("click", (ev) => {
  const a = ev.target.closest && ev.target.closest('a[href^="#chat-"], a[href^="#check-"]');
  if (!a) return;
  const el = document.getElementById(a.getAttribute("href").slice(1));
  if (!el) return;
  ev.preventDefault(); ev.stopPropagation();
  if (el.tagName === "DETAILS") el.open = true;
  el.scrollIntoView({behavior: "smooth", block: "center"});
}, true);
</script>"""


def css() -> str:
    return CSS_FILE.read_text(encoding="utf-8")


def prepare_gradio_env(settings: Settings) -> Path:
    """Gradio's upload and cache folders inside the data dir, and no telemetry. Called before any component
    is made (Gradio reads these when components and the server are created)."""
    root = ui_dir(settings)
    root.mkdir(parents=True, exist_ok=True)
    os.environ["GRADIO_TEMP_DIR"] = str(root.resolve())
    os.environ["GRADIO_EXAMPLES_CACHE"] = str((root / "cached_examples").resolve())
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    # After every request Gradio's queue summarises, with pandas, all the requests it remembers (10,000 by default)
    # for a monitoring page this app does not enable: 5 ms a request once a thousand are kept, 20 ms at ten thousand
    # (quiet core), so a server slowed down the longer it ran. Fewer kept, summarised every hundred requests.
    os.environ["GRADIO_ANALYTICS_MAX_EVENTS"] = "1000"
    os.environ["GRADIO_ANALYTICS_CACHE_FREQUENCY"] = "100"
    return root


def build_app(svc: Services, tabs=None):
    """The Blocks app. Call `svc.warm()` first to load the models before the first request."""
    prepare_gradio_env(svc.settings)
    gr = gradio()

    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(3600, 24 * 3600)) as demo:
        gr.Markdown(f"# {TITLE}\n<span class='mt-disclaimer' id='mt-disclaimer'>{NOT_LEGAL_ADVICE}</span>")
        if svc.index_build is not None:
            _index_status(svc)
        page = Page(svc=svc, demo=demo, licenses=svc.license_choices())
        with gr.Tabs():
            for build in (TABS if tabs is None else tabs):
                build(page)
        for wire in page.finish:
            wire(page)
    return demo


def _index_status(svc: Services) -> None:
    """A line under the title while the index is built behind the page, refreshed every 2 s until it is done."""
    gr = gradio()

    status = gr.Markdown(svc.index_build.note(), elem_id="mt-index-status")
    timer = gr.Timer(2.0)

    def tick():
        note = svc.index_build.note()
        return note, gr.Timer(active=svc.index_build.running)

    timer.tick(tick, None, [status, timer], queue=False, show_progress="hidden")


def theme():
    gr = gradio()

    # System fonts: the default theme would ask a web font service, which an offline machine cannot reach.
    return gr.themes.Default(font=["system-ui", "-apple-system", "Segoe UI", "sans-serif"],
                             font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"])


def launch(svc: Services, host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
           concurrency: int = 2, block: bool = True, quiet: bool = False):
    """Builds and serves the app. Returns (demo, url); with block=True it serves until interrupted."""
    from starlette.middleware import Middleware

    root = prepare_gradio_env(svc.settings)
    svc.local_paths = host in ("127.0.0.1", "localhost", "::1")  # the Audit tab reads local folders only then
    demo = build_app(svc)
    # Grounded work shares `concurrency` workers; a corpus change or an eval runs one at a time; up to
    # 256 requests wait in the queue (20 users asking at once each get their turn, none is refused).
    demo.queue(default_concurrency_limit=concurrency, max_size=256)
    t0 = time.perf_counter()
    _, url, _ = demo.launch(
        server_name=host, server_port=port, auth=auth, share=False, show_error=False, quiet=quiet,
        max_file_size=svc.settings.max_file_bytes, prevent_thread_lock=True, ssr_mode=False, inbrowser=False,
        app_kwargs={"middleware": [Middleware(ServeOnly, root=str(root))]}, theme=theme(), css=css(), head=HEAD,
        footer_links=["api"], mcp_server=False, pwa=False, run_history=False, auth_message="modelterms: sign in")
    log.info("UI up in %.1f s at %s", time.perf_counter() - t0, url)
    if block:
        try:
            demo.block_thread()
        finally:
            demo.close()
    return demo, url
