"""What the tab builders share while the page is assembled: the services, the license choices, the license
pickers a corpus change refreshes, and wiring that must wait until every tab exists."""
from dataclasses import dataclass, field
from typing import Callable

from .services import Services
from .gradio_backend import gradio


@dataclass
class Page:
    svc: Services
    demo: object
    licenses: list[tuple[str, str]]
    # Dropdowns of license keys: the Corpus tab refreshes their choices after an add or a remove.
    pickers: list = field(default_factory=list)
    # Called with the page once every tab is built (e.g. the Corpus tab's refresh, which needs all pickers).
    finish: list[Callable[["Page"], None]] = field(default_factory=list)


def session_of(request) -> str:
    """The browser session a request belongs to (one chat conversation each)."""
    return getattr(request, "session_hash", None) or "default"


def stop_handler(svc: Services, tab: str):
    """The Stop button of a tab: ends this session's running job of that tab at its next step."""
    gr = gradio()

    def stop(request: gr.Request):
        svc.jobs.stop(session_of(request), tab)
    return stop
