"""The tabs' access to the HTML presenter (agent/present/html.py): a clause's context read from the corpus,
the table helper."""
from agent.present.html import VERDICTS, citations, clause_anchor, deciding_first, escape, verdict_badge  # noqa: F401 (the tabs' names)
from corpus.errors import ModeltermsError

from .services import Services
from .wording import web_words


def clause_context(svc: Services, license_key: str, clause_id: str, quote: str = "", around: int = 500) -> dict | None:
    """The clause in its text: what precedes it, the clause (quote marked), what follows."""
    try:
        entry = svc.corpus.get(license_key)
        feats = svc.checker.profiler.features(license_key)
    except ModeltermsError:
        return None
    clause = next((f.clause for f in feats if f.clause.id == clause_id), None)
    if clause is None:
        return None
    text = entry.text
    # Up to `around` characters each side, cut at a line break when that keeps a useful part, else at a space.
    a = max(0, clause.start - around)
    if a > 0:
        nl = text.find("\n", a, clause.start)
        sp = text.find(" ", a, clause.start)
        a = nl + 1 if 0 <= nl < clause.start - 80 else (sp + 1 if sp >= 0 else a)
    b = min(len(text), clause.end + around)
    if b < len(text):
        nl = text.rfind("\n", clause.end, b)
        sp = text.rfind(" ", clause.end, b)
        b = nl if nl > clause.end + 80 else (sp if sp > clause.end else b)
    return {"license": license_key, "name": entry.name, "clause_id": clause_id, "section": clause.section,
            "before": text[a:clause.start], "clause": text[clause.start:clause.end], "after": text[clause.end:b],
            "quote": quote, "cut_before": a > 0, "cut_after": b < len(text)}


def citations_html(svc: Services, findings: list[dict], limit: int = 10, deciding: list[str] | None = None,
                   anchor: str = "") -> str:
    """The HTML presenter's citations, each clause shown in its text and our words as a web user reads them."""
    return citations(findings, lambda lic, cid, quote: clause_context(svc, lic, cid, quote), limit=limit,
                     deciding=deciding, anchor=anchor, words=web_words)


def rows_to_df(rows: list[list], columns: list[str]):
    """A table for a gr.Dataframe output (the tabs' findings, profiles, corpus and eval rows)."""
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


