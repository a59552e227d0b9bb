"""How a grounded chat answer reads in the page: the verdict first, then the reasons, each with its clause id as a
link that opens the clause and its quote cut around the words that decide it; the sources folded at the end of the
message (so every answer in the history keeps its own citations)."""
import re

from corpus.catalog import plain_name
from corpus.taxonomy import load_taxonomy

from .render import _e, clause_anchor, deciding_first
from .wording import term_name, web_words

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


def check_steps(svc, ans, anchor: str = "chat") -> list[str]:
    """The answer of a use check as the pieces the page shows one after another: verdict, reasons, conditions,
    what is missing."""
    names = {}
    for k in ans.licenses:
        try:
            names[k] = plain_name(svc.corpus.get(k).name)
        except Exception:  # a text removed meanwhile: its key will do
            names[k] = k
    what = ", ".join(names.values()) or "the texts at hand"
    steps = [f"**Verdict: {ans.verdict.upper()}** — {_e(what)}"]
    top, _ = deciding_first(ans.findings, ans.deciding)
    reasons = []
    for f in top[:4]:
        cid = f["clause_id"]
        quote = cut_around(f.get("quote") or "", _pattern(f.get("category")))
        reasons.append(f"- {_e(web_words(f.get('why') or ''))} — [{_e(cid)}](#{clause_anchor(anchor, cid)})"
                       + (f"\n  > “{_e(quote)}”" if quote else ""))
    if reasons:
        steps.append("**Why**\n" + "\n".join(reasons))
    if ans.conditions and ans.verdict != "prohibited":
        steps.append("**Conditions**\n" + "\n".join(f"- {_e(web_words(c))}" for c in ans.conditions))
    if ans.missing:
        steps.append("**Missing**\n" + "\n".join(f"- {_e(web_words(m))}" for m in ans.missing))
    return steps


def sources_block(ans) -> str:
    """The answer's cited clauses, folded, as part of the message (kept with it in the history)."""
    seen, items = set(), []
    for f in ans.findings:
        cid = f.get("clause_id")
        if not cid or cid in seen:
            continue
        seen.add(cid)
        what = " · ".join(x for x in (f.get("effect"), term_name(f.get("category"))) if x)
        items.append(f"<li><code>{_e(cid)}</code> {_e(what)}: “{_e(cut_around(f.get('quote') or '', _pattern(f.get('category')), 200))}”</li>")
    if not items:
        return ""
    return f"<details><summary>Sources ({len(items)})</summary><ul>{''.join(items[:10])}</ul></details>"
