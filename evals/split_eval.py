"""Aggregate figures of the grounded check on one use-case split, and nothing per case.

    python -m evals.split_eval --split test         # the frozen test split
    python -m evals.split_eval --split paraphrase   # consistency with the dev verdicts they paraphrase
    python -m evals.split_eval --split external [--external ../shared/evals/external-usecases.jsonl]
    python -m evals.split_eval --split devx [--external ../shared/evals/external-usecases.jsonl]
                                                    # the second dev split: aggregates and one row per case
    python -m evals.split_eval --split devy [--external ../shared/evals/external-usecases.jsonl]
                                                    # the third blind dev split, reported like devx
    python -m evals.split_eval --split devm         # the fourth: model-id questions (`check --model ID`)
    python -m evals.split_eval --split devx-paraphrase  # devx cases in three voices: rows, accuracy and
                                                    # consistency with the verdict given to each devx case

The test, paraphrase and external splits are held out: this prints only aggregates (accuracy,
dangerous misses, "unclear" on gold allowed/conditional, paraphrase consistency) so that nobody tunes
on their cases. devx, devy, devm, devz, devw, devv, devu, devt, devs, devr, devq and devx-paraphrase are dev splits, so they also print each case (id, kind, gold, predicted, ok and
what decided). External texts (`external:` licenses) are added to a temporary copy of the data dir,
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
from evals.data import (BLIND_SPLITS, DEFAULT_EXTERNAL, blind_cases, devx_cases, devx_paraphrases, load_split,
                        texts_next_to, usecases)
from evals.usecase_eval import group_consistency


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


def _add_texts(corpus: Corpus, cases: list[dict]) -> None:
    """Add each case's external text as a user text of the temporary data dir; the case then names its key."""
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


def _in_temp_home(settings: Settings, cases: list[dict], run):
    """run(settings, cases) against a temporary copy of the data dir holding the cases' external texts."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        shutil.copytree(settings.home, home, ignore=shutil.ignore_patterns("reports"))
        s = settings.replace(home=home)
        _add_texts(Corpus(s), cases)
        return run(s, cases)


def _by_kind(cases: list[dict], predicted: list[str]) -> dict:
    by_kind: dict[str, list] = {}
    for c, p in zip(cases, predicted):
        by_kind.setdefault(c.get("kind", "direct"), []).append((c, p))
    return {k: score([c for c, _ in v], [p for _, p in v])["accuracy"] for k, v in by_kind.items()}


def external(settings: Settings, path: Path) -> dict:
    cases = load_split("external", path)
    if cases is None:
        return {"error": f"{path}: not found"}
    predicted = _in_temp_home(settings, cases, _check_all)
    report = score(cases, predicted)
    report["by_kind"] = _by_kind(cases, predicted)
    return report


def _decided_by(out: dict) -> str:
    """A short account of what decided a verdict: the deciding findings' category and clause."""
    findings = out.get("findings") or []
    deciding = set(out.get("deciding") or [])
    chosen = [f for f in findings if f.get("clause_id") in deciding] or findings
    return "; ".join(f"{f.get('category')}@{f.get('clause_id')}" for f in chosen[:3]) or "-"


def _check_rows(settings: Settings, cases: list[dict]) -> list[dict]:
    from evals.usecase_eval import grounded_answerer

    answer = grounded_answerer(settings)
    rows = []
    for case in cases:
        try:
            out = answer(case)
        except Exception as e:  # scored as unclear, as in evals.usecase_eval
            out = {"verdict": "unclear", "findings": [], "error": f"{type(e).__name__}: {e}"}
        rows.append({"verdict": out["verdict"], "decided_by": out.get("error") or _decided_by(out)})
    return rows


def blind(settings: Settings, split: str = "devx", external: Path | None = None) -> dict:
    """A blind dev split (devx, devy, devm, devz, devw, devv, devu, devt, devs, devr, devq): aggregates, by kind, and one row per case (a dev split: tune on it). Its
    external texts are read from the folder next to the external set (`--external`), ../shared by default."""
    cases, missing = blind_cases(split, texts_next_to(external))
    rows = _in_temp_home(settings, cases, _check_rows)
    predicted = [r["verdict"] for r in rows]
    report = score(cases, predicted)
    report["by_kind"] = _by_kind(cases, predicted)
    report["left_out"] = missing
    report["groups"] = group_consistency(cases, predicted)
    report["rows"] = [{"id": c["id"], "kind": c.get("kind"), "gold": c["verdict"], "predicted": p,
                       "ok": p == c["verdict"] or p in (c.get("accept") or []), "decided_by": r["decided_by"]}
                      for c, p, r in zip(cases, predicted, rows)]
    return report


def devx_paraphrase(settings: Settings, external: Path | None = None) -> dict:
    """The devx-paraphrase split (tunable): aggregates, consistency with the verdict the tool gives each devx
    case (right or wrong), by voice and kind, and one row per paraphrase next to its devx original."""
    texts = texts_next_to(external)
    cases, missing = devx_paraphrases(texts)
    wanted = {c["of"] for c in cases}
    originals = [c for c in devx_cases(texts)[0] if c["id"] in wanted]
    rows = _in_temp_home(settings, originals + cases, _check_rows)
    of_pred = {c["id"]: r["verdict"] for c, r in zip(originals, rows)}
    rows = rows[len(originals):]
    predicted = [r["verdict"] for r in rows]
    report = score(cases, predicted)
    report["by_kind"] = _by_kind(cases, predicted)
    same = [p == of_pred[c["of"]] for c, p in zip(cases, predicted)]
    report["consistency"] = round(sum(same) / len(cases), 3) if cases else None
    report["by_voice"] = {}
    for v in sorted({c["voice"] for c in cases}):
        idx = [i for i, c in enumerate(cases) if c["voice"] == v]
        report["by_voice"][v] = {"n": len(idx), "consistency": round(sum(same[i] for i in idx) / len(idx), 3),
                                 "accuracy": score([cases[i] for i in idx], [predicted[i] for i in idx])["accuracy"]}
    report["originals_accuracy"] = score(originals, [of_pred[c["id"]] for c in originals])["accuracy"]
    report["left_out"] = missing
    report["rows"] = [{"id": c["id"], "kind": c.get("kind"), "gold": c["verdict"], "devx": of_pred[c["of"]],
                       "predicted": p, "ok": p == c["verdict"] or p in (c.get("accept") or []), "same": s,
                       "decided_by": r["decided_by"], "use": c["use"]}
                      for c, p, r, s in zip(cases, predicted, rows, same)]
    return report


def format_devx_paraphrase(report: dict) -> str:
    lines = [f"{'id':15} {'kind':10} {'gold':11} {'devx':11} {'predicted':11} ok same  decided by"]
    lines += [f"{r['id']:15} {r['kind'] or '':10} {r['gold']:11} {r['devx']:11} {r['predicted']:11} "
              f"{'y' if r['ok'] else 'N':2} {'y' if r['same'] else 'N':4}  {r['decided_by']}" for r in report["rows"]]
    dangerous = [r["id"] for r in report["rows"] if r["gold"] == "prohibited" and r["predicted"] == "allowed"]
    lines += ["", f"devx-paraphrase: {report['questions']} paraphrases, accuracy {report['accuracy']} (counting "
              f"accept), consistency with devx {report['consistency']}, devx originals' accuracy "
              f"{report['originals_accuracy']}, dangerous misses {report['dangerous_misses']} {dangerous}, unclear on "
              f"gold allowed/conditional {report['unclear_on_allowed_or_conditional']}",
              "by voice: " + ", ".join(f"{v} {d['consistency']}/{d['accuracy']} (consistency/accuracy, n={d['n']})"
                                       for v, d in report["by_voice"].items()),
              "by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report["by_kind"].items())),
              "confusion (gold -> predicted): " + json.dumps(report["confusion"])]
    if report["left_out"]:
        lines.append(f"left out ({len(report['left_out'])}, external text absent): {', '.join(report['left_out'])}")
    return "\n".join(lines)


def paraphrase(settings: Settings) -> dict:
    cases = load_split("paraphrase")
    dev = {c["id"]: c for c in usecases("dev")}
    originals = [dev[c["of"]] for c in cases]
    pred = _check_all(settings, cases)
    pred_dev = dict(zip([c["id"] for c in originals], _check_all(settings, originals)))
    report = score(cases, pred)
    report["consistency"] = round(sum(p == pred_dev[c["of"]] for c, p in zip(cases, pred)) / len(cases), 3)
    return report


def format_blind(report: dict, split: str = "devx") -> str:
    lines = [f"{'id':6} {'kind':10} {'gold':11} {'predicted':11} ok  decided by"]
    lines += [f"{r['id']:6} {r['kind'] or '':10} {r['gold']:11} {r['predicted']:11} {'y' if r['ok'] else 'N':3} "
              f"{r['decided_by']}" for r in report["rows"]]
    dangerous = [r["id"] for r in report["rows"] if r["gold"] == "prohibited" and r["predicted"] == "allowed"]
    lines += ["", f"{split}: {report['questions']} questions, accuracy {report['accuracy']} (counting accept), "
              f"dangerous misses {report['dangerous_misses']} {dangerous}, unclear on gold allowed/conditional "
              f"{report['unclear_on_allowed_or_conditional']}",
              "by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(report["by_kind"].items())),
              "confusion (gold -> predicted): " + json.dumps(report["confusion"])]
    if report.get("groups"):
        g = report["groups"]
        lines.append(f"paraphrase groups: {g['consistent']}/{g['n']} answered alike ({g['consistency']})"
                     + (f"; split: {', '.join(g['split'])}" if g["split"] else ""))
    if report["left_out"]:
        lines.append(f"left out ({len(report['left_out'])}, external text absent): {', '.join(report['left_out'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=("dev", "test", "paraphrase", "external", *BLIND_SPLITS, "devx-paraphrase"),
                    required=True)
    ap.add_argument("--json", action="store_true",
                    help="devx, devy, devm, devz, devw, devv, devu, devt, devs, devr, devq, devx-paraphrase: print the report as JSON, not a table")
    ap.add_argument("--external", type=Path, default=DEFAULT_EXTERNAL)
    args = ap.parse_args(argv)
    settings = Settings.from_env()
    if args.split in BLIND_SPLITS:
        report = blind(settings, args.split, args.external)
        if not args.json:
            print(format_blind(report, args.split))
            return 0
    elif args.split == "devx-paraphrase":
        report = devx_paraphrase(settings, args.external)
        if not args.json:
            print(format_devx_paraphrase(report))
            return 0
    elif args.split == "external":
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
