"""The category layer: which behavioural categories a use falls under, certainly or possibly.

Three sources, combined:
1. the frame's implications (an actor or a deciding sector's activity: frame.py) — certain;
2. precise phrases (corpus/vocab/uses/<term>.yaml, with the counter-use context) — certain;
3. a per-category logistic regression over the use's MiniLM embedding, averaged with a vote of the
   use's nearest exemplars (a linear head misses what lies in a small neighbourhood of the bank; the
   neighbours miss what lies between exemplars), trained on the exemplar bank
   (corpus/exemplars/, `python -m evals.train_categories` → agent/data/use_categories.npz, plain
   arrays). Each category has two thresholds chosen on a held-out split of the bank: at or above
   `certain` the use is that category, at or above `possible` it may be (review, never allowed) —
   provided a gate (any category at all, against ordinary uses and near misses) passes.
   Without the artifact, similarity to the taxonomy's example uses stands in (the old reader).
An *explicit exclusion* ("not for military use") removes a category from every source.
*A deciding sector needs a deciding activity*: a use that only prepares information for a person
(summarise, draft, search, translate) and names no deciding act (approve, score, price, rank …) is not
an automated decision, however close a lender's or insurer's use reads to one.
*Who is not what*: a category read only from the actor ("the police recruitment office", "a navy depot") —
its phrases all inside the actor's words, or implied by the actor — is marked `actor_only` unless the use
with the actor's words masked still reads as that category; rules may then ask whether a ban reaches the
actor as such (behavioural.py).
*A protective activity next to a ban's object is not the ban*: a category whose every phrase is said in a
counter-use context ("catch grooming attempts") is not read from the head's resemblance either.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np

from corpus.taxonomy import load_taxonomy

from .embedding_view import neutral_names
from .facts import NEGATION, UseFacts
from .pipeline import pipeline_signals
from .vocab import activities, actors, not_the_actor, read_vocab, without_other_parties

ARTIFACT = "data/use_categories.npz"
# Scores of the similarity fallback (cosine to example uses) and of phrase / frame hits (1.0): at or
# above CERTAIN a category is clear enough to review restrictions that do not name it.
CERTAIN = 0.62
# Bans every license carries in some form (do not infringe, obey the law). Licensing actions (publish,
# sell, relicense) read like them to an embedding; only a precise phrase names them, the head at most
# makes them possible — and the behavioural rules do not review a possible generic duty.
GENERIC_DUTIES = ("ip_infringement", "illegal")
_CLEAR_LEAD_MIN, _CLEAR_LEAD, _POSSIBLE_SIM = 0.5, 0.12, 0.5
# categories that are a decision about people: read from an actor's sector only with a deciding activity
DECIDING_CATEGORIES = ("automated_decisions",)


# the neighbour vote: the k nearest exemplars, weighted by exp(TEMPERATURE × cosine) (chosen on the bank's
# held-out split: evals/train_categories.py)
NEIGHBOURS, TEMPERATURE = 10, 30.0


def neighbour_vote(vec: np.ndarray, bank_X: np.ndarray, bank_Y: np.ndarray, k: int = NEIGHBOURS,
                   temperature: float = TEMPERATURE) -> np.ndarray:
    """Per category, the weighted share of the k nearest bank uses that belong to it."""
    sims = bank_X @ vec
    k = min(k, len(sims))
    idx = np.argpartition(-sims, k - 1)[:k]
    w = np.exp(temperature * (sims[idx] - sims[idx].max()))
    return (w[:, None] * bank_Y[idx]).sum(0) / w.sum()


class CategoryModel:
    """The trained head: per category, a logistic regression over normalised embeddings averaged with the
    vote of the nearest exemplars (when the artifact carries the bank)."""

    def __init__(self, ids: list[str], W: np.ndarray, b: np.ndarray, certain: np.ndarray, possible: np.ndarray,
                 gate_W: np.ndarray, gate_b: float, gate: float, fact_ids: list[str] = (),
                 fact_W: np.ndarray | None = None, fact_b: np.ndarray | None = None, fact_t: np.ndarray | None = None,
                 fact_p: np.ndarray | None = None, bank_X: np.ndarray | None = None, bank_Y: np.ndarray | None = None,
                 fact_S: np.ndarray | None = None):
        self.ids, self.W, self.b, self.certain, self.possible = ids, W, b, certain, possible
        self.gate_W, self.gate_b, self.gate = gate_W, gate_b, gate
        self.fact_ids, self.fact_W, self.fact_b, self.fact_t = list(fact_ids), fact_W, fact_b, fact_t
        # below fact_t and at or above fact_p a fact only may hold (an artifact without fact_p: never)
        self.fact_p = fact_p if fact_p is not None else fact_t
        # per fact, the weights of the use's word signals (pipeline.PIPELINE_SIGNALS); zero for a head that reads the
        # embedding alone, absent in an older artifact
        self.fact_S = fact_S
        # bank_Y: one column per category, then one for "any category" (the gate's neighbour vote)
        self.bank_X, self.bank_Y = bank_X, bank_Y
        self._last: tuple[np.ndarray, np.ndarray] | None = None

    def _votes(self, vec: np.ndarray) -> np.ndarray | None:
        if self.bank_X is None:
            return None
        # proba and passes_gate ask for the same use's votes in turn
        if self._last is None or self._last[0] is not vec:
            self._last = (vec, neighbour_vote(vec, self.bank_X, self.bank_Y))
        return self._last[1]

    def facts(self, vec: np.ndarray, signals: np.ndarray | None = None) -> list[str]:
        """The use facts the fact heads read in the use (outputs used for training …)."""
        return [f for f, level in self.fact_levels(vec, signals).items() if level == "clear"]

    def fact_proba(self, vec: np.ndarray, signals: np.ndarray | None = None) -> dict[str, float]:
        """Per fact head, its probability for the use."""
        if not self.fact_ids:
            return {}
        z = self.fact_W @ vec + self.fact_b
        if self.fact_S is not None and signals is not None:
            z = z + self.fact_S @ np.asarray(signals, dtype=np.float32)
        return dict(zip(self.fact_ids, (1.0 / (1.0 + np.exp(-z))).tolist()))

    def fact_levels(self, vec: np.ndarray, signals: np.ndarray | None = None) -> dict[str, str]:
        """Per fact the heads read: "clear" (at or above its held-out threshold) or "possible" (near it).
        `signals`: the use's word signals (pipeline.pipeline_signals), read by the heads trained with them."""
        return self.levels_of(self.fact_proba(vec, signals))

    def levels_of(self, p: dict[str, float]) -> dict[str, str]:
        """`fact_levels` from the fact heads' probabilities already computed (`fact_proba`)."""
        if not self.fact_ids:
            return {}  # an artifact (or a test's head) with no fact heads
        return {f: ("clear" if p[f] >= t else "possible") for f, t, q in zip(self.fact_ids, self.fact_t, self.fact_p)
                if p[f] >= q}

    def passes_gate(self, vec: np.ndarray) -> bool:
        """Does the use fall under some category at all (vs ordinary uses and near misses)?"""
        p = 1.0 / (1.0 + np.exp(-(float(self.gate_W @ vec) + self.gate_b)))
        votes = self._votes(vec)
        if votes is not None:
            p = (p + float(votes[-1])) / 2
        return p >= self.gate

    def proba(self, vec: np.ndarray) -> np.ndarray:
        p = 1.0 / (1.0 + np.exp(-(self.W @ vec + self.b)))
        votes = self._votes(vec)
        return p if votes is None else (p + votes[:-1]) / 2

    @classmethod
    def load(cls, path=None) -> "CategoryModel | None":
        ref = path or resources.files("agent").joinpath(ARTIFACT)
        try:
            with ref.open("rb") as fh:
                z = np.load(fh, allow_pickle=False)
                facts = [str(x) for x in z["fact_ids"]] if "fact_ids" in z.files else []
                bank = "bank_X" in z.files
                return cls([str(x) for x in z["ids"]], z["W"], z["b"], z["certain"], z["possible"], z["gate_W"],
                           float(z["gate_b"]), float(z["gate"]), facts, z["fact_W"] if facts else None,
                           z["fact_b"] if facts else None, z["fact_t"] if facts else None,
                           z["fact_p"] if facts and "fact_p" in z.files else None,
                           z["bank_X"].astype(np.float32) if bank else None,
                           z["bank_Y"].astype(np.float32) if bank else None,
                           z["fact_S"] if facts and "fact_S" in z.files else None)
        except FileNotFoundError:
            return None


@lru_cache(maxsize=1)
def model() -> CategoryModel | None:
    return CategoryModel.load()


def assign(frame: UseFacts, low: str, embed=None, head: CategoryModel | None = None):
    """Fill frame.categories, frame.possible, frame.category_scores and frame.negated."""
    scores: dict[str, float] = {}
    negated: set[str] = set()
    defended: set[str] = set()  # named only in a counter-use context ("catch grooming attempts")
    spans = _actor_spans(low)
    by_actor: dict[str, bool] = {}  # category -> every phrase naming it lies within the actor's words
    for t in load_taxonomy().values():
        if t.group != "behavioural":
            continue
        # a phrase said of an actor's former members or families ("ex-military", "former army medics") is not the
        # actor's use, nor an exclusion of the category (*former members are not the actor*)
        hits = [m for m in t.use_re.finditer(low) if not t.defensive_at(low, m.start())
                and not not_the_actor(low, m.start(), m.end())]
        objects = list(t.object_re.finditer(low)) if not hits and t.counter_use and t.object_re is not None else []
        if objects and all(t.protected_at(low, m.start()) for m in objects):
            defended.add(t.id)
        live = [m for m in hits if not NEGATION.search(low[max(0, m.start() - 40):m.start()])]
        if live:
            scores[t.id] = 1.0
            by_actor[t.id] = all(_within(m, spans) for m in live)
        elif hits:
            negated.add(t.id)  # explicit exclusion: named only to say the use is not that
        elif t.excluded_re is not None and t.excluded_re.search(low):
            negated.add(t.id)  # said to be outside the category: "civilian radar software"
    for cat, why in frame.implied.items():
        if cat not in negated:
            by_actor[cat] = by_actor.get(cat, True) and why.startswith("the actor")
            scores[cat] = 1.0
    certain = {c for c, v in scores.items() if v >= 1.0}
    possible: set[str] = set()
    head = head if head is not None else model()
    if embed is not None and head is not None:
        # the head reads the user's own use: clauses about another party's trade are left out (vocab.py)
        vec = np.asarray(embed([neutral_names(without_other_parties(frame.text))])[0], dtype=np.float32)
        p = head.proba(vec)
        gated = head.passes_gate(vec)
        signals = pipeline_signals(frame.text) if head.fact_S is not None else None
        fact_p = head.fact_proba(vec, signals)  # read once: the levels and the sharing heads both use it
        levels = head.levels_of(fact_p)
        if levels.get("outputs_for_training") == "clear":
            frame.outputs_for_training = True  # the fact head may set it, never clear it
        if levels.get("product_development") == "clear":
            frame.product_development = True  # set by the head only, never cleared by it (rules/commercial.py)
        if "unlawful_act" in levels:
            frame.unlawful_act = levels["unlawful_act"]  # read by rules/obey_the_law.py
        _sharing_from_heads(frame, low, head, fact_p)
        for i, cat in enumerate(head.ids):
            if cat in negated or cat in certain or cat in defended:
                continue
            scores[cat] = float(p[i])
            if not gated:
                # the gate says "an ordinary use", the category's own head says it is that category: neither
                # reading can be trusted alone, so the use is reviewed against that category's bans, never
                # cleared by default
                if p[i] >= head.certain[i] and cat not in GENERIC_DUTIES:
                    possible.add(cat)
                continue
            if p[i] >= head.certain[i] and cat not in GENERIC_DUTIES:
                certain.add(cat)
            elif p[i] >= head.possible[i]:
                possible.add(cat)
    elif embed is not None:
        sims = _exemplar_scores(frame.text, embed)
        for cat, s in sims.items():
            if cat not in negated and cat not in scores:
                scores[cat] = s
        ranked = sorted(((c, v) for c, v in scores.items() if c not in certain), key=lambda kv: -kv[1])
        certain |= {c for c, v in ranked if v >= CERTAIN}
        if ranked and not certain:
            (top, best), runner = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
            if best >= _CLEAR_LEAD_MIN and best - runner >= _CLEAR_LEAD:
                certain.add(top)
        possible = {c for c, v in ranked if v >= _POSSIBLE_SIM and c not in certain}
    for cat in [t for t, term in load_taxonomy().items() if term.needs_act]:
        if cat in certain and scores.get(cat, 0.0) < 1.0:
            # *a ban's category needs the harmful act*: the head's resemblance alone is a possibility
            certain.discard(cat)
            possible.add(cat)
    if _informs_only(frame, low):
        for cat in DECIDING_CATEGORIES:
            if scores.get(cat, 0.0) < 1.0:  # a phrase or the frame naming the decision still counts
                certain.discard(cat)
                possible.discard(cat)
    for cat in list(certain | possible):
        term = load_taxonomy().get(cat)
        if term is not None and term.complied_re is not None and scores.get(cat, 0.0) < 1.0 and any(
                not NEGATION.search(low[max(0, m.start() - 40):m.start()]) for m in term.complied_re.finditer(low)):
            # the use says it does what the term asks: the head's resemblance is not a reading of the harm
            certain.discard(cat)
            possible.discard(cat)
    # *An actor whose status the text cannot settle*: a coast guard is armed forces in some countries and a civilian
    # service in others; the use may fall under the category, never certainly, never cleared by default
    for cat in frame.maybe_implied:
        if cat not in negated and cat not in certain and cat not in defended:
            possible.add(cat)
    # a category the head reads (no phrase) in a use that names an actor may be read from the actor's words too
    candidates = [c for c in certain if by_actor.get(c, bool(spans) and scores.get(c, 0.0) < 1.0)]
    frame.actor_only = _actor_only(frame, candidates, spans, embed, head)
    frame.category_scores = scores
    frame.categories = sorted(certain, key=lambda c: -scores.get(c, 0.0))
    frame.possible = sorted(possible, key=lambda c: -scores.get(c, 0.0))
    frame.negated = sorted(negated)


# the facts the sharing heads may set (evals/train_categories.py FACT_HEADS: distribution, hosting)
SHARING_FACTS = ("distribution", "hosting")


@lru_cache(maxsize=1)
def _outside_parties():
    v = read_vocab("sharing")
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in v["outside_parties"]) + ")", re.I)


def _sharing_from_heads(frame: UseFacts, low: str, head: CategoryModel, p: dict[str, float]):
    """*The model in other people's hands*, read by the distribution and hosting fact heads where the phrases
    (facts.py) say nothing: a copy sold, licensed, preinstalled or handed over to a client (distribution), or the model
    offered to outside people as a service (hosting). A recall aid, never a cure, and never against what the use says:
    - only where the phrases read neither fact (they decide which one it is when they read one);
    - never where the use is read as staying inside (facts.internal: "internal use only", "we will not share it", an
      in-house unit, a sandbox), ships only outputs (outputs_only), or is someone else's product used as an end user;
    - at the head's review level (`possible`, precision about 0.75 on its bank) only with someone outside named or a
      hand-over said (corpus/vocab/sharing.yaml `outside_parties`, not negated); at its `clear` level alone. (Asking
      for a named outsider at the clear level too was measured: it cost a held-out question, so it is not done.)
    Where both heads read the use, the one further above its review level decides which fact it is."""
    if frame.distribution or frame.hosting or frame.internal or frame.outputs_only or frame.end_user_of_product:
        return
    named = any(not NEGATION.search(low[max(0, m.start() - 30):m.start()]) for m in _outside_parties().finditer(low))
    best, margin = None, 0.0
    for fact in SHARING_FACTS:
        if fact not in head.fact_ids:
            continue
        i = head.fact_ids.index(fact)
        pf, clear_t, possible_t = p[fact], float(head.fact_t[i]), float(head.fact_p[i])
        if pf >= clear_t or (pf >= possible_t and named):
            if best is None or pf - possible_t > margin:
                best, margin = fact, pf - possible_t
    if best is not None:
        setattr(frame, best, True)


def _actor_spans(low: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for a in actors() for m in a.pattern.finditer(low)]


def _within(m, spans: list[tuple[int, int]]) -> bool:
    """Does a phrase lie on the actor's words ("police recruitment office" on "police")?"""
    return any(s < m.end() and m.start() < e for s, e in spans)


# the actor's words replaced by a neutral one, to read what the use does without who does it
_NEUTRAL_ACTOR = "an organisation"


def _actor_only(frame: UseFacts, candidates: list[str], spans, embed, head) -> list[str]:
    """The candidates (categories read from the actor's words only) that the use without the actor's words does
    not read as: the head on the masked use scores them below their `possible` threshold."""
    if not candidates:
        return []
    if embed is None or head is None:
        return sorted(candidates)
    low = frame.text.lower()
    cover = sorted(spans + [(m.start(), m.end()) for c in candidates for m in load_taxonomy()[c].use_re.finditer(low)])
    merged: list[list[int]] = []
    for s, e in cover:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    masked, at = [], 0
    for s, e in merged:
        masked += [frame.text[at:s], _NEUTRAL_ACTOR]
        at = e
    masked.append(frame.text[at:])
    vec = np.asarray(embed([neutral_names("".join(masked))])[0], dtype=np.float32)
    p = head.proba(vec)
    index = {c: i for i, c in enumerate(head.ids)}
    return sorted(c for c in candidates if c in index and p[index[c]] < head.possible[index[c]])


def _informs_only(frame: UseFacts, low: str) -> bool:
    """The use prepares information for a person and names no deciding act."""
    if frame.decision_support:
        return False
    acts = {a.id: a for a in activities()}
    informing = [acts[a] for a in frame.activities if a in acts and acts[a].informs_only]
    if not informing or any(acts[a].decides_about_people for a in frame.activities if a in acts):
        return False
    return not any(a.deciding_verbs is not None and any(
        not NEGATION.search(low[max(0, m.start() - 30):m.start()]) for m in a.deciding_verbs.finditer(low))
        for a in informing)


def clear(frame: UseFacts, cat: str) -> bool:
    """A category the use names outright (a phrase, the frame, or a confident classifier)."""
    return cat in frame.categories and frame.category_scores.get(cat, 0.0) >= CERTAIN


# --- the fallback without a trained head: similarity to the taxonomy's example uses -----------------
_VEC_CACHE: dict[tuple, np.ndarray] = {}


def _use_exemplars() -> tuple[list[str], list[str]]:
    phrases, owner = [], []
    for t in load_taxonomy().values():
        if t.group == "behavioural":
            for p in t.uses:
                phrases.append(p)
                owner.append(t.id)
    return phrases, owner


def _exemplar_scores(text: str, embed) -> dict[str, float]:
    phrases, owner = _use_exemplars()
    # `embedder.embed` is a new bound-method object on every access: key by the embedder and the
    # function, not by the callable's id, or the exemplars are re-embedded on every question.
    key = (id(getattr(embed, "__self__", None)), getattr(embed, "__func__", embed), hash(tuple(phrases)))
    if key not in _VEC_CACHE:
        _VEC_CACHE[key] = np.asarray(embed(phrases))
    sims = _VEC_CACHE[key] @ np.asarray(embed([neutral_names(text)])[0])
    out: dict[str, float] = {}
    for tid, s in zip(owner, sims):
        out[tid] = max(out.get(tid, -1.0), float(s))
    return out
