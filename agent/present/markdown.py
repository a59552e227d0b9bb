"""Markdown: reports (`--md`, exports) and the web page's panels."""
from __future__ import annotations

import re
from typing import Callable

from corpus.catalog import plain_name
from corpus.display import NOT_LEGAL_ADVICE, shorten
from corpus.taxonomy import load_taxonomy

from ..audit.result import MET
from ..compare import SYMBOL
from .html import clause_anchor, deciding_first, escape
from .html import term_name as _term_name
from .text import (AUDIT_MARK, GROUP_TITLES, Markup, audit_condition_text, audit_headline, audit_order, by_taxonomy,
                   check_answer, condition_text, duty_fix, duty_missing, missing_text, note_text, params,
                   reference_state, remark_text)
from .text import draft_notes as _plain_draft_notes

# The web page's advice for a policy that is not in the corpus (the CLI passes its own command).
PAGE_ADD = "add it in the Corpus tab under the key `{key}`"
ROW_GROUP = {"permissions": "permission", "prohibitions": "prohibition", "duties": "duty", "thresholds": "threshold"}
PROFILE_COLUMNS = ["group", "term", "attitude", "parameters", "text", "clause", "quote"]


def cell(value) -> str:
    """A value safe in a table cell: whitespace runs (line breaks too) one space, no column break."""
    return " ".join(str(value if value is not None else "").split()).replace("|", "\\|")


def table(rows: list[list], columns: list[str]) -> str:
    """Rows as a Markdown table ("" for no rows)."""
    if not rows:
        return ""
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


# --- check ---------------------------------------------------------------------------------

def check_summary(r, note: str = "") -> str:
    """A check's verdict, deciding clauses, conditions, what is missing and notes (the web page's summary)."""
    md = []
    if note:
        md.append(note)
    md.append("**Texts considered:** " + (", ".join(f"`{k}`" for k in r.licenses) or "none resolved"))
    md.append(check_answer(r).replace("\n", "  \n"))
    if r.conditions:
        md.append("**Conditions**\n" + "\n".join(f"- {condition_text(c)}" for c in r.conditions))
    if r.missing:
        md.append("**Missing**\n" + "\n".join(f"- {missing_text(m)}" for m in r.missing))
    notes = [note_text(n) for n in r.resolution.notes] if r.resolution is not None else []
    if notes:
        md.append("**Notes**\n" + "\n".join(f"- {n}" for n in notes))
    return "\n\n".join(md)


# --- a check in the chat ------------------------------------------------------------------------

# Words that carry a condition or a ban when the finding has no term pattern of its own.
DECISIVE = re.compile(r"\b(must(?: not)?|shall(?: not)?|may not|prohibit\w*|not (?:permitted|allowed)|required?|"
                      r"only|prominently display|include|display)\b", re.I)


def cut_around(quote: str, pattern: re.Pattern | None, width: int = 260) -> str:
    """The part of a quote around its decisive words (the term's pattern, else a duty or ban word), with "…" where
    it was cut: a long clause is not cut just before the duty that matters."""
    text = " ".join((quote or "").split())
    if len(text) <= width:
        return text
    m = (pattern.search(text) if pattern is not None else None) or DECISIVE.search(text)
    centre = m.start() if m else 0
    a = max(0, centre - width // 3)
    b = min(len(text), a + width)
    a = max(0, b - width)
    if a > 0:
        a = text.find(" ", a) + 1 or a
    if b < len(text):
        b = text.rfind(" ", a, b) if text.rfind(" ", a, b) > a else b
    return ("… " if a > 0 else "") + text[a:b] + (" …" if b < len(text) else "")


def _pattern(category: str | None):
    t = load_taxonomy().get(category or "")
    return getattr(t, "clause_re", None) if t is not None else None


def check_steps(ans, names: dict[str, str], anchor: str = "chat", words: Callable[[str], str] = lambda s: s) -> list[str]:
    """A check answer (verdict, licenses, findings as dicts, deciding, conditions, missing) as the pieces a chat
    shows one after another: verdict, reasons (each clause id a link to `anchor`'s citation, its quote cut around
    the decisive words), conditions, what is missing. `names`: key → the text's name; `words` rewrites our own
    messages for the surface. Escaped: the pieces are Markdown with HTML allowed."""
    what = ", ".join(names.get(k, k) for k in dict.fromkeys(ans.licenses)) or "the texts at hand"
    steps = [f"**Verdict: {ans.verdict.upper()}** — {escape(what)}"]
    top, _ = deciding_first(ans.findings, ans.deciding)
    reasons = []
    for f in top[:4]:
        cid = f["clause_id"]
        quote = cut_around(f.get("quote") or "", _pattern(f.get("category")))
        reasons.append(f"- {escape(words(f.get('why') or ''))} — [{escape(cid)}](#{clause_anchor(anchor, cid)})"
                       + (f"\n  > “{escape(quote)}”" if quote else ""))
    if reasons:
        steps.append("**Why**\n" + "\n".join(reasons))
    if ans.conditions and ans.verdict != "prohibited":
        steps.append("**Conditions**\n" + "\n".join(f"- {escape(words(c))}" for c in ans.conditions))
    if ans.missing:
        steps.append("**Missing**\n" + "\n".join(f"- {escape(words(m))}" for m in ans.missing))
    return steps


def sources(findings: list[dict]) -> str:
    """An answer's cited clauses, folded (kept with the message in a chat's history)."""
    seen, items = set(), []
    for f in findings:
        cid = f.get("clause_id")
        if not cid or cid in seen:
            continue
        seen.add(cid)
        what = " · ".join(x for x in (f.get("effect"), _term_name(f.get("category"))) if x)
        quote = cut_around(f.get("quote") or "", _pattern(f.get("category")), 200)
        items.append(f"<li><code>{escape(cid)}</code> {escape(what)}: “{escape(quote)}”</li>")
    if not items:
        return ""
    return f"<details><summary>Sources ({len(items)})</summary><ul>{''.join(items[:10])}</ul></details>"


# --- profile -------------------------------------------------------------------------------

def profile(prof, quotes: bool = True, how_to_add: str | None = None) -> str:
    """A license's terms as Markdown tables, one per group, each row with its clause and quote."""
    tax = load_taxonomy()
    lines = [f"# {prof.name}", "", f"`{prof.license}` · {prof.kind} · method: {prof.method}", ""]
    for group, terms in prof.grouped().items():
        if not terms:
            continue
        lines += [f"## {GROUP_TITLES[group]}", "", "| term | attitude | parameters | clause | quote |", "|---|---|---|---|---|"]
        for t in by_taxonomy(terms):
            ev = t.evidence[0] if t.evidence else None
            quote = " ".join(ev.quote.split()) if ev else ""
            text = quote.replace("|", "\\|")[:300] if quotes else ""
            lines.append(f"| {tax[t.term].name} | {t.attitude} | {params(t)} | `{ev.clause_id if ev else ''}` | {text} |")
        lines.append("")
    if prof.references:
        lines += ["## Policies incorporated by reference", ""]
        for r in prof.references:
            lines.append(f"- {r['policy']}: {reference_state(r, how_to_add)}" + (f" ({r['url']})" if r.get("url") else ""))
        lines.append("")
    if not prof.terms:
        lines.append("No taxonomy term was recognised in this text.")
    lines.append("> " + NOT_LEGAL_ADVICE)
    return "\n".join(lines)


def profile_rows(profiles: list) -> list[list]:
    """One row per term of each profile (PROFILE_COLUMNS): the web page's table and its export."""
    tax = load_taxonomy()
    rows = []
    for source in profiles:
        for group, terms in source.grouped().items():
            for t in by_taxonomy(terms):
                ev = t.evidence[0] if t.evidence else None
                rows.append([ROW_GROUP.get(group, group), tax[t.term].name if t.term in tax else t.term, t.attitude,
                             params(t), plain_name(source.name), ev.clause_id if ev else "",
                             shorten(ev.quote, 300) if ev else ""])
    return rows


def profile_head(prof, policies: list, n_rows: int) -> str:
    """The heading of a profile on the page: name, key, kind, how many terms, the policies read with it."""
    head = f"### {plain_name(prof.name)}\n`{prof.license}` · {prof.kind} · {n_rows} terms recognised (method: {prof.method})"
    if policies:
        head += "\n\nRead with the use " + ("policies" if len(policies) > 1 else "policy") + " it incorporates: " + \
            ", ".join(f"{plain_name(p.name)} (`{p.license}`)" for p in policies) + " — the *text* column says which."
    if not n_rows:
        head += "\n\nNo taxonomy term was recognised in this text."
    return head


def references(prof, how_to_add: str = PAGE_ADD) -> str:
    """The use policies a text incorporates, each with whether it is in the corpus."""
    refs = []
    for r in prof.references:
        state = reference_state(r, how_to_add).replace("NOT in the corpus", "**not in the corpus**")
        refs.append(f"- {r['policy']}: {state}" + (f" ({r['url']})" if r.get("url") else ""))
    return ("**Use policies incorporated by reference**\n" + "\n".join(refs)) if refs else \
        "No use policy is incorporated by reference."


# --- comparison ----------------------------------------------------------------------------

def comparison(matrix, keys: list[str], view: str = "both") -> str:
    """The matrix as Markdown tables: the overview and the terms, one column per text."""
    out = []
    if view in ("summary", "both"):
        out += ["| | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
        out += [f"| {c} | " + " | ".join(v) + " |" for c, v in matrix.summary]
        out.append("")
    if view in ("terms", "both"):
        out += ["| term | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
        out += [f"| {name} | " + " | ".join(f"{SYMBOL[a]} {a}" for a in att) + " |" for _, name, att in matrix.rows]
        out.append("")
    out.append(NOT_LEGAL_ADVICE)
    return "\n".join(out)


def comparison_tables(matrix) -> str:
    """The overview and the terms as Markdown tables, each cell naming the clause it rests on."""
    cols = ["term"] + list(matrix.licenses)
    return ("### Overview\n\n" + table([[c, *v] for c, v in matrix.summary], ["overview"] + list(matrix.licenses))
            + "\n\n### Terms\n\n" + table(
                [[name, *[f"{a} ({matrix.evidence.get(k, {}).get(tid) or '-'})" for k, a in zip(matrix.licenses, atts)]]
                 for tid, name, atts in matrix.rows], cols))


# --- audit ---------------------------------------------------------------------------------

def _inline(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def audit(r) -> str:
    """An audit as a Markdown report: one table row per duty, conditions, inherited terms."""
    out = [f"# Adherence audit: {r.repo.get('name') or r.target}", "", f"**{audit_headline(r)}**", ""]
    for p in r.problems:
        out.append(f"> problem: {remark_text(p)}")
    if r.usable:
        out += ["| | duty | status | clause | evidence / missing | fix |", "|---|---|---|---|---|---|"]
        for d in sorted(r.duties, key=audit_order):
            clause = "<br>".join(f"`{s.clause_id}`: “{_inline(shorten(s.quote, 160))}”" for s in d.sources)
            where = f"`{d.evidence}`" if d.evidence and d.status == MET else _inline(duty_missing(d))
            status = d.status + (f" (conflict: {', '.join(d.conflicts)})" if d.conflict else "")
            out.append(f"| {AUDIT_MARK[d.status]} | {_inline(d.title)} | {status} | {clause} | {where} | "
                       f"{_inline(duty_fix(d)) if d.status != MET else ''} |")
        if r.conditions:
            out += ["", "## Conditions", ""] + [f"- {_inline(audit_condition_text(c))}" + (f" (`{c.source.clause_id}`)" if c.source else "")
                                               for c in r.conditions]
        if r.upstreams:
            out += ["", "## Inherited terms", ""] + [
                f"- `{u.model}` ({u.relation}): {', '.join(f'`{k}`' for k in u.licenses + u.policies) or 'no known text'}"
                for u in r.upstreams]
    out += ["", f"_{NOT_LEGAL_ADVICE}_"]
    return "\n".join(out)


MARKDOWN = Markup(heading=lambda level, title: f"{'#' * level} {title}", strong=lambda s: f"**{s}**",
                  code=lambda s: f"`{s}`", words=lambda s: s)


def draft_notes(d) -> str:
    """A draft's notes (agent/present/text.py `draft_notes`) in Markdown."""
    return _plain_draft_notes(d, MARKDOWN)
