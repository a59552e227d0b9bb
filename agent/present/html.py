"""HTML: the web page's verdict badge and citations. Every value from a license, a card or a user is
escaped here (license text is data, never markup).

Where a citation shows its clause in context, the caller passes `context(license, clause_id, quote)`
returning {name, section, before, clause, after, quote, cut_before, cut_after} or None: the presenter
reads no corpus itself.
"""
from __future__ import annotations

import html
import re
from typing import Callable

from corpus.display import shorten
from corpus.taxonomy import load_taxonomy

from ..audit.result import MET, UNKNOWN, UNMET
from ..compare import SYMBOL, word_diff
from .json import finding as finding_json
from .text import audit_condition_text, audit_order, duty_fix, duty_missing

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
    return verdict_badge(r.verdict) + citations([finding_json(f) for f in r.findings], context, deciding=r.deciding,
                                                anchor=anchor, words=words)


# --- comparison ------------------------------------------------------------------------------

LEGEND = ('<p class="mt-legend"><span class="mt-cannot">✗ cannot</span> <span class="mt-must">! must</span> '
          '<span class="mt-can">✓ can</span> <span class="mt-none">· not addressed</span> — open a cell for '
          "the clause and the text it comes from; a “+ its policies” column reads the license with the use "
          "policies it incorporates.</p>")


def _cell(a: str, cid: str | None, quotes: dict, source_name: Callable[[str], str]) -> str:
    """A matrix cell; with evidence it opens onto the clause (its text's name and the quoted words)."""
    cls = ATTITUDE_CLASS[a]
    if not cid:
        return f'<td class="{cls}">{SYMBOL[a]} {escape(a)}</td>'
    name = source_name(cid.split("#", 1)[0])
    return (f'<td class="{cls}"><details class="mt-cell"><summary>{SYMBOL[a]} {escape(a)}</summary>'
            f'<div class="mt-cellbody"><b>{escape(name)}</b> · <code>{escape(cid)}</code><br>'
            f'“{escape(shorten(quotes.get(cid, ""), 300))}”</div></details></td>')


def comparison(matrix, quotes: dict, source_name: Callable[[str], str] = _same) -> str:
    """The overview and the colour-coded term matrix; each cell with evidence opens onto its clause (`quotes`:
    clause id → quoted words; `source_name`: a text's key → the name to show)."""
    head = "".join(f'<th title="{escape(n)}">{escape(k.replace("+policies", " + its policies"))}</th>'
                   for k, n in zip(matrix.licenses, matrix.names))
    out = ['<div class="mt-compare">', '<table class="mt-matrix mt-summary"><thead><tr><th>overview</th>' + head
           + "</tr></thead><tbody>"]
    for col, values in matrix.summary:
        out.append(f"<tr><th>{escape(col)}</th>" + "".join(f"<td>{escape(v)}</td>" for v in values) + "</tr>")
    out.append("</tbody></table>")
    out.append(LEGEND)
    out.append('<table class="mt-matrix mt-terms"><thead><tr><th>term</th>' + head + "</tr></thead><tbody>")
    for tid, name, atts in matrix.rows:
        cells = [_cell(a, matrix.evidence.get(k, {}).get(tid), quotes, source_name)
                 for k, a in zip(matrix.licenses, atts)]
        out.append(f'<tr><th title="{escape(name)}">{escape(name)}</th>' + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


# --- diff ------------------------------------------------------------------------------------

_WD = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.S)


def _word_diff(old: str, new: str) -> str:
    escaped = escape(word_diff(old, new))
    return _WD.sub(lambda m: f"<del>{m.group(1)}</del>" if m.group(1) is not None else f"<ins>{m.group(2)}</ins>",
                   escaped)


def diff(d, old: str, new: str, limit: int = 200) -> str:
    """Clause-level changes from OLD to NEW (the first `limit`), and the terms whose attitude changed."""
    js = d.as_json()
    out = ['<div class="mt-diff">',
           f'<p><b>{escape(old)} → {escape(new)}</b>: {js["changed"]} changed, {js["added"]} added, {js["removed"]} removed, '
           f'{js["unchanged"]} unchanged clauses</p>']
    if d.terms:
        out.append('<table class="mt-matrix"><thead><tr><th>term whose attitude changed</th><th>old</th><th>new</th>'
                   "</tr></thead><tbody>")
        for t in d.terms:
            out.append(f"<tr><th>{escape(t['name'])}</th><td class=\"{ATTITUDE_CLASS.get(t['old'], '')}\">{escape(t['old'])}</td>"
                       f"<td class=\"{ATTITUDE_CLASS.get(t['new'], '')}\">{escape(t['new'])}</td></tr>")
        out.append("</tbody></table>")
    else:
        out.append("<p>No term changed its attitude.</p>")
    for c in d.changes[:limit]:
        if c.kind == "changed":
            out.append(f'<div class="mt-change mt-changed"><code>~ {escape(c.old_id)} → {escape(c.new_id)}</code>'
                       f"<p>{_word_diff(c.old_text, c.new_text)}</p></div>")
        elif c.kind == "added":
            out.append(f'<div class="mt-change mt-added"><code>+ {escape(c.new_id)}</code><p><ins>{escape(shorten(c.new_text, 600))}'
                       "</ins></p></div>")
        else:
            out.append(f'<div class="mt-change mt-removed"><code>- {escape(c.old_id)}</code><p><del>{escape(shorten(c.old_text, 600))}'
                       "</del></p></div>")
    if len(d.changes) > limit:
        out.append(f"<p>… and {len(d.changes) - limit} more changes (the first {limit} are shown).</p>")
    out.append("</div>")
    return "".join(out)


# --- audit -----------------------------------------------------------------------------------

AUDIT_MARK = {MET: ("✓", "mt-can"), UNMET: ("✗", "mt-cannot"), UNKNOWN: ("?", "mt-must")}


def audit(result) -> str:
    """An audit's checklist: each duty (unmet first) with the clauses that create it, where it is met, what is
    missing and the fix; the conditions for the model's users after it."""
    if not result.usable:
        return ""
    rows = []
    for d in sorted(result.duties, key=audit_order):
        mark, cls = AUDIT_MARK[d.status]
        conflict = f" <b>license conflict: {escape(', '.join(d.conflicts))}</b>" if d.conflict else ""
        cites = "".join(f"<blockquote class='mt-quote'><code>{escape(s.clause_id)}</code> “{escape(s.quote)}”</blockquote>"
                        for s in d.sources)
        where = f"<div>met at <code>{escape(d.evidence)}</code></div>" if d.status == MET and d.evidence else ""
        missing = f"<div>missing: {escape(duty_missing(d))}</div>" if d.gaps else ""
        fix = f"<div><b>fix:</b> {escape(duty_fix(d))}</div>" if d.fix and d.status != MET else ""
        rows.append(f"<li class='mt-duty' data-status='{escape(d.status)}'><span class='{cls}'>{mark}</span> "
                    f"<b>{escape(d.title)}</b> — {escape(d.status)}{conflict}{cites}{where}{missing}{fix}</li>")
    conds = "".join(f"<li>{escape(audit_condition_text(c))}" + (f" <code>{escape(c.source.clause_id)}</code>" if c.source else "") + "</li>"
                    for c in result.conditions)
    out = f"<ul class='mt-audit' id='audit-duties'>{''.join(rows)}</ul>"
    if conds:
        out += f"<h4>Conditions for the model's users</h4><ul>{conds}</ul>"
    return out
