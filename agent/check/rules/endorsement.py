"""Endorsement: a licence that forbids using the licensor's name, trademarks or logos to endorse or promote products
derived from the licensed work without permission ("Neither the name … of Apple may be used to endorse or promote
products derived from the Apple Software without specific prior written permission").

License concept (*no endorsement by name*): a use that puts the named licensor in its own promotion of what it makes
from the work — marketing copy, ads, a landing page, a slogan, a pitch — is that promotion → prohibited; a use that
says it has the licensor's permission is not reached. Naming the licensor only to give the credit a licence asks for
(a notice, an attribution) is not promotion: the use has to say it markets, advertises or endorses with the name.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..context import RuleContext
from ..result import Reason

# a ban on using the name(s) to endorse or promote, in the ways licences say it
ENDORSEMENT_BAN = re.compile(
    r"\bnames?\b[^.;]{0,200}?\b(?:may|shall|must|will|can)\s+not\b[^.;]{0,40}?\bbe\s+used\b[^.;]{0,40}?\b(?:endorse|promote)|"
    r"\b(?:neither|nor)\b[^.;]{0,120}?\bnames?\b[^.;]{0,200}?\b(?:endorse|promote)|"
    r"\b(?:not|never)\s+(?:use|using)\b[^.;]{0,80}?\bnames?\b[^.;]{0,120}?\b(?:endorse|promote)", re.I)
# whose name: "the name, trademarks, service marks or logos of Apple Inc.", "the names of Acme or its contributors"
_WHOSE = re.compile(r"\bnames?\b(?:,?\s+(?:and|or|nor)?\s*(?:the\s+|any\s+)?(?:trademarks?|trade names?|service marks?|logos?|marks?))*,?\s+of\s+"
                    r"(?:the\s+)?([A-Z][\w&-]+)")
_ABBREVIATIONS = re.compile(r"\b(Inc|Ltd|Corp|Co|LLC|L\.L\.C|GmbH|S\.A|N\.V|B\.V|P\.L\.C|plc)\.")
# the quote: the sentence that says the name may not endorse or promote (best_quote quotes the sentence a match
# starts in)
_QUOTE = re.compile(r"\b(?:endorse|promote)\b", re.I)
_GENERIC = {"Licensor", "Licensors", "Copyright", "Contributors", "Contributor", "Author", "Authors", "Owner",
            "Holder", "Holders", "The", "Any", "Such", "This", "Its"}
# promotion by the user: marketing, advertising, endorsement
_PROMOTION = re.compile(r"\b(market\w*|advertis\w*|ads?|adverts?|promot\w*|endors\w*|branding|slogans?|taglines?|"
                        r"landing pages?|press releases?|pitch\w*|packaging|billboards?|campaigns?|sales (decks?|pages?|copy)|"
                        r"tout\w*|(billed|bill it|sell it|present it|label it) as|badges?)\b", re.I)
# the licensor's name put behind the product: "<name>-approved", "approved/endorsed/certified/recommended by <name>",
# "officially <name>" ({name} stands for the licensor's name as the clause names it)
_APPROVAL_CLAIM = (r"\b{name}[- ](approved|endorsed|certified|recommended|sanctioned|backed|blessed|verified|official)\b|"
                   r"\b(approved|endorsed|certified|recommended|sanctioned|backed|blessed|verified|vetted) (by|from) "
                   r"(the )?{name}\b|\bofficial(ly)? {name}\b")
_PERMISSION = re.compile(r"\b(with|have|has|got|obtained|received|secured|given) ([\w'’-]+ ){0,3}(permission|approval|"
                         r"consent|sign-?off|written ok|blessing)\b", re.I)
_NEGATED = re.compile(r"\b(no|not|never|without|(do|does|did|wo|would|will)n['’]t)\b[\w\s,-]{0,20}$", re.I)


def _licensor_names(ctx: RuleContext) -> list[tuple[str, str]]:
    """(clause id, name) of each endorsement ban in the text that names whose name it protects."""
    out = []
    for f in ctx.profiler.features(ctx.prof.license):
        # "Apple Inc." ends no sentence
        text = _ABBREVIATIONS.sub(r"\1", " ".join(f.clause.text.split()))
        m = ENDORSEMENT_BAN.search(text)
        if not m:
            continue
        for w in _WHOSE.finditer(text):
            if w.group(1) not in _GENERIC:
                out.append((f.clause.id, w.group(1)))
                break
    return out


@lru_cache(maxsize=256)
def _approval_claim(name: str) -> re.Pattern:
    return re.compile(_APPROVAL_CLAIM.replace("{name}", re.escape(name)), re.I)


def _claims_approval(sentence: str, name: str) -> bool:
    pattern = _approval_claim(name)
    return any(not _NEGATED.search(sentence[max(0, m.start() - 25):m.start()]) for m in pattern.finditer(sentence))


def apply(ctx: RuleContext):
    facts = ctx.facts
    text = facts.text
    if _PERMISSION.search(text):
        return
    names = _licensor_names(ctx)
    claims = any(_claims_approval(text, name) for _, name in names)
    if not (facts.commercial or facts.distribution or facts.hosting or facts.derivative or claims):
        return  # nothing of the user's is promoted
    for clause_id, name in names:
        for sentence in re.split(r"(?<=[.!?;])\s+", text):
            named = re.search(rf"\b{re.escape(name)}\b", sentence, re.I)
            promo = [p for p in _PROMOTION.finditer(sentence)
                     if not _NEGATED.search(sentence[max(0, p.start() - 25):p.start()])]
            if named and (promo or _claims_approval(sentence, name)):
                ctx.add_clause(clause_id, "other_use", "cannot", Reason("no_endorsement", ctx.prof.name,
                                                                       category=name), "prohibited",
                               pattern=_QUOTE)
                return
