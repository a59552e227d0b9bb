"""When a duty attaches: the triggers of the licence duties that hang on passing something on (a notice, a licence
copy, "Built with …", flow-down of the use restrictions, marking what goes out), read over the frame's facts.

A notice or flow-down duty is written for the licensee who passes the *model* on: distributes the weights or a
derivative, hosts it for other people, or offers a product that contains it. The frame's broad facts (`hosting`,
`distribution`, agent/check/facts.py) are read from where a use's words point, and two of their cues also say where
the model's *outputs* go, which triggers none of those duties:

- *the model served to others* (`serves_others`): a hosting cue that only names the place where the model's content is
  put ("illustrations for our blog and website banners", "copy for the firm's landing pages") serves no one the model;
  nor does an assistant the user's own people use at their own work ("a code assistant for the office's developers",
  "a writing assistant for me") where no one outside is named. The model is served to others when the use names an
  outside audience, an interface they reach, or a count of its users (the hosting cues that remain).
- *the model passed on* (`passes_model_on`): handing out printed works that carry what the model made ("leaflets we
  hand out at the clinic", "storybooks it hands out on the wards") passes outputs on, not the model.

The concept is the duty's trigger, not a word list of uses: the places and printed works named here are where outputs
go (corpus/vocab/duty_triggers.yaml); everything else is the frame's reading as before.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .vocab import read_vocab


@lru_cache(maxsize=1)
def _vocab() -> dict[str, re.Pattern]:
    v = read_vocab("duty_triggers")
    alt = lambda words: "(?:" + "|".join(words) + ")"  # noqa: E731
    places, works, tools = alt(v["output_places"]), alt(v["printed_works"]), alt(v["own_work_tools"])
    return {
        # "for our blog and website banners", "on the firm's landing pages", "into its newsletter"
        "place": re.compile(rf"\b(?:for|on|in|into|to|across|onto) (?:our|the|its|their|my|his|her|a|an|your|[\w'’-]+['’]s) "
                            rf"(?:[\w'’-]+ ){{0,3}}?{places}s?\b(?:(?:,| and| or| &) (?:our |the |its |their |my )?"
                            rf"(?:[\w'’-]+ ){{0,2}}?{places}s?\b)*", re.I),
        # "a code assistant", "as a writing helper": a tool for the actor's own work
        "tool": re.compile(rf"\b(?:a|an|the|our|my|its|their|as a|as an) (?:[\w-]+ )?{tools} (?:assistant|helper|copilot|"
                           rf"co-pilot|aid|buddy|companion|sidekick)s?\b", re.I),
        # "leaflets … handed out", "hands out free storybooks"
        "works": re.compile(rf"\b{works}s?\b", re.I),
        "handout": re.compile(r"\b(?:hand|pass|give)(?:s|ed|ing)? (?:\S+ ){0,4}?(?:out|round|around)\b|\b(?:handed|passed|"
                              r"given) (?:out|round|around)\b", re.I),
        "model": re.compile(r"\b(?:models?|weights|checkpoints?|fine-?tunes?|adapters?|loras?|copies of (?:it|the model))\b",
                            re.I),
    }


def _hosting_in(text: str) -> bool:
    from . import facts as F

    low = text.lower()
    return bool(F._HOST.search(F._strip_negated(F._OTHERS_HOSTED.sub(" ", low), F._HOST)) or F._SERVES_USERS.search(
        F._digits(low)) or F._offer_to_users().search(F._strip_negated(low, F._offer_to_users())))


def serves_others(facts) -> bool:
    """*The model served to others*: the frame's hosting fact, unless its only cues name where the outputs are put or
    an assistant for the user's own work, with no outside audience named."""
    if not facts.hosting or facts.internal:
        return False
    from . import facts as F

    low = facts.text.lower()
    # the model offered to the users of a product, or a product with a count of users: served, whatever else is said
    if F._SERVES_USERS.search(F._digits(low)) or F._offer_to_users().search(F._strip_negated(low, F._offer_to_users())):
        return True
    v = _vocab()
    # an assistant is the user's own tool only where nothing says it is offered to others ("a paid writing assistant
    # for marketing teams" is a product)
    rest = low if _OFFERED.search(low) else v["tool"].sub(" ", low)
    if _MAKES.search(low):  # a place named as where the content the model makes is put
        rest = v["place"].sub(" ", rest)
    if rest == low:
        return True
    return _hosting_in(rest)


_OFFERED = re.compile(r"\b(offer\w*|sell\w*|sold|paid|subscri\w*|customers?|clients?|users|the public|launch\w*|"
                      r"for (?!(?:our|my|its|their|the company's|the firm's|the office's)\b)[\w-]+ (?:teams?|companies|firms|"
                      r"businesses|agencies|departments|organi[sz]ations))\b", re.I)
# the model makes content ("make illustrations", "write copy", "generate images", "draft posts")
_MAKES = re.compile(r"\b(mak|made|generat|creat|writ|wrote|draw|drew|illustrat|design|produc|render|compos|paint|draft|"
                    r"sketch|edit)\w*\b", re.I)


def passes_model_on(facts) -> bool:
    """*The model passed on*: the frame's distribution fact, unless it is printed works carrying the outputs that are
    handed out (and nothing names the model being handed on)."""
    if not facts.distribution:
        return False
    v = _vocab()
    low = facts.text.lower()
    if not v["works"].search(low):
        return True
    # a hand-out whose own words name the model ("hand out copies of the model") passes the model on
    spans = [m for m in v["handout"].finditer(low) if not v["model"].search(low[m.start():m.end() + 40])]
    if not spans:
        return True
    from . import facts as F

    for m in spans:
        low = low.replace(m.group(0), " ", 1)
    return bool(F._DISTRIBUTE.search(F._strip_negated(low, F._DISTRIBUTE))) or F.said(low, F._vocab_pattern("sharing",
                                                                                                           "pass_on"))
