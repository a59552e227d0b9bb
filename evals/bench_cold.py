"""Benchmark a cold CLI check: the whole `modelterms check` command in a fresh process, as a user runs it.

    python -m evals.bench_cold [--runs 3] [--json] [-- CHECK ARGS...]

Each run starts a new interpreter (`python -m ui.cli check ...`) with the data dir of $MODELTERMS_HOME and
reports its wall time beside the machine's 1-minute load average read just before it: on a shared machine
the load decides the figure as much as the code does, so a timing is only comparable at a similar load.
The first run may write the index's snapshots of the texts it profiles (later runs read them): it is
reported but left out of the median unless it is the only run. `--importtime` adds the slowest imports of
one more run (`python -X importtime`). The issue's target: under 8 s on a quiet 2-core machine.
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

from evals.machine import describe

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--use", "a support bot for our 2M-user app"]


def load1() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")


def run_once(args: list[str], env: dict, extra: list[str] = ()) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, *extra, "-m", "ui.cli", "check", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    return time.perf_counter() - t, proc


def slowest_imports(stderr: str, n: int = 12) -> list[tuple[str, float]]:
    rows = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line[len("import time:"):].split("|")
            if cumulative.strip().isdigit():
                rows.append((name.rstrip(), int(cumulative) / 1e6))
    # top-level imports only (no indentation): what the command itself pulled in
    top = [(name.strip(), s) for name, s in rows if not name[1:].startswith(" ")]
    return sorted(top, key=lambda r: -r[1])[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--importtime", action="store_true")
    ap.add_argument("check_args", nargs="*", help="arguments of `modelterms check` (default: the issue's command)")
    args = ap.parse_args()
    check_args = args.check_args or DEFAULT
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    runs = []
    for _ in range(max(1, args.runs)):
        load = load1()
        wall, proc = run_once(check_args, env)
        if proc.returncode != 0:
            sys.exit(f"check failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
        runs.append({"wall_s": round(wall, 2), "load1": load, "verdict": proc.stdout.split(None, 1)[0]})
    timed = runs[1:] or runs
    out = {"machine": describe(), "command": "modelterms check " + " ".join(check_args), "runs": runs,
           "median_s": round(statistics.median(r["wall_s"] for r in timed), 2)}
    if args.importtime:
        _, proc = run_once(check_args, env, ["-X", "importtime"])
        out["slowest_imports_s"] = [(name, round(s, 2)) for name, s in slowest_imports(proc.stderr)]
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"machine: {out['machine']}\ncommand: {out['command']}")
    for i, r in enumerate(runs, 1):
        print(f"run {i}: {r['wall_s']:.2f} s at load {r['load1']:.2f} ({r['verdict']})")
    print(f"median of runs {'2..' if len(runs) > 1 else '1'}: {out['median_s']:.2f} s")
    for name, s in out.get("slowest_imports_s", []):
        print(f"  import {name}: {s:.2f} s")


if __name__ == "__main__":
    main()
