"""Capture what the surfaces print, to prove a refactoring changes no behaviour: run it on the tree before and
after, then `diff -r BEFORE AFTER`.

    python -m evals.capture_outputs --home ~/.modelterms OUTDIR

One file per invocation: the CLI (check text and --json over uses × licenses and models, check --batch, explain
in every format, compare, diff, models, grounded ask, audit of a fixture repository) through click's runner in
one process, and the web UI's Check, Explain, Compare, Diff and chat handlers. Timing fields are blanked and
temporary paths replaced, so two runs of the same tree are identical.
"""
from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner

from agent.ask.conversation import Conversation
from corpus.settings import Settings
from ui.cli import cli
from ui.web.chat_render import check_steps, sources_block
from ui.web.check_tab import check_report
from ui.web.compare_tab import compare_report, diff_html
from ui.web.explain_tab import explain_report
from ui.web.services import Services

USES = ["a customer-support chatbot for our SaaS with 2M monthly users",
        "generate synthetic training data to train a competing model",
        "military weapons targeting",
        "research on bias in language models at a university",
        "something",
        "fine-tune it and sell API access"]
LICENSES = ["llama-3.1-license-2024", "mit", "gemma-tou-2024-04-01", "bigscience-open-rail-m", "llama-4-license-2025"]
MODELS = ["meta-llama/Llama-3.1-8B-Instruct", "gemma-2-9b", "mistralai/Mistral-7B-v0.1", "nonexistent/xyz"]
BANNED = [("bigscience-open-rail-m", "a chatbot that gives people medical diagnoses"),
          ("gemma-pup-2024-02-21", "generate spam emails at scale"),
          ("llama-4-license-2025", "write ransomware for attacks"),
          ("llama-2-license-2023", "a product with 900 million monthly active users")]
VERSIONS = [("llama-3.1-license-2024", "llama-3.3-license-2024"), ("llama-2-license-2023", "llama-3.1-license-2024"),
            ("gemma-tou-2024-04-01", "gemma-tou-2025-03-24")]
QUESTIONS = ["Can I use Llama 3.1 8B for a customer-support bot with 2M users?",
             "What does the Llama 3.1 license say about attribution?",
             "Compare the MIT license and the Apache 2.0 license",
             "Which license applies to gemma-2-9b?",
             "Can I use bigscience-open-rail-m for a chatbot that gives medical diagnoses?",
             "Can I fine-tune meta-llama/Llama-3.1-8B and sell API access?"]
_TIMING = re.compile(r'"(seconds|elapsed|latency[a-z_]*)": [0-9.]+')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="the data dir (an indexed corpus)")
    ap.add_argument("out", type=Path)
    ap.add_argument("--no-ui", action="store_true", help="the CLI only")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="capture-"))

    def save(name: str, text: str) -> None:
        (args.out / f"{name}.txt").write_text(_TIMING.sub(r'"\1": 0', text.replace(str(tmp), "TMP")), encoding="utf-8")

    _cli(args.home, tmp, save)
    if not args.no_ui:
        _ui(args.home, save)


def _cli(home: str, tmp: Path, save) -> None:
    runner = CliRunner()

    def run(name: str, *argv: str) -> None:
        r = runner.invoke(cli, ["--home", home, *argv], color=True)
        save(name, r.output + f"\n[exit {r.exit_code}]")

    for i, use in enumerate(USES):
        for key in LICENSES:
            run(f"check-{key}-{i}", "check", "--license", key, "--use", use)
            run(f"check-json-{key}-{i}", "check", "--license", key, "--use", use, "--json")
        for j, model in enumerate(MODELS):
            run(f"check-model{j}-{i}", "check", "--model", model, "--use", use)
            run(f"check-json-model{j}-{i}", "check", "--model", model, "--use", use, "--json")
    for i, (key, use) in enumerate(BANNED):
        run(f"check-banned-{i}", "check", "--license", key, "--use", use)
        run(f"check-json-banned-{i}", "check", "--license", key, "--use", use, "--json")
    batch = tmp / "batch.jsonl"
    batch.write_text("\n".join(json.dumps(j) for j in [
        {"use": "military weapons targeting", "license": "bigscience-open-rail-m", "id": "a"},
        {"use": "x", "model": MODELS[0]}, {"bad": 1}]) + "\nnot json\n", encoding="utf-8")
    run("batch", "check", "--batch", str(batch))
    run("batch-json", "check", "--batch", str(batch), "--json")
    for key in LICENSES + ["gemma-pup-2024-02-21"]:
        run(f"explain-{key}", "explain", key)
        run(f"explain-md-{key}", "explain", key, "--md")
        run(f"explain-noquotes-{key}", "explain", key, "--no-quotes")
        run(f"explain-json-{key}", "explain", key, "--json")
    run("compare", "compare", *LICENSES[:3])
    run("compare-md", "compare", LICENSES[0], LICENSES[3], "--md")
    run("compare-json", "compare", LICENSES[0], LICENSES[3], "--json")
    run("compare-terms-all", "compare", "mit", "llama-2-license-2023", "--view", "terms", "--all-terms")
    for i, (old, new) in enumerate(VERSIONS):
        run(f"diff-{i}", "diff", old, new)
        run(f"diff-all-{i}", "diff", old, new, "--all")
        run(f"diff-json-{i}", "diff", old, new, "--json")
    for j, model in enumerate(MODELS):
        run(f"models-{j}", "models", model)
        run(f"models-json-{j}", "models", model, "--json")
    for i, q in enumerate(QUESTIONS):
        run(f"ask-{i}", "ask", q)
        run(f"ask-json-{i}", "ask", q, "--json")
    repo = tmp / "medqa-8b"
    repo.mkdir()
    (repo / "README.md").write_text(f"---\nlicense: apache-2.0\nbase_model: {MODELS[0]}\n---\n# medqa\n", encoding="utf-8")
    for fmt in ("text", "md", "json"):
        run(f"audit-{fmt}", "audit", str(repo), "--format", fmt)


def _ui(home: str, save) -> None:
    svc = Services(Settings.from_env(env={}, home=home))
    for i, use in enumerate(USES):
        for key in LICENSES[:3]:
            badge, md, table, cites, report, export = check_report(svc, "license", None, key, None, use)
            save(f"ui-check-{key}-{i}", "\n=====\n".join([badge, md, table.to_csv(), cites,
                                                          json.dumps(report, indent=1), export]))
    for key in LICENSES:
        head, table, refs, report, export = explain_report(svc, key)
        save(f"ui-explain-{key}", "\n=====\n".join([head, table.to_csv(), refs, json.dumps(report, indent=1), export]))
    page, report, export = compare_report(svc, LICENSES[:3])
    save("ui-compare", "\n=====\n".join([page, json.dumps(report, indent=1), export]))
    for i, (old, new) in enumerate(VERSIONS):
        save(f"ui-diff-{i}", diff_html(svc, old, new))
    conv = Conversation(svc.settings, checker=svc.checker)
    for i, q in enumerate(QUESTIONS):
        ans = conv.ask(q)
        save(f"ui-chat-{i}", "\n\n".join(check_steps(svc, ans) if ans.verdict else []) + "\n=====\n" + sources_block(ans))


if __name__ == "__main__":
    main()
