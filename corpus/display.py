"""Text shown to people, the same on every surface (CLI, web UI, MCP, reports): the disclaimer,
and the one shortener for quotes and excerpts."""
from __future__ import annotations

NOT_LEGAL_ADVICE = "modelterms explains license texts; it is not legal advice."


def shorten(text: str, n: int, collapse: bool = True) -> str:
    """`text` cut at the last word boundary within n characters, marked " …" where cut. With
    `collapse` (the default) runs of whitespace, newlines included, become one space first."""
    text = " ".join(str(text or "").split()) if collapse else str(text or "")
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0] + " …"
