"""SARIF 2.1.0 for code-scanning UIs: one rule per duty family, one result per unmet or undecidable duty,
located at the file and line that should meet it (the card when nothing is there yet)."""
from __future__ import annotations

from pathlib import Path

from ..audit.result import UNKNOWN, UNMET, AuditResult
from ..audit.rules import rules
from .text import duty_missing, fix_text, remark_text

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_URI = "https://github.com/modelterms/modelterms"


def to_sarif(r: AuditResult, tool_version: str = "0.1.0") -> dict:
    spec = rules()["duties"]
    rule_ids = list(spec) + ["terms_available"]
    sarif_rules = [{"id": rid, "name": "".join(w.title() for w in rid.split("_")),
                    "shortDescription": {"text": spec.get(rid, {}).get("title", "Inherited terms available to check")},
                    "defaultConfiguration": {"level": "error" if rid in ("license_consistency", "output_training")
                                             else "warning"}}
                   for rid in rule_ids]
    results = []
    card = r.repo.get("card") or "README.md"
    for d in r.duties:
        if d.status not in (UNMET, UNKNOWN):
            continue
        loc = d.evidence
        region = {"startLine": loc.line} if loc is not None and loc.line else None
        phys = {"artifactLocation": {"uri": (loc.file if loc is not None and not loc.file.startswith("(") else card),
                                     "uriBaseId": "REPOROOT"}}
        if region:
            phys["region"] = region
        msg = duty_missing(d) or d.title
        if d.fix:
            msg += f" Fix: {fix_text(d.fix)}"
        if d.sources:
            msg += " Clause " + "; ".join(f"{s.clause_id}: “{s.quote[:200]}”" for s in d.sources)
        results.append({
            "ruleId": d.id, "ruleIndex": rule_ids.index(d.id),
            "level": ("error" if d.conflict else "warning") if d.status == UNMET else "note",
            "kind": "fail" if d.status == UNMET else "review",
            "message": {"text": msg},
            "locations": [{"physicalLocation": phys}],
            "partialFingerprints": {"dutyKey/v1": f"{d.id}:{','.join(s.license for s in d.sources)}"},
            "properties": {"status": d.status, "conflicts": d.conflicts if d.status == UNMET else [],
                           "sources": [s.as_json() for s in d.sources]},
        })
    for p in r.problems:
        results.append({"ruleId": "terms_available", "ruleIndex": rule_ids.index("terms_available"), "level": "note",
                        "kind": "review", "message": {"text": remark_text(p)},
                        "locations": [{"physicalLocation": {"artifactLocation": {"uri": card, "uriBaseId": "REPOROOT"}}}]})
    return {
        "$schema": SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "modelterms-audit", "version": tool_version, "informationUri": TOOL_URI,
                                "rules": sarif_rules}},
            "originalUriBaseIds": {"REPOROOT": {"uri": _root_uri(r)}} if _root_uri(r) else {},
            "results": results,
            "invocations": [{"executionSuccessful": r.usable,
                             **({} if r.usable else {"toolExecutionNotifications": [
                                 {"level": "error", "message": {"text": remark_text(p)}} for p in r.problems]})}],
        }],
    }


def _root_uri(r: AuditResult) -> str | None:
    root = r.repo.get("root")
    return Path(root).resolve().as_uri() + "/" if root else None
