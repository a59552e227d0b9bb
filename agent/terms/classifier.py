"""A per-term clause classifier (scikit-learn logistic regression) trained on the annotated licenses.

The trained weights are kept as plain arrays in agent/data/term_classifier.npz (no pickle), so
the profile needs scikit-learn only to train. `python -m evals.train_terms` rebuilds the file
from evals/annotations.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from corpus.taxonomy import load_taxonomy

from .features import ClauseFeatures
from .rules import rule_scores

MODEL_FILE = "term_classifier.npz"
# structural restrictions whose miss makes a check more permissive than the text, with few annotated
# examples each (so a classifier trained without a family easily misses them)
_RESTRICTING = np.array([t.id in ("share_alike", "output_training_ban")
                         for t in load_taxonomy().values()])
RULE_WEIGHT = 0.5  # share of the hand-written rules in a trained term's score (see TermClassifier.predict)


def feature_matrix(feats: list[ClauseFeatures]) -> np.ndarray:
    if not feats:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.concatenate([f.sims, f.hits.astype(np.float32), f.flag_vector(),
                                     f.hits.astype(np.float32) * f.flags["restrictive"], f.vector])
                     for f in feats]).astype(np.float32)


@dataclass
class TermClassifier:
    terms: list[str]
    coef: np.ndarray  # (n_terms, n_features); rows of untrainable terms are zero
    intercept: np.ndarray  # (n_terms,)
    mean: np.ndarray
    scale: np.ndarray
    thresholds: np.ndarray  # (n_terms,)
    trained: np.ndarray  # bool per term: had enough positives to train
    fallback_rules: bool = True

    def predict(self, feats: list[ClauseFeatures]) -> np.ndarray:
        x = (feature_matrix(feats) - self.mean) / self.scale
        logits = x @ self.coef.T + self.intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        if self.fallback_rules:
            # Terms with too few annotated examples to learn from are decided by the rules; the others
            # by the mean of the two: the classifier learns the annotators' reading, the rules keep it
            # from drifting on texts unlike the 43 it saw (drafts, user texts).
            rules = rule_scores(feats)
            blended = (1 - RULE_WEIGHT) * probs + RULE_WEIGHT * rules
            # a missed restriction lets a check say "allowed": for those terms a rule hit stands even
            # where the classifier disagrees (recall first: "unclear" beats a wrong "allowed")
            guard = self.trained & _RESTRICTING
            blended[:, guard] = np.maximum(blended[:, guard], rules[:, guard])
            probs[:, self.trained] = blended[:, self.trained]
            probs[:, ~self.trained] = rules[:, ~self.trained]
        return probs

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, coef=self.coef, intercept=self.intercept, mean=self.mean, scale=self.scale,
                            thresholds=self.thresholds, trained=self.trained,
                            terms=np.array(json.dumps(self.terms)))


def train(feats: list[ClauseFeatures], labels: np.ndarray, min_positives: int = 3, c: float = 0.5) -> TermClassifier:
    """labels: (n_clauses, n_terms) 0/1."""
    from sklearn.linear_model import LogisticRegression

    terms = list(load_taxonomy())
    x = feature_matrix(feats)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    coef = np.zeros((len(terms), x.shape[1]), dtype=np.float32)
    intercept = np.full(len(terms), -10.0, dtype=np.float32)
    trained = np.zeros(len(terms), dtype=bool)
    for j in range(len(terms)):
        y = labels[:, j]
        if y.sum() < min_positives or y.sum() == len(y):
            continue
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        model.fit(xs, y)
        coef[j] = model.coef_[0]
        intercept[j] = model.intercept_[0]
        trained[j] = True
    thresholds = np.full(len(terms), 0.5, dtype=np.float32)
    return TermClassifier(terms, coef, intercept, mean, scale, thresholds, trained)


def load_classifier(path: Path | None = None) -> TermClassifier | None:
    """The shipped model, or None when absent or trained for another taxonomy (then rules decide)."""
    path = path or default_model_path()
    try:
        with np.load(path, allow_pickle=False) as data:
            terms = json.loads(str(data["terms"]))
            if terms != list(load_taxonomy()):
                return None
            return TermClassifier(terms, data["coef"], data["intercept"], data["mean"], data["scale"],
                                  data["thresholds"], data["trained"])
    except (FileNotFoundError, OSError, KeyError, ValueError):
        return None


def default_model_path() -> Path:
    return Path(str(resources.files("agent"))) / "data" / MODEL_FILE
