"""Aggregate figures of the grounded check on one use-case split, and nothing per case.

    python -m evals.split_eval --split test         # the frozen test split
    python -m evals.split_eval --split paraphrase   # consistency with the dev verdicts they paraphrase
    python -m evals.split_eval --split external [--external ../shared/evals/external-usecases.jsonl]

The test, paraphrase and external splits are held out: this prints only aggregates (accuracy,
dangerous misses, "unclear" on gold allowed/conditional, paraphrase consistency) so that nobody tunes
on their cases. External texts (`external:` licenses) are added to a temporary copy of the data dir,
never to yours.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from corpus.catalog import Corpus
from corpus.settings import Settings
from evals.data import DEFAULT_EXTERNAL, load_split, usecases


def _check_all(settings: Settings, cases: list[dict]) -> list[str]:
    from agent.check import Checker

    checker = Checker(settings)
    out = []
    for case in cases:
        try:
            r = checker.check(case["use"], license=case.get("license"), model=case.get("model"), card=case.get("card"))
            out.append(r.verdict)
        except Exception:  # scored as unclear, as in evals.usecase_eval
            out.append("unclear")
    return out


def score(cases: list[dict], predicted: list[str]) -> dict:
    n = len(cases)
    ok = sum(p == c["verdict"] or p in (c.get("accept") or []) for c, p in zip(cases, predicted))
    dangerous = sum(c["verdict"] == "prohibited" and p == "allowed" for c, p in zip(cases, predicted))
    positive = [p for c, p in zip(cases, predicted) if c["verdict"] in ("allowed", "conditional")]
    confusion = {g: dict(Counter(p for c, p in zip(cases, predicted) if c["verdict"] == g))
                 for g in ("prohibited", "conditional", "allowed", "unclear")}
    return {"questions": n, "accuracy": round(ok / n, 3) if n else None, "dangerous_misses": dangerous,
            "unclear_on_allowed_or_conditional": round(positive.count("unclear") / len(positive), 3) if positive else None,
            "confusion": confusion}


def external(settings: Settings, path: Path) -> dict:
    cases = load_split("external", path)
    if cases is None:
        return {"error": f"{path}: not found"}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(settings.home, home, ignore=shutil.ignore_patterns("reports"))
        s = settings.replace(home=home)
        corpus = Corpus(s)
        keys: dict[str, str] = {}
        for case in cases:
            text = case.get("_text_path")
            if not text:
                continue
            if text not in keys:
                stem = Path(text).stem.lower()
                key = "ext-" + "".join(ch if ch.isalnum() else "-" for ch in stem).strip("-")[:60]
                kind = "aup" if "/aup/" in text else None
                corpus.add_user_text(Path(text), key=key, kind=kind)
                keys[text] = key
            case["license"] = keys[text]
        predicted = _check_all(s, cases)
    report = score(cases, predicted)
    by_kind: dict[str, list] = {}
    for c, p in zip(cases, predicted):
        by_kind.setdefault(c.get("kind", "direct"), []).append((c, p))
    report["by_kind"] = {k: score([c for c, _ in v], [p for _, p in v])["accuracy"] for k, v in by_kind.items()}
    return report


def paraphrase(settings: Settings) -> dict:
    cases = load_split("paraphrase")
    dev = {c["id"]: c for c in usecases("dev")}
    originals = [dev[c["of"]] for c in cases]
    pred = _check_all(settings, cases)
    pred_dev = dict(zip([c["id"] for c in originals], _check_all(settings, originals)))
    report = score(cases, pred)
    report["consistency"] = round(sum(p == pred_dev[c["of"]] for c, p in zip(cases, pred)) / len(cases), 3)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "paraphrase", "external"), required=True)
    ap.add_argument("--external", type=Path, default=DEFAULT_EXTERNAL)
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    if args.split == "external":
        report = external(settings, args.external)
    elif args.split == "paraphrase":
        report = paraphrase(settings)
    else:
        cases = load_split(args.split)
        report = score(cases, _check_all(settings, cases))
    report["split"] = args.split
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
