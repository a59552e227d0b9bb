"""Handler failures as one-line messages in the page, never tracebacks."""
import functools
import inspect
import logging

from corpus.errors import ModeltermsError

log = logging.getLogger("modelterms.ui")


def _guard(fn):
    """A handler whose failures become one-line messages in the page (gr.Error), never tracebacks."""
    import gradio as gr

    def message(e: BaseException) -> gr.Error:
        if isinstance(e, gr.Error):
            return e
        if isinstance(e, ModeltermsError):
            return gr.Error(str(e), print_exception=False)
        log.exception("handler %s failed", getattr(fn, "__name__", fn))
        return gr.Error(f"something went wrong ({type(e).__name__}); the server log has the details",
                        print_exception=False)

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as e:
                raise message(e) from None
        return gen

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            raise message(e) from None
    return call
