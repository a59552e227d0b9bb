"""Answers composed from templates: grounded mode's text, with citations. No LLM."""
from __future__ import annotations

import re

from corpus.display import shorten
from corpus.taxonomy import load_taxonomy

from ..check import CheckResult
from ..models import Resolution
from .question import Question

_DECISIVE = {"prohibited": "prohibited", "conditional": "condition", "allowed": "grant", "unclear": "review"}
_HEAD = {
    "prohibited": "PROHIBITED: a clause that applies forbids this use.",
    "conditional": "CONDITIONAL: allowed if you act on the conditions below.",
    "allowed": "ALLOWED: the terms grant this use and no clause at hand restricts it.",
    "unclear": "UNCLEAR: the texts at hand cannot decide this; see what is missing.",
}


def target_line(q: Question, res: Resolution | None) -> str:
    if res is None or not (res.keys or res.missing):
        return ""
    named = ", ".join(t.label for t in q.targets if t.kind != "other") or res.query
    keys = ", ".join(res.keys) or "no text in the corpus"
    return f"{named} → {keys}"


def facts_line(result: CheckResult) -> str:
    f = result.use
    if f is None:
        return ""
    bits = []
    if f.commercial is True:
        bits.append("commercial")
    elif f.commercial is False:
        bits.append("non-commercial")
    if f.research:
        bits.append("research")
    if f.hosting:
        bits.append("hosted/served to others")
    if f.distribution:
        bits.append("distributed")
    if f.derivative:
        bits.append("modified/fine-tuned")
    if f.outputs_for_training:
        bits.append("outputs used for training")
    if f.internal:
        bits.append("internal")
    if f.users:
        bits.append(f"{f.users:,} users")
    if f.revenue_usd:
        bits.append(f"US${f.revenue_usd:,} revenue")
    if f.regions:
        bits.append("regions: " + ", ".join(f.regions))
    tax = load_taxonomy()
    cats = [tax[c].name.lower() for c in f.categories if c in tax and c != "other_use"]
    if cats:
        bits.append("touches: " + ", ".join(cats))
    return "; ".join(bits)


def check_answer(q: Question, result: CheckResult) -> str:
    lines = []
    tl = target_line(q, result.resolution)
    if tl:
        lines.append(tl)
    if q.followup == "target":
        lines.append("(same use as before: " + shorten(q.use, 120) + ")")
    elif q.followup == "use":
        lines.append("(same model/license as before)")
    lines.append("Verdict: " + _HEAD[result.verdict])
    decisive = _DECISIVE[result.verdict]
    shown = [f for f in result.findings if f.effect == decisive]
    if result.verdict == "unclear":
        shown += [f for f in result.findings if f.effect == "missing"]
    if shown:
        lines.append("Why:")
        for f in shown[:4]:
            lines.append(f"  - {f.why} [{f.clause_id}]")
            lines.append(f"    \"{shorten(f.quote, 240)}\"")
    if result.conditions and result.verdict != "prohibited":
        lines.append("Conditions:")
        lines.extend(f"  - {c}" for c in result.conditions)
    others = [f for f in result.findings if f.effect in ("condition", "review") and f not in shown]
    if others and result.verdict == "prohibited":
        lines.append("Also relevant: " + ", ".join(dict.fromkeys(f"[{f.clause_id}]" for f in others[:4])))
    if result.missing:
        lines.append("Missing:")
        lines.extend(f"  - {m}" for m in result.missing)
    if result.resolution is not None:
        for n in result.resolution.notes[:3]:
            lines.append(f"Note: {n}")
    fl = facts_line(result)
    if fl:
        lines.append("Read as: " + fl)
    return "\n".join(lines)


def no_target_answer(q: Question, examples: list[str]) -> str:
    if q.ambiguous:
        which = ", ".join(q.ambiguous)
        return (f"Verdict: {_HEAD['unclear']}\nWhich version of {which} do you mean? The versions have different terms "
                f"(e.g. {', '.join(examples[:3])}). Name the version, a model id such as meta-llama/Llama-3.1-8B, "
                "or a license key.")
    return ("Verdict: " + _HEAD["unclear"] + "\nName the model or license to check, e.g. " + ", ".join(examples[:3])
            + " (a Hugging Face model id, a model name with its version, or a license key from "
            "`modelterms corpus list`).")


def resolve_answer(q: Question, res: Resolution, corpus) -> str:
    lines = [target_line(q, res) or "No license found."]
    for k in res.licenses:
        lines.append(f"  - license: {k} ({corpus.get(k).name})")
    for k in res.policies:
        lines.append(f"  - use policy: {k} ({corpus.get(k).name})")
    for m in res.missing:
        lines.append(f"  - missing: {m.get('name')}: {m.get('why')}")
    if res.chain and len(res.chain) > 1:
        lines.append("  base-model chain: " + " → ".join(res.chain))
    for n in res.notes + [f"conflict: {c}" for c in res.conflicts]:
        lines.append(f"  - {n}")
    return "\n".join(lines)


def profile_answer(profiles: list, topic_hits: list, topic: str) -> str:
    lines = []
    tax = load_taxonomy()
    words = {w for w in re.findall(r"[a-z]{4,}", (topic or "").lower())}

    def on_topic(t) -> bool:
        text = f"{t.term} {tax[t.term].name} {tax[t.term].description}".lower()
        return not words or any(w[:6] in text for w in words)

    for p in profiles:
        lines.append(f"{p.name} [{p.license}]")
        groups = {g: [t for t in ts if on_topic(t)] for g, ts in p.grouped().items()}
        for g in ("permissions", "prohibitions", "duties", "thresholds"):
            terms = groups.get(g) or []
            if not terms:
                continue
            lines.append(f"  {g.capitalize()}:")
            for t in terms[:8]:
                ev = t.evidence[0] if t.evidence else None
                params = (" " + ", ".join(f"{k}={v}" for k, v in t.params.items() if k != "regions" or v)) if t.params else ""
                lines.append(f"    - {tax[t.term].name}{params}" + (f" [{ev.clause_id}]" if ev else ""))
        if p.references:
            refs = [r for r in p.references if not r.get("in_corpus")]
            if refs:
                lines.append("  Incorporates, not in the corpus: " + ", ".join(r["policy"] for r in refs))
    if topic_hits:
        lines.append(f"Clauses on \"{shorten(topic, 60)}\":" if topic else "Clauses:")
        for h in topic_hits:
            lines.append(f"  - [{h['clause_id']}] \"{shorten(h['text'], 300)}\"")
    return "\n".join(lines)


def search_answer(hits: list, topic: str) -> str:
    if not hits:
        return f"No clause found for \"{shorten(topic, 80)}\"."
    lines = [f"Clauses for \"{shorten(topic, 80)}\":"]
    for h in hits:
        lines.append(f"  - [{h['clause_id']}] {h.get('section') or ''}".rstrip())
        lines.append(f"    \"{shorten(h['text'], 400)}\"")
    return "\n".join(lines)


def compare_answer(profiles: list) -> str:
    tax = load_taxonomy()
    names = [p.license for p in profiles]
    lines = ["Comparing " + " vs ".join(names) + " (terms where they differ):"]
    terms = [t for t in tax if any(t in p.terms for p in profiles)]
    diff = [t for t in terms if len({p.attitude(t) for p in profiles}) > 1]
    for t in diff[:25]:
        cells = []
        for p in profiles:
            att = p.attitude(t)
            ev = p.terms[t].evidence[0].clause_id if t in p.terms and p.terms[t].evidence else None
            cells.append(f"{p.license}: {att}" + (f" [{ev}]" if ev else ""))
        lines.append(f"  - {tax[t].name}: " + "; ".join(cells))
    same = [t for t in terms if t not in diff]
    if same:
        lines.append("Same in all: " + ", ".join(tax[t].name for t in same[:20]))
    if not diff:
        lines.append("  (no differences in the terms found)")
    return "\n".join(lines)
