"""`modelterms eval --split ...`: each split scored on its own, held-out splits as aggregates, paraphrase
consistency against the original's verdict, external texts added for the run only, a clear skip when
the external set is absent."""
from __future__ import annotations

import json

from corpus.catalog import Corpus
from evals.data import load_split
from evals.usecase_eval import evaluate_splits, format_splits
from tests.conftest import run_cli


def _scripted(wrong: set[str], flip: dict[str, str] | None = None):
    """An answerer that returns the gold verdict except for the ids in `wrong` (answered 'unclear') or
    in `flip` (answered with the given verdict): it exercises the scoring, not the check."""
    flip = flip or {}

    def answer(case: dict) -> dict:
        verdict = flip.get(case["id"]) or ("unclear" if case["id"] in wrong else case["verdict"])
        return {"verdict": verdict, "findings": [], "deciding": []}

    return answer


def test_paraphrase_consistency_is_measured_against_the_original_verdict(settings):
    paras = load_split("paraphrase")
    of = paras[0]["of"]
    siblings = [p["id"] for p in paras if p["of"] == of]
    # the original is answered wrongly and one sibling differs from it: 2 of its 3 paraphrases agree with it
    answer = _scripted(wrong={of, siblings[0], siblings[1]}, flip={siblings[2]: "allowed" if paras[0]["verdict"]
                                                                  != "allowed" else "prohibited"})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("paraphrase",), answer=answer)
    c = rep["splits"]["paraphrase"]["consistency"]
    n = len(paras)
    assert c["all"]["n"] == n
    assert abs(c["all"]["consistency"] - round((n - 1) / n, 3)) < 1e-9
    assert c["inconsistent_of"] == [of]
    assert abs(c["all"]["accuracy"] - round((n - 3) / n, 3)) < 1e-9


def test_held_out_split_is_reported_as_aggregates_and_absent_external_is_skipped(settings, tmp_path):
    test_cases = load_split("test")
    prohibited = next(c["id"] for c in test_cases if c["verdict"] == "prohibited")
    allowed = next(c["id"] for c in test_cases if c["verdict"] == "allowed")
    answer = _scripted(wrong={allowed}, flip={prohibited: "allowed"})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("test", "external"), answer=answer, external=tmp_path / "absent.jsonl")
    t = rep["splits"]["test"]
    assert "rows" not in t and t["dangerous_misses"] == 1
    assert t["questions"] == len(test_cases)
    soft = sum(c["verdict"] in ("allowed", "conditional") for c in test_cases)
    assert abs(t["unclear_on_allowed_or_conditional"] - round(1 / soft, 3)) < 1e-9
    assert "external" in rep["skipped"] and "not found" in rep["skipped"]["external"]
    text = format_splits(rep)
    assert "== external: skipped" in text
    assert prohibited not in text and allowed not in text  # held-out cases are not named


def test_external_split_reads_texts_at_run_time_and_scores_accept_and_kind(settings, tmp_path):
    shared = tmp_path / "shared"
    (shared / "evals").mkdir(parents=True)
    (shared / "external" / "licenses" / "acme").mkdir(parents=True)
    (shared / "external" / "licenses" / "acme" / "LICENSE.txt").write_text(
        "Acme Model License\n\n1. Grant. You may use, copy and modify the Model for any purpose.\n\n"
        "2. Restrictions. You must not use the Model for military purposes or to develop weapons.\n",
        encoding="utf-8")
    rows = [{"id": "x-1", "license": "external:licenses/acme/LICENSE.txt", "use": "an army unit plans patrols with it",
             "gold": "prohibited", "kind": "indirect"},
            {"id": "x-2", "license": "mit", "use": "internal tagging of tickets", "gold": "allowed",
             "accept": ["conditional"], "kind": "direct"}]
    ext = shared / "evals" / "external-usecases.jsonl"
    ext.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    rep = evaluate_splits(settings, ("external",), external=ext)
    e = rep["splits"]["external"]
    assert e["questions"] == 2 and e["errors"] == 0 and e["quote_failures"] == 0
    assert "text_problems" not in e and "rows" not in e
    assert set(e["by_kind"]) == {"indirect", "direct"}
    assert e["accuracy_accept"] >= e["accuracy"]
    # the external text was analysed for this run only: nothing was stored in the user's corpus
    assert "external:licenses/acme/LICENSE.txt" not in Corpus(settings).user_keys()


def test_cli_eval_external_skips_with_one_clear_line(tmp_path):
    r = run_cli("eval", "--split", "external", "--external", str(tmp_path / "none.jsonl"), home=tmp_path / "home")
    assert r.returncode == 0, r.stderr
    assert "external: skipped" in r.stdout and "none.jsonl not found" in r.stdout
    r = run_cli("eval", "--split", "holdout", home=tmp_path / "home")
    assert r.returncode != 0 and "holdout" in (r.stderr + r.stdout)


def test_cli_eval_ask_runs_per_split(tmp_path):
    ext = tmp_path / "evals" / "set.jsonl"
    ext.parent.mkdir()
    ext.write_text(json.dumps({"id": "x-1", "license": "mit", "use": "tag our support tickets internally",
                               "gold": "allowed", "kind": "direct"}) + "\n", encoding="utf-8")
    r = run_cli("eval", "ask", "--llm", "grounded", "--split", "external", "--external", str(ext), "--json",
                home=tmp_path / "home", env={"MODELTERMS_LLM": ""})
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["splits"]["external"]["n"] == 1 and rep["splits"]["external"]["errors"] == 0
    assert rep["splits"]["external"]["check_accuracy"] in (0.0, 1.0)


def test_devx_split_runs_builtin_cases_without_shared_and_lists_rows(settings, tmp_path):
    """devx is a dev split: rows are kept; with no external texts its external cases are left out, not failed."""
    from evals.data import devx_entries

    absent = tmp_path / "evals" / "absent.jsonl"
    cases = load_split("devx", absent)
    wrong = next(c["id"] for c in cases if c["verdict"] == "prohibited")
    answer = _scripted(wrong=set(), flip={wrong: "allowed"})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("devx",), answer=answer, external=absent)
    d = rep["splits"]["devx"]
    assert d["questions"] == len(cases) < len(devx_entries())
    assert d["dangerous_misses"] == [wrong] and len(d["rows"]) == len(cases)
    assert "left out" in format_splits(rep) and f"{wrong} prohibited->allowed" in format_splits(rep)


def test_devy_split_is_scored_like_devx_with_rows_and_left_out_cases(settings, tmp_path):
    """devy is a blind dev split like devx: rows kept, a dangerous miss named, external cases left out (not
    failed) without the external texts, and `accept` counted."""
    from evals.data import devy_entries

    absent = tmp_path / "evals" / "absent.jsonl"
    cases = load_split("devy", absent)
    wrong = next(c["id"] for c in cases if c["verdict"] == "prohibited")
    lenient = next(c for c in cases if c.get("accept"))
    answer = _scripted(wrong=set(), flip={wrong: "allowed", lenient["id"]: lenient["accept"][0]})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("devy",), answer=answer, external=absent)
    d = rep["splits"]["devy"]
    assert d["questions"] == len(cases) < len(devy_entries())
    assert d["dangerous_misses"] == [wrong] and len(d["rows"]) == len(cases)
    assert d["accuracy_accept"] == round((len(cases) - 1) / len(cases), 3)
    text = format_splits(rep)
    assert "== devy" in text and "left out" in text and "counting accept" in text


def test_devm_split_scores_model_cases_with_rows(settings, tmp_path):
    """devm is a blind dev split of model-id questions: every case runs (none left out), each row names the
    model as its subject, and a dangerous miss is named."""
    absent = tmp_path / "evals" / "absent.jsonl"
    cases = load_split("devm", absent)
    assert cases and all(c.get("model") and not c.get("license") for c in cases)
    wrong = next(c["id"] for c in cases if c["verdict"] == "prohibited")
    answer = _scripted(wrong=set(), flip={wrong: "allowed"})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("devm",), answer=answer, external=absent)
    d = rep["splits"]["devm"]
    assert d["questions"] == len(cases) and "left_out" not in d
    assert d["dangerous_misses"] == [wrong] and len(d["rows"]) == len(cases)
    assert {r["license"] for r in d["rows"]} == {c["model"] for c in cases}
    assert "== devm" in format_splits(rep) and f"{wrong} prohibited->allowed" in format_splits(rep)


def test_devz_reports_paraphrase_groups_split_by_one_wording(settings, tmp_path):
    """devz carries rewordings (`of`) beside their base cases: a group is answered alike only when every wording
    gets the base case's verdict, and the report names the groups that split."""
    absent = tmp_path / "evals" / "absent.jsonl"
    cases = load_split("devz", absent)  # the built-in and model cases run without ../shared
    reworded = next(c for c in cases if c.get("of"))
    flipped = "allowed" if reworded["verdict"] != "allowed" else "prohibited"
    answer = _scripted(wrong=set(), flip={reworded["id"]: flipped})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("devz",), answer=answer, external=absent)
    g = rep["splits"]["devz"]["groups"]
    assert g["split"] == [reworded["of"]] and g["consistent"] == g["n"] - 1
    assert f"split: {reworded['of']}" in format_splits(rep)


def test_devx_paraphrase_consistency_is_against_the_devx_verdict(settings, tmp_path):
    """devx-paraphrase is tunable: rows kept; consistency compares each paraphrase with the verdict the tool
    gives its devx case, right or wrong."""
    absent = tmp_path / "evals" / "absent.jsonl"
    paras = load_split("devx-paraphrase", absent)
    of = paras[0]["of"]
    siblings = [p["id"] for p in paras if p["of"] == of]
    other = "allowed" if paras[0]["verdict"] != "allowed" else "prohibited"
    # the devx case is answered wrongly ('unclear'), two siblings agree with it, the third differs
    answer = _scripted(wrong={of, siblings[0], siblings[1]}, flip={siblings[2]: other})
    answer.corpus = Corpus(settings)
    rep = evaluate_splits(settings, ("devx-paraphrase",), answer=answer, external=absent)
    d = rep["splits"]["devx-paraphrase"]
    n = len(paras)
    assert d["questions"] == n and len(d["rows"]) == n and "left_out" in d
    assert d["consistency"]["all"]["consistency"] == round((n - 1) / n, 3)
    assert d["consistency"]["inconsistent_of"] == [of]
    assert "paraphrase consistency" in format_splits(rep)
