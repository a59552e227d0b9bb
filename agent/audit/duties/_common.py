"""Helpers the duty families share."""
from __future__ import annotations

from ..clauses import DutyClause, find_clause
from ..context import AuditContext
from ..result import Upstream
from ..rules import duty_spec, rules


def license_texts(ctx: AuditContext) -> list[tuple[str, Upstream]]:
    """Inherited license texts (not use policies: a policy binds use, it creates no distribution duty)."""
    return [(k, up) for k, up in ctx.upstream_texts() if ctx.corpus.get(k).kind == "license"]


def clauses_for(ctx: AuditContext, duty_id: str) -> list[tuple[str, Upstream, DutyClause]]:
    """(key, upstream, clause) for every inherited license text that states this duty family and binds this
    repository given how it derives from the upstream (rules.yaml: relations, creation_only, outputs_clause)."""
    spec = duty_spec(duty_id)
    relations = spec.get("relations")
    out = []
    for key, up in license_texts(ctx):
        if relations and up.relation not in relations:
            continue
        dc = find_clause(ctx.profiler, key, spec["term"], spec["clause_re"])
        if dc is None and spec.get("clause_fallback_re") is not None:
            dc = find_clause(ctx.profiler, key, spec["term"], spec["clause_fallback_re"])
        if dc is None and spec.get("clause_without_term_re") is not None and \
                ctx.use_restrictions(key) >= rules()["min_use_restrictions"]:
            dc = find_clause(ctx.profiler, key, spec["term"], spec["clause_without_term_re"], require_term=False)
        if dc is None:
            continue
        if rules()["creation_only_re"].search(dc.quote) and up.relation not in rules()["creation_relations"]:
            continue
        if up.relation == "outputs" and not ctx.makes_derivative(key) and not rules()["outputs_clause_re"].search(dc.quote):
            continue
        out.append((key, up, dc))
    return out


def name_of(ctx: AuditContext, key: str) -> str:
    return ctx.corpus.get(key).name
