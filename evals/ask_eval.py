"""`ask` over the use-case set, phrased the way users ask, scored against the annotations and `check`.

The questions (evals/ask_questions.yaml) are made from evals/usecases/*.yaml by this module
(`python -m evals.ask_eval --write-questions`): each use is wrapped in one of four user-style
frames and its license is named the way a user would — a model name ("Gemma 2"), a Hugging Face
model id, or the license's name — never as the `check` flag. Then:

    python -m evals.ask_eval [--llm SPEC] [--limit N] [--json]
    modelterms eval ask [--llm SPEC]

reports the verdict accuracy of `ask` against the annotated verdicts, the accuracy of `check`
(the same use with --license KEY) on the same cases, their agreement, how often the question's
target was read right, and ask's latency. With --llm the agent answers (the verdict stays the
grounded one; the report adds fallbacks, review flags and removed quotes).
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from importlib import resources
from pathlib import Path

import yaml

from agent.deps import Deps
from corpus.settings import Settings

from .data import usecases

QUESTIONS_FILE = "ask_questions.yaml"

# How users name the texts: prose names, model ids (resolved through corpus/models.yaml), or the
# license's own name. Each resolves to the same texts as `check --license KEY`.
NAMES: dict[str, dict[str, list[str]]] = {
    "llama-license-2023": {"names": ["the original LLaMA", "LLaMA 1"], "ids": ["huggyllama/llama-7b"]},
    "llama-2-license-2023": {"names": ["Llama 2"], "ids": ["meta-llama/Llama-2-7b-chat-hf"]},
    "llama-3.1-license-2024": {"names": ["Llama 3.1"], "ids": ["meta-llama/Llama-3.1-8B-Instruct"]},
    "llama-3.2-license-2024": {"names": ["Llama 3.2"], "ids": ["meta-llama/Llama-3.2-3B-Instruct"]},
    "llama-3.3-license-2024": {"names": ["Llama 3.3"], "ids": ["meta-llama/Llama-3.3-70B-Instruct"]},
    "llama-4-cla-2025": {"names": ["Llama 4"], "ids": ["meta-llama/Llama-4-Scout-17B-16E-Instruct"]},
    "llama-4-license-2025": {"names": ["the Llama 4 Acceptable Use Policy"]},
    "gemma-tou-2024-04-01": {"names": ["Gemma 2"], "ids": ["google/gemma-2-9b-it"]},
    "gemma-tou-2025-03-24": {"names": ["Gemma 3"], "ids": ["google/gemma-3-4b-it"]},
    "gemma-pup-2024-02-21": {"names": ["the Gemma Prohibited Use Policy"]},
    "bigscience-open-rail-m": {"names": ["the BigScience OpenRAIL-M license"]},
    "bigscience-open-rail-m2": {"names": ["SDXL", "the CreativeML Open RAIL++-M license"],
                                "ids": ["stabilityai/stable-diffusion-xl-base-1.0"]},
    "bigscience-rail-1.0": {"names": ["BLOOM"], "ids": ["bigscience/bloom-7b1"]},
    "bigcode-open-rail-m-v1": {"names": ["StarCoder"], "ids": ["bigcode/starcoderbase-1b"]},
    "stable-diffusion-2022-08-22": {"names": ["Stable Diffusion 1.5", "the CreativeML Open RAIL-M license"],
                                    "ids": ["runwayml/stable-diffusion-v1-5"]},
    "deepseek-la-1.0": {"names": ["the DeepSeek License"], "ids": ["deepseek-ai/deepseek-llm-7b-base"]},
    "qwen-2024": {"names": ["the Qwen License"], "ids": ["Qwen/Qwen2.5-72B-Instruct"]},
    "tongyi-qianwen-2023": {"names": ["Qwen-7B", "the Tongyi Qianwen license"], "ids": ["Qwen/Qwen-7B-Chat"]},
    "falcon-2-11b-1.0": {"names": ["Falcon 2 11B"], "ids": ["tiiuae/falcon-11B"]},
    "stability-ai-community-2024": {"names": ["Stable Diffusion 3.5", "the Stability AI Community License"],
                                    "ids": ["stabilityai/stable-diffusion-3.5-large"]},
    "stability-ai-nc-2023-12-06": {"names": ["the Stability AI Non-Commercial Research Community License"],
                                   "ids": ["stabilityai/sdxl-turbo"]},
    "flux-1-nc": {"names": ["FLUX.1 [dev]"], "ids": ["black-forest-labs/FLUX.1-dev"]},
    "openai-tou-20230314": {"names": ["the OpenAI terms (openai-tou-20230314)"]},
    "openai-tou-20241211": {"names": ["the OpenAI terms (openai-tou-20241211)"]},
    "nvidia-open-model-2025-04-28": {"names": ["Nemotron", "the NVIDIA Open Model License"],
                                     "ids": ["nvidia/Nemotron-4-340B-Instruct"]},
    "salesforce-ai-aup-2025": {"names": ["the Salesforce Artificial Intelligence Acceptable Use Policy"]},
    "salesforce-au-external-2025": {"names": ["the Salesforce Acceptable Use and External-Facing Services Policy"]},
    "exaone-ai-model-1.1-nc": {"names": ["EXAONE 3.5"], "ids": ["LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct"]},
    "fair-ai-public-1.0": {"names": ["the Fair AI Public License"]},
    "hippocratic-3.0": {"names": ["the Hippocratic License 3.0"]},
    "hyperclova-x-seed-2025": {"names": ["HyperCLOVA X SEED"],
                               "ids": ["naver-hyperclovax/HyperCLOVAX-SEED-Text-Instruct-1.5B"]},
    "chameleon-research-2024": {"names": ["Chameleon"], "ids": ["facebook/chameleon-7b"]},
    "moonshot-ai-modified-mit-2025": {"names": ["Kimi K2"], "ids": ["moonshotai/Kimi-K2-Instruct"]},
    "tencent-hunyuan-3d-2.0-cla": {"names": ["Hunyuan3D 2"], "ids": ["tencent/Hunyuan3D-2"]},
    "bilibili-model-ula-2025-09-09": {"names": ["the bilibili Model Use License"]},
    "openmdw-1.0": {"names": ["the OpenMDW license"]},
    "responsible-ai-source-1.1": {"names": ["the Responsible AI Source Code License v1.1"]},
    "apache-2.0": {"names": ["the Apache 2.0 license"], "ids": ["mistralai/Mistral-7B-v0.1"]},
    "mit": {"names": ["the MIT license"], "ids": ["microsoft/phi-2"]},
    "cc-by-4.0": {"names": ["CC BY 4.0"]},
    "cc-by-nc-4.0": {"names": ["CC BY-NC 4.0"]},
    "cc-by-sa-4.0": {"names": ["CC BY-SA 4.0"]},
    "gpl-3.0": {"names": ["GPLv3"]},
}

FRAMES = [
    ("can-i", "Can I use {name} for this? {use}"),
    ("is-it-ok", "{use} Is that allowed with {name}?"),
    ("model-id", "{use} The model is {model_id}."),
    ("about", "Question about {name}: {use}"),
]


def make_questions() -> list[dict]:
    out = []
    for i, case in enumerate(usecases()):
        key = case.get("license")
        spec = NAMES.get(key)
        if not spec:
            continue
        names, ids = spec.get("names", []), spec.get("ids", [])
        frame, fmt = FRAMES[i % len(FRAMES)]
        if frame == "model-id" and not ids:
            frame, fmt = FRAMES[0]
        name = names[(i // len(FRAMES)) % len(names)] if names else ids[0]
        use = " ".join(case["use"].split())
        q = fmt.format(name=name, use=use, model_id=ids[0] if ids else "")
        out.append({"id": case["id"], "question": q, "license": key, "use": use, "verdict": case["verdict"],
                    "frame": frame})
    return out


def questions_for(cases: list[dict]) -> list[dict]:
    """User-style questions over any split's cases (`modelterms eval ask --llm SPEC --split ...`): the first
    frame, naming the text by its prose name when known, else by the model id or the corpus key."""
    out = []
    for case in cases:
        key, model = case.get("license"), case.get("model")
        names = NAMES.get(key, {}).get("names") if key else None
        name = names[0] if names else (model or key)
        use = " ".join(case["use"].split())
        out.append({"id": case["id"], "question": FRAMES[0][1].format(name=name, use=use), "license": key,
                    "model": model, "use": use, "verdict": case["verdict"], "frame": FRAMES[0][0]})
    return out


def load_questions() -> list[dict]:
    path = Path(str(resources.files("evals"))) / QUESTIONS_FILE
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_questions(path: Path | None = None) -> Path:
    path = path or Path(str(resources.files("evals"))) / QUESTIONS_FILE
    header = ("# User-style questions over evals/usecases/*.yaml, made by `python -m evals.ask_eval --write-questions`.\n"
              "# Each names its license as a user would (model name, model id or license name), never as a flag.\n")
    path.write_text(header + yaml.safe_dump(make_questions(), sort_keys=False, allow_unicode=True, width=200),
                    encoding="utf-8")
    return path


def evaluate(deps: Deps | Settings, limit: int | None = None, rows_out: Path | None = None,
             questions: list[dict] | None = None, prepare=None) -> dict:
    """`prepare(checker)` runs once before the questions (e.g. to add the external split's texts)."""
    from agent.check import Checker
    from agent.ask.conversation import Conversation

    from .machine import describe

    qs = questions if questions is not None else load_questions()
    if limit:
        qs = qs[:limit]
    deps = Deps.of(deps)
    checker = Checker(deps)
    if prepare:
        prepare(checker)
    conv = Conversation(deps, checker=checker)
    rows, ask_ms = [], []
    for q in qs:
        conv.reset()
        t0 = time.perf_counter()
        try:
            ans = conv.ask(q["question"])
            err = None
        except Exception as e:  # a failing question is scored wrong, and the run goes on
            ans, err = None, f"{type(e).__name__}: {e}"
        ask_ms.append((time.perf_counter() - t0) * 1000)
        try:
            chk = checker.check(q["use"], license=q["license"], model=q.get("model")).verdict
        except Exception as e:
            chk = f"error: {e}"
        try:
            target = set(checker.resolve(license=q["license"], model=q.get("model")).keys)
        except Exception:  # an unresolvable target reads as not found
            target = set()
        rows.append({"id": q["id"], "frame": q["frame"], "gold": q["verdict"], "check": chk,
                     "ask": ans.verdict if ans else None,
                     "target_ok": bool(ans and ((q["license"] in ans.licenses) if q["license"]
                                                else target & set(ans.licenses))),
                     "exact_target": bool(ans and ans.licenses and set(ans.licenses) == target),
                     "mode": ans.mode if ans else None, "fallback": bool(ans and ans.notices and any(
                         n.startswith("LLM unavailable") for n in ans.notices)),
                     "review": bool(ans and ans.needs_human_review), "removed_quotes": len(ans.removed_quotes) if ans else 0,
                     "ms": round(ask_ms[-1], 1), "error": err})
    if rows_out:
        Path(rows_out).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return _report(rows, deps.settings, describe())


def _report(rows: list[dict], settings: Settings, machine: str) -> dict:
    n = len(rows) or 1

    def rate(pred) -> float:
        return round(sum(1 for r in rows if pred(r)) / n, 3)

    frames = {}
    for f in sorted({r["frame"] for r in rows}):
        sub = [r for r in rows if r["frame"] == f]
        frames[f] = {"n": len(sub), "ask_acc": round(sum(r["ask"] == r["gold"] for r in sub) / len(sub), 3),
                     "agree_check": round(sum(r["ask"] == r["check"] for r in sub) / len(sub), 3)}
    ms = sorted(r["ms"] for r in rows) or [0.0]
    wrong_allowed = sum(1 for r in rows if r["ask"] == "allowed" and r["gold"] == "prohibited")
    return {
        "n": len(rows), "mode": rows[0]["mode"] if rows else None, "machine": machine,
        "ask_accuracy": rate(lambda r: r["ask"] == r["gold"]),
        "check_accuracy": rate(lambda r: r["check"] == r["gold"]),
        "ask_agrees_with_check": rate(lambda r: r["ask"] == r["check"]),
        "target_found": rate(lambda r: r["target_ok"]),
        "target_exact": rate(lambda r: r["exact_target"]),
        "ask_allowed_where_prohibited": wrong_allowed,
        "llm_fallbacks": sum(r["fallback"] for r in rows), "needs_human_review": sum(r["review"] for r in rows),
        "removed_quotes": sum(r["removed_quotes"] for r in rows), "errors": sum(1 for r in rows if r["error"]),
        "ask_ms_p50": round(statistics.median(ms), 1), "ask_ms_p95": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
        "by_frame": frames,
        "disagreements": [{k: r[k] for k in ("id", "frame", "gold", "check", "ask", "target_ok")}
                          for r in rows if r["ask"] != r["check"]][:40],
    }


def format_report(rep: dict) -> str:
    lines = [f"ask over the use-case set ({rep['n']} questions, mode {rep['mode']})",
             f"  machine: {rep['machine']}",
             f"  ask accuracy vs annotations:   {rep['ask_accuracy']:.1%}",
             f"  check accuracy (same cases):   {rep['check_accuracy']:.1%}",
             f"  ask agrees with check:         {rep['ask_agrees_with_check']:.1%}",
             f"  target read right (contains / exact): {rep['target_found']:.1%} / {rep['target_exact']:.1%}",
             f"  allowed where annotated prohibited: {rep['ask_allowed_where_prohibited']}",
             f"  ask latency p50 / p95: {rep['ask_ms_p50']:.0f} / {rep['ask_ms_p95']:.0f} ms (first questions include "
             "profile builds)"]
    if rep["mode"] and rep["mode"] != "grounded":
        lines.append(f"  LLM fallbacks {rep['llm_fallbacks']}, needs-human-review {rep['needs_human_review']}, "
                     f"quotes removed {rep['removed_quotes']}")
    lines.append("  by frame: " + "; ".join(f"{f} n={v['n']} acc={v['ask_acc']:.0%} agree={v['agree_check']:.0%}"
                                            for f, v in rep["by_frame"].items()))
    if rep["errors"]:
        lines.append(f"  errors: {rep['errors']}")
    return "\n".join(lines)


def evaluate_llm_splits(settings: Settings, splits, external: Path | None = None) -> dict:
    """`modelterms eval ask --llm SPEC --split ...`: ask (through the LLM) and check on each split. Dev keeps
    its four user-style frames (ask_questions.yaml); the other splits use `questions_for`. Held-out
    splits keep aggregates only."""
    from .data import load_split
    from .usecase_eval import HELD_OUT, add_external_texts

    out: dict = {"splits": {}, "skipped": {}}
    for split in splits:
        cases = load_split(split, external)
        if cases is None:
            out["skipped"][split] = f"{external or '../shared/evals/external-usecases.jsonl'} not found; skipped"
            continue
        qs = load_questions() if split == "dev" else questions_for(cases)
        # a checker per split (its own corpus: the external split adds its texts to it)
        rep = evaluate(settings, questions=qs,
                       prepare=(lambda ch, cs=cases: add_external_texts(ch.corpus, cs)) if split == "external" else None)
        if split in HELD_OUT:
            rep.pop("disagreements", None)
        out["splits"][split] = rep
    return out


def format_llm_splits(rep: dict) -> str:
    blocks = [f"== {split}\n" + format_report(r) for split, r in rep["splits"].items()]
    blocks += [f"== {split}: skipped — {why}" for split, why in rep["skipped"].items()]
    return "\n\n".join(blocks)


def main(argv=None):
    import os

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-questions", action="store_true", help="regenerate evals/ask_questions.yaml and exit")
    ap.add_argument("--llm", help="LLM spec (default: grounded mode)")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, help="per-question rows as JSON lines")
    args = ap.parse_args(argv)
    if args.write_questions:
        print(f"wrote {write_questions()}")
        return
    settings = Settings.from_env(os.environ, llm=args.llm)
    rep = evaluate(settings, limit=args.limit, rows_out=args.out)
    print(json.dumps(rep, indent=2) if args.json else format_report(rep))


if __name__ == "__main__":
    main()
