"""Benchmark: `modelterms mcp` as an MCP client sees it, against one CLI process per check.

    python -m evals.bench_mcp [--home DIR] [-n 40] [--cli-runs 3] [--transport stdio|http] [--json]

The server is the real `python -m ui.cli mcp` process and the client the MCP SDK's own. Measured:
time from spawn to the answered `initialize` (the handshake does not wait for the models), the first
`check` (it waits for the background warm-up), then warm `check` calls on the first N use-case
questions by license (evals/usecases), and for comparison `modelterms check --json` run as a fresh
process (what a hook or script that shells out pays on every call). The data dir needs an index.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import anyio
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from corpus.settings import Settings
from evals.data import usecases
from evals.machine import describe

ROOT = Path(__file__).resolve().parent.parent


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR", "HF_HOME")}
    env.update({"MODELTERMS_HOME": str(home), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                "ANONYMIZED_TELEMETRY": "False", "PYTHONPATH": str(ROOT)})
    return env


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def _session(target, cases: list[dict]) -> dict:
    t0 = time.perf_counter()
    async with Client(target, read_timeout_seconds=600) as client:
        ready = time.perf_counter() - t0
        await client.list_tools()
        first = cases[0]
        t1 = time.perf_counter()
        r = await client.call_tool("check", {"use": first["use"], "license": first["license"]})
        first_s = time.perf_counter() - t1
        assert not r.is_error, r.content[0].text
        warm = []
        for q in cases:
            t = time.perf_counter()
            r = await client.call_tool("check", {"use": q["use"], "license": q["license"]})
            warm.append(time.perf_counter() - t)
            assert not r.is_error, r.content[0].text
    return {"initialize_s": ready, "first_check_s": first_s, "warm_n": len(warm),
            "warm_p50_ms": 1000 * statistics.median(warm), "warm_p95_ms": 1000 * _pct(warm, 0.95)}


def bench_stdio(home: Path, cases: list[dict]) -> dict:
    params = StdioServerParameters(command=sys.executable, args=["-m", "ui.cli", "mcp"], env=_env(home), cwd=str(ROOT))
    return anyio.run(_session, params, cases)


def bench_http(home: Path, cases: list[dict]) -> dict:
    from tests.conftest import free_port

    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "mcp", "--http", "--port", str(port)], env=_env(home),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if "streamable HTTP on" in line:
                break
        listening = time.perf_counter() - t0
        out = anyio.run(_session, f"http://127.0.0.1:{port}/mcp", cases)
        out["listening_s"] = listening
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def bench_cli(home: Path, case: dict, runs: int) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "ui.cli", "check", "--license", case["license"], "--use", case["use"],
                            "--json"], env=_env(home), cwd=ROOT, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t)
        assert r.returncode == 0, r.stderr
    return {"runs": runs, "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, default=None, help="data dir with an index [default: MODELTERMS_HOME]")
    ap.add_argument("-n", type=int, default=40, help="warm checks")
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument("--transport", choices=["stdio", "http"], default="stdio")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    home = args.home or Settings.from_env().home
    cases = [q for q in sorted(usecases(), key=lambda q: q["id"]) if q.get("license")][: args.n]
    report = {"machine": describe(), "transport": args.transport, "home": str(home),
              "mcp": (bench_http if args.transport == "http" else bench_stdio)(home, cases),
              "cli_check_cold": bench_cli(home, cases[0], args.cli_runs) if args.cli_runs else None,
              "load_average": os.getloadavg()}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    m = report["mcp"]
    print(f"machine: {report['machine']}; load average {report['load_average'][0]:.1f}")
    print(f"{args.transport}: initialize answered {m['initialize_s']:.1f} s after spawn"
          + (f" (listening after {m['listening_s']:.1f} s)" if "listening_s" in m else ""))
    print(f"first check (waits for the warm-up): {m['first_check_s']:.1f} s")
    print(f"warm check over MCP, {m['warm_n']} use cases: p50 {m['warm_p50_ms']:.0f} ms, p95 {m['warm_p95_ms']:.0f} ms")
    if report["cli_check_cold"]:
        c = report["cli_check_cold"]
        print(f"`modelterms check --json`, fresh process ×{c['runs']}: median {c['median_s']:.1f} s "
              f"({c['min_s']:.1f}–{c['max_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
