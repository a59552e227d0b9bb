"""Grants: `allowed` needs a clause that grants the use. The grant the use needs (commercial use,
derivatives, redistribution) is cited; a license that grants rights without limiting them to
non-commercial or research use grants them for this use too.

*A grant limited to a machine purpose*: a text that lets the material be used solely for analysis by a
computer (computational use, text and data mining) grants nothing for copies made for people to read — a use
that reproduces the material as a book or an edition for readers is outside the grant.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..context import RuleContext
from ..result import Missing, Reason
from ..vocab import read_vocab

_RIGHTS = ("commercial_use", "derivatives", "redistribution")


def _stem_and_generation(name: str) -> tuple[str, int | None]:
    """'ChatGLM2-6B' → ('chatglm', 2): the family's letters and the number written onto them (a size after a hyphen,
    'ChatGLM-6B', is no generation)."""
    m = re.match(r"([a-z]+)(\d+)", name.lower())
    return (m.group(1), int(m.group(2))) if m else (name.lower(), None)


def named_excluded_model(text: str, excluded: list[dict]) -> dict | None:
    """The left-out model the use names ('ChatGLM2-6B'; a successor too where the text leaves those out)."""
    names = re.findall(r"\b[A-Za-z][A-Za-z]*-?\d[\w.]*(?:-[\w.]+)*\b", text)
    for ex in excluded:
        stem, gen = _stem_and_generation(ex["name"])
        for n in names:
            s2, g2 = _stem_and_generation(n)
            if n.lower().replace(" ", "") == ex["name"].lower() or (
                    s2 == stem and gen is not None and g2 is not None and (g2 == gen or (ex["later"] and g2 > gen))):
                return {**ex, "named": n}
    return None


def out_of_scope(ctx: RuleContext) -> bool:
    """*Scope of the licensed materials*: the use names a model the text's definition leaves out → this text does
    not decide its use (Missing `out_of_scope`, the definition cited; unclear)."""
    hit = named_excluded_model(ctx.facts.text, ctx.prof.excluded_models)
    if hit is None:
        return False
    if not any(m.kind == "out_of_scope" and m.license == ctx.prof.license for m in ctx.result.missing):
        ctx.result.missing.append(Missing("out_of_scope", name=hit["named"], license=ctx.prof.license))
    ctx.add_clause(hit["clause_id"], "derivatives", "can", Reason("out_of_scope", ctx.prof.name), "review",
                   pattern=re.compile(r"[^.;]*\b" + re.escape(hit["name"]) + r"\b[^.;]*", re.I))
    return True


# *A named incompatible licence*: a text that forbids combining, linking or integrating the work with software under a
# copyleft licence ("with Open Source Software … in such a manner that requires … the Software … to be disclosed or
# distributed … in source code form", "with any software licensed under the GNU General Public License") forbids a use
# that puts the work into a project under such a licence (GPL, AGPL, LGPL, a copyleft licence). A project under a
# permissive licence, or no combination at all, is not reached by the clause.
_COMBINE_BAN = re.compile(
    r"\b(will not|shall not|may not|must not|cannot|do not|agree not to|does not include the right to)\b[^.]{0,240}?"
    r"\b(combin\w*|link\w*|integrat\w*|incorporat\w*|merg\w*)\b[^.]{0,400}?\b(source code form|disclos\w*|general public "
    r"licen[cs]e|\bA?GPL\b|copyleft)", re.I | re.S)
_COMBINE_QUOTE = re.compile(r"\b(combin\w*|integrat\w*|link\w*)\b", re.I)
_COPYLEFT_PROJECT = re.compile(r"\b((a|l)?gpl(v?\d+(\.\d+)*)?(\+|-or-later|-only)?|gnu (affero |lesser )?general public "
                               r"licen[cs]e|copyleft|eupl|osl|mpl)\b", re.I)
_COMBINING = re.compile(r"\b(merg\w*|combin\w*|link\w*|integrat\w*|includ\w*|incorporat\w*|vendor\w*|bundl\w*|"
                        r"embed\w*|add\w*|import\w*|copy\w*|pull\w*|fold\w*)\b", re.I)


def _copyleft_combination(ctx: RuleContext):
    text = ctx.facts.text
    m = _COPYLEFT_PROJECT.search(text)
    if m is None or not _COMBINING.search(text) or re.search(r"\b(not|never|without|no)\b[\w\s,-]{0,25}$",
                                                             text[max(0, m.start() - 30):m.start()], re.I):
        return
    for f in ctx.profiler.features(ctx.prof.license):
        clause = " ".join(f.clause.text.split())
        if _COMBINE_BAN.search(clause):
            ctx.add_clause(f.clause.id, "other_use", "cannot", Reason("copyleft_combination", ctx.prof.name),
                           "prohibited", pattern=_COMBINE_QUOTE)
            return


def apply(ctx: RuleContext):
    _machine_purpose_only(ctx)
    _copyleft_combination(ctx)
    facts, prof = ctx.facts, ctx.prof
    wanted = ["commercial_use"] if facts.commercial else []
    if facts.derivative:
        wanted.append("derivatives")
    if facts.distribution:
        wanted.append("redistribution")
    wanted = wanted or list(_RIGHTS)
    if not any(w in prof.terms for w in wanted) and not ({"noncommercial", "research_only"} & set(prof.terms)):
        wanted = [w for w in _RIGHTS if w in prof.terms][:1]
    for w in wanted:
        if w in prof.terms and prof.terms[w].attitude == "can":
            term = prof.terms[w]
            # The grant cited for a use is a clause that grants rights ("grants you a … license to use …"),
            # not the first clause the term was read from (e.g. "you may add your own copyright statement").
            # When this term was read from no such clause, the license's rights grant read under another
            # grant term (the one sentence that grants use, copying, modification and distribution) is it.
            pool = term.evidence + [e for g in _RIGHTS if g != w and g in prof.terms and prof.terms[g].attitude == "can"
                                    for e in prof.terms[g].evidence]
            rights = [e for e in pool if grants_rights(ctx.clause_text(e.clause_id) or e.quote)]
            if rights and rights[0] is not term.evidence[0]:
                term = replace(term, evidence=[rights[0]] + [e for e in term.evidence if e is not rights[0]])
            ctx.add_term(term, Reason("grant", prof.name), "grant", limit=1)
            break


# A clause that grants rights: a grant verb followed, within the sentence, by a right over the work, or "you may"
# directly followed by such a right ("You may use, reproduce, modify …"); "nothing … grants you any rights" is
# the opposite.
RIGHTS_GRANT = re.compile(r"\b(grants?|granted|licen[cs]es? you)\b[^.;]{0,300}?\b(use|reproduce|distribute|modify|"
                          r"sell|copy|create derivative|prepare derivative)|\byou may,? (use|reproduce|copy|modify|"
                          r"distribute|sell)\b", re.I | re.S)
NO_GRANT = re.compile(r"\b(nothing|no|not)\b[^.;]{0,60}\bgrants?\b", re.I)


def grants_rights(text: str) -> bool:
    return bool(RIGHTS_GRANT.search(text)) and not NO_GRANT.search(text)


# "use the Data solely for Computational Use" (defined as "analysis by a computer"), "only for text and data mining"
_ONLY_FOR = re.compile(r"\b(solely|only|exclusively)\b[^.;]{0,40}?\bfor\b", re.I)
_MACHINE_PURPOSE = re.compile(r"\b(analysis by (a )?computers?|computational (use|analysis|purposes)|computer analysis|"
                              r"text and data mining|text or data mining|data mining|machine analysis)\b", re.I)


@lru_cache(maxsize=1)
def _reading_copies() -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in read_vocab("reading_copies")["phrases"]) + r")", re.I)


def _machine_purpose_only(ctx: RuleContext):
    """A grant limited to computer analysis, and a use that makes copies for people to read."""
    if not _reading_copies().search(ctx.facts.text):
        return
    for f in ctx.profiler.features(ctx.prof.license):
        text = " ".join(f.clause.text.split())
        m = _ONLY_FOR.search(text)
        if m is None:
            continue
        purpose = text[m.end():m.end() + 120]
        if _MACHINE_PURPOSE.search(ctx.read_with_definitions(purpose)):
            ctx.add_clause(f.clause.id, "other_use", "cannot", Reason("purpose_limited", ctx.prof.name,
                                                                        purposes="analysis by a computer"), "prohibited",
                          pattern=_ONLY_FOR)
            return
