"""Trains the shipped term classifier (agent/data/term_classifier.npz) on every annotated license.

    python -m evals.train_terms            # uses the index under $MODELTERMS_HOME when present

Re-run after changing evals/annotations, corpus/taxonomy.yaml, the clause segmentation or the
features; a classifier trained for another taxonomy is ignored at load time (the rules decide).
"""
from __future__ import annotations

import sys
import time

from agent.terms.classifier import default_model_path
from corpus.catalog import Corpus
from corpus.settings import Settings
from retrieval.store import open_store
from evals.profile_eval import dataset, train_on


def main() -> int:
    settings = Settings.from_env()
    corpus = Corpus(settings)
    store = open_store(settings)
    t0 = time.perf_counter()
    data = dataset(settings, corpus, store)
    clf = train_on(data, list(data))
    path = default_model_path()
    tmp = path.with_name(path.stem + ".tmp.npz")
    clf.save(tmp)
    tmp.replace(path)  # a failed run keeps the previous model
    n = sum(len(f) for f, _ in data.values())
    print(f"trained {int(clf.trained.sum())}/{len(clf.terms)} terms on {n} clauses of {len(data)} licenses "
          f"in {time.perf_counter() - t0:.1f} s -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
