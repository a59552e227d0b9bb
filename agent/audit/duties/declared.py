"""The card's declared license against what the inherited terms allow, and `license: other` fields.

Conflict kinds (rules.yaml): a license without use restrictions over terms that carry them
(`permissive_tag`: Apache-2.0 on a Llama or Gemma fine-tune), a commercial license over non-commercial
or research-only terms, a share-alike base relicensed. Each is decided from the profiles of the texts,
not from a list of names, so a license the corpus learns later is judged the same way.
"""
from __future__ import annotations

from agent.models import registry
from corpus.taxonomy import load_taxonomy

from ..context import AuditContext
from ..result import MET, UNKNOWN, UNMET, Duty, Fix, Gap, Source
from ..rules import duty_spec
from ._common import license_texts, name_of

_NC = ("noncommercial", "research_only")


def check(ctx: AuditContext) -> list[Duty]:
    return _fields(ctx) + _consistency(ctx)


def _fields(ctx: AuditContext) -> list[Duty]:
    repo = ctx.repo
    if not any(lid.lower() == "other" for lid in repo.licenses):
        return []
    spec = duty_spec("license_fields")
    d = Duty("license_fields", spec["title"], MET, evidence=ctx.texts.card_field_line("license"))
    absent = [f for f, v in (("license_name", repo.license_name), ("license_link", repo.license_link)) if not v]
    if absent:
        d.status = UNMET
        d.gaps.append(Gap("fields_absent", fields=tuple(absent)))
        d.fix = Fix("license_fields")
    elif repo.license_link and "://" not in repo.license_link and repo.root is not None \
            and not (repo.root / repo.license_link).exists():
        d.status = UNMET
        d.gaps.append(Gap("dead_link", link=repo.license_link))
        d.fix = Fix("license_fields")
    return [d]


def _consistency(ctx: AuditContext) -> list[Duty]:
    # a model whose outputs trained this one binds it only if its text makes such models derivatives
    ups = [(k, up) for k, up in license_texts(ctx) if up.relation != "outputs" or ctx.makes_derivative(k)]
    if not ctx.repo.base_models or not ups:
        return []
    spec = duty_spec("license_consistency")
    declared = [k for k in ctx.inherited.declared if ctx.corpus.get(k).kind == "license"]
    d = Duty("license_consistency", spec["title"], MET, evidence=ctx.texts.card_field_line("license"),
             detail={"declared": ctx.inherited.declared_ids, "inherited": [k for k, _ in ups]})
    if not ctx.repo.licenses:
        d.status, d.gaps = UNMET, [Gap("no_license")]
        d.fix = Fix("license_consistency", tags=_tags(ctx, ups))
        return [d]
    if not declared:
        d.status = UNKNOWN
        d.gaps.append(Gap("declared_not_held", declared=tuple(ctx.inherited.declared_ids)))
        return [d]
    reasons: list[tuple[str, str]] = []  # (conflict kind, upstream key)
    declared_fams = {ctx.family(k) for k in declared}
    for key, up in ups:
        if ctx.family(key) in declared_fams:
            continue  # the base's own terms (or another version of them) are declared
        prof = ctx.profiler.profile(key)
        if ctx.is_restrictive(key) and not any(ctx.is_restrictive(k) for k in declared):
            reasons.append(("permissive_tag", key))
        if set(_NC) & set(prof.terms) and not any(set(_NC) & set(ctx.profiler.profile(k).terms) for k in declared):
            reasons.append(("noncommercial_relicensed", key))
        if "share_alike" in prof.terms and key not in declared:
            reasons.append(("share_alike_relicensed", key))
    if reasons:
        d.status = UNMET
        d.conflicts = list(dict.fromkeys(k for k, _ in reasons))
        d.gaps = [Gap(kind, name_of(ctx, key), declared=tuple(declared)) for kind, key in reasons]
        d.fix = Fix("license_consistency", tags=_tags(ctx, ups))
        for kind, key in reasons:
            src = _clause_for(ctx, key, kind)
            if src is not None and src not in d.sources:
                d.sources.append(src)
    return [d]


def _tags(ctx: AuditContext, ups) -> tuple[tuple[str, str], ...]:
    """(Hub license tag, corpus key) of each inherited text; the key itself where the Hub has no tag for it."""
    tags = []
    for key, _ in ups:
        tag = next((hf for hf, spec in registry()["hf_licenses"].items() if key in spec.get("licenses", [])), key)
        tags.append((tag, key))
    return tuple(dict.fromkeys(tags))


def _clause_for(ctx: AuditContext, key: str, kind: str):
    """The clause of the inherited text that the conflict breaks, quoted from its profile evidence."""
    prof = ctx.profiler.profile(key)
    order = {"noncommercial_relicensed": list(_NC), "share_alike_relicensed": ["share_alike"],
             "permissive_tag": ["flowdown", "naming", "aup_by_reference", "share_alike", "noncommercial"]}[kind]
    for term in order:
        if term in prof.terms and prof.terms[term].evidence:
            ev = prof.terms[term].evidence[0]
            up = next((u.model for k, u in ctx.upstream_texts() if k == key), None)
            return Source(key, ev.clause_id, ev.quote, up)
    if kind == "permissive_tag":
        tax = load_taxonomy()
        for t in prof.terms.values():
            if tax[t.term].group == "behavioural" and t.attitude == "cannot" and t.evidence:
                up = next((u.model for k, u in ctx.upstream_texts() if k == key), None)
                return Source(key, t.evidence[0].clause_id, t.evidence[0].quote, up)
    return None
