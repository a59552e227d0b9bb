"""Handler failures as one-line messages in the page, never tracebacks."""
import functools
import html
import inspect
import logging

from corpus.errors import ModeltermsError

from .wording import web_words
from .gradio_backend import gradio

log = logging.getLogger("modelterms.ui")


def _catching(fn, on_error):
    """fn (a function or a generator function) whose exceptions go to on_error: what it returns is returned (or
    yielded) in the handler's place; it may raise instead."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:
                yield on_error(e)
        return gen

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            return on_error(e)
    return call


def guard(fn):
    """A handler whose failures become one-line messages in the page (gr.Error), never tracebacks."""
    gr = gradio()

    def fail(e: BaseException):
        if isinstance(e, gr.Error):
            raise e from None
        raise gr.Error(one_line(e, fn), print_exception=False) from None

    return _catching(fn, fail)


def error_html(message: str) -> str:
    """A failure as shown inside the panel that failed (a box with the one-line reason)."""
    return f'<div class="mt-error" role="alert"><b>Not done:</b> {html.escape(message)}</div>'


def one_line(e: BaseException, fn=None) -> str:
    """The message a user sees for a failure: a ModeltermsError's own line, else a generic one (logged)."""
    if isinstance(e, ModeltermsError):
        return web_words(str(e))
    log.exception("handler %s failed", getattr(fn, "__name__", fn))
    return f"something went wrong ({type(e).__name__}); the server log has the details"


def in_panel(fn, n_outputs: int, at: int, also: dict | None = None):
    """A handler whose failure is written into one output (`at`, the panel that failed) as a message, while
    every other output keeps what it showed (`also` may set a few, e.g. a badge saying "not checked").
    Unlike gr.Error, which turns every output of the event into an error pill, nothing else is blanked."""
    gr = gradio()

    def failed(e: BaseException):
        out = [gr.skip()] * n_outputs
        out[at] = error_html(one_line(e, fn))
        for i, v in (also or {}).items():
            out[i] = v
        return tuple(out) if n_outputs > 1 else out[0]

    return _catching(fn, failed)
