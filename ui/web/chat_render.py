"""How a grounded chat answer reads in the page: the verdict first, then the reasons, each with its clause id as a
link that opens the clause and its quote cut around the words that decide it; the sources folded at the end of the
message (so every answer in the history keeps its own citations). The rendering is the Markdown presenter's
(agent/present/markdown.py); the page adds its texts' names and its wording."""
from agent.present.markdown import check_steps as _check_steps
from agent.present.markdown import sources
from corpus.catalog import plain_name

from .wording import web_words


def check_steps(svc, ans, anchor: str = "chat") -> list[str]:
    """The answer of a use check as the pieces the page shows one after another: verdict, reasons, conditions,
    what is missing."""
    names = {}
    for k in ans.licenses:
        try:
            names[k] = plain_name(svc.corpus.get(k).name)
        except Exception:  # a text removed meanwhile: its key will do
            names[k] = k
    return _check_steps(ans, names, anchor, words=web_words)


def sources_block(ans) -> str:
    """The answer's cited clauses, folded, as part of the message (kept with it in the history)."""
    return sources(ans.findings)
