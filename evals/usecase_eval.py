"""Use-case evaluation: the grounded check over the annotated questions in evals/usecases/.

Scores verdict accuracy, the confusion matrix, dangerous misses (gold prohibited → predicted
allowed: the one error modelterms must never make), citation accuracy (a predicted deciding
clause is among the gold ones), per-term F1 of the categories the findings name against the
question's gold terms, quote integrity (every quote a verbatim substring of its license), and how
often an allowed or conditional use is answered "unclear" (a wrong "unclear" costs users too).

`evaluate_splits` scores each split of evals/data.py separately — dev (tuned on), test (frozen),
paraphrase (adds consistency: the paraphrase gets the verdict the tool gives its dev original) and
external (../shared/evals; adds accuracy counting `accept`, and a breakdown by `kind`); devx (a second
dev split on mostly external texts, scored only when named, never merged into dev); devx-paraphrase
(devx cases in three voices, tunable; consistency against the verdict the tool gives the devx case); devy (a
third blind dev split, reported like devx); devm (a fourth, of model-id questions: `model:` cases). Held-out
splits (test, external) are reported as aggregates: their rows are kept out of the report unless
asked for, so that nobody tunes on individual held-out cases.

`answer(case)` is pluggable so the same scoring runs through the agent (`modelterms eval ask --llm`); `modelterms eval --llm` compares the rule and LLM use readers.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

from agent.present import json as present_json
from agent.deps import Deps
from corpus.atomic import atomic_write
from corpus.settings import Settings
from evals.data import (BLIND_SPLITS, EXTERNAL_PREFIX, SPLITS, VERDICTS, blind_cases, devx_paraphrases, load_split,
                        texts_next_to, usecases)

HELD_OUT = ("test", "external")  # reported as aggregates only
# splits whose cases may name `external:` texts (added for the run) and carry `accept`
WITH_EXTERNAL_TEXTS = ("external", *BLIND_SPLITS, "devx-paraphrase")


def grounded_answerer(deps: Deps | Settings) -> Callable[[dict], dict]:
    from agent.check import Checker

    checker = Checker(deps)

    def answer(case: dict) -> dict:
        return present_json.check(checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                                                card=case.get("card")))

    answer.corpus = checker.corpus  # type: ignore[attr-defined]
    return answer


def leave_family_out_answerer(deps: Deps | Settings) -> Callable[[dict], dict]:
    """The grounded check with, for each annotated license, a term classifier trained without its
    family: how the check does on license texts the classifier never saw."""
    from collections import defaultdict

    from agent.check import Checker
    from agent.terms.profile import Profiler
    from evals.data import annotations
    from evals.profile_eval import dataset, train_on

    deps = Deps.of(deps)
    settings = deps.settings
    anns = annotations()
    data = dataset(settings, deps.corpus, deps.store)
    families = defaultdict(list)
    for key in data:
        families[anns[key].get("family") or key].append(key)
    models = {fam: train_on(data, [k for k in data if k not in members]) for fam, members in families.items()}
    fam_of = {k: fam for fam, members in families.items() for k in members}

    class _HeldOut(Profiler):
        def classifier_for(self, key):
            # a held-out family's classifier; the profiler's own for texts outside the annotated set
            return models[fam_of[key]] if key in fam_of else None

    checker = Checker(deps.replace(profiler=_HeldOut(settings, deps.corpus, deps.store)))

    def answer(case: dict) -> dict:
        return present_json.check(checker.check(case["use"], license=case.get("license"), model=case.get("model"),
                                                card=case.get("card")))

    answer.corpus = checker.corpus  # type: ignore[attr-defined]
    return answer


def evaluate(deps: Deps | Settings, answer: Callable[[dict], dict] | None = None, cases: list[dict] | None = None,
             progress: Callable[[int, int], None] | None = None) -> dict:
    deps = Deps.of(deps)
    answer = answer or grounded_answerer(deps)
    corpus = getattr(answer, "corpus", None) or deps.corpus
    cases = cases if cases is not None else usecases()
    confusion: dict[str, Counter] = {g: Counter() for g in VERDICTS}
    rows, dangerous, bad_quotes, errors = [], [], [], []
    cite_ok = cite_n = 0
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    latencies = []
    texts: dict[str, str] = {}
    start = time.perf_counter()
    for i, case in enumerate(cases):
        t0 = time.perf_counter()
        try:
            out = answer(case)
        except Exception as e:  # a failing case is scored as unclear and reported, not fatal to the run
            errors.append({"id": case["id"], "error": f"{type(e).__name__}: {e}"})
            out = {"verdict": "unclear", "findings": [], "deciding": []}
        latencies.append(time.perf_counter() - t0)
        gold, pred = case["verdict"], out["verdict"]
        confusion[gold][pred] += 1
        accepted = pred == gold or pred in (case.get("accept") or ())
        if gold == "prohibited" and pred == "allowed" and not accepted:
            dangerous.append(case["id"])
        gold_cites = set(case.get("deciding") or [])
        deciding = out.get("deciding") or [f["clause_id"] for f in out.get("findings", [])]
        if gold_cites:
            cite_n += 1
            cite_ok += bool(gold_cites & set(deciding))
        gold_terms = set(case.get("terms") or [])
        pred_terms = {f["category"] for f in out.get("findings", []) if f.get("effect") in (None, "prohibited", "condition", "review")}
        for t in gold_terms | pred_terms:
            if t in gold_terms and t in pred_terms:
                tp[t] += 1
            elif t in pred_terms:
                fp[t] += 1
            else:
                fn[t] += 1
        for f in out.get("findings", []):
            key = f["license"]
            if key not in texts:
                texts[key] = corpus.get(key).text
            if f["quote"] not in texts[key]:
                bad_quotes.append({"id": case["id"], "clause_id": f["clause_id"]})
        rows.append({"id": case["id"], "license": case.get("license") or case.get("model") or case.get("card"),
                     "gold": gold, "predicted": pred, "accepted": accepted, "deciding": deciding[:5],
                     "gold_deciding": sorted(gold_cites), **({"kind": case["kind"]} if "kind" in case else {})})
        if progress:
            progress(i + 1, len(cases))
    wall = time.perf_counter() - start
    n = len(cases)
    correct = sum(confusion[v][v] for v in VERDICTS)
    per_term = {}
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        r = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        per_term[t] = {"precision": round(p, 3), "recall": round(r, 3),
                       "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp[t], "fp": fp[t], "fn": fn[t]}
    lat = sorted(latencies)
    soft = [r for r in rows if r["gold"] in ("allowed", "conditional")]
    by_kind = {}
    for kind in sorted({r["kind"] for r in rows if "kind" in r}):
        sub = [r for r in rows if r.get("kind") == kind]
        by_kind[kind] = {"n": len(sub), "accuracy": round(sum(r["gold"] == r["predicted"] for r in sub) / len(sub), 3),
                         "accuracy_accept": round(sum(r["accepted"] for r in sub) / len(sub), 3),
                         "dangerous_misses": sum(r["id"] in dangerous for r in sub)}
    return {
        "questions": n,
        "licenses": len({c.get("license") or c.get("model") or c.get("card") for c in cases}),
        "accuracy": round(correct / n, 3) if n else 0.0,
        "accuracy_accept": round(sum(r["accepted"] for r in rows) / n, 3) if n else 0.0,
        "unclear_on_allowed_or_conditional": round(sum(r["predicted"] == "unclear" for r in soft) / len(soft), 3)
        if soft else 0.0,
        **({"by_kind": by_kind} if by_kind else {}),
        "dangerous_misses": dangerous,
        # None when no case names gold clauses (the external set quotes excerpts instead of clause ids)
        "citation_accuracy": round(cite_ok / cite_n, 3) if cite_n else None,
        "quote_failures": bad_quotes,
        "errors": errors,
        "confusion": {g: {p: confusion[g][p] for p in VERDICTS} for g in VERDICTS},
        "per_verdict_recall": {g: round(confusion[g][g] / max(1, sum(confusion[g].values())), 3) for g in VERDICTS},
        "per_term": per_term,
        "macro_term_f1": round(sum(v["f1"] for v in per_term.values()) / len(per_term), 3) if per_term else 0.0,
        "wall_s": round(wall, 2),
        "p50_ms": round(1000 * lat[len(lat) // 2], 1) if lat else 0.0,
        "rows": rows,
    }


def add_external_texts(corpus, cases: list[dict]) -> list[str]:
    """Add each `external:` text the cases name to the corpus for this process only (never stored, never
    copied into the repository). Returns the problems (a text that cannot be read); those cases then fail."""
    from corpus.entry import LicenseEntry, guess_kind
    from corpus.textfile import read_text_file

    problems, done = [], set()
    for case in cases:
        key, path = case.get("license") or "", case.get("_text_path")
        if not key.startswith(EXTERNAL_PREFIX) or not path or key in done:
            continue
        done.add(key)
        try:
            text = read_text_file(Path(path), corpus.settings.max_file_bytes)
        except Exception as e:  # reported with the split; the case is scored from the error
            problems.append(f"{key}: {type(e).__name__}: {e}")
            continue
        name = next((ln.strip(" #*_\t") for ln in text.splitlines() if len(ln.strip(" #*_\t")) >= 3), key)[:120]
        corpus.add_transient(LicenseEntry(key=key, name=name, kind=guess_kind(name, text, Path(path).name), text=text,
                                          source="file", family=key, origin_file=str(Path(path).resolve())))
    return problems


def _original_verdicts(rows: list[dict], originals: list[dict], cases: list[dict], answer) -> dict[str, str]:
    """The verdict the tool gives each case the paraphrases are `of`: from an already scored split's rows,
    else answered now (an error scores as unclear, as evaluate() does)."""
    done = {r["id"]: r["predicted"] for r in rows}
    wanted = {c["of"] for c in cases}
    for c in originals:
        if c["id"] in wanted and c["id"] not in done:
            try:
                done[c["id"]] = answer(c)["verdict"]
            except Exception:
                done[c["id"]] = "unclear"
    return done


def group_consistency(cases: list[dict], predicted: list[str]) -> dict | None:
    """Paraphrase groups inside a blind split (a rewording names its base case in `of`): how many groups get one
    verdict for all their wordings, and which split. None when the split has no rewordings."""
    verdicts: dict[str, set[str]] = {}
    for c, p in zip(cases, predicted):
        verdicts.setdefault(c.get("of") or c["id"], set()).add(p)
    grouped = {c["of"] for c in cases if c.get("of")}
    if not grouped:
        return None
    split = sorted(g for g in grouped if len(verdicts[g]) > 1)
    return {"n": len(grouped), "consistent": len(grouped) - len(split),
            "consistency": round((len(grouped) - len(split)) / len(grouped), 3), "split": split}


def _consistency(rows: list[dict], cases: list[dict], original: dict[str, str]) -> dict:
    """Paraphrase consistency: the share of paraphrases answered with the verdict the tool gives the
    original dev case (right or wrong), overall and per voice, next to accuracy per voice."""
    pred = {r["id"]: r["predicted"] for r in rows}
    out = {}
    groups = {"all": cases, **{v: [c for c in cases if c["voice"] == v] for v in sorted({c["voice"] for c in cases})}}
    for name, sub in groups.items():
        if not sub:
            continue
        out[name] = {"n": len(sub),
                     "consistency": round(sum(pred[c["id"]] == original[c["of"]] for c in sub) / len(sub), 3),
                     "accuracy": round(sum(pred[c["id"]] == c["verdict"] for c in sub) / len(sub), 3)}
    out["originals_correct"] = round(sum(original[o] == c["verdict"] for o, c in
                                         {c["of"]: c for c in cases}.items()) / max(1, len({c["of"] for c in cases})), 3)
    out["inconsistent_of"] = sorted({c["of"] for c in cases if pred[c["id"]] != original[c["of"]]})
    return out


def evaluate_splits(deps: Deps | Settings, splits: tuple[str, ...] | list[str] = SPLITS,
                    answer: Callable[[dict], dict] | None = None, external: Path | None = None,
                    progress: Callable[[str, int, int], None] | None = None, rows_for_held_out: bool = False) -> dict:
    """Each split scored on its own with the same answerer (one warm checker for all splits)."""
    from evals.machine import describe

    deps = Deps.of(deps)
    loaded = {split: load_split(split, external) for split in splits}
    out: dict = {"machine": describe(), "splits": {}, "skipped": {}}
    if any(cases is not None for cases in loaded.values()):  # the checker loads only when there is work
        answer = answer or grounded_answerer(deps)
    corpus = getattr(answer, "corpus", None)
    for split, cases in loaded.items():
        if cases is None:
            where = external or "../shared/evals/external-usecases.jsonl"
            out["skipped"][split] = f"{where} not found (pass --external PATH); external split skipped"
            continue
        notes = []
        if split in WITH_EXTERNAL_TEXTS:
            if corpus is None:
                corpus = deps.corpus
            notes = add_external_texts(corpus, cases)
        rep = evaluate(deps, answer=answer, cases=cases,
                       progress=(lambda i, n, s=split: progress(s, i, n)) if progress else None)
        if notes:
            rep["text_problems"] = notes
        missing = (blind_cases(split, texts_next_to(external))[1] if split in BLIND_SPLITS else
                   devx_paraphrases(texts_next_to(external))[1] if split == "devx-paraphrase" else [])
        if missing:
            rep["left_out"] = f"{len(missing)} cases whose external text is absent (pass --external PATH)"
        if split in BLIND_SPLITS:
            predicted = {row["id"]: row["predicted"] for row in rep["rows"]}
            rep["groups"] = group_consistency(cases, [predicted[c["id"]] for c in cases])
        if split == "paraphrase":
            dev_rows = {r["id"]: r["predicted"] for r in out["splits"].get("dev", {}).get("rows", [])}
            originals = {c["of"] for c in cases}
            missing = [c for c in usecases("dev") if c["id"] in originals and c["id"] not in dev_rows]
            for c in missing:
                try:
                    dev_rows[c["id"]] = answer(c)["verdict"]
                except Exception:  # scored as unclear, as evaluate() does
                    dev_rows[c["id"]] = "unclear"
            rep["consistency"] = _consistency(rep["rows"], cases, dev_rows)
        if split == "devx-paraphrase":
            rep["consistency"] = _consistency(rep["rows"], cases, _original_verdicts(
                out["splits"].get("devx", {}).get("rows", []), load_split("devx", external), cases, answer))
        if split in HELD_OUT and not rows_for_held_out:
            rep.pop("rows", None)
            rep["dangerous_misses"] = len(rep["dangerous_misses"])
            rep["quote_failures"] = len(rep["quote_failures"])
            rep["errors"] = len(rep["errors"])
        out["splits"][split] = rep
    return out


def format_splits(rep: dict) -> str:
    """One block per split; held-out splits as aggregates only."""
    lines = [f"machine: {rep['machine']}"]
    for split, r in rep["splits"].items():
        n_dm = r["dangerous_misses"] if isinstance(r["dangerous_misses"], int) else len(r["dangerous_misses"])
        n_q = r["quote_failures"] if isinstance(r["quote_failures"], int) else len(r["quote_failures"])
        n_e = r["errors"] if isinstance(r["errors"], int) else len(r["errors"])
        lines += ["", f"== {split}: {r['questions']} questions over {r['licenses']} licenses/models",
                  f"verdict accuracy   {r['accuracy']:.3f}" + (f"   (counting accept: {r['accuracy_accept']:.3f})"
                                                               if split in WITH_EXTERNAL_TEXTS else ""),
                  f"dangerous misses   {n_dm}",
                  "citation accuracy  " + (f"{r['citation_accuracy']:.3f}" if r["citation_accuracy"] is not None
                                           else "n/a (no gold clause ids)"),
                  f"unclear on gold allowed/conditional  {r['unclear_on_allowed_or_conditional']:.3f}",
                  f"quote failures {n_q}, errors {n_e}, p50 {r['p50_ms']:.0f} ms per question"]
        if "consistency" in r:
            c = r["consistency"]
            lines.append(f"paraphrase consistency {c['all']['consistency']:.3f} (accuracy {c['all']['accuracy']:.3f}; "
                         "by voice: " + ", ".join(f"{v} {c[v]['consistency']:.3f}/{c[v]['accuracy']:.3f}"
                                                  for v in ("actor", "activity", "casual") if v in c) + ")")
        if r.get("groups"):
            g = r["groups"]
            lines.append(f"paraphrase groups answered alike {g['consistent']}/{g['n']} ({g['consistency']:.3f})"
                         + (f"; split: {', '.join(g['split'])}" if g["split"] else ""))
        if "by_kind" in r:
            lines.append("by kind: " + "; ".join(f"{k} {v['accuracy']:.2f} ({v['accuracy_accept']:.2f} w/ accept, "
                                                 f"n={v['n']}, dm={v['dangerous_misses']})" for k, v in r["by_kind"].items()))
        if r.get("text_problems"):
            lines.append(f"external texts that could not be read: {len(r['text_problems'])}")
        if r.get("left_out"):
            lines.append(f"left out: {r['left_out']}")
        lines.append("confusion (rows gold, columns predicted): " + "; ".join(
            f"{g}: " + " ".join(str(r["confusion"][g][p]) for p in VERDICTS) for g in VERDICTS))
        if split not in HELD_OUT and r.get("rows"):
            wrong = [row for row in r["rows"] if row["gold"] != row["predicted"]]
            if wrong:
                lines.append(f"wrong verdicts ({len(wrong)}): " + ", ".join(
                    f"{row['id']} {row['gold']}->{row['predicted']}" for row in wrong))
    for split, why in rep["skipped"].items():
        lines += ["", f"== {split}: skipped — {why}"]
    return "\n".join(lines)


def format_report(r: dict) -> str:
    lines = [f"use-case eval: {r['questions']} questions over {r['licenses']} licenses",
             f"verdict accuracy   {r['accuracy']:.3f}",
             f"dangerous misses   {len(r['dangerous_misses'])}" + (f"  ({', '.join(r['dangerous_misses'])})"
                                                                  if r["dangerous_misses"] else ""),
             f"citation accuracy  {r['citation_accuracy']:.3f}",
             f"term macro-F1      {r['macro_term_f1']:.3f}",
             f"quote failures     {len(r['quote_failures'])}",
             f"errors             {len(r['errors'])}",
             f"time               {r['wall_s']:.1f} s (p50 {r['p50_ms']:.0f} ms per question)",
             "",
             "confusion (rows gold, columns predicted):",
             f"{'':13s}" + "".join(f"{v:>13s}" for v in VERDICTS)]
    for g in VERDICTS:
        lines.append(f"{g:13s}" + "".join(f"{r['confusion'][g][p]:13d}" for p in VERDICTS))
    lines.append("\nper term: precision recall f1 (tp/fp/fn)")
    for t, v in sorted(r["per_term"].items(), key=lambda kv: kv[1]["f1"]):
        lines.append(f"  {t:26s} {v['precision']:.2f} {v['recall']:.2f} {v['f1']:.2f}  ({v['tp']}/{v['fp']}/{v['fn']})")
    wrong = [row for row in r["rows"] if row["gold"] != row["predicted"]]
    if wrong:
        lines.append(f"\nwrong verdicts ({len(wrong)}):")
        for row in wrong:
            lines.append(f"  {row['id']:8s} {row['license']:34s} gold {row['gold']:12s} got {row['predicted']}")
    return "\n".join(lines)


def write_report(report: dict, path: Path) -> None:
    """Atomic: a failed run never leaves half a report."""
    atomic_write(path, json.dumps(report, indent=2, ensure_ascii=False))


def compare_readers(deps: Deps | Settings, llm_settings: Settings, cases: list[dict] | None = None,
                    progress: Callable[[int, int], None] | None = None, list_ids: bool = True) -> dict:
    """The use-case set read twice — by the grounded rule reader and with the LLM reader on top
    (agent/check/llm_reader.py) — scored side by side, with the cases where the verdicts differ
    (held-out splits: counted, not listed, so nobody tunes on them)."""
    from agent.check import Checker
    from agent.check.llm_reader import prompt_version, reader_for

    rules = Checker(deps)
    # the LLM reader's settings over the same texts, index, profiles and embedding model
    shared = Deps(llm_settings, corpus=rules.corpus, store=rules.store, profiler=rules.profiler,
                  embedder=rules.embedder)
    llm = Checker(shared, llm_reader=reader_for(llm_settings))
    cases = cases if cases is not None else usecases()
    add_external_texts(rules.corpus, cases)
    counts = {"rules": Counter(), "llm": Counter()}
    disagreements, notes = [], Counter()
    for i, case in enumerate(cases):
        target = {"license": case.get("license"), "model": case.get("model"), "card": case.get("card")}
        gold = case["verdict"]
        out = {}
        for name, checker in (("rules", rules), ("llm", llm)):
            try:
                r = checker.check(case["use"], **target)
                out[name] = r.verdict
                if name == "llm" and r.use is not None and r.use.reader.startswith("rules ("):
                    notes[r.use.reader] += 1
            except Exception as e:  # scored as unclear, as in evaluate()
                out[name] = "unclear"
                notes[f"{name}: {type(e).__name__}"] += 1
            counts[name]["correct"] += out[name] == gold
            counts[name]["dangerous"] += gold == "prohibited" and out[name] == "allowed"
        if out["rules"] != out["llm"]:
            disagreements.append({"id": case["id"], "gold": gold, "rules": out["rules"], "llm": out["llm"]})
        if progress:
            progress(i + 1, len(cases))
    n = len(cases) or 1
    return {"questions": len(cases), "prompt_version": prompt_version(), "llm": llm_settings.llm,
            "rules": {"accuracy": round(counts["rules"]["correct"] / n, 3), "dangerous": counts["rules"]["dangerous"]},
            "llm_reader": {"accuracy": round(counts["llm"]["correct"] / n, 3), "dangerous": counts["llm"]["dangerous"]},
            "disagreements": disagreements if list_ids else [],
            "disagreement_count": len(disagreements), "llm_notes": dict(notes)}


def format_readers(report: dict) -> str:
    lines = [f"{report['questions']} questions; LLM {report['llm']} (prompt {report['prompt_version']})",
             f"  rule reader: accuracy {report['rules']['accuracy']:.3f}, dangerous misses {report['rules']['dangerous']}",
             f"  LLM reader:  accuracy {report['llm_reader']['accuracy']:.3f}, dangerous misses "
             f"{report['llm_reader']['dangerous']}",
             f"  they disagree on {report['disagreement_count']}" + (":" if report["disagreements"] else
                                                                    " (held-out cases: not listed)")]
    lines += [f"    {d['id']}: gold {d['gold']}, rules {d['rules']}, LLM {d['llm']}" for d in report["disagreements"]]
    lines += [f"  note: {k} ×{v}" for k, v in report["llm_notes"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    rep = evaluate_splits(Settings.from_env())
    print(json.dumps(rep, indent=2) if "--json" in sys.argv else format_splits(rep))
