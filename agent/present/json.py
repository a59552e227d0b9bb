"""JSON: the machine contract of each result (`--json`, the MCP server, the eval, the web page's export).

Keys and their order are a contract: `check` keeps {verdict, licenses, findings, conditions, missing,
answer, deciding, facts?, model?, resolution?}, its `answer` the text presenter's short answer; a finding
keeps {license, clause_id, category, attitude, quote, why, effect}; an audit's duty keeps {id, title, status,
conflict, conflicts, sources, evidence, missing, fix, detail}. The results hold a finding's reason, conditions,
missing items, a resolution's notes and a duty's gaps and fix as typed values; the contract carries them in words
(agent/present/text.py).
"""
from __future__ import annotations

from .text import (audit_condition_text, check_answer, condition_text, conflict_text, draft_note_text, duty_fix,
                   duty_missing, location_text, missing_text, note_text, param_text, reason_text, remark_text, unresolved_text,
                   upstream_missing_text, upstream_text, warning_text)


def finding(f) -> dict:
    """A finding, its reason in words (the `why` of the contract)."""
    return {"license": f.license, "clause_id": f.clause_id, "category": f.category, "attitude": f.attitude,
            "quote": f.quote, "why": reason_text(f.reason), "effect": f.effect}


def check(r) -> dict:
    """A check result, its conditions and what is missing in words, with its short answer."""
    out = {}
    for key, value in r.as_json().items():
        if key == "deciding":  # the contract's order: answer before deciding
            out["answer"] = check_answer(r)
        out[key] = value
    out["findings"] = [finding(f) for f in r.findings]
    out["conditions"] = [condition_text(c) for c in r.conditions]  # the contract: sentences, in their place
    out["missing"] = [missing_text(m) for m in r.missing]
    if r.resolution is not None:
        out["resolution"] = resolution(r.resolution)
    return out


def profile(prof) -> dict:
    """A profile, with the term ids of each group."""
    out = prof.as_json()
    out["groups"] = {g: [t.term for t in ts] for g, ts in prof.grouped().items()}
    return out


def resolution(res) -> dict:
    """A resolution, its missing texts, notes and conflicts in words."""
    out = res.as_json()
    out["missing"] = [unresolved(m) for m in res.missing]
    out["notes"] = [note_text(n) for n in res.notes]
    out["conflicts"] = [conflict_text(c) for c in res.conflicts]
    return out


def unresolved(g) -> dict:
    """A text that applies and cannot be read: the registry's record of it (or its key and name), and why."""
    return {**(g.record or {"key": g.key, "name": g.name}), "why": unresolved_text(g)}


def comparison(matrix) -> dict:
    return matrix.as_json()


def diff(d) -> dict:
    return d.as_json()


# Where a duty's remark goes in the contract's `detail`.
_REMARK_DETAIL = {"ban_spares_family": "exception", "no_output_ban": "note"}


def duty(d) -> dict:
    """A duty, what it lacks and its fix in words (the `missing` and `fix` of the contract, "" when none), what its
    evidence shows and its remark (in `detail`) in words."""
    data = d.as_json()
    del data["gaps"], data["fix"], data["remark"]
    if d.evidence is not None:
        data["evidence"] = {"file": d.evidence.file, "line": d.evidence.line, "text": location_text(d.evidence)}
    detail = data.pop("detail")
    if d.remark is not None:
        detail = {**detail, _REMARK_DETAIL[d.remark.kind]: remark_text(d.remark)}
    return {**data, "missing": duty_missing(d), "fix": duty_fix(d), "detail": detail}


def audit(r) -> dict:
    """An audit: its duties' gaps and fixes, its conditions and the texts its upstreams bring that cannot be
    read, in words."""
    out = r.as_json()
    out["duties"] = [duty(d) for d in r.duties]
    out["conditions"] = [{"term": c.term, "text": audit_condition_text(c),
                          "source": c.source.as_json() if c.source else None} for c in r.conditions]
    for up, data in zip(r.upstreams, out.get("upstreams", [])):
        data["missing"] = [unresolved(m) for m in up.missing]
    out["problems"] = [remark_text(p) for p in r.problems]
    out["notes"] = [remark_text(n) for n in r.notes]
    return out


def draft(d) -> dict:
    """A draft (agent/draft/drafter.py `Draft`): its saved spec, texts, warnings, provenance, notes and checks."""
    out = {**d.saved_spec(), "name": d.name, "markdown": d.markdown, "text": d.text,
           "warnings": [warning(w) for w in d.warnings], "provenance": d.provenance,
           "grounding": d.grounding, "notes": [draft_note_text(n) for n in d.notes],
           "legal_review": [c.text for c in d.spec.custom_restrictions]}
    if d.upstream is not None:
        out["upstream"] = upstream(d.upstream)
    if d.verification is not None:
        out["verification"] = {**verification(d.verification), "ok": d.verification.ok}
    return out


def verification(v) -> dict:
    """A draft's read-back (agent/draft/drafter.py `Verification`), its parameter mismatches in words."""
    return {"chosen": v.chosen, "recovered": v.recovered, "missed": v.missed, "wrong_attitude": v.wrong_attitude,
            "implied": v.implied, "implied_missed": v.implied_missed, "extra": v.extra,
            "custom_mapped": v.custom_mapped, "params": [param_text(p) for p in v.params]}


def warning(w) -> dict:
    """A draft's consistency warning: its field and its words (the contract's `message`)."""
    return {"field": w.field, "message": warning_text(w)}


def upstream(r) -> dict:
    """A draft's upstream report (agent/draft/upstream.py `UpstreamReport`), each finding's reason in words (the
    `message` of the contract)."""
    return {"keys": r.keys, "violations": len(r.violations),
            "findings": [{"upstream": f.upstream, "term": f.term, "status": f.status, "message": upstream_text(f),
                          "clause_ids": f.clause_ids} for f in r.findings],
            "missing": [upstream_missing_text(m) for m in r.missing],
            "resolution": resolution(r.resolution) if r.resolution is not None else None}
