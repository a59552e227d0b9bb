"""Trains the use-category head (agent/data/use_categories.npz) on the exemplar bank.

    python -m evals.train_categories            # writes the artifact and prints held-out figures
    python -m evals.train_categories --report   # held-out figures only, nothing written

One logistic regression per behavioural category over the use's all-MiniLM-L6-v2 embedding, averaged
with the vote of the use's nearest bank uses (agent/check/categories.py: neighbour_vote).
Positives: the category's bank uses (corpus/exemplars/<term>.yaml) and the taxonomy's example uses.
Negatives: its near misses (allowed uses that share its words), every other category's uses, the
facts bank's uses (corpus/exemplars/facts/) and ordinary uses (corpus/ordinary_uses.yaml). Two thresholds per category are chosen on a
held-out quarter of the BANK (never on evaluation cases), against its allowed uses (near misses and
ordinary uses): `certain`, the lowest probability at which held-out precision reaches CERTAIN_PRECISION, and `possible` (review), where it reaches
POSSIBLE_PRECISION. A gate (any category at all vs the allowed uses) gets its own threshold the same
way; the head's categories count only above it. The head is then refit on the whole bank. The artifact is plain arrays.
Fact heads (FACT_HEADS: a use fact the phrases read poorly) take their thresholds from out-of-fold probabilities pooled
over FACT_FOLDS folds under each of FACT_SEEDS, and the output reports each seed's threshold (its spread).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from importlib import resources

import numpy as np
import yaml
from sklearn.linear_model import LogisticRegression

from corpus.exemplars import load_exemplars, load_facts, load_head_bank
from corpus.settings import Settings
from corpus.taxonomy import load_taxonomy

from agent.check.categories import neighbour_vote
from agent.check.embedding_view import neutral_names
from agent.check.pipeline import PIPELINE_SIGNALS, pipeline_signals

CERTAIN_PRECISION = 0.9
POSSIBLE_PRECISION = 0.75
# never below these, whatever the held-out split says: a category read from a weak signal costs
# ordinary uses an "unclear"
MIN_CERTAIN, MIN_POSSIBLE = 0.5, 0.4
GATE_PRECISION = 0.9
# the facts a head may set (only facts that bring more rules into play, never a cure), each with the behavioural
# category whose bank uses show the fact too ("": none). outputs_for_training: on the embedding alone its head reached
# held-out precision 0.9 only at p >= 0.99 (2026-12-06, 2026-12-07, and again on the larger bank below); it ships
# reading the use's word signals beside the embedding (FACT_SIGNALS).
# unlawful_act: a use that is a crime as described (facts/unlawful_act.yaml, plus the `illegal` category's bank),
# against allowed uses only — another category's use (a threat, malware) may well be a crime too, so it is no
# counter-example. Its file is read by its head only: it does not move the category heads' bank or held-out split.
# outputs_for_training (2026-12-07, session 12): the licensed model's outputs train, fine-tune, distil, align or improve
# ANOTHER model. Its head reads facts/outputs_for_training.yaml (which stays in the category bank as ordinary uses, as
# before, so the category heads do not move) plus a larger bank of its own, facts/heads/outputs_for_training.yaml
# (written from a facet checklist: actors, media, pipeline roles, voices; near misses: the licensed model itself
# fine-tuned, human or own data, outputs used in a product, evaluation without training, a grader that only picks a
# vendor, data for people to read), against every other bank use — a category's use is no output training either.
# product_development (2026-12-07, session 13): the use serves developing, choosing or evaluating a product or service
# for a business (a prototype, an MVP, a vendor bake-off, a pilot before launch, a model picked for a feature). Read by
# the grant-scope rules (agent/check/rules/commercial.py): a research / non-commercial definition that leaves product
# development out does not reach it; one that admits for-profit entities' testing and evaluation does. Its bank is
# facts/heads/product_development.yaml only (no facts/ file: the category heads do not move); the facts bank's
# noncommercial_internal and commercial positives are neither positives nor negatives of it (RELATED_FACTS: a for-profit
# team's internal evaluation is often just this fact).
# distribution, hosting (2026-12-07, session 14): whether the use puts the model in other people's hands — a copy (the
# model, its weights, a derivative, or a device or program carrying them) sold, licensed, preinstalled, uploaded or handed
# over (distribution), or the model offered to outside people as a service (hosting). Two heads, not one: the rules read
# the two facts apart (rules/distribution.py: serving is not distributing unless the licence says so). Each reads its
# facts/ file plus its own heads/ bank (a facet checklist of actors, sectors, channels, voices; near misses that share
# the words and stay inside); the other's positives are its negatives. A recall aid: categories.assign sets a fact from
# its head only where the phrases read neither fact and nothing says the use stays inside (facts.internal).
FACT_HEADS: dict[str, str] = {"unlawful_act": "illegal", "outputs_for_training": "", "product_development": "",
                              "distribution": "", "hosting": ""}
RELATED_FACTS: dict[str, tuple[str, ...]] = {"product_development": ("noncommercial_internal", "commercial")}
# heads whose fact the phrase reader (agent/check/facts.py) also reads: a use of the general bank (a category's, an
# ordinary one) that the phrases read as the fact is neither a positive nor a negative of its head — "a chatbot that
# gives patients diagnoses" was written for a category, yet it is hosted; the head's own files decide their uses
PHRASE_READ: tuple[str, ...] = ("distribution", "hosting")
# the facts whose facts/<fact>.yaml is read by its head only (kept out of the category bank)
APART = ("unlawful_act",)
HELD_OUT = 0.25
# A fact head's thresholds come from its out-of-fold probabilities pooled over FACT_FOLDS-fold splits under each of
# FACT_SEEDS (every use is held out once per seed): one held-out quarter (the categories' way) left a head's
# threshold to the luck of a few dozen uses; the per-seed thresholds are reported as its spread.
FACT_FOLDS, FACT_SEEDS = 5, (0, 1, 2)
# heads that read the use's word signals (agent/check/pipeline.py: pipeline_signals) beside its embedding, and their
# regularisation: on the embedding alone the outputs_for_training head reached held-out precision 0.9 only at p 0.996
# (recall 0.09, five folds x three seeds); with the six signals at about 0.95 (recall about 0.7). C 16 over 4: recall
# 0.70 vs 0.66 at the same spread (measured 2026-12-07).
FACT_SIGNALS: tuple[str, ...] = ("outputs_for_training",)
FACT_C: dict[str, float] = {"outputs_for_training": 16.0}
C = 4.0


def ordinary_uses() -> list[str]:
    data = yaml.safe_load(resources.files("corpus").joinpath("ordinary_uses.yaml").read_text(encoding="utf-8"))
    return [str(u) for u in data["uses"]]


def bank() -> tuple[list[str], list[set[str]], list[str], list[str], list[str]]:
    """Texts, their category labels, the category they were written for ('' for facts uses), their kinds,
    and the use fact a facts-bank positive shows ('' otherwise)."""
    terms = load_taxonomy()
    texts, labels, owner, kind, fact_of = [], [], [], [], []
    seen: dict[str, int] = {}

    def add(text: str, cats: set[str], own: str, k: str, fact: str = ""):
        key = _key(text)
        if key in seen:
            labels[seen[key]] |= cats
            return
        seen[key] = len(texts)
        texts.append(text)
        labels.append(set(cats))
        owner.append(own)
        kind.append(k)
        fact_of.append(fact)

    for cat, ex in load_exemplars().items():
        if cat not in terms or terms[cat].group != "behavioural":
            continue
        for p in ex.positives:
            add(p.use, {cat}, cat, "positive")
        for u in terms[cat].uses:
            add(u, {cat}, cat, "positive")
        for n in ex.near_misses:
            add(n.use, set(), cat, "near_miss")
    for fact, ex in load_facts().items():
        if fact in APART:
            continue  # a fact head's own file (fact_bank)
        for e in ex.positives:
            add(e.use, set(), "", "ordinary", fact)
        for e in ex.near_misses:
            add(e.use, set(), "", "ordinary")
    for u in ordinary_uses():
        add(u, set(), "", "ordinary")
    return texts, labels, owner, kind, fact_of


def _key(text: str) -> str:
    """A use as one bank entry: case and spacing ignored."""
    return " ".join(text.lower().split())


def _fact_files(fact: str) -> list:
    """The exemplar files a fact head reads: facts/<fact>.yaml, and for a head without a category its heads/ bank."""
    facts = load_facts()
    return ([facts[fact]] if fact in facts else []) + ([] if FACT_HEADS[fact] else [load_head_bank(fact)])


def fact_bank(fact: str, texts: list[str], labels: list[set[str]], kind: list[str],
              fact_of: list[str] | None = None, written: list[str] | None = None) -> tuple[list[str], np.ndarray, list[str]]:
    """A fact head's uses and labels. With a category (FACT_HEADS): its file's positives and the category's bank uses
    against the bank's allowed uses (near misses, ordinary uses) and its file's near misses. Without one: its
    facts/ file's and its heads/ file's positives against every other bank use and both files' near misses.
    The third list is each use as written (`written`, default `texts`): its word signals read the model names."""
    cat = FACT_HEADS[fact]
    fact_of = fact_of or [""] * len(texts)
    written = written or texts
    if cat:
        rows = [(t, cat in ls, w) for t, ls, k, w in zip(texts, labels, kind, written) if cat in ls or k != "positive"]
    else:
        facts = load_facts()
        related = {_key(neutral_names(e.use)) for f in RELATED_FACTS.get(fact, ())
                   for e in facts[f].positives + facts[f].near_misses}
        rows = [(t, f == fact, w) for t, f, w in zip(texts, fact_of, written) if _key(t) not in related
                and not (f != fact and fact in PHRASE_READ and _phrases_read(fact, w))]
    seen = {_key(t): i for i, (t, _, _) in enumerate(rows)}
    for ex in _fact_files(fact):
        for use, y in [(e.use, True) for e in ex.positives] + [(n.use, False) for n in ex.near_misses]:
            key = _key(neutral_names(use))
            if key not in seen:
                seen[key] = len(rows)
                rows.append((neutral_names(use), y, use))
            elif y and not cat:
                # the head's own bank names the use a positive (an ordinary use of the category bank may well be
                # this fact: "an internal evaluation … before choosing a vendor" is product work)
                rows[seen[key]] = (rows[seen[key]][0], True, rows[seen[key]][2])
    return [t for t, _, _ in rows], np.array([y for _, y, _ in rows]), [w for _, _, w in rows]


def _phrases_read(fact: str, use: str) -> bool:
    """Does the phrase reader (agent/check/facts.py) read the fact in the use?"""
    from agent.check.facts import read_facts

    return bool(getattr(read_facts(use), fact))


def _fast_threshold(p: np.ndarray, y: np.ndarray, precision: float, floor: float) -> float:
    """_threshold for many uses: the lowest probability at which the uses at or above it reach `precision`."""
    order = np.argsort(-p, kind="stable")
    ps, ys = p[order], y[order].astype(float)
    last = np.r_[ps[1:] != ps[:-1], True]  # the last use of each distinct probability
    tp, n = np.cumsum(ys)[last], np.arange(1, len(ps) + 1)[last]
    ok = ps[last][tp / n >= precision]
    return float(max(ok.min() if ok.size else 1.0, floor))


def _oof(X: np.ndarray, y: np.ndarray, seed: int, c: float = C) -> np.ndarray:
    """Out-of-fold probabilities: each use scored by a head fitted without its fold (stratified folds)."""
    from sklearn.model_selection import StratifiedKFold

    p = np.zeros(len(y))
    for tr, te in StratifiedKFold(n_splits=FACT_FOLDS, shuffle=True, random_state=seed).split(X, y):
        w, b0 = _fit(X[tr], y[tr], c)
        p[te] = 1.0 / (1.0 + np.exp(-(X[te] @ w + b0)))
    return p


def _split(owner: list[str], kind: list[str], seed: int = 0) -> np.ndarray:
    """A held-out mask: a quarter of each (category, kind) group."""
    rng = np.random.default_rng(seed)
    held = np.zeros(len(owner), dtype=bool)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(zip(owner, kind)):
        groups.setdefault(key, []).append(i)
    for idx in groups.values():
        idx = np.array(idx)
        rng.shuffle(idx)
        held[idx[: max(1, int(round(len(idx) * HELD_OUT)))]] = True
    return held


def _fit(X: np.ndarray, y: np.ndarray, c: float = C) -> tuple[np.ndarray, float]:
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(X, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def _threshold(p: np.ndarray, y: np.ndarray, precision: float, floor: float) -> float:
    """The lowest threshold at which precision on the held-out uses reaches `precision`."""
    ok = [t for t in np.unique(p) if y[p >= t].mean() >= precision]
    return float(max(min(ok) if ok else 1.0, floor))


def _vectors(texts: list[str], embed, cache) -> np.ndarray:
    """The bank's embeddings; those of unchanged texts are reused from `cache` (a .npz under the data dir)."""
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.exists():
        z = np.load(cache)
        known = dict(zip((str(t) for t in z["texts"]), z["X"]))
    todo = [t for t in texts if t not in known]
    if todo:
        known.update(zip(todo, np.asarray(embed(todo), dtype=np.float32)))
    X = np.stack([known[t] for t in texts]).astype(np.float32)
    if cache is not None and todo:
        cache.parent.mkdir(parents=True, exist_ok=True)
        # every known text (the bank and the fact heads' own uses), so that neither call evicts the other's
        np.savez(cache, texts=np.array(list(known)), X=np.stack(list(known.values())).astype(np.float32))
    return X


def train(embed, report_only: bool = False, cache=None) -> dict:
    texts, labels, owner, kind, fact_of = bank()
    written, texts = texts, [neutral_names(t) for t in texts]  # the head reads uses as the check embeds them
    cats = sorted({c for ls in labels for c in ls})
    X = _vectors(texts, embed, cache)
    held = _split(owner, kind)
    allowed = np.array([k != "positive" for k in kind])
    W, b = np.zeros((len(cats), X.shape[1]), np.float32), np.zeros(len(cats), np.float32)
    certain, possible = np.ones(len(cats), np.float32), np.ones(len(cats), np.float32)
    figures = {}
    # the bank as neighbours: one column per category, then "any category"; held-out uses vote with the rest
    Y = np.array([[c in ls for c in cats] + [bool(ls)] for ls in labels], dtype=np.float32)
    votes = np.zeros((len(texts), len(cats) + 1), np.float32)
    votes[held] = np.stack([neighbour_vote(x, X[~held], Y[~held]) for x in X[held]])
    for i, cat in enumerate(cats):
        y = np.array([cat in ls for ls in labels])
        w, b0 = _fit(X[~held], y[~held])
        # thresholds are judged against allowed uses (near misses, ordinary uses): another category's
        # use may well fall under this one too (medical advice and unlicensed practice overlap)
        judged = held & (y | allowed)
        p = (1.0 / (1.0 + np.exp(-(X[judged] @ w + b0))) + votes[judged, i]) / 2
        yh = y[judged]
        certain[i] = _threshold(p, yh, CERTAIN_PRECISION, MIN_CERTAIN)
        possible[i] = min(certain[i], _threshold(p, yh, POSSIBLE_PRECISION, MIN_POSSIBLE))
        near = np.array([o == cat and k == "near_miss" for o, k in zip(owner, kind)])[judged]
        figures[cat] = {
            "held_out_positives": int(yh.sum()),
            "recall_certain": round(float((p[yh] >= certain[i]).mean()), 3) if yh.any() else None,
            "recall_possible": round(float((p[yh] >= possible[i]).mean()), 3) if yh.any() else None,
            "false_certain": int(((p >= certain[i]) & ~yh).sum()),
            "near_misses_flagged": int(((p >= possible[i]) & near).sum()), "near_misses": int(near.sum()),
            "certain": round(float(certain[i]), 3), "possible": round(float(possible[i]), 3)}
        W[i], b[i] = _fit(X, y) if not report_only else (w, b0)
    # The gate: does the use fall under any category at all? Trained on every category's uses against the
    # allowed ones; the head's categories count only above its threshold (licensing actions — host, sell,
    # publish — otherwise borrow a category from an exemplar that shares their setting).
    y_any = np.array([bool(ls) for ls in labels])
    gw, gb = _fit(X[~held], y_any[~held])
    pg = (1.0 / (1.0 + np.exp(-(X[held] @ gw + gb))) + votes[held, -1]) / 2
    gate = _threshold(pg, y_any[held], GATE_PRECISION, 0.5)
    figures["_gate"] = {"threshold": round(gate, 3), "recall": round(float((pg[y_any[held]] >= gate).mean()), 3),
                        "allowed_passed": int(((pg >= gate) & ~y_any[held]).sum()), "allowed": int((~y_any[held]).sum())}
    if not report_only:
        gw, gb = _fit(X, y_any)
    # Use facts the phrases read poorly (outputs that train another model, described as a pipeline): a
    # head per fact of the facts bank; it may only set the fact, above a threshold held out like the others.
    fact_ids = [f for f in FACT_HEADS if f in load_facts() or load_head_bank(f).positives]
    FW, Fb, Ft = np.zeros((len(fact_ids), X.shape[1]), np.float32), np.zeros(len(fact_ids), np.float32), \
        np.ones(len(fact_ids), np.float32)
    Fp = np.ones(len(fact_ids), np.float32)
    FS = np.zeros((len(fact_ids), len(PIPELINE_SIGNALS)), np.float32)  # weights of the word signals (0: not read)
    for i, fact in enumerate(fact_ids):
        ftexts, y, fwritten = fact_bank(fact, texts, labels, kind, fact_of, written)
        FX = _vectors(ftexts, embed, cache)
        if fact in FACT_SIGNALS:
            FX = np.hstack([FX, np.array([pipeline_signals(w) for w in fwritten], np.float32)])
        c = FACT_C.get(fact, C)
        # out-of-fold probabilities under each seed, pooled: the thresholds; each seed's own: their spread
        runs = [_oof(FX, y, seed, c) for seed in FACT_SEEDS]
        p, yh = np.concatenate(runs), np.tile(y, len(runs))
        Ft[i] = _fast_threshold(p, yh, CERTAIN_PRECISION, MIN_CERTAIN)
        # `possible`: the fact may hold — a rule may ask for review there, never decide
        Fp[i] = min(Ft[i], _fast_threshold(p, yh, POSSIBLE_PRECISION, MIN_POSSIBLE))
        per_seed = [_fast_threshold(r, y, CERTAIN_PRECISION, MIN_CERTAIN) for r in runs]
        per_seed_p = [_fast_threshold(r, y, POSSIBLE_PRECISION, MIN_POSSIBLE) for r in runs]
        runs_recall = [float((r[y] >= Ft[i]).mean()) for r in runs]
        near = {_key(neutral_names(n.use)) for ex in _fact_files(fact) for n in ex.near_misses}
        is_near = np.array([_key(t) in near for t in ftexts])
        figures[f"_fact_{fact}"] = {
            "uses": len(y), "positives": int(y.sum()), "negatives": int((~y).sum()),
            "folds": FACT_FOLDS, "seeds": list(FACT_SEEDS), "threshold": round(float(Ft[i]), 3),
            "threshold_per_seed": [round(t, 3) for t in per_seed],
            "threshold_spread": round(float(max(per_seed) - min(per_seed)), 3),
            "recall": round(float((p[yh] >= Ft[i]).mean()), 3),
            "recall_per_seed": [round(r, 3) for r in runs_recall],
            "false_per_seed": round(float(((p >= Ft[i]) & ~yh).sum()) / len(runs), 1),
            "near_misses_over_threshold_per_seed": round(float(((p >= Ft[i]) & np.tile(is_near, len(runs))).sum())
                                                         / len(runs), 1), "near_misses": int(is_near.sum()),
            "possible": round(float(Fp[i]), 3), "possible_per_seed": [round(t, 3) for t in per_seed_p],
            "recall_possible": round(float((p[yh] >= Fp[i]).mean()), 3),
            "false_possible_per_seed": round(float(((p >= Fp[i]) & ~yh).sum()) / len(runs), 1)}
        w, Fb[i] = _fit(FX, y, c)
        FW[i] = w[:X.shape[1]]
        if fact in FACT_SIGNALS:
            FS[i] = w[X.shape[1]:]
    return {"ids": cats, "W": W, "b": b, "certain": certain, "possible": possible, "figures": figures,
            "gate_W": gw, "gate_b": np.float32(gb), "gate": np.float32(gate), "fact_ids": fact_ids, "fact_W": FW,
            "fact_b": Fb, "fact_t": Ft, "fact_p": Fp, "fact_S": FS, "n": len(texts), "held_out": int(held.sum()),
            "bank_X": X.astype(np.float16), "bank_Y": Y.astype(bool)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--report", action="store_true", help="held-out figures only; write nothing")
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    from retrieval.embed import load_embedder

    embedder = load_embedder(settings.embedding, settings.embed_batch_size)
    t0 = time.perf_counter()
    out = train(embedder.embed, report_only=args.report, cache=settings.home / "cache" / "bank_vectors.npz")
    figs = out["figures"]
    cat_figs = [f for k, f in figs.items() if not k.startswith("_")]
    summary = {
        "uses": out["n"], "held_out": out["held_out"], "categories": len(out["ids"]),
        "macro_recall_certain": round(float(np.mean([f["recall_certain"] for f in cat_figs])), 3),
        "macro_recall_possible": round(float(np.mean([f["recall_possible"] for f in cat_figs])), 3),
        "false_certain": sum(f["false_certain"] for f in cat_figs),
        "near_misses_flagged": f"{sum(f['near_misses_flagged'] for f in cat_figs)}/"
                               f"{sum(f['near_misses'] for f in cat_figs)}", "gate": figs["_gate"],
        "seconds": round(time.perf_counter() - t0, 1)}
    print(json.dumps({"summary": summary, "per_category": figs}, indent=1))
    if not args.report:
        path = resources.files("agent").joinpath("data/use_categories.npz")
        np.savez_compressed(str(path), ids=np.array(out["ids"]), W=out["W"], b=out["b"], certain=out["certain"],
                            possible=out["possible"], gate_W=out["gate_W"], gate_b=out["gate_b"], gate=out["gate"],
                            fact_ids=np.array(out["fact_ids"]), fact_W=out["fact_W"], fact_b=out["fact_b"],
                            fact_t=out["fact_t"], fact_p=out["fact_p"], fact_S=out["fact_S"], bank_X=out["bank_X"], bank_Y=out["bank_Y"])
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
