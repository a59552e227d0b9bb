"""License profiles: which taxonomy terms a text addresses, with attitude, parameters and evidence.

Works on any text of the corpus, built-in or added by the user. Each clause is scored for each
term over features that generalise beyond the texts seen so far — lexical patterns, similarity to
the term's exemplar clauses, and the context it sits in (features.py) — by hand-written
rules (the default), or, with `MODELTERMS_PROFILE=classifier`, by the mean of the rules and a
classifier trained on the annotated licenses (evals/annotations). Leaving each license family
out, the classifier gives more precise profiles but no better checks (BENCHMARKS.md), hence the
default. Every quote is a verbatim substring of the license text (it is cut from the clause at
its own offsets).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable

import numpy as np

from corpus.catalog import Corpus
from corpus.entry import LicenseEntry
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy
from corpus.yamldata import read_yaml
from retrieval.embed import Embedder

from ..models import policies_for_license
from .classifier import TermClassifier, load_classifier
from .features import ClauseFeatures, license_features
from .money import find_money, parse_amount
from .rules import NOT_COMMERCIAL, rule_scores

GROUP_ORDER = ("permissions", "prohibitions", "duties", "thresholds")
THRESHOLD_TERMS = ("user_threshold", "revenue_threshold")


@dataclass
class Evidence:
    clause_id: str
    quote: str
    score: float
    start: int = 0
    end: int = 0

    def as_json(self) -> dict:
        return {"clause_id": self.clause_id, "quote": self.quote, "score": round(self.score, 3)}


@dataclass
class TermResult:
    term: str
    attitude: str
    evidence: list[Evidence] = field(default_factory=list)
    params: dict = field(default_factory=dict)

    @property
    def score(self) -> float:
        return max((e.score for e in self.evidence), default=0.0)

    def as_json(self) -> dict:
        return {"term": self.term, "name": load_taxonomy()[self.term].name, "attitude": self.attitude,
                "params": self.params, "evidence": [e.as_json() for e in self.evidence]}


@dataclass
class Profile:
    license: str
    name: str
    kind: str
    terms: dict[str, TermResult]
    references: list[dict] = field(default_factory=list)
    method: str = "rules"
    # a sheet of several licences side by side (summary_of_several): no one licence's terms to check a use against
    summary_of_several: bool = False
    # models the definition of the licensed materials leaves out (excluded_models): this text does not govern them
    excluded_models: list[dict] = field(default_factory=list)
    # duties the text attaches to one family of its models only (family_duties): owed for a use of that family
    family_duties: list[dict] = field(default_factory=list)

    def attitude(self, term: str) -> str:
        return self.terms[term].attitude if term in self.terms else "none"

    def grouped(self) -> dict[str, list[TermResult]]:
        groups: dict[str, list[TermResult]] = {g: [] for g in GROUP_ORDER}
        for t in self.terms.values():
            if t.term in THRESHOLD_TERMS:
                groups["thresholds"].append(t)
            elif t.attitude == "can":
                groups["permissions"].append(t)
            elif t.attitude == "cannot":
                groups["prohibitions"].append(t)
            else:
                groups["duties"].append(t)
        return groups

    def as_json(self) -> dict:
        return {"license": self.license, "name": self.name, "kind": self.kind, "method": self.method,
                **{g: [t.as_json() for t in ts] for g, ts in self.grouped().items()},
                "references": self.references}


class Profiler:
    """Builds profiles; one per process, caching results by content hash."""

    def __init__(self, settings: Settings, corpus: Corpus, store=None, classifier: TermClassifier | None | bool = None,
                 embedder: Callable[[], Embedder] | None = None):
        """`embedder()` gives the model for clauses the store lacks (asked for only then: a profile served from
        the index loads no model); None: the settings' model. `store` is the clause store, None, or a function
        that opens it (called only when a text's vectors are not in the index's snapshot, features.py)."""
        self.settings = settings
        self.corpus = corpus
        self._store = store
        self.embedder = embedder
        if classifier is None:
            classifier = load_classifier() if settings.profile_method == "classifier" else False
        self.classifier = classifier or None
        self._cache: dict[str, Profile] = {}
        self._features: dict[str, list[ClauseFeatures]] = {}

    @property
    def store(self):
        """The clause store (opened now if it was given as a function), or None."""
        if callable(self._store):
            self._store = self._store()
        return self._store

    def features(self, key: str, progress=None) -> list[ClauseFeatures]:
        entry = self.corpus.get(key)
        cache_key = f"{entry.key}:{entry.content_hash}"
        if cache_key not in self._features:
            self._features[cache_key] = license_features(entry, self.settings, lambda: self.store, progress=progress,
                                                         embedder=self.embedder)
        return self._features[cache_key]

    def profile(self, key: str, progress=None) -> Profile:
        """`progress(done, total)`, if given, is told how many clauses are embedded (a new text takes a while)."""
        entry = self.corpus.get(key)
        cache_key = f"{entry.key}:{entry.content_hash}"
        if cache_key not in self._cache:
            self._cache[cache_key] = self.profile_from_features(entry, self.features(key, progress=progress),
                                                                classifier=self.classifier_for(key))
        return self._cache[cache_key]

    def classifier_for(self, key: str) -> TermClassifier | None:
        """The classifier to profile `key` with; None means this profiler's own (evaluations override it)."""
        return None

    def clause_text(self, key: str, clause_id: str) -> str | None:
        return next((f.clause.text for f in self.features(key) if f.clause.id == clause_id), None)

    def profile_from_features(self, entry: LicenseEntry, feats: list[ClauseFeatures],
                              classifier: TermClassifier | None | bool = None) -> Profile:
        clf = self.classifier if classifier is None else (classifier or None)
        terms = list(load_taxonomy().values())
        if not feats:
            return Profile(entry.key, entry.name, entry.kind, {}, [], "empty")
        scores = clf.predict(feats) if clf else rule_scores(feats)
        threshold = clf.thresholds if clf else np.full(len(terms), 0.5)
        found: dict[str, TermResult] = {}
        for j, term in enumerate(terms):
            picks = [(float(scores[i, j]), f) for i, f in enumerate(feats) if scores[i, j] >= threshold[j]]
            if not picks:
                continue
            picks.sort(key=lambda x: -x[0])
            result = TermResult(term.id, attitude_for(term.id, [f for _, f in picks]))
            for s, f in picks[:6]:
                quote, qs, qe = best_quote(f.clause.text, term.clause_re)
                result.evidence.append(Evidence(f.clause.id, quote, s, f.clause.start + qs, f.clause.start + qe))
            result.params = extract_params(term.id, " ".join(f.clause.text for _, f in picks[:6]))
            found[term.id] = result
        _reconcile(found)
        _derivative_sharing(found, feats)
        _sanctions(found, feats)
        _output_sharing(found, feats)
        references = policy_references(entry, feats, found, self.corpus)
        return Profile(entry.key, entry.name, entry.kind, found, references, "classifier" if clf else "rules",
                       summary_of_several=summary_of_several(entry.text), excluded_models=excluded_models(feats),
                       family_duties=family_duties(feats))


# *A duty scoped to one model family*: a text that defines a family among its models ("'NVIDIA Cosmos Model' means a
# multimodal Model shared under this Agreement") and attaches a duty to it ("If you … use a NVIDIA Cosmos Model or its
# outputs to … train … an AI model, you will include 'Built on NVIDIA Cosmos' …"). The duty is owed for a use of that
# family, not for another model the same text licenses.
_FAMILY_DEFINED = re.compile(r"[\"“](?P<name>(?:[A-Z][\w.-]*\s+){1,3}Models?)[\"”]\s+(?:means|shall mean|refers to)\s+"
                             r"(?P<what>[^.;]{0,160})")
# defined kinds of model that are no family: derivatives, the licensed model itself, models of others
_NOT_A_FAMILY = {"derivative", "licensed", "original", "base", "foundation", "fine-tuned", "modified", "competing", "other",
                 "third-party", "ai", "generative", "language", "contributed", "output", "the", "your", "our", "this",
                 "trained", "distilled", "merged", "open", "covered", "new", "successor", "subject"}
_DUTY_WORDS = re.compile(r"\b(must|shall|will|agree to|are required to)\b", re.I)
_CONDITION_WORDS = re.compile(r"\b(if|when|whenever|where)\b", re.I)


def family_duties(feats: list[ClauseFeatures]) -> list[dict]:
    """[{family, name, clause_id}] for each duty the text attaches to a model family it defines."""
    families: dict[str, dict] = {}
    for f in feats:
        text = " ".join(f.clause.text.split())
        for m in _FAMILY_DEFINED.finditer(text):
            words = m.group("name").split()[:-1]
            family = words[-1] if words else ""
            # a family is named like a product ("Cosmos", "Aurora"), not a kind of model ("Extracted Models",
            # "Special-Purpose Model")
            if not family or family.lower() in _NOT_A_FAMILY or re.search(r"ed$|-", family) or \
                    not re.search(r"\bModels?\b", m.group("what")):
                continue
            families.setdefault(family, {"family": family, "name": " ".join(m.group("name").split())})
    out: list[dict] = []
    for fam in families.values():
        said = re.compile(rf"\b{re.escape(fam['family'])}\s+Models?\b")
        for f in feats:
            text = " ".join(f.clause.text.split())
            if f.flags["definition"] or _FAMILY_DEFINED.search(text) or not said.search(text):
                continue
            if _DUTY_WORDS.search(text) and _CONDITION_WORDS.search(text):
                out.append({**fam, "clause_id": f.clause.id})
                break
    return out


# *Scope of the licensed materials*: a definition that leaves named models out ("'Software' means the X-1 model
# parameters … (does not include the second-generation model X-2 and subsequent models)").
_LEAVES_OUT = re.compile(r"\b(?:does not include|do not include|shall not include|not including|excluding|excludes|"
                         r"other than)\b(?P<tail>[^.;]{0,160})", re.I)
# a model's name: a word with a letter and a digit ("ChatGLM2-6B", "Foo-3.1"), optionally a size after a hyphen
_MODEL_NAME = re.compile(r"\b[A-Za-z][A-Za-z]*\d[\w.]*(?:-[\w.]+)*\b")
_LATER = re.compile(r"\b(subsequent|later|newer|future|successor)\b", re.I)


def excluded_models(feats: list[ClauseFeatures]) -> list[dict]:
    """[{name, later (its successors too), clause_id}] for each model a definition clause leaves out."""
    out: list[dict] = []
    for f in feats:
        text = " ".join(f.clause.text.split())
        if not re.search(r"\bmeans?\b|\bshall mean\b|\brefers? to\b", text, re.I):
            continue
        for m in _LEAVES_OUT.finditer(text):
            tail = m.group("tail")
            for name in _MODEL_NAME.findall(tail):
                if re.fullmatch(r"[A-Za-z]+\d+", name) and len(name) < 4:
                    continue  # "A1", section numbers
                out.append({"name": name, "later": bool(_LATER.search(tail)), "clause_id": f.clause.id})
    return out


_TABLE_LINE = re.compile(r"^\s*[|+]")


def summary_of_several(text: str) -> bool:
    """Is the text a sheet summarising several licences (tables, each under its own title) rather than one licence?
    Most of its lines are table rows, and it holds two or more tables under different titles. A licence with one
    summary table attached (an appendix of what it permits) is still one licence."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 20:
        return False
    table = [bool(_TABLE_LINE.match(ln)) for ln in lines]
    if sum(table) / len(lines) < 0.6:
        return False
    titles = []
    for i, is_row in enumerate(table):
        if is_row and (i == 0 or not table[i - 1]):  # a table starts: its title is the nearest line above it
            above = next((lines[j] for j in range(i - 1, max(-1, i - 4), -1) if not table[j] and
                          re.search(r"[A-Za-z]", lines[j]) and not re.fullmatch(r"[\s=_*#-]+", lines[j])), None)
            if above:
                titles.append(" ".join(above.strip(" #*=").split()).lower())
    return len(set(titles)) >= 2


def _reconcile(found: dict[str, TermResult]) -> None:
    """Terms that other terms of the same text contradict.

    A text that grants commercial use in a clause of its own, free up to a revenue or user threshold
    ("research, non-commercial, and limited commercial uses"), is not a non-commercial license: its
    non-commercial grant is one option beside the commercial one."""
    nc, com = found.get("noncommercial"), found.get("commercial_use")
    if nc and com and com.attitude == "can":
        nc_clauses = {e.clause_id for e in nc.evidence}
        own_grant = [e for e in com.evidence if e.clause_id not in nc_clauses
                     and not NOT_COMMERCIAL.search(e.quote)]
        if own_grant and (set(THRESHOLD_TERMS) & set(found)):
            del found["noncommercial"]


# A "no derivatives" term: what you derive may be made and used, but not shared ("you will not distribute any
# derivatives you create", "you do not have permission to share adapted material"). The grant to modify stays;
# what it loses is passing the result on. A ban that only sets terms for sharing ("not … except under this
# license", "without the notices", "for commercial purposes") is share-alike, attribution or non-commercial.
_DERIVED = (r"(derivatives?|derivative (works?|materials?|models?|versions?)|adapted (material|works?|versions?)|"
            r"modified (versions?|models?|copies|works?)|modifications|fine-?tun\w+ (models?|versions?)|"
            r"extracted models?|distilled models?)")
NO_SHARING_DERIVED = re.compile(
    r"\b(?:(?:will|shall|may|must|can|do|does)\s*not|cannot|not (?:be )?(?:permitted|allowed|licensed|authori[sz]ed) to|"
    r"(?:no|not have|without) (?:the )?(?:right|permission|license|licence)\b[^.;]{0,40}?\bto)\s+(?:\w+\s+){0,6}?"
    r"(?:distribute|redistribute|share|publish|release|make available|sublicense)\w*\b[^.;]{0,60}?\b(?:any |your |the )?"
    + _DERIVED + r"\b", re.I)
_SHARING_ON_TERMS = re.compile(r"\b(if|except|unless|other than|without (?:including|providing|retaining|a copy|the|"
                               r"attribution|notice)|under (?:a|any|the) (?:different|other|terms)|for (?:any )?commercial|"
                               r"commercial (?:purposes?|use)|until|before)\b", re.I)
_OUTPUT_TRAINED = re.compile(r"\b(extracted models?|distilled models?|models? (trained|developed) (on|from|by)\b[^.;]{0,40}"
                             r"outputs?)", re.I)


def no_sharing_of_derived(text: str) -> re.Match | None:
    """The sentence of a clause that forbids sharing what you derive (None: it does not)."""
    for s in _SENTENCE.finditer(" ".join(text.split())):
        m = NO_SHARING_DERIVED.search(s.group(0))
        if m and not _SHARING_ON_TERMS.search(s.group(0)):
            return s
    return None


def _derivative_sharing(found: dict[str, TermResult], feats: list[ClauseFeatures]) -> None:
    """Mark the derivatives term of a "no derivatives" text: sharing what you derive is forbidden (and, where
    the clause names models made from the outputs, sharing those too)."""
    for f in feats:
        if f.flags["heading"] or f.flags["definition"]:
            continue
        s = no_sharing_of_derived(f.clause.text)
        if s is None:
            continue
        # a ban on sharing what you derive presupposes that deriving is allowed ("any derivatives you create"):
        # where the grant was read under other words ("produce Adapted Material"), the derivatives term is granted
        granted = any(r.attitude == "can" and load_taxonomy()[r.term].group == "permission" for r in found.values())
        term = found.setdefault("derivatives", TermResult("derivatives", "can" if granted else "cannot"))
        term.params["sharing"] = "forbidden"
        if _OUTPUT_TRAINED.search(s.group(0)):
            term.params["output_trained_sharing"] = "forbidden"
        quote, qs, qe = best_quote(f.clause.text, NO_SHARING_DERIVED)
        if all(e.clause_id != f.clause.id for e in term.evidence):
            term.evidence.append(Evidence(f.clause.id, quote, 0.9, f.clause.start + qs, f.clause.start + qe))
        return


# Export control and sanctions: a ban on using or downloading the model from a sanctioned place, on transferring
# it to a country or party export laws prohibit, or on hiding one's location to get around that. It is a regional
# exclusion (the geo_restriction term) whose places are the sanctioned ones: those the clause names, or, where it
# names none ("a comprehensively sanctioned jurisdiction"), the reviewable list in
# corpus/vocab/sanctioned_jurisdictions.yaml. A duty only to "comply with export laws" bans nothing by itself.
_SANCTIONED_PLACE = re.compile(
    r"\b(?:located|resident|residing|organi[sz]ed|domiciled|based)\b[^.;]{0,60}?\b(?:comprehensively )?(?:sanctioned|"
    r"embargoed)\b|\b(?:comprehensively )?(?:sanctioned|embargoed) (?:jurisdictions?|countr(?:y|ies)|regions?|"
    r"territor(?:y|ies)|destinations?)\b", re.I)
_EXPORT_TRANSFER = re.compile(
    r"\b(?:export|re-?export|transfer|ship|provide|deliver|send|hand|give|sell|supply|make available)\w*\b[^.;]{0,160}?\b(?:(?:prohibited|"
    r"restricted|forbidden|barred) (?:by|under) (?:any |applicable |the )?(?:u\.s\. |us |eu )?(?:export|sanctions?|"
    r"trade|embargo)|sanctioned|embargoed|restricted part(?:y|ies) lists?|denied part(?:y|ies)|entity list)", re.I)
_LOCATION_DISGUISE = re.compile(
    r"\b(?:disguis|conceal|hid|mask|obscur|falsif|misrepresent|spoof)\w*\b[^.;]{0,30}?\b(?:location|whereabouts|"
    r"ip address(?:es)?|country)\b|\bip[- ]prox\w*", re.I)
# the one ban wording the features' prohibitive cue (cues.PROHIBITIVE, flags["restrictive"]) does not cover
_NOT_AUTHORISED = re.compile(r"\bnot (?:be )?authori[sz]ed\b", re.I)


@lru_cache(maxsize=1)
def sanctioned_places() -> dict[str, re.Pattern]:
    """The sanctioned jurisdictions (corpus/vocab/sanctioned_jurisdictions.yaml): name -> how a text names it."""
    data = read_yaml(resources.files("corpus").joinpath("vocab/sanctioned_jurisdictions.yaml").read_text(
        encoding="utf-8")) or {}
    return {name: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) for name, words in data.items()}


def sanctions_pattern(reading: dict) -> re.Pattern:
    """The pattern to quote a sanctions clause by: its first kind of ban."""
    return {"location": _SANCTIONED_PLACE, "transfer": _EXPORT_TRANSFER}.get(reading["sanctions"][0], _LOCATION_DISGUISE)


def sanctions_reading(text: str) -> dict | None:
    """What a clause forbids about sanctioned places, read from its words: {"sanctions": [what]} with
    "location" (use or download from a sanctioned place), "transfer" (export or transfer to a prohibited
    country or party), "disguise" (hiding one's location), and "places" where the clause names sanctioned
    places itself; None when it forbids none of these."""
    flat = " ".join(text.split())
    what = [name for name, pat in (("location", _SANCTIONED_PLACE), ("transfer", _EXPORT_TRANSFER),
                                   ("disguise", _LOCATION_DISGUISE)) if pat.search(flat)]
    if not what:
        return None
    out: dict = {"sanctions": what}
    named = sorted(name for name, pat in sanctioned_places().items() if pat.search(flat))
    if named:
        out["places"] = named
    return out


def _sanctions(found: dict[str, TermResult], feats: list[ClauseFeatures]) -> None:
    """Read export-control and sanctions bans into the geo_restriction term (params "sanctions", "places")."""
    for f in feats:
        if f.flags["heading"] or f.flags["definition"]:
            continue
        if not (f.flags["restrictive"] or f.flags["aup"] or _NOT_AUTHORISED.search(f.clause.text)):
            continue
        reading = sanctions_reading(f.clause.text)
        if reading is None:
            continue
        term = found.get("geo_restriction")
        if term is None:
            # a text whose only regional terms are these: no place the provider merely does not serve
            term = found["geo_restriction"] = TermResult("geo_restriction", "cannot", params={"sanctions_only": True})
        term.params["sanctions"] = sorted(set(term.params.get("sanctions", [])) | set(reading["sanctions"]))
        if reading.get("places"):
            term.params["places"] = sorted(set(term.params.get("places", [])) | set(reading["places"]))
        term.params["sanctions_clauses"] = term.params.get("sanctions_clauses", []) + [f.clause.id]
        if all(e.clause_id != f.clause.id for e in term.evidence):
            quote, qs, qe = best_quote(f.clause.text, sanctions_pattern(reading))
            term.evidence.append(Evidence(f.clause.id, quote, 0.9, f.clause.start + qs, f.clause.start + qe))


# Passing outputs on: a clause that forbids distributing what the model generates ("you will not … copy … or
# Distribute the Output"), or that attaches a duty to doing so ("if you distribute the Output, you must acknowledge
# that it contains AI-generated content"). The ban is read into the redistribution term, the duty into attribution
# (params "outputs": "forbidden" | "duty"), each with its clause.
_OUTPUT_NOUN = r"(?:the |any |such |its |your )?(?:outputs?|generated (?:content|output|material)s?)\b"
_SHARE_VERB = r"(?:distribut\w*|redistribut\w*|publish\w*|shar(?:e|es|ing)|disseminat\w*|make available|communicat\w*)"
OUTPUT_SHARING_BAN = re.compile(
    r"\b(?:will not|shall not|may not|must not|cannot|do not|agree not to|not (?:be )?(?:permitted|allowed))\b[^.;]{0,120}?"
    r"\b" + _SHARE_VERB + r"\b\s+(?:of\s+)?" + _OUTPUT_NOUN, re.I)
OUTPUT_SHARING_DUTY = re.compile(
    r"\b(?:if|when|whenever|where)\s+(?:you|licensee|the licensee)\s+" + _SHARE_VERB + r"\b\s+(?:or [\w ]{0,30}?)?"
    + _OUTPUT_NOUN + r"[^.;]{0,160}?\b(?:must|shall|are required to|agree to)\b", re.I)
# (a ban scoped "for any commercial or production purposes" is a commercial limit, not a ban on sharing outputs)
_OUTPUT_SHARING_SCOPED = re.compile(r"\b(?:except|unless|other than|for (?:any |all )?(?:commercial|production)|commercially|"
                                    r"in violation)\b", re.I)


# Credit owed in publications of results ("any publication of findings obtained with the Model shall name it",
# "credit the Model in any paper reporting results"): an attribution duty triggered by publishing, not by sharing.
PUBLICATION_CREDIT = re.compile(
    r"\b(?:publications?|presentations?|papers?|reports?|articles?)\b[^.;]{0,80}?\b(?:results?|findings|research|"
    r"outputs?|work)\b[^.;]{0,120}?\b(?:shall|must|will|agree to|are required to)\b[^.;]{0,40}?\b(?:name|cite|credit|"
    r"acknowledge|attribute|reference|mention)\w*|\b(?:cite|credit|acknowledge|name)\w*\b[^.;]{0,60}?\bin (?:any|all|"
    r"every|your) (?:publications?|papers?|presentations?)\b", re.I)


def output_sharing_reading(text: str) -> str | None:
    """ "forbidden" when a clause bans distributing the model's outputs, "duty" when it attaches a duty to
    distributing them, None otherwise (a ban scoped to some purposes, "except …", is neither)."""
    for sent in _SENTENCE.finditer(" ".join(text.split())):
        s = sent.group(0)
        if OUTPUT_SHARING_DUTY.search(s):
            return "duty"
        if OUTPUT_SHARING_BAN.search(s) and not _OUTPUT_SHARING_SCOPED.search(s):
            return "forbidden"
    return None


def _output_sharing(found: dict[str, TermResult], feats: list[ClauseFeatures]) -> None:
    for f in feats:
        if f.flags["heading"] or f.flags["definition"]:
            continue
        if PUBLICATION_CREDIT.search(" ".join(f.clause.text.split())):
            term = found.setdefault("attribution", TermResult("attribution", "must"))
            term.params["publication"] = True
            if all(e.clause_id != f.clause.id for e in term.evidence):
                quote, qs, qe = best_quote(f.clause.text, PUBLICATION_CREDIT)
                term.evidence.append(Evidence(f.clause.id, quote, 0.9, f.clause.start + qs, f.clause.start + qe))
        reading = output_sharing_reading(f.clause.text)
        if reading is None:
            continue
        if reading == "duty":
            term = found.setdefault("attribution", TermResult("attribution", "must"))
            pattern = OUTPUT_SHARING_DUTY
        else:
            term = found.setdefault("redistribution", TermResult("redistribution", "can"))
            pattern = OUTPUT_SHARING_BAN
        if term.params.get("outputs") == "forbidden":
            continue
        term.params["outputs"] = reading
        term.params["outputs_clause"] = f.clause.id
        if all(e.clause_id != f.clause.id for e in term.evidence):
            quote, qs, qe = best_quote(f.clause.text, pattern)
            term.evidence.append(Evidence(f.clause.id, quote, 0.9, f.clause.start + qs, f.clause.start + qe))


def attitude_for(term_id: str, feats: list[ClauseFeatures]) -> str:
    """The attitude a term's clauses carry: the taxonomy default, unless the text says otherwise."""
    term = load_taxonomy()[term_id]
    if term.group == "permission" and feats and not any(f.flags["grant"] for f in feats):
        return "cannot"  # named only under a restriction, never granted
    if term_id == "hosted_is_distribution":
        text = " ".join(f.clause.text for f in feats)
        if re.search(r"\b(may not|must not|shall not|not permitted to|(are|is) not (licensed|authori[sz]ed|permitted|allowed) "
                     r"to|no (right|license|licence) to)\b[^.]{0,160}\b(hosted|host|hosting|api|apis|as a service|managed services?)\b",
                     text, re.I):
            return "cannot"  # serving it to others is forbidden outright
    if term_id == "output_ownership":
        text = " ".join(f.clause.text for f in feats).lower()
        if re.search(r"(licensor|we|lg|company) (retains?|owns?|shall own)|own all right.{0,40}outputs?", text):
            return "cannot"
    return term.default


# --- quotes and parameters -------------------------------------------------------------------

# A sentence or list item; "3.1", "U.S." and "e.g." do not end one.
_SENTENCE = re.compile(r"(?:[^.;:\n]|[.:](?=\d|[a-zA-Z]\.)|(?<=\b[a-zA-Z])\.)+(?:[.;:]|\n|$)")


def best_quote(text: str, pattern: re.Pattern, limit: int = 400) -> tuple[str, int, int]:
    """A verbatim piece of the clause to quote: the sentence where the term's pattern matches, or its start."""
    m = pattern.search(text)
    if m and len(text) > limit:
        for s in _SENTENCE.finditer(text):
            if s.start() <= m.start() < s.end():
                a, b = s.start(), min(s.end(), s.start() + limit)
                piece = text[a:b]
                lead = len(piece) - len(piece.lstrip())
                return piece.strip(), a + lead, a + lead + len(piece.strip())
    piece = text[:limit].rstrip()
    return piece, 0, len(piece)


_REVENUE_WORDS = r"revenue|turnover|sales|income"
_NUM = r"(\d[\d,.]*)\s*(billion|million|thousand|bn|[mk]\b)?"
_REGIONS = {"european union": "European Union", r"\beu\b": "European Union", "united kingdom": "United Kingdom",
            r"\buk\b": "United Kingdom", "south korea": "South Korea", r"\beea\b": "EEA", "switzerland": "Switzerland",
            "mainland china": "China", "people's republic of china": "China"}
# A region named in a law's name ("Regulation (EU) 2016/679", "UK GDPR") is where a law comes from, not a
# place the license excludes: a "comply with the GDPR" clause withholds no rights in the EU.
_LAW_NAMES = re.compile(r"\bregulation \((eu|ec)\)|\((eu|ec)\) (no\.? )?\d{2,4}/\d+|\b(eu|uk|european union) (ai act|gdpr|"
                        r"general data protection|data protection|artificial intelligence act|digital services act)\b|"
                        r"\bgeneral data protection regulation\b[^.;]{0,20}", re.I)


# *what crossing a threshold asks*: most thresholds ask for a separate license (Llama's 700 million users); some ask
# the product to show a name instead ('prominently display "Kimi K2" on the user interface') — the clause says which
_DISPLAY_MARK = re.compile(r"\b(?:display|show|state|credit|attribute)\w*\b[^.;\"“]{0,40}[\"“]([^\"”]{2,60})[\"”]", re.I)


def threshold_duty(text: str) -> dict:
    """{"mark": NAME} when the threshold's clause asks the product to display a name rather than for a license."""
    m = _DISPLAY_MARK.search(text)
    if m and not re.search(r"\b(request|obtain|apply for|seek)\b[^.;]{0,40}\blicen[cs]e", text, re.I):
        return {"mark": m.group(1).strip()}
    return {}


def extract_params(term_id: str, text: str) -> dict:
    if term_id in THRESHOLD_TERMS:
        params = _threshold_params(term_id, text)
        return {**params, **threshold_duty(text)} if params else params
    return _other_params(term_id, text)


def _threshold_params(term_id: str, text: str) -> dict:
    if term_id == "user_threshold":
        for m in re.finditer(_NUM + r"\s*(?:monthly|daily)?\s*active users", text, re.I):
            n = parse_amount(m.group(1), m.group(2))
            if n:
                return {"users": n}
        m = re.search(r"(?:greater than|more than|exceeds?|in excess of|over)\s+" + _NUM, text, re.I)
        if m and parse_amount(m.group(1), m.group(2)):
            return {"users": parse_amount(m.group(1), m.group(2))}
    if term_id == "revenue_threshold":
        money = find_money(text, near=_REVENUE_WORDS) or find_money(text)
        if money:
            # revenue_usd: the annual US-dollar equivalent every use is compared against
            out = {"revenue_usd": money.annual_usd}
            if money.currency != "USD" or money.period != "year":
                out.update(revenue=money.amount, currency=money.currency, period=money.period)
            return out
    return {}


def _other_params(term_id: str, text: str) -> dict:
    if term_id == "geo_restriction":
        text = _LAW_NAMES.sub(" ", text)
        regions = [name for pat, name in _REGIONS.items() if re.search(pat, text, re.I)]
        if regions:
            return {"regions": sorted(set(regions))}
    if term_id == "aup_by_reference":
        url = re.search(r"https?://[^\s)\]>\"”]+", text)
        # "the Acme Acceptable Use Policy", or a vendor's named terms ("Acme's Responsible AI terms")
        name = re.search(r"((?:[A-Z][\w.]*\s){0,4}(?:Acceptable|Prohibited)\s+Use\s+Policy)", text) or re.search(
            r"((?:[A-Z][\w.-]*['’]s\s+)(?:[A-Z][\w-]*\s+){1,4}(?:[Tt]erms|[Pp]olicy|[Gg]uidelines|[Pp]rinciples))\b", text)
        out = {}
        if name:
            out["policy"] = " ".join(name.group(1).split())
        if url:
            out["url"] = url.group(0).rstrip(".,;")
        return out
    return {}


# a cross-reference from the policy's name to a part of the same text: "the Prohibited Use Policy referenced in
# Section 2.3", "the use restrictions set out in clause 4" (not "in the manner set out in Section 5", which points to
# how, not where the policy is)
_OWN_SECTION = re.compile(r"\b(polic(y|ies)|restrictions|prohibited uses?)[”\"’']?,? (as |which (is|are) |that (is|are) )?"
                          r"(referenced|set out|set forth|described|contained|listed|stated|specified|found) "
                          r"(in|under|at) (section|clause|article|paragraph) \d", re.I)
# the policy lives at an address: "the web address at which the Acceptable Use Policy is hosted"
_HOSTED_POLICY = re.compile(r"\b(web ?address|website|web ?page|url|hosted|available at|found at|https?://)", re.I)


def _cross_reference(clause_ids: list[str], feats: list[ClauseFeatures]) -> bool:
    """Do the clauses that incorporate a policy point to a section of their own text, and to no address?"""
    texts = [" ".join(f.clause.text.split()) for f in feats if f.clause.id in clause_ids]
    return any(_OWN_SECTION.search(t) for t in texts) and not any(_HOSTED_POLICY.search(t) for t in texts)


def policy_references(entry: LicenseEntry, feats: list[ClauseFeatures], found: dict[str, TermResult],
                      corpus: Corpus) -> list[dict]:
    """Policies the text incorporates, and whether their text is in the corpus."""
    refs: list[dict] = []
    present, missing = policies_for_license(entry.key, corpus)
    for key in present:
        refs.append({"policy": corpus.get(key).name, "key": key, "in_corpus": True})
    for m in missing:
        refs.append({"policy": m.name, "key": m.key, "url": m.url, "in_corpus": False})
    term = found.get("aup_by_reference")
    if entry.kind == "aup" or any(f.flags["aup"] for f in feats):
        # a policy naming itself ("this Acceptable Use Policy") incorporates nothing; a license that carries
        # its policy in its own text (features.policy_section_start) has it
        term = None
    if term and not term.params.get("url") and _cross_reference([e.clause_id for e in term.evidence], feats):
        # "the Prohibited Use Policy referenced in Section 2.3": the policy is a section of this text, not a
        # document elsewhere
        term = None
    if term and not refs:
        params = term.params
        refs.append({"policy": params.get("policy") or "a use policy incorporated by reference",
                     "key": None, "url": params.get("url"), "in_corpus": False,
                     "clause_id": term.evidence[0].clause_id})
    elif term:
        for r in refs:
            r.setdefault("clause_id", term.evidence[0].clause_id)
    return refs
