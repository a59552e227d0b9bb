"""Latency of `ask`: grounded warm (in process), cold (`modelterms ask` in a fresh process), and
through llama.cpp's server with the smoke model (latency and generation tokens/s).

    python -m evals.bench_ask [--warm N] [--cold N] [--llama] [--json]

Uses the index under MODELTERMS_HOME (build it with `modelterms index`). Targets: grounded p50
warm < 500 ms, cold < 10 s.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from corpus.settings import Settings

from .machine import describe

ROOT = Path(__file__).resolve().parent.parent
COLD_QUESTION = "We're a 50-person startup: can we put Gemma 2 behind our customer-support bot in Germany?"


def _pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))] if v else 0.0


def bench_warm(settings: Settings, n: int) -> dict:
    from agent.ask.conversation import Conversation

    from .ask_eval import load_questions

    qs = [q["question"] for q in load_questions()][: max(1, n)]
    conv = Conversation(settings, llm=False)
    t0 = time.perf_counter()
    for q in qs:  # warm-up: loads the model and builds each license's profile once
        conv.reset()
        conv.ask(q)
    warmup = time.perf_counter() - t0
    times = []
    for q in qs:
        conv.reset()
        t = time.perf_counter()
        conv.ask(q)
        times.append((time.perf_counter() - t) * 1000)
    return {"questions": len(qs), "warmup_s": round(warmup, 1), "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(_pct(times, 0.95), 1), "max_ms": round(max(times), 1)}


def bench_cold(n: int, question: str = COLD_QUESTION) -> dict:
    times = []
    env = {**os.environ, "MODELTERMS_LLM": ""}
    for _ in range(max(1, n)):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "ui.cli", "ask", question], capture_output=True, text=True, cwd=ROOT,
                           env=env, timeout=600)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            raise SystemExit(f"cold ask failed: {r.stderr[-400:]}")
    return {"runs": len(times), "median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
            "max_s": round(max(times), 2), "question": question}


def bench_llama(settings: Settings, n: int, port: int = 18471) -> dict:
    """Starts `modelterms serve-llm` (smoke model), measures raw generation and `ask` through it."""
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve-llm", "--port", str(port), "--alias", "smoke"],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        t0 = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(url + "/models", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - t0 > 240:
                    raise SystemExit("llama.cpp server did not start")
                time.sleep(0.5)
        start_s = time.perf_counter() - t0
        import openai

        client = openai.OpenAI(base_url=url, api_key="not-needed", timeout=300)
        gen = []
        for _ in range(max(1, n)):
            t = time.perf_counter()
            # The smoke model is a base model: plain completion makes it write (its chat turns often end at once).
            r = client.completions.create(model="smoke", max_tokens=128, temperature=0.7,
                                          prompt="A software license is a legal instrument that")
            dt = time.perf_counter() - t
            gen.append((r.usage.completion_tokens, r.usage.prompt_tokens, dt))
        from agent.ask.conversation import Conversation

        s = settings.replace(llm=f"openai-compatible:{url}#smoke", llm_max_tokens=64, llm_context_tokens=800,
                             llm_timeout=300, llm_retries=0, llm_deadline=600)
        conv = Conversation(s)
        conv.ask(COLD_QUESTION)  # warm the grounded side
        asks = []
        for _ in range(max(1, n)):
            conv.reset()
            t = time.perf_counter()
            a = conv.ask(COLD_QUESTION)
            asks.append((time.perf_counter() - t, a.mode != "grounded"))
            if a.mode == "grounded":
                print("llama ask fell back:", a.notices, file=sys.stderr)
        toks = sum(g[0] for g in gen)
        return {"server_start_s": round(start_s, 1), "generation_tokens_per_s": round(toks / sum(g[2] for g in gen), 1),
                "completion_tokens": [g[0] for g in gen],
                "ask_median_s": round(statistics.median(a for a, _ in asks), 2),
                "ask_llm_answered": sum(ok for _, ok in asks), "ask_runs": len(asks),
                "ask_settings": {"max_tokens": 64, "context_tokens": 800}}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv=None):
    ap = argparse.ArgumentParser(description="ask latency benchmarks")
    ap.add_argument("--warm", type=int, default=60, help="questions for the warm in-process run")
    ap.add_argument("--cold", type=int, default=3, help="fresh `modelterms ask` processes")
    ap.add_argument("--llama", type=int, default=0, help="runs through llama.cpp's server with the smoke model")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    settings = Settings.from_env(os.environ)
    report = {"machine": describe(), "home": str(settings.home)}
    if args.cold:
        report["cold"] = bench_cold(args.cold)
    if args.warm:
        report["warm"] = bench_warm(settings, args.warm)
    if args.llama:
        report["llama_cpp"] = bench_llama(settings, args.llama)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
