"""The audit eval set as data (every spec valid, materialised as written) and, marked slow, the eval's targets."""
from __future__ import annotations

import pytest

from agent.audit.rules import rules
from corpus.catalog import Corpus
from corpus.frontmatter import split_front_matter
from evals.audit.materialise import load_specs, materialise

DUTIES = set(rules()["duties"])
CONFLICTS = set(rules()["conflicts"])


def test_every_spec_is_valid_and_materialises(settings, tmp_path):
    specs = load_specs()
    assert len(specs) >= 60
    assert len({s["id"] for s in specs}) == len(specs)
    held = [s for s in specs if s["split"] == "heldout"]
    assert 0.25 <= len(held) / len(specs) <= 0.4
    corpus = Corpus(settings)
    for s in specs:
        assert set(s["gold"]["unmet"]) <= DUTIES, s["id"]
        assert set(s["gold"]["conflicts"]) <= CONFLICTS, s["id"]
        if s["gold"]["conflicts"]:
            assert s["gold"]["unmet"], f"{s['id']}: a conflict is an unmet duty"
        meta, _ = split_front_matter(s["card"], s["id"])
        assert meta.get("license") and meta.get("base_model"), s["id"]
        target, cache = materialise(s, corpus, tmp_path / s["id"])
        for rel, value in s["files"].items():
            if isinstance(value, dict) and "from_corpus" in value:
                folder = (cache / ("models--" + target.replace("/", "--"))) if s.get("target") else tmp_path / s["id"] / s["name"]
                path = next(folder.rglob(rel.rsplit("/", 1)[-1]))
                assert path.read_text(encoding="utf-8") == corpus.get(value["from_corpus"]).text


@pytest.mark.slow
def test_eval_meets_its_targets(indexed):
    from evals.audit_eval import evaluate

    report = evaluate(indexed)
    for split in ("tune", "heldout"):
        s = report["splits"][split]
        assert s["unmet"]["precision"] >= 0.95 and s["unmet"]["recall"] >= 0.90, (split, s["unmet"])
        assert s["conflicts"]["precision"] >= 0.95 and s["conflicts"]["recall"] >= 0.90, (split, s["conflicts"])
