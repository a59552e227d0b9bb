"""Drafting notes (not part of the license): review marks, warnings, upstream findings, provenance, verification."""
from __future__ import annotations

import re

from corpus.display import NOT_LEGAL_ADVICE

from ..present.text import draft_note_text, upstream_missing_text, upstream_text, warning_text
from .drafter import Draft
from .render import license_name


def notes_markdown(d: Draft) -> str:
    """What the user should know about the draft: review marks, warnings, upstream findings, provenance."""
    s = d.spec
    out = ["# Drafting notes (not part of the license)", "",
           f"{NOT_LEGAL_ADVICE} Have this draft reviewed by a lawyer.", "",
           f"- license: {license_name(s)}", f"- template version: {d.template_version}",
           f"- spec hash: {d.spec_hash}", f"- text sha256: {d.text_sha256}",
           "- regenerate: `modelterms draft --spec license-spec.json` gives this exact text", ""]
    if s.custom_restrictions:
        out += ["## Custom restrictions (legal review required)", ""]
        for c in s.custom_restrictions:
            how = ("drafted by the LLM" if c.method == "llm" else
                   f"adapted to the `{c.pattern}` pattern of the nearest corpus clauses" if c.method == "pattern" else c.method)
            near = ", ".join(f"`{x}`" for x in c.nearest) or "none found"
            terms = f"; touches {', '.join(c.terms)}" if c.terms else ""
            out.append(f"- “{c.text}” → “{c.clause}” ({how}; nearest: {near}{terms})")
        out.append("")
    if d.warnings:
        out += ["## Consistency warnings", ""] + [f"- **{w.field}**: {warning_text(w)}" for w in d.warnings] + [""]
    up = d.upstream
    if up is not None:
        out += [f"## Upstream: {', '.join(up.keys) or 'nothing resolved'}", ""]
        for f in up.findings:
            mark = {"violated": "**VIOLATED**", "met": "met", "note": "note"}[f.status]
            cites = f" ({', '.join(f'`{c}`' for c in f.clause_ids)})" if f.clause_ids else ""
            out.append(f"- {mark} — {upstream_text(f)}{cites}")
        for m in up.missing:
            out.append(f"- missing text — {upstream_missing_text(m)}")
        out.append("")
    if d.provenance:
        out += ["## Provenance: corpus clauses that say something similar", "",
                "The wording is modelterms' own; these clauses of the corpus carry a similar term.", ""]
        for p in d.provenance:
            srcs = ", ".join(f"`{x['clause_id']}`" for x in p["sources"]) or "no close corpus clause"
            label = ", ".join(p["terms"]) or "custom"
            out.append(f"- {p['clause']} ({label}): {srcs}")
        out.append("")
    v = d.verification
    if v is not None:
        out += ["## Verification: the draft read back by the profiler", ""]
        out.append(f"- chosen terms recovered: {v['recovered']}/{v['chosen']}"
                   + (f"; missed: {', '.join(v['missed'])}" if v["missed"] else ""))
        out.append("- terms the spec did not ask for: " + (", ".join(v["extra"]) or "none"))
        if v["custom_mapped"]:
            out.append(f"- read from custom restrictions: {', '.join(v['custom_mapped'])}")
        if v["params"]:
            out.append(f"- parameter mismatches: {'; '.join(v['params'])}")
        out.append("")
    for n in d.notes:
        out.append(f"- {draft_note_text(n)}")
    return "\n".join(out).rstrip() + "\n"


def notes_text(d: Draft) -> str:
    md = notes_markdown(d)
    md = re.sub(r"^#+\s*(.*)$", lambda m: m.group(1).upper(), md, flags=re.M)
    return md.replace("**", "").replace("`", "")
