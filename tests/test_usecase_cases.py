"""One test per use case — dev, the frozen test split and the paraphrases — so that a change names the
cases it fixes or breaks. Known failures (evals/known_failures.yaml, id → reason) are xfail(strict=True):
a listed case that passes fails its test (the fix is real: delete its line, or run
`python -m evals.known_failures --write`), an unlisted case that fails is a regression.

The check runs for real (packaged embedding model, real texts) on the session `indexed` home; each
case is answered once and shared with the aggregate guards at the end of the module.
"""
from __future__ import annotations

from functools import lru_cache

import pytest

from agent.check import Checker
from evals import known_failures
from evals.data import load_split

CASES = {c["id"]: c for split in known_failures.TRACKED for c in load_split(split)}
KNOWN = known_failures.load()


def _params():
    for cid, case in CASES.items():
        marks = [pytest.mark.slow]
        if cid in KNOWN:
            marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[cid]))
        yield pytest.param(cid, id=cid, marks=marks)


@pytest.fixture(scope="module")
def answer(indexed):
    checker = Checker(indexed)

    @lru_cache(maxsize=None)
    def run(cid: str) -> dict:
        case = CASES[cid]
        return checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                             card=case.get("card")).as_json()

    run.corpus = checker.corpus  # type: ignore[attr-defined]
    return run


@pytest.mark.parametrize("cid", list(_params()))
def test_case_verdict(cid, answer):
    case = CASES[cid]
    got = answer(cid)["verdict"]
    assert got == case["verdict"], f"{cid} ({case['_file']}): gold {case['verdict']}, got {got}"


# --- the known-failures file itself -------------------------------------------------------------

def test_known_failures_name_existing_cases_with_a_reason():
    assert set(KNOWN) <= set(CASES), sorted(set(KNOWN) - set(CASES))
    assert all(reason.strip() for reason in KNOWN.values())


def test_known_failures_merge_keeps_reasons_drops_fixed_and_flags_new(tmp_path):
    old = {"a": "reads 'army unit' as no category", "b": "threshold missed"}
    new = known_failures.merge(old, {"a": ("prohibited", "allowed"), "c": ("allowed", "unclear")})
    assert new == {"a": "reads 'army unit' as no category", "c": "gold allowed, got unclear"}
    f = tmp_path / "kf.yaml"
    f.write_text(known_failures.dump(new), encoding="utf-8")
    assert known_failures.load(f) == new
    f.write_text(known_failures.dump({}), encoding="utf-8")
    assert known_failures.load(f) == {}


# --- aggregate guards (dev): accuracy floor, no dangerous miss, verbatim quotes ------------------

@pytest.mark.slow
def test_dev_split_accuracy_floor_no_dangerous_miss_and_verbatim_quotes(answer):
    dev = [c for c in CASES.values() if c["_split"] == "dev"]
    outs = {c["id"]: answer(c["id"]) for c in dev}
    right = sum(outs[c["id"]]["verdict"] == c["verdict"] for c in dev)
    dangerous = [c["id"] for c in dev if c["verdict"] == "prohibited" and outs[c["id"]]["verdict"] == "allowed"]
    assert dangerous == []
    assert right / len(dev) >= 0.88
    for cid, out in outs.items():
        for f in out["findings"]:
            assert f["quote"] in answer.corpus.get(f["license"]).text, (cid, f["clause_id"])
