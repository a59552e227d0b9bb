"""How long `make run`'s last two steps take: from starting `modelterms ui` to the page answering, and to the
first answer of a check, on a data dir that is already indexed (`make run` indexes first; see bench_index).

    python -m evals.bench_ui_start [--home DIR] [--index]

With --index the data dir is indexed first by a fresh `modelterms index` process (the step `make run` runs
before the UI) and that time is reported too. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from evals.bench_ui import start_server
from evals.machine import describe


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, default=Path(os.environ.get("MODELTERMS_HOME", "~/.modelterms")).expanduser())
    ap.add_argument("--index", action="store_true", help="run `modelterms index` first and time it")
    ap.add_argument("--license", default="bigscience-open-rail-m")
    args = ap.parse_args(argv)
    out = {"machine": describe(), "home": str(args.home)}
    env = {**os.environ, "MODELTERMS_HOME": str(args.home)}
    if args.index:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ui.cli", "index"], env=env, check=True, stdout=subprocess.DEVNULL)
        out["index_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    proc, url = start_server(args.home, 2)
    try:
        out["page_answers_s"] = round(time.perf_counter() - t0, 1)
        with urllib.request.urlopen(url, timeout=30) as r:
            out["page_status"] = r.status
        from gradio_client import Client

        client = Client(url, verbose=False, analytics_enabled=False, download_files=False)
        t1 = time.perf_counter()
        res = client.predict("license", None, args.license, None, "give medical advice to patients", api_name="/check")
        out["first_check_s"] = round(time.perf_counter() - t1, 1)
        out["first_check_verdict_shown"] = "PROHIBITED" in json.dumps(res, default=str)
        out["start_to_first_answer_s"] = round(time.perf_counter() - t0, 1)
        client.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
