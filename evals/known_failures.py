"""The known failures of the use-case check: evals/known_failures.yaml (case id → one-line reason).

The per-case tests (tests/test_usecase_cases.py) mark these cases xfail(strict=True), so a case that
starts passing fails its test (remove it from the file: the fix is real) and a case not in the file
that starts failing fails too (a regression, named by its id).

    python -m evals.known_failures --write [--from REPORT.json] [--home DIR]

runs the grounded check over the dev, test and paraphrase splits (or reads a report written with
held-out rows), then rewrites the file: cases that now pass are dropped, cases still failing keep
their reason, new failures get "gold X, got Y" for a person to replace with the real reason.
The external set is never listed here: it is measured, not tracked case by case.
"""
from __future__ import annotations

import argparse
import json
import os
from importlib import resources
from pathlib import Path

import yaml

from corpus.atomic import KEEP, atomic_write
from evals.data import load_split

TRACKED = ("dev", "test", "paraphrase")
FILE = "known_failures.yaml"
HEADER = """\
# Known failures of the grounded use-case check: case id -> one-line reason.
# Read by tests/test_usecase_cases.py, which marks these cases xfail(strict=True): a listed case that
# passes fails its test (delete its line), an unlisted case that fails is a regression.
# Regenerate with `python -m evals.known_failures --write` (keeps the reasons of cases still failing).
# Test-split (tT...) entries are tracked so regressions and fixes show; do not tune the check on them.
"""


def path() -> Path:
    return Path(str(resources.files("evals"))) / FILE


def load(file: Path | None = None) -> dict[str, str]:
    file = file or path()
    if not file.is_file():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items()}


def failures_from_rows(rows: list[dict]) -> dict[str, tuple[str, str]]:
    """id → (gold, predicted) for every wrong verdict."""
    return {r["id"]: (r["gold"], r["predicted"]) for r in rows if r["gold"] != r["predicted"]}


def merge(old: dict[str, str], failing: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Keep the reason of a case that still fails; a new failure gets a placeholder; a fixed case goes."""
    return {cid: old.get(cid) or f"gold {gold}, got {pred}" for cid, (gold, pred) in failing.items()}


def _order(ids) -> list[str]:
    rank = {c["id"]: i for i, c in enumerate(sum((load_split(s) for s in TRACKED), []))}
    return sorted(ids, key=lambda cid: rank.get(cid, len(rank)))


def dump(entries: dict[str, str]) -> str:
    body = "".join(f"{cid}: {json.dumps(entries[cid], ensure_ascii=False)}\n" for cid in _order(entries))
    return HEADER + (body or "{}\n")


def rows_from_run(home: str | None = None) -> list[dict]:
    from corpus.settings import Settings
    from evals.usecase_eval import evaluate_splits

    env = dict(os.environ, **({"MODELTERMS_HOME": home} if home else {}))
    rep = evaluate_splits(Settings.from_env(env), TRACKED, rows_for_held_out=True)
    return [r for s in TRACKED for r in rep["splits"][s]["rows"]]


def rows_from_report(report: Path) -> list[dict]:
    rep = json.loads(Path(report).read_text(encoding="utf-8"))
    missing = [s for s in TRACKED if "rows" not in rep["splits"].get(s, {})]
    if missing:
        raise SystemExit(f"{report}: no per-case rows for {', '.join(missing)} (write it with held-out rows)")
    return [r for s in TRACKED for r in rep["splits"][s]["rows"]]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help=f"rewrite evals/{FILE} (default: print it)")
    ap.add_argument("--from", dest="report", type=Path, help="a JSON report with per-case rows instead of a run")
    ap.add_argument("--home", help="MODELTERMS_HOME for the run")
    args = ap.parse_args(argv)
    rows = rows_from_report(args.report) if args.report else rows_from_run(args.home)
    old = load()
    new = merge(old, failures_from_rows(rows))
    text = dump(new)
    if not args.write:
        print(text, end="")
        return
    atomic_write(path(), text, KEEP)
    fixed = sorted(set(old) - set(new))
    print(f"wrote {path()}: {len(new)} known failures ({len(set(new) - set(old))} new, {len(fixed)} fixed)")


if __name__ == "__main__":
    main()
