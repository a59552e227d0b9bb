"""Reports for people: plain text and Markdown, with the clause that creates each duty and the fix."""
from __future__ import annotations

from corpus.display import NOT_LEGAL_ADVICE, shorten

from .result import MET, UNKNOWN, UNMET, AuditResult, Duty

MARK = {MET: "✓", UNMET: "✗", UNKNOWN: "?"}


def _order(d: Duty) -> tuple:
    return ({UNMET: 0, UNKNOWN: 1, MET: 2}[d.status], d.id)


def headline(r: AuditResult) -> str:
    if not r.usable:
        return f"cannot audit {r.target}: {r.problems[0] if r.problems else 'unreadable input'}"
    c = r.counts()
    return (f"{r.repo.get('name') or r.target}: {c[UNMET]} unmet, {c[UNKNOWN]} cannot tell, {c[MET]} met"
            f"{f', {len(r.conflicts)} license conflict(s)' if r.conflicts else ''}")


def render_text(r: AuditResult, quotes: bool = True) -> str:
    lines = [headline(r)]
    if r.usable:
        lines.append(f"declared license: {', '.join(r.repo.get('license') or []) or 'none'}"
                     + (f" → {', '.join(r.declared)}" if r.declared else ""))
        for up in r.upstreams:
            lines.append(f"inherits from {up.model} ({up.relation}, via {up.via}): "
                         f"{', '.join(up.licenses + up.policies) or 'no known text'}")
    for p in r.problems:
        lines.append(f"problem: {p}")
    lines.append("")
    for d in sorted(r.duties, key=_order):
        flag = " [conflict: " + ", ".join(d.conflicts) + "]" if d.conflict else ""
        lines.append(f"{MARK[d.status]} {d.title} — {d.status}{flag}")
        for s in d.sources:
            lines.append(f"    clause {s.clause_id}" + (f" ({s.upstream})" if s.upstream else ""))
            if quotes:
                lines.append(f"      “{shorten(s.quote, 300)}”")
        if d.evidence is not None and d.status == MET:
            lines.append(f"    met at {d.evidence}" + (f": {shorten(d.evidence.text, 120)}" if d.evidence.text else ""))
        elif d.evidence is not None:
            lines.append(f"    at {d.evidence}" + (f": {shorten(d.evidence.text, 120)}" if d.evidence.text else ""))
        if d.missing:
            lines.append(f"    missing: {d.missing}")
        if d.fix and d.status != MET:
            lines.append(f"    fix: {d.fix}")
    if r.conditions:
        lines += ["", "conditions (for the model's users; surfaced, not judged):"]
        for c in r.conditions:
            lines.append(f"  • {c.text}" + (f" [{c.source.clause_id}]" if c.source else ""))
    if r.notes:
        lines += ["", *[f"note: {n}" for n in r.notes]]
    lines += ["", NOT_LEGAL_ADVICE]
    return "\n".join(lines)


def render_markdown(r: AuditResult) -> str:
    out = [f"# Adherence audit: {r.repo.get('name') or r.target}", "", f"**{headline(r)}**", ""]
    for p in r.problems:
        out.append(f"> problem: {p}")
    if r.usable:
        out += ["| | duty | status | clause | evidence / missing | fix |", "|---|---|---|---|---|---|"]
        for d in sorted(r.duties, key=_order):
            clause = "<br>".join(f"`{s.clause_id}`: “{_md(shorten(s.quote, 160))}”" for s in d.sources)
            where = f"`{d.evidence}`" if d.evidence and d.status == MET else _md(d.missing)
            status = d.status + (f" (conflict: {', '.join(d.conflicts)})" if d.conflict else "")
            out.append(f"| {MARK[d.status]} | {_md(d.title)} | {status} | {clause} | {where} | "
                       f"{_md(d.fix) if d.status != MET else ''} |")
        if r.conditions:
            out += ["", "## Conditions", ""] + [f"- {_md(c.text)}" + (f" (`{c.source.clause_id}`)" if c.source else "")
                                               for c in r.conditions]
        if r.upstreams:
            out += ["", "## Inherited terms", ""] + [
                f"- `{u.model}` ({u.relation}): {', '.join(f'`{k}`' for k in u.licenses + u.policies) or 'no known text'}"
                for u in r.upstreams]
    out += ["", f"_{NOT_LEGAL_ADVICE}_"]
    return "\n".join(out)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
