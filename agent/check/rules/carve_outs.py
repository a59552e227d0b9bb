"""Express carve-outs: a ban's section that says what it does *not* reach ("For clarity, this section does not limit
Customer from using the services for other purposes, such as customer support in regulated industries"; "The
previous sentence does not limit or prohibit use cases or tools designed specifically to identify security breaches,
unauthorized access, fraud").

License concept (*express carve-out*): when the clause that matched the use, or a clause of the same section, is such
a carve-out and names a purpose the use states (corpus/vocab/carve_outs.yaml: customer support, security and fraud
tools, bias reduction), the carve-out wins over the ban's resemblance: the section's "may cover" review and its ban
findings are withdrawn, and the carve-out is cited as what admits the use. A use that states the purpose but also
does the banned act outright keeps any finding of another section. The carve-out speaks only for its own section,
except that a "may cover" doubt of the same category raised by another applicable text (an incorporated policy) is
answered by it too (`settle`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...terms.profile import best_quote
from ..context import RuleContext
from ..facts import said
from ..result import CheckResult, Finding, Reason
from ..vocab import read_vocab

# "does not limit", "does not limit or prohibit", "does not apply to", "is not restricted by", "shall not be read to
# prohibit"
CARVE_OUT = re.compile(r"\b(does|do|shall|will)\s+not\s+(limit|prohibit|restrict|apply\s+to|cover|extend\s+to)\b|"
                       r"\b(is|are)\s+not\s+(limited|prohibited|restricted)\s+by\b|\bnothing\s+in\s+this\s+(section|"
                       r"clause|policy)\s+(limits|prohibits|restricts)\b", re.I)


@lru_cache(maxsize=1)
def _purposes() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    def alt(ps):
        return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in ps) + r")", re.I)
    return {k: (alt(v["licence"]), alt(v["use"])) for k, v in read_vocab("carve_outs").items()}


def stated(use: str) -> set[str]:
    """The carve-out purposes the use states."""
    low = " ".join(use.lower().split())
    return {k for k, (_, u) in _purposes().items() if said(low, u)}


def _section(clause_id: str) -> str:
    """The section a clause id belongs to: "lic#5.a.ii.a" → "lic#5.a.ii"."""
    return clause_id.rsplit(".", 1)[0] if "." in clause_id.split("#", 1)[-1] else clause_id


def _carve_outs(ctx: RuleContext, purposes: set[str]) -> list[tuple[str, set[str], set[str]]]:
    """(clause id, purposes it names that the use states, the clauses it qualifies) of each carve-out clause of this
    text. A carve-out qualifies itself, the clause it hangs from ("The previous sentence does not limit …" under 5.a
    is 5.a.i) and the clauses of its own section that come before it ("this section does not limit …")."""
    feats = ctx.profiler.features(ctx.prof.license)
    out = []
    for i, f in enumerate(feats):
        text = " ".join(f.clause.text.split())
        m = CARVE_OUT.search(text)
        if not m:
            continue
        tail = text[m.end():]
        named = {k for k in purposes if _purposes()[k][0].search(tail)}
        if not named:
            continue
        section = _section(f.clause.id)
        qualified = {f.clause.id, section} | {g.clause.id for g in feats[:i] if _section(g.clause.id) == section}
        out.append((f.clause.id, named, qualified))
    return out


# *An exception in a definition*: "The use of the Work to provide applications and integrated end user products which
# use the Work in the background shall not be considered Hosting Use." A ban on a defined activity does not reach what
# the text says is not that activity: an app or product of the user's in which the model works behind its own features
# (the users never get the model itself) is not the banned hosting; offering the model itself (an inference or
# fine-tuning API) still is.
_NOT_THE_TERM = re.compile(r"\b(shall not|does not|do not|will not|is not|are not)\s+(be\s+)?(considered|deemed|treated as|"
                           r"constitute|count as)?\s*(an?\s+|the\s+)?(?P<term>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})")
_APPS_SUBJECT = re.compile(r"\b(applications?|apps?|(end[- ]user |integrated )*products?|services?)\b[^.]{0,120}?"
                           r"\b(in the background|behind|integrated|embedded|underlying)\b|\b(integrated|end[- ]user) "
                           r"(applications?|products?)\b", re.I)
# the use's own app or product runs the model behind its features: "uses the model in the background", "behind the
# scenes", "they never get direct access to the model", "calls the model internally"
_IN_THE_BACKGROUND = re.compile(r"\b(in the background|behind the scenes|under the hood|in the back-?end|on the back-?end|"
                                r"(never|don.t|do not|won.t|will not|cannot|can.t) (get |have |touch |see |access )+(direct |any )?"
                                r"(access to )?(the|this) model|no direct access|calls? (the|this) model internally)\b", re.I)


def _definition_exceptions(ctx: RuleContext):
    facts = ctx.facts
    if not _IN_THE_BACKGROUND.search(facts.text) or "offer_model_as_service" in facts.activities:
        return
    result, lic = ctx.result, ctx.prof.license
    for f in ctx.profiler.features(lic):
        text = " ".join(f.clause.text.split())
        m = _NOT_THE_TERM.search(text)
        if m is None or not _APPS_SUBJECT.search(text[:m.start()]):
            continue
        term = m.group("term").strip()
        hit = [x for x in result.findings if x.license == lic and x.effect == "prohibited" and x.clause_id != f.clause.id
               and re.search(r"\b" + re.escape(term) + r"\b", ctx.clause_text(x.clause_id), re.I)]
        if not hit:
            continue
        for x in hit:
            result.findings.remove(x)
        quote = best_quote(f.clause.text, _NOT_THE_TERM)[0]
        result.findings.append(Finding(lic, f.clause.id, hit[0].category, "can", quote,
                                       Reason("definition_exception", ctx.prof.name, category=term), "grant"))
        return


def apply(ctx: RuleContext):
    _definition_exceptions(ctx)
    purposes = stated(ctx.facts.text)
    if not purposes:
        return
    result, lic = ctx.result, ctx.prof.license
    for clause_id, named, qualified in _carve_outs(ctx, purposes):
        hit = [f for f in result.findings if f.license == lic and f.effect in ("review", "prohibited")
               and f.clause_id in qualified]
        if not hit:
            continue
        for f in hit:
            result.findings.remove(f)
        text = ctx.clause_text(clause_id)
        quote = best_quote(text, CARVE_OUT)[0]
        vocab = read_vocab("carve_outs")
        words = ", ".join(sorted(vocab[p].get("name") or p.replace("_", " ") for p in named))
        result.findings.append(Finding(lic, clause_id, hit[0].category, "can", quote,
                                       Reason("express_carve_out", ctx.prof.name, category=hit[0].category,
                                              purposes=words), "grant"))


def settle(result: CheckResult):
    """A "may cover" doubt of a category that an applicable text's express carve-out answered is withdrawn."""
    carved = {f.category for f in result.findings if f.reason.kind == "express_carve_out"}
    if carved:
        result.findings[:] = [f for f in result.findings if not (f.effect == "review" and f.category in carved)]
