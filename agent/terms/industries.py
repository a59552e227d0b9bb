"""Industries some licenses exclude by who the licensee is, not by what the model does
("Be an individual or entity ... that engages in fossil fuel or mineral exploration").

The use says which industry its user is in ("an oil and gas exploration firm"), or is tied to
("one of our investors holds stakes in coal-mining companies"); a restriction clause that names
the same industry then decides: directly, the use is excluded; through ties, it needs review
(such clauses often reach affiliates and agents, but not every investor).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from corpus.yamldata import read_yaml

# industry -> (how a license names it, how a use names a business in it)
INDUSTRIES: dict[str, tuple[str, str]] = {
    "fossil fuels and extraction": (
        r"fossil[- ]fuels?|extractive industr\w*|mineral exploration|carbon underground|coal|petroleum|oil and gas",
        r"oil|gas|petroleum|coal|fossil[- ]fuels?|fracking|drilling|mining|minerals?|extractive|refiner(y|ies)|pipeline"),
    "tobacco": (r"tobacco|cigarettes?|nicotine", r"tobacco|cigarettes?|vap(e|ing)|nicotine"),
    "gambling": (r"gambling|casinos?|betting|wagering", r"gambling|casinos?|betting|sportsbooks?|bookmakers?"),
    # "in the service of nuclear technology", "nuclear industries or applications" (not "nuclear weapons", a weapons
    # ban): a nuclear power plant's operator is in the industry whatever it asks the model to do
    "nuclear technology": (r"(in the service of |for )nuclear\b|nuclear (technolog\w*|industr\w*|applications?|energy|power|"
                           r"facilit\w*|plants?|materials?|fuel|sector)",
                           r"nuclear( power| energy| fuel| reactor| generation)?|uranium( enrichment| mining)?"),
    "private prisons": (r"for-profit prisons?|private prisons?|prison industr\w*",
                        r"(for-profit|private) (prisons?|detention)|prison operators?"),
}
_BUSINESS = (r"(firms?|compan(y|ies)|startups?|operators?|producers?|groups?|business(es)?|corporations?|contractors?|"
             r"suppliers?|drillers?|miners?|industry|sector|conglomerates?|majors?|plants?|ventures?)")
_NOT = re.compile(r"\b(not|never|no|nothing to do with|unrelated to|rather than|instead of)\b[^.;]{0,20}$", re.I)
# work named as a subject ("a quiz about oil exploration", "explain how fracking works"); "a pipeline for
# finding gas fields" is doing the work, so "for" is not a subject here
_ABOUT = re.compile(r"\b(about|on|covering|regarding|concerning|news|articles?|history of|explain\w*( how)?|teach\w*( how)?|"
                    r"protest\w*|against|oppos\w*|critic\w*|report\w* on)( [\w'’-]+){0,3}\s*$", re.I)
_TOPIC = re.compile(r"\b(about|on|covering|regarding|concerning|into|for|to|targeting|of)( the| an?)?\s*$", re.I)
# a unit of the business ("the research lab of", "engineers at"), not a subject ("news of")
_PART_OF = re.compile(r"\b(labs?|laborator(y|ies)|divisions?|units?|subsidiar(y|ies)|arms?|teams?|departments?|branch(es)?|"
                      r"offices?|staff|engineers|employees|workers|a part|members?) (of|at)( the| an?)?\s*$", re.I)
_TIES = re.compile(r"\b(sell\w*|serv(e|es|ing)|supply\w*|work\w* (for|with)|contract\w* (for|with)|invest\w*|stakes?|shares?|holdings?|partner\w*|clients?|customers?|suppliers?|sponsor\w*|"
                   r"funded by|owned by|backed by|subsidiar\w+ of)\b[^.;]{0,40}$", re.I)


@lru_cache(maxsize=1)
def _industry_work() -> dict[str, re.Pattern]:
    """corpus/vocab/industry_work.yaml: an industry's work described without a business noun."""
    data = read_yaml(resources.files("corpus").joinpath("vocab/industry_work.yaml").read_text(encoding="utf-8")) or {}
    return {k: re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in v) + r")\b", re.I) for k, v in data.items()}


def industries_of_use(text: str) -> dict[str, str]:
    """{industry: "direct" | "indirect"} for the businesses a use describes, or the industry's work it does."""
    out: dict[str, str] = {}
    for name, rx in _industry_work().items():
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 60):m.start()]
            if _ABOUT.search(before) or _NOT.search(before):
                continue  # "news about oil exploration", "not for mining": a subject or an exclusion, not the work
            out[name] = "indirect" if _TIES.search(before) else "direct"
            break
    for name, (_, use_words) in INDUSTRIES.items():
        rx = re.compile(rf"\b({use_words})\b(( and| or|,) [\w-]+)?([ -][\w-]+){{0,3}} {_BUSINESS}\b", re.I)
        for m in rx.finditer(text):
            before = text[max(0, m.start() - 60):m.start()]
            if _TIES.search(before):
                tie = "indirect"
            elif _PART_OF.search(before):
                tie = "direct"  # "the research lab of a nuclear plant operator": a part of the business is in it
            elif _TOPIC.search(before):
                continue  # "news about the oil industry": a subject, not the user
            else:
                tie = "direct"
            if out.get(name) != "direct":
                out[name] = tie
    return out


def clause_excludes(clause_text: str, industry: str) -> bool:
    """Whether a restriction clause names this industry."""
    return bool(re.search(rf"\b({INDUSTRIES[industry][0]})", " ".join(clause_text.split()), re.I))
