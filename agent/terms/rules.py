"""Hand-written term scores over the clause features: the profile's default reading, and the
classifier's fallback for terms with too few annotated examples (classifier.py blends the two)."""
from __future__ import annotations

import re

import numpy as np

from corpus.taxonomy import load_taxonomy

from .features import ClauseFeatures

_PASS_ON = re.compile(r"\b(sell|lease|distribute|sublicen[cs]e|resell|rent|transfer)\w*\b.{0,30}\b(services?|models?|materials|"
                      r"software|weights|access|the work)\b", re.I)
_COMPLY = re.compile(r"\b(comply|compliance) with\b", re.I)
# a grant that names commercial use only to leave it out ("for purposes other than commercial or production
# use") grants no commercial use
NOT_COMMERCIAL = re.compile(r"\bnon[- ]?commercial|\b(purposes?|uses?) other than (for )?commercial\b|"
                            r"\bnot (for|permitted for) commercial\b", re.I)


def rule_scores(feats: list[ClauseFeatures]) -> np.ndarray:
    """Hand-written scoring over the same features the classifier uses (its fallback and baseline)."""
    terms = list(load_taxonomy().values())
    out = np.zeros((len(feats), len(terms)), dtype=np.float32)
    for i, f in enumerate(feats):
        restrictive = f.flags["restrictive"] or f.flags["aup"]
        if f.flags["heading"]:
            continue
        for j, t in enumerate(terms):
            hit, sim = bool(f.hits[j]), float(f.sims[j])
            if f.flags["definition"] and t.id not in ("distillation_derivative", "hosted_is_distribution"):
                continue
            if t.group == "behavioural":
                # "You shall comply with applicable laws" forbids what "don't violate the law" does
                if t.default == "cannot" and not restrictive and not (
                        t.id == "illegal" and f.flags["duty"] and _COMPLY.search(f.clause.text)):
                    continue
                out[i, j] = (0.55 + 0.4 * sim) if hit else (0.6 if sim >= 0.62 else sim * 0.5)
            elif t.group == "permission":
                if f.flags["grant"] and hit and not (t.id == "commercial_use"
                                                     and NOT_COMMERCIAL.search(f.clause.text)):
                    out[i, j] = 0.5 + 0.5 * max(sim, 0)
                elif hit and t.id == "redistribution" and f.flags["restrictive"] and not f.flags["definition"] and \
                        _PASS_ON.search(f.clause.text):
                    # "you may not: ... lease, sell or distribute any of our Services": a ban (attitude_for)
                    out[i, j] = 0.5 + 0.25 * max(sim, 0)
            else:
                if hit:
                    out[i, j] = 0.5 + 0.5 * max(sim, 0)
    return out
