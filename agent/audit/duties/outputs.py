"""Output-derived models: a card that says the model was trained or distilled on another model's outputs is
checked against that model's terms — an output-training ban is a conflict; a text that makes such models
its derivatives (Gemma, OpenRAIL) makes its duties this repository's (the auditor adds it as an upstream)."""
from __future__ import annotations

import re

from corpus.taxonomy import load_taxonomy

from ..clauses import find_clause
from ..context import AuditContext
from ..result import MET, UNKNOWN, UNMET, Duty, Fix, Gap, Location, Remark, Source
from ..rules import duty_spec, rules

ID = "output_training"
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\w))+[.!?]?")  # "Llama 3.1" and "e.g." do not end a sentence
_NEGATED = re.compile(r"\b(not|never|no|without)\b[^.]{0,40}\b(outputs?|distill\w*|synthetic|generated)\b", re.I)


def claims(card_text: str, line_offset: int = 0) -> list[tuple[dict, int, str]]:
    """(output source, line, sentence) for each sentence of the card saying the model learned from a model's outputs."""
    out, seen = [], set()
    for i, line in enumerate(card_text.splitlines(), 1):
        for s in _SENTENCE.finditer(line):
            sent = s.group(0).strip()
            if not rules()["output_claim_re"].search(sent) or _NEGATED.search(sent):
                continue
            for src in rules()["output_sources"]:
                if src["re"].search(sent) and src["name"] not in seen:
                    seen.add(src["name"])
                    out.append((src, i + line_offset, sent))
    return out


def dataset_claims(datasets: list[str], line: int | None, already: set[str]) -> list[tuple[dict, int | None, str]]:
    """(output source, line, text) for each `datasets:` id named after a model ("alpaca-gpt4"): a hint, not a
    statement, that the data are that model's outputs (the duty is then 'cannot tell', never a conflict)."""
    out = []
    for ds in datasets:
        for src in rules()["output_sources"]:
            if src["re"].search(ds.replace("_", "-")) and src["name"] not in already:
                already.add(src["name"])
                out.append((src, line, f"datasets: {ds}"))
    return out


def check(ctx: AuditContext, found: list[tuple[dict, int, str, list[str]]]) -> list[Duty]:
    """`found`: (source, line, sentence or `datasets: ID`, the source's license keys) from the auditor."""
    spec = duty_spec(ID)
    duties = []
    card = ctx.texts.card
    for src, line, sent, keys in found:
        hint = sent.startswith("datasets: ")
        where = Location(card.path if card else "README.md", line, sent[:200])
        d = Duty(ID, spec["title"], MET, evidence=where, detail={"source": src["name"], "licenses": keys,
                                                                  "from": "dataset name" if hint else "card text"})
        if not keys:
            d.status = UNKNOWN
            d.gaps.append(Gap("source_terms_unknown", src["name"]))
            duties.append(d)
            continue
        ban_rx = re.compile(load_ban_pattern(), re.I)
        for key in keys:
            dc = find_clause(ctx.profiler, key, "output_training_ban", ban_rx)
            if dc is None:
                continue
            if re.search(r"\bexclud\w*\b", dc.quote, re.I) and any(
                    ctx.family(k) == ctx.family(key) for k, u in ctx.upstream_texts() if u.relation != "outputs"):
                d.remark = Remark("ban_spares_family")
                d.sources.append(dc.source(src["name"]))
                continue
            d.sources.append(Source(key, dc.clause_id, dc.quote, src["name"]))
            d.fix = Fix(ID, src["name"])
            if hint:
                d.status = UNKNOWN
                d.gaps = [Gap("dataset_hint", src["name"], dataset=sent[10:], license=key)]
                continue
            d.status = UNMET
            d.conflicts = ["output_training_ban"]
            d.gaps = [Gap("output_training_ban", src["name"], license=key)]  # one gap: the last text that bans it
        if d.status == MET and not d.sources:
            d.remark = Remark("no_output_ban", ids=tuple(keys))
        duties.append(d)
    return duties


def load_ban_pattern() -> str:
    return load_taxonomy()["output_training_ban"].clause_re.pattern
