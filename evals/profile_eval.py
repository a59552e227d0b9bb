"""Profile evaluation on the annotated licenses: per-term precision / recall / F1 and macro-F1.

Three settings are scored:
- rules: the hand-written rules alone (no training);
- classifier, in-sample: the shipped classifier, trained on all annotations (optimistic);
- classifier, leave-family-out: for each license family, a classifier trained on the other
  families only predicts that family's licenses — how it does on texts it has never seen.

A term counts as found when the predicted attitude equals the annotated one; evidence
accuracy is the share of found terms whose first cited clause is among the annotated evidence.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from agent.terms.classifier import train
from agent.terms.features import license_features
from agent.terms.profile import Profiler
from corpus.catalog import Corpus
from corpus.settings import Settings
from retrieval.store import open_store
from corpus.taxonomy import load_taxonomy
from evals.data import annotations


def dataset(settings: Settings, corpus: Corpus, store=None) -> dict[str, tuple[list, np.ndarray]]:
    """license -> (clause features, labels (n_clauses, n_terms))."""
    terms = list(load_taxonomy())
    out = {}
    for key, ann in annotations().items():
        feats = license_features(corpus.get(key), settings, store)
        labels = np.zeros((len(feats), len(terms)), dtype=np.int8)
        index = {f.clause.id: i for i, f in enumerate(feats)}
        for tid, t in ann["terms"].items():
            for cid in t.get("evidence") or []:
                if cid in index and tid in terms:
                    labels[index[cid], terms.index(tid)] = 1
        out[key] = (feats, labels)
    return out


def train_on(data: dict, keys: list[str]):
    feats = [f for k in keys for f in data[k][0]]
    labels = np.concatenate([data[k][1] for k in keys]) if keys else np.zeros((0, len(load_taxonomy())))
    return train(feats, labels)


def score(predicted: dict[str, dict[str, str]], evidence: dict[str, dict[str, str]]) -> dict:
    """predicted / gold: license -> term -> attitude. Returns per-term and macro figures."""
    anns = annotations()
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    ev_ok = ev_n = 0
    for key, pred in predicted.items():
        gold = {t: v["attitude"] for t, v in anns[key]["terms"].items()}
        for term in set(gold) | set(pred):
            g, p = gold.get(term, "none"), pred.get(term, "none")
            if p != "none" and p == g:
                tp[term] += 1
                ev_n += 1
                ev_ok += evidence[key].get(term) in set(anns[key]["terms"][term].get("evidence") or [])
            else:
                if p != "none":
                    fp[term] += 1
                if g != "none":
                    fn[term] += 1
    per_term = {}
    for term in load_taxonomy():
        if tp[term] + fp[term] + fn[term] == 0:
            continue
        p = tp[term] / (tp[term] + fp[term]) if tp[term] + fp[term] else 0.0
        r = tp[term] / (tp[term] + fn[term]) if tp[term] + fn[term] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_term[term] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                          "tp": tp[term], "fp": fp[term], "fn": fn[term]}
    micro_tp, micro_fp, micro_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {
        "macro_f1": round(float(np.mean([v["f1"] for v in per_term.values()])), 3) if per_term else 0.0,
        "micro_precision": round(micro_tp / max(1, micro_tp + micro_fp), 3),
        "micro_recall": round(micro_tp / max(1, micro_tp + micro_fn), 3),
        "evidence_accuracy": round(ev_ok / max(1, ev_n), 3),
        "per_term": per_term,
    }


def evaluate(settings: Settings, modes=("rules", "in_sample", "leave_family_out"), data=None) -> dict:
    corpus = Corpus(settings)
    store = open_store(settings)
    data = data or dataset(settings, corpus, store)
    profiler = Profiler(settings, corpus, store, classifier=False)
    anns = annotations()
    report = {"licenses": len(data), "families": len({anns[k].get("family") for k in data})}

    def run(classifier_for) -> dict:
        pred, ev = {}, {}
        for key, (feats, _) in data.items():
            prof = profiler.profile_from_features(corpus.get(key), feats, classifier=classifier_for(key) or False)
            pred[key] = {t: r.attitude for t, r in prof.terms.items()}
            ev[key] = {t: r.evidence[0].clause_id for t, r in prof.terms.items()}
        return score(pred, ev)

    if "rules" in modes:
        report["rules"] = run(lambda key: None)
    if "in_sample" in modes:
        clf = train_on(data, list(data))
        report["in_sample"] = run(lambda key: clf)
    if "leave_family_out" in modes:
        families = defaultdict(list)
        for key in data:
            families[anns[key].get("family") or key].append(key)
        models = {fam: train_on(data, [k for k in data if k not in members]) for fam, members in families.items()}
        fam_of = {k: fam for fam, members in families.items() for k in members}
        report["leave_family_out"] = run(lambda key: models[fam_of[key]])
    return report


def format_report(report: dict) -> str:
    lines = [f"profile eval: {report['licenses']} annotated licenses, {report['families']} families"]
    modes = [m for m in ("rules", "in_sample", "leave_family_out") if m in report]
    lines.append(f"{'':26s}" + "".join(f"{m:>20s}" for m in modes))
    for label, key in (("macro-F1", "macro_f1"), ("micro precision", "micro_precision"),
                       ("micro recall", "micro_recall"), ("evidence accuracy", "evidence_accuracy")):
        lines.append(f"{label:26s}" + "".join(f"{report[m][key]:20.3f}" for m in modes))
    last = modes[-1]
    lines.append(f"\nper term ({last}): precision recall f1 (tp/fp/fn)")
    for term, v in sorted(report[last]["per_term"].items(), key=lambda kv: kv[1]["f1"]):
        lines.append(f"  {term:26s} {v['precision']:.2f} {v['recall']:.2f} {v['f1']:.2f}  ({v['tp']}/{v['fp']}/{v['fn']})")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    s = Settings.from_env()
    rep = evaluate(s)
    print(format_report(rep))
    if "--json" in sys.argv:
        import json

        print(json.dumps(rep, indent=2))
