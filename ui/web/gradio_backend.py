"""Gradio, the web UI's heavy optional backend, behind this one module: `gradio()` imports it on first use.

Importing gradio takes seconds, so no module imports it at its top: the tab modules' handlers (plain functions
that the CLI's `ui` command, the MCP server, the capture script and the tests import) and `modelterms --help`
never load it; only laying out the page does, through `gr = gradio()` in each builder.
"""
from __future__ import annotations

import functools

from corpus.errors import ModeltermsError


@functools.cache
def gradio():
    """The gradio module, or a one-line error saying how to install it."""
    try:
        import gradio as gr
    except ImportError as e:
        raise ModeltermsError(f"the web UI needs gradio ({e.name or 'gradio'} is not installed): "
                              "pip install 'gradio>=6,<7'") from None
    return gr
