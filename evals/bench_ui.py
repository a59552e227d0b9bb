"""Load benchmark of the web UI: N simulated users at once against `modelterms ui` on 127.0.0.1.

    python -m evals.bench_ui [--home DIR] [--users 20] [--rounds 4] [--url URL] [--out artifacts/bench_ui.json]

Starts `modelterms ui` on a free port over the index under --home (default: $MODELTERMS_HOME or
~/.modelterms; run `modelterms index` first), unless --url names a running one. Each user is a
`gradio_client.Client` with its own session; all start together and each makes --rounds requests
through the same queue the browser uses, cycling through chat (`/ask`), `/check`, `/explain` and
`/compare`, so every moment mixes them. The scenario runs --passes times against the same server: the
first pass is cold (each license's profile is computed on first use), later ones warm (the steady
state of a long-running server). Reports errors and p50/p95 latency (queueing included), overall and
per endpoint for each pass, and exits 1 if any request failed.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from corpus.settings import Settings
from evals.machine import describe

PREFERRED = ["bigscience-open-rail-m", "llama-3.1-license-2024", "gemma-tou-2025-03-24", "mit", "apache-2.0",
             "llama-3.3-license-2024"]
USES = ["a customer-support chatbot in our app with 2M monthly users", "generate fake news to mislead voters",
        "fine-tune it and sell API access", "internal research on summarisation", "give medical advice to patients",
        "write marketing copy for our shop", "a tutoring app for children", "translate documents for a law firm"]


# The load generator must not eat the CPU of the server it measures (both share this machine's cores): gradio_client
# makes a new httpx client for every call and httpx builds a TLS context for each (reading the CA bundle), even for
# this plain-http 127.0.0.1 URL. That was over 90 % of the generator's CPU in a pass (6.6 s against 0.5 s), and more
# than twice what the server used. A browser does no such thing per request; one context is shared by every call
# (--tls-per-call restores the old behaviour, to compare with figures taken before).
TLS = ssl.create_default_context()


def process_cpu_s(pid: int | None) -> float | None:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux); None where unreadable."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


def indexed_keys(settings: Settings) -> list[str]:
    from retrieval.indexer import open_manifest

    m = open_manifest(settings)
    try:
        keys = [row["key"] for row in m.licenses()]
    finally:
        m.close()
    return [k for k in PREFERRED if k in keys] + [k for k in keys if k not in PREFERRED]


def start_server(home: Path, concurrency: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "MODELTERMS_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui", "--port", str(port), "--concurrency", str(concurrency)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"modelterms ui exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return proc, url
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("modelterms ui did not come up in 300 s")


def shown_error(out) -> str | None:
    """The page shows a failure inside the panel that failed (an `mt-error` box, or a "Not answered" turn in the
    chat) rather than raising: such an answer is an error too."""
    text = json.dumps(out, default=str)
    for mark in ('class=\\"mt-error\\"', 'class="mt-error"', "**Not answered:**"):
        i = text.find(mark)
        if i >= 0:
            return "shown in the page: " + text[i:i + 200]
    return None


def jobs_for(user: int, rounds: int, keys: list[str]) -> list[tuple[str, tuple]]:
    a, b = keys[user % len(keys)], keys[(user + 1) % len(keys)]
    use = USES[user % len(USES)]
    menu = [
        ("/ask", (f"Can I use {a} for {use}?", [])),
        ("/check", ("license", None, a, None, use)),
        ("/explain", (a, None)),
        ("/compare", ([a, b],)),
    ]
    return [menu[(user + i) % len(menu)] for i in range(rounds)]


def run(url: str, users: int, rounds: int, keys: list[str], server_pid: int | None = None,
        tls_per_call: bool = False) -> dict:
    from gradio_client import Client

    clients = [Client(url, verbose=False, analytics_enabled=False, download_files=False,
                      ssl_verify=True if tls_per_call else TLS) for _ in range(users)]
    start = threading.Barrier(users)
    results: list[dict] = []
    lock = threading.Lock()

    def user(i: int):
        start.wait()
        for endpoint, args in jobs_for(i, rounds, keys):
            t0 = time.perf_counter()
            error = None
            try:
                out = clients[i].predict(*args, api_name=endpoint)
                error = shown_error(out)
            except Exception as e:  # counted, reported
                error = f"{type(e).__name__}: {str(e)[:200]}"
            with lock:
                results.append({"user": i, "endpoint": endpoint, "seconds": time.perf_counter() - t0, "error": error})

    t0, own0, srv0 = time.perf_counter(), time.process_time(), process_cpu_s(server_pid)
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    # where the machine's CPU went during the pass: the server's share per request, and this load generator's
    own_cpu, srv1 = time.process_time() - own0, process_cpu_s(server_pid)
    server_cpu = srv1 - srv0 if srv0 is not None and srv1 is not None else None
    for c in clients:
        try:
            c.close()
        except Exception:
            pass

    def stats(rows):
        secs = [r["seconds"] for r in rows if not r["error"]]
        return {"requests": len(rows), "errors": sum(1 for r in rows if r["error"]),
                "p50_s": round(pct(secs, 50), 3), "p95_s": round(pct(secs, 95), 3),
                "mean_s": round(statistics.mean(secs), 3) if secs else 0.0, "max_s": round(max(secs, default=0.0), 3)}

    by_endpoint = {ep: stats([r for r in results if r["endpoint"] == ep]) for ep in sorted({r["endpoint"] for r in results})}
    return {"wall_s": round(wall, 2), "client_cpu_s": round(own_cpu, 2),
            "server_cpu_s": round(server_cpu, 2) if server_cpu is not None else None,
            "server_cpu_ms_per_request": round(1000 * server_cpu / len(results), 1) if server_cpu and results else None,
            "throughput_rps": round(len(results) / wall, 2) if wall else 0.0, "overall": stats(results),
            "endpoints": by_endpoint, "errors": [r for r in results if r["error"]][:20]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path)
    ap.add_argument("--url", help="benchmark a running `modelterms ui` instead of starting one")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=4, help="requests per user")
    ap.add_argument("--concurrency", type=int, default=2, help="the server's --concurrency when it is started here")
    ap.add_argument("--passes", type=int, default=2, help="runs of the whole scenario (the first is cold)")
    ap.add_argument("--out", type=Path, default=Path("artifacts/bench_ui.json"))
    ap.add_argument("--tls-per-call", action="store_true",
                    help="the load generator as before 2026-12-06: a TLS context built for every call (costly CPU)")
    args = ap.parse_args()
    settings = Settings.from_env(home=args.home)
    keys = indexed_keys(settings)
    if not keys:
        raise SystemExit(f"no index under {settings.home}: run `modelterms index` first")
    proc = None
    url = args.url
    t0 = time.perf_counter()
    if url is None:
        proc, url = start_server(settings.home, args.concurrency)
    startup = time.perf_counter() - t0
    load = [os.getloadavg()[0]]  # the machine is shared: the load beside the run says what the figures measure
    try:
        passes = []
        for _ in range(max(1, args.passes)):
            passes.append(run(url, args.users, args.rounds, keys, server_pid=proc.pid if proc else None,
                              tls_per_call=args.tls_per_call))
            load.append(os.getloadavg()[0])
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    report = {"machine": describe(), "users": args.users, "rounds": args.rounds, "indexed_licenses": len(keys),
              "server_startup_s": round(startup, 1) if proc else None,
              "concurrency": args.concurrency if proc else None, "tls_per_call": args.tls_per_call,
              "load_average_1min": [round(x, 2) for x in load],
              "passes": passes}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"machine: {report['machine']}; 1-min load average before and after each pass: "
          f"{', '.join(f'{x:.1f}' for x in report['load_average_1min'])}")
    errors = 0
    for n, rep in enumerate(passes, 1):
        o = rep["overall"]
        errors += o["errors"]
        print(f"pass {n} ({'cold' if n == 1 else 'warm'}): {args.users} users x {args.rounds} requests over {len(keys)} "
              f"indexed licenses, server concurrency {report['concurrency']}: {o['requests']} requests, "
              f"{o['errors']} errors, wall {rep['wall_s']} s, {rep['throughput_rps']} req/s; CPU: this load generator "
              f"{rep['client_cpu_s']} s, the server {rep['server_cpu_s']} s ({rep['server_cpu_ms_per_request']} ms a request)")
        print(f"  {'endpoint':10s} {'n':>4s} {'err':>4s} {'p50 s':>7s} {'p95 s':>7s} {'max s':>7s}")
        for ep, s in [("all", o)] + list(rep["endpoints"].items()):
            print(f"  {ep:10s} {s['requests']:4d} {s['errors']:4d} {s['p50_s']:7.2f} {s['p95_s']:7.2f} {s['max_s']:7.2f}")
        for e in rep["errors"][:5]:
            print(f"  error: {e['endpoint']}: {e['error']}")
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
