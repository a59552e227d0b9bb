"""HTML: the web page's verdict badge and citations. Every value from a license, a card or a user is
escaped here (license text is data, never markup).

Where a citation shows its clause in context, the caller passes `context(license, clause_id, quote)`
returning {name, section, before, clause, after, quote, cut_before, cut_after} or None: the presenter
reads no corpus itself.
"""
from __future__ import annotations

import html
from typing import Callable

from corpus.taxonomy import load_taxonomy

VERDICTS = ("prohibited", "conditional", "allowed", "unclear")
EFFECT_ORDER = {"prohibited": 0, "condition": 1, "review": 2, "missing": 3, "grant": 4, "match": 5}
ATTITUDE_CLASS = {"cannot": "mt-cannot", "must": "mt-must", "can": "mt-can", "none": "mt-none"}

Context = Callable[[str, str, str], "dict | None"]


def escape(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


def _same(text: str) -> str:
    return text


def term_name(term_id: str | None) -> str:
    """The human name of a taxonomy id; other text unchanged."""
    if not term_id:
        return ""
    t = load_taxonomy().get(term_id)
    return t.name if t is not None else term_id


def verdict_badge(verdict: str | None, label: str | None = None) -> str:
    if not verdict:
        return f'<div class="mt-verdict"><span class="mt-badge mt-info">{escape(label or "answer")}</span></div>'
    return f'<div class="mt-verdict"><span class="mt-badge mt-{escape(verdict)}">{escape(verdict.upper())}</span></div>'


def mark(clause: str, quote: str) -> str:
    """The clause, escaped, with the quoted words marked."""
    if quote and quote in clause:
        i = clause.index(quote)
        return escape(clause[:i]) + "<mark>" + escape(quote) + "</mark>" + escape(clause[i + len(quote):])
    return escape(clause)


def deciding_first(findings: list[dict], deciding: list[str] | None) -> tuple[list[dict], list[dict]]:
    """(the findings that decide the verdict, the others), each ranked by effect. Without `deciding` (an answer
    with no verdict, e.g. a clause search) every finding counts as deciding."""
    ranked = sorted(findings, key=lambda f: EFFECT_ORDER.get(f.get("effect") or "", 9))
    if not deciding:
        return ranked, []
    ids = set(deciding)
    return [f for f in ranked if f.get("clause_id") in ids], [f for f in ranked if f.get("clause_id") not in ids]


def clause_anchor(prefix: str, clause_id: str) -> str:
    """The element id of a cited clause, so a link in the answer can open it (ids carry no '#' or dots)."""
    return prefix + "-" + "".join(c if c.isalnum() else "-" for c in clause_id)


def citation(f: dict, ctx: dict | None, anchor: str = "", words: Callable[[str], str] = _same) -> str:
    """One cited clause as an openable item: the text's name and the clause id; opened, the clause in its
    context (`ctx`, else the quote alone). `words` rewrites our own message (the why) for the surface."""
    cid = f["clause_id"]
    name = ctx["name"] if ctx else f["license"]
    what = " · ".join(x for x in (f.get("effect"), term_name(f.get("category"))) if x)
    head = (f'<summary><b>{escape(name)}</b> · <code>{escape(cid)}</code>'
            + (f' <span class="mt-effect">{escape(what)}</span>' if what else "") + "</summary>")
    if ctx:
        body = (f'<div class="mt-why">{escape(words(f.get("why") or ""))}</div>'
                f'<div class="mt-section">{escape(ctx["section"] or "")}</div>'
                '<pre class="mt-context">' + ("…" if ctx["cut_before"] else "")
                + f'<span class="mt-around">{escape(ctx["before"])}</span>'
                + f'<span class="mt-clause">{mark(ctx["clause"], ctx["quote"])}</span>'
                + f'<span class="mt-around">{escape(ctx["after"])}</span>' + ("…" if ctx["cut_after"] else "")
                + "</pre>")
    else:
        body = f'<pre class="mt-context"><span class="mt-clause">{escape(f.get("quote") or "")}</span></pre>'
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f'<details class="mt-cite"{ident} data-clause="{escape(cid)}">{head}{body}</details>'


def citations(findings: list[dict], context: Context | None = None, limit: int = 10,
              deciding: list[str] | None = None, anchor: str = "", words: Callable[[str], str] = _same) -> str:
    """Each cited clause as an openable item. The clauses that decide the verdict come first; the others are
    folded away under one line."""
    top, rest = deciding_first(findings, deciding)

    def items(group: list[dict], n: int) -> list[str]:
        seen, out = set(), []
        for f in group:
            cid = f.get("clause_id")
            if not cid or cid in seen:
                continue
            seen.add(cid)
            ctx = context(f["license"], cid, f.get("quote") or "") if context is not None else None
            out.append(citation(f, ctx, clause_anchor(anchor, cid) if anchor else "", words))
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


def check(r, context: Context | None = None, anchor: str = "", words: Callable[[str], str] = _same) -> str:
    """A check result as HTML: the badge and its citations, deciding clauses first."""
    return verdict_badge(r.verdict) + citations([f.as_json() for f in r.findings], context, deciding=r.deciding,
                                                anchor=anchor, words=words)
