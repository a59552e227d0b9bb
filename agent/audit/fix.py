"""`audit --fix`: writes the pieces an audit can derive into the repository, for review.

Writes only text files at the repository's top level — NOTICE, the license copy when no file holds it,
and a marked license section in the card (README.md) — each atomically (a temporary file renamed over
the old one), never a weight or any other file. What needs a person (the declared license, a rename,
training on another model's outputs) is listed, not decided.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.atomic import KEEP, atomic_write
from corpus.catalog import Corpus
from corpus.errors import ModeltermsError

from .result import UNMET, AuditResult

BEGIN, END = "<!-- modelterms:audit:begin -->", "<!-- modelterms:audit:end -->"
_DECIDE = {
    "license_consistency": "which license to declare in the card's `license:` field (the base's terms still apply)",
    "license_fields": "the card's `license_name` and `license_link`",
    "derivative_naming": "the model's new name (a rename of the repository)",
    "output_training": "whether the model may be published at all, given the terms of the model whose outputs trained it",
    "flowdown": "how the use restrictions become part of your own license, if you ship one",
}


@dataclass
class FixReport:
    written: list[str] = field(default_factory=list)
    decide: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"wrote {w}" for w in self.written] or ["nothing to write"]
        out += [f"decide: {d}" for d in self.decide]
        return out


def apply_fixes(r: AuditResult, corpus: Corpus) -> FixReport:
    rep = FixReport()
    root = r.repo.get("root")
    if not r.usable or not root or r.repo.get("source") != "local":
        raise ModeltermsError("--fix writes only into a local repository folder")
    root = Path(root)
    unmet = [d for d in r.duties if d.status == UNMET]
    # NOTICE: every required wording, added to what the file already says
    wordings = [d.detail["wording"] for d in unmet if d.id == "notice_file" and d.detail.get("wording")]
    if wordings:
        notice = next((p for p in sorted(root.iterdir()) if p.is_file() and p.name.lower().startswith("notice")),
                      root / "NOTICE")
        old = notice.read_text(encoding="utf-8") if notice.exists() else ""
        atomic_write(notice, (old.rstrip("\n") + "\n\n" if old.strip() else "") + "\n\n".join(wordings) + "\n", KEEP)
        rep.written.append(notice.name)
    # the license copy, where the repository ships none
    for d in unmet:
        if d.id == "license_copy" and corpus.exists(d.detail.get("license", "")):
            key = d.detail["license"]
            target = root / "LICENSE"
            if target.exists():
                target = root / f"LICENSE-{re.sub(r'[^A-Za-z0-9.-]+', '-', key)}.txt"
            atomic_write(target, corpus.get(key).text.rstrip("\n") + "\n", KEEP)
            rep.written.append(target.name)
    # the card's license section: attribution line, policy reference, use restrictions
    section = _card_section(r, unmet, corpus)
    card = root / (r.repo.get("card") or "README.md")
    if section and card.is_file():
        text = card.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{section}\n{END}"
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        atomic_write(card, text, KEEP)
        rep.written.append(f"{card.name} (license section)")
    for d in unmet:
        if d.id in _DECIDE and _DECIDE[d.id] not in rep.decide:
            rep.decide.append(_DECIDE[d.id])
    return rep


def _card_section(r: AuditResult, unmet, corpus: Corpus) -> str:
    lines = []
    for d in unmet:
        if d.id == "attribution_display" and d.detail.get("phrases"):
            lines.append(f"**{d.detail['phrases'][0]}**")
    inherited = []
    for up in r.upstreams:
        for k in up.licenses + up.policies:
            if corpus.exists(k):
                inherited.append(f"- {corpus.get(k).name} (inherited from `{up.model}`)")
    for d in unmet:
        if d.id == "policy_reference":
            pol = d.detail.get("policy") or "the use policy"
            url = d.detail.get("url")
            inherited = [line for line in inherited if not line.startswith(f"- {pol} (")]  # named once, with its link
            inherited.append(f"- {pol}" + (f": {url if '://' in url else 'https://' + url}" if url else ""))
        if d.id == "flowdown":
            inherited.append(f"- Use of this model is subject to the use restrictions of "
                             f"{corpus.get(d.detail['license']).name}; anyone you distribute it to must accept them.")
    if not lines and not inherited:
        return ""
    return "\n".join(["## License", "", *lines, *([""] if lines else []),
                      "This model is a derivative and stays bound by the terms it inherits:", "",
                      *dict.fromkeys(inherited)])
