"""Side-by-side term matrices and clause-level diffs between license texts. Grounded, no LLM."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from corpus.taxonomy import load_taxonomy
from retrieval.clauses import Clause

from .terms.money import describe
from .terms.profile import Profile, TermResult

# The view people know from public license tables: what you may do with the weights, with training
# data built from the model, and with its outputs, and under which strings.
SUMMARY_COLUMNS = {
    "weights: commercial use": ("commercial_use", "noncommercial", "research_only"),
    "weights: modify / derive": ("derivatives",),
    "weights: redistribute": ("redistribution", "share_alike", "attribution", "naming", "flowdown"),
    "scale limits": ("user_threshold", "revenue_threshold", "registration"),
    "training other models": ("output_training_ban", "distillation_derivative"),
    "outputs": ("output_ownership",),
    "use restrictions": (),  # filled from the behavioural group
    "policy by reference": ("aup_by_reference",),
}
SYMBOL = {"cannot": "✗", "must": "!", "can": "✓", "none": "·"}


@dataclass
class Matrix:
    licenses: list[str]
    names: list[str]
    rows: list[tuple[str, str, list[str]]]  # (term id, term name, attitude per license)
    summary: list[tuple[str, list[str]]]
    evidence: dict[str, dict[str, str]] = field(default_factory=dict)  # license -> term -> clause id

    def as_json(self) -> dict:
        return {"licenses": [{"key": k, "name": n} for k, n in zip(self.licenses, self.names)],
                "terms": [{"term": t, "name": name, "attitudes": dict(zip(self.licenses, att)),
                           "evidence": {k: self.evidence[k].get(t) for k in self.licenses if t in self.evidence[k]}}
                          for t, name, att in self.rows],
                "summary": [{"column": c, "values": dict(zip(self.licenses, v))} for c, v in self.summary]}


def compare(profiles: list[Profile], all_terms: bool = False) -> Matrix:
    terms = load_taxonomy()
    keys = [p.license for p in profiles]
    rows = []
    for tid, term in terms.items():
        att = [p.attitude(tid) for p in profiles]
        if all_terms or any(a != "none" for a in att):
            rows.append((tid, term.name, att))
    evidence = {p.license: {t: r.evidence[0].clause_id for t, r in p.terms.items() if r.evidence} for p in profiles}
    summary = []
    for column, tids in SUMMARY_COLUMNS.items():
        values = []
        for p in profiles:
            if column == "use restrictions":
                n = sum(1 for t, r in p.terms.items() if terms[t].group == "behavioural" and r.attitude == "cannot")
                values.append(f"{n} categories" if n else "none found")
            else:
                values.append(_summary_cell(p, tids))
        summary.append((column, values))
    return Matrix(keys, [p.name for p in profiles], rows, summary, evidence)


def _summary_cell(p: Profile, tids: tuple[str, ...]) -> str:
    bits = []
    for t in tids:
        r = p.terms.get(t)
        if r is None:
            continue
        if t == "noncommercial":
            return "no (non-commercial only)"
        if t == "research_only":
            return "no (research only)"
        if t == "user_threshold" and r.params.get("users"):
            bits.append(f"≤{r.params['users']:,} MAU")
        elif t == "revenue_threshold" and r.params.get("revenue_usd"):
            bits.append(f"≤{describe(r.params)}")
        elif t == "output_ownership":
            bits.append("licensor keeps rights" if r.attitude == "cannot" else "yours")
        elif r.attitude == "can":
            bits.append("yes")
        else:
            bits.append(load_taxonomy()[t].name.lower())
    return ", ".join(dict.fromkeys(bits)) if bits else "not addressed"


# --- clause-level diff ------------------------------------------------------------------------

@dataclass
class ClauseChange:
    kind: str  # added | removed | changed
    old_id: str | None
    new_id: str | None
    old_text: str
    new_text: str
    similarity: float

    def as_json(self) -> dict:
        return {"change": self.kind, "old": self.old_id, "new": self.new_id, "similarity": round(self.similarity, 3),
                "old_text": self.old_text, "new_text": self.new_text}


@dataclass
class Diff:
    old: str
    new: str
    changes: list[ClauseChange]
    unchanged: int
    terms: list[dict]  # term-level changes: {term, name, old, new}

    def as_json(self) -> dict:
        return {"old": self.old, "new": self.new, "unchanged": self.unchanged,
                "added": sum(c.kind == "added" for c in self.changes),
                "removed": sum(c.kind == "removed" for c in self.changes),
                "changed": sum(c.kind == "changed" for c in self.changes),
                "terms": self.terms, "changes": [c.as_json() for c in self.changes]}


_WORD = re.compile(r"\w+")


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _names_norm(text: str, names: tuple[str, ...]) -> str:
    """Version names ("Llama 3.1" vs "Llama 3.3") differ everywhere; comparing without them finds real changes."""
    out = text
    for n in names:
        if n:
            out = re.sub(re.escape(n), "⟨name⟩", out, flags=re.I)
    return _norm(out)


def diff(old_key: str, old_clauses: list[Clause], new_key: str, new_clauses: list[Clause],
         old_profile: Profile | None = None, new_profile: Profile | None = None,
         names: tuple[str, ...] = (), same_below: float = 0.995, match_above: float = 0.55) -> Diff:
    """Aligns the clauses of two texts in order (difflib over normalised clause texts), then pairs the
    leftovers by similarity: a pair is `changed`, the rest `added` / `removed`."""
    a = [_names_norm(c.text, names) for c in old_clauses]
    b = [_names_norm(c.text, names) for c in new_clauses]
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changes: list[ClauseChange] = []
    unchanged = 0
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
            continue
        olds, news = list(range(i1, i2)), list(range(j1, j2))
        used: set[int] = set()
        for i in olds:
            best, best_j = 0.0, None
            for j in news:
                if j in used:
                    continue
                r = difflib.SequenceMatcher(a=a[i].split(), b=b[j].split(), autojunk=False).ratio()
                if r > best:
                    best, best_j = r, j
            if best_j is not None and best >= match_above:
                used.add(best_j)
                if best >= same_below:
                    unchanged += 1
                else:
                    changes.append(ClauseChange("changed", old_clauses[i].id, new_clauses[best_j].id,
                                                old_clauses[i].text, new_clauses[best_j].text, best))
            else:
                changes.append(ClauseChange("removed", old_clauses[i].id, None, old_clauses[i].text, "", 0.0))
        for j in news:
            if j not in used:
                changes.append(ClauseChange("added", None, new_clauses[j].id, "", new_clauses[j].text, 0.0))
    terms = []
    if old_profile and new_profile:
        tax = load_taxonomy()
        for tid in tax:
            o, n = old_profile.attitude(tid), new_profile.attitude(tid)
            if o != n:
                terms.append({"term": tid, "name": tax[tid].name, "old": o, "new": n})
    return Diff(old_key, new_key, changes, unchanged, terms)


def word_diff(old: str, new: str) -> str:
    """Inline word diff: [-removed-] {+added+}."""
    a, b = old.split(), new.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(" ".join(a[i1:i2]))
        if op in ("delete", "replace"):
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in ("insert", "replace"):
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


_STRICTNESS = {"cannot": 0, "must": 1, "can": 2, "none": 3}


def with_policies(license_profile: Profile, policy_profiles: list[Profile]) -> Profile:
    """A license read together with the use policies it incorporates: for each term the strictest attitude any of
    the texts takes (a ban in the policy outweighs silence or a grant in the license), with that text's evidence,
    so each cell's clause id names the text it comes from. The key is "<license>+policies"."""
    terms: dict[str, TermResult] = {}
    for prof in [license_profile, *policy_profiles]:
        for tid, r in prof.terms.items():
            have = terms.get(tid)
            if have is None or _STRICTNESS.get(r.attitude, 3) < _STRICTNESS.get(have.attitude, 3):
                terms[tid] = r
    names = " + ".join(p.name for p in policy_profiles)
    return Profile(f"{license_profile.license}+policies", f"{license_profile.name} + {names}", license_profile.kind,
                   terms, license_profile.references, license_profile.method)
