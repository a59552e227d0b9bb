"""HTML and table helpers shared by the tabs."""
import html

from corpus.errors import ModeltermsError

from .services import Services
from .wording import term_name, web_words

VERDICTS = ("prohibited", "conditional", "allowed", "unclear")
_EFFECT_ORDER = {"prohibited": 0, "condition": 1, "review": 2, "missing": 3, "grant": 4, "match": 5}
_ATTITUDE_CLASS = {"cannot": "mt-cannot", "must": "mt-must", "can": "mt-can", "none": "mt-none"}


def _e(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def verdict_badge(verdict: str | None, label: str | None = None) -> str:
    if not verdict:
        return f'<div class="mt-verdict"><span class="mt-badge mt-info">{_e(label or "answer")}</span></div>'
    return f'<div class="mt-verdict"><span class="mt-badge mt-{_e(verdict)}">{_e(verdict.upper())}</span></div>'


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


def _mark(clause: str, quote: str) -> str:
    if quote and quote in clause:
        i = clause.index(quote)
        return _e(clause[:i]) + "<mark>" + _e(quote) + "</mark>" + _e(clause[i + len(quote):])
    return _e(clause)


def deciding_first(findings: list[dict], deciding: list[str] | None) -> tuple[list[dict], list[dict]]:
    """(the findings that decide the verdict, the others), each ranked by effect. Without `deciding` (an answer
    with no verdict, e.g. a clause search) every finding counts as deciding."""
    ranked = sorted(findings, key=lambda f: _EFFECT_ORDER.get(f.get("effect") or "", 9))
    if not deciding:
        return ranked, []
    ids = set(deciding)
    return [f for f in ranked if f.get("clause_id") in ids], [f for f in ranked if f.get("clause_id") not in ids]


def _cite_item(svc: Services, f: dict, anchor: str = "") -> str:
    cid = f["clause_id"]
    ctx = clause_context(svc, f["license"], cid, f.get("quote") or "")
    name = ctx["name"] if ctx else f["license"]
    what = " · ".join(x for x in (f.get("effect"), term_name(f.get("category"))) if x)
    head = (f'<summary><b>{_e(name)}</b> · <code>{_e(cid)}</code>'
            + (f' <span class="mt-effect">{_e(what)}</span>' if what else "") + "</summary>")
    if ctx:
        body = (f'<div class="mt-why">{_e(web_words(f.get("why") or ""))}</div>'
                f'<div class="mt-section">{_e(ctx["section"] or "")}</div>'
                '<pre class="mt-context">' + ("…" if ctx["cut_before"] else "")
                + f'<span class="mt-around">{_e(ctx["before"])}</span>'
                + f'<span class="mt-clause">{_mark(ctx["clause"], ctx["quote"])}</span>'
                + f'<span class="mt-around">{_e(ctx["after"])}</span>' + ("…" if ctx["cut_after"] else "")
                + "</pre>")
    else:
        body = f'<pre class="mt-context"><span class="mt-clause">{_e(f.get("quote") or "")}</span></pre>'
    ident = f' id="{_e(anchor)}"' if anchor else ""
    return f'<details class="mt-cite"{ident} data-clause="{_e(cid)}">{head}{body}</details>'


def clause_anchor(prefix: str, clause_id: str) -> str:
    """The element id of a cited clause, so a link in the answer can open it (ids carry no '#' or dots)."""
    return prefix + "-" + "".join(c if c.isalnum() else "-" for c in clause_id)


def citations_html(svc: Services, findings: list[dict], limit: int = 10, deciding: list[str] | None = None,
                   anchor: str = "") -> str:
    """Each cited clause as an openable item: license name and clause id; opened, the clause in its context. The
    clauses that decide the verdict come first; the others are folded away under one line."""
    top, rest = deciding_first(findings, deciding)

    def items(group: list[dict], n: int) -> list[str]:
        seen, out = set(), []
        for f in group:
            cid = f.get("clause_id")
            if not cid or cid in seen:
                continue
            seen.add(cid)
            out.append(_cite_item(svc, f, clause_anchor(anchor, cid) if anchor else ""))
            if len(out) >= n:
                break
        return out

    shown = items(top, limit)
    seen_top = {f.get("clause_id") for f in top}
    others = items([f for f in rest if f.get("clause_id") not in seen_top], limit)
    if not shown and not others:
        return '<div class="mt-cites"><p class="mt-muted">No clause cited.</p></div>'
    out = ['<div class="mt-cites">']
    if shown:
        out.append('<p class="mt-muted">Clauses that decide the answer — open one to read it in its text:</p>')
        out += shown
    if others:
        n = len(others)
        out.append(f'<details class="mt-others"><summary>{n} other clause{"s" if n > 1 else ""} found, which '
                   f'{"do" if n > 1 else "does"} not decide the verdict</summary>' + "".join(others) + "</details>")
    out.append("</div>")
    return "".join(out)


def _rows_to_df(rows: list[list], columns: list[str]):
    import pandas as pd

    return pd.DataFrame(rows, columns=columns)


