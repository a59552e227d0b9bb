"""The hardening probes of issue 10, run and counted: `python -m evals.bench_hardening [--out FILE]`.

The probes are the tests of tests/test_hardening.py (each `test_probe_*`, one per failure of the
40-probe run, some with several fault points) plus the fuzz tests of tests/test_fuzz.py; this script
runs them with pytest in a fresh process and reports probes tried / held, and data lost (a probe whose
assertions about the stored texts and the index failed). Every probe asserts that nothing the user
stored is lost or served stale, so a held probe lost no data.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from evals.machine import describe as machine

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["tests/test_hardening.py", "tests/test_fuzz.py"]
# Which failure of issue 10 each probe reruns (test name prefix -> item).
ITEMS = {
    "test_probe_uploaded_card": "1 server file read through an uploaded card",
    "test_probe_alias_bomb": "2 YAML alias bomb",
    "test_probe_kill_during_replacement": "3 interrupted replacement (kill -9)",
    "test_probe_no_index_replacement": "3 --no-index replacement",
    "test_probe_remove_during_index": "4 remove during index",
    "test_probe_silent_chroma": "5 silent Chroma server",
    "test_probe_unreachable_or_bad_chroma": "5 unreachable / bad Chroma URL",
    "test_probe_ask_stream": "6 ask --stream after its deadline",
    "test_probe_check_batch": "7 check --batch bad lines",
    "test_probe_ask_batch": "7 ask --batch bad lines",
    "test_probe_overlong": "8 over-long key or path",
    "test_probe_keys_are_validated": "9 keys validated on lookup",
    "test_probe_cards_are_checked": "10 cards checked (size, encoding, binary)",
}


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "report.xml"
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}",
                               *MODULES], cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        cases = []
        for tc in ET.parse(xml).getroot().iter("testcase"):
            failed = tc.find("failure") is not None or tc.find("error") is not None
            skipped = tc.find("skipped") is not None
            cases.append({"test": tc.get("name"), "seconds": float(tc.get("time") or 0),
                          "outcome": "skipped" if skipped else ("failed" if failed else "held")})
    probes = [c for c in cases if c["test"].startswith("test_probe_")]
    for p in probes:
        p["item"] = next((v for k, v in ITEMS.items() if p["test"].startswith(k)), "")
    others = [c for c in cases if not c["test"].startswith("test_probe_")]
    return {"machine": machine(), "command": "python -m evals.bench_hardening", "seconds": round(seconds, 1),
            "probes_tried": len(probes), "probes_held": sum(p["outcome"] == "held" for p in probes),
            "data_lost": sum(p["outcome"] == "failed" for p in probes if p["item"][:1] in ("3", "4")),
            "other_tests": {"tried": len(others), "held": sum(c["outcome"] == "held" for c in others)},
            "probes": probes, "others": others, "pytest_exit": proc.returncode,
            "pytest_tail": proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="Also write the report as JSON.")
    args = ap.parse_args()
    report = run()
    for p in report["probes"]:
        print(f"{p['outcome']:7s} {p['seconds']:6.1f} s  {p['item']:45s} {p['test']}")
    for c in report["others"]:
        print(f"{c['outcome']:7s} {c['seconds']:6.1f} s  {'(also)':45s} {c['test']}")
    print(f"probes tried {report['probes_tried']}, held {report['probes_held']}, data lost {report['data_lost']}; "
          f"other hardening tests {report['other_tests']['held']}/{report['other_tests']['tried']}; "
          f"{report['seconds']} s on {report['machine']}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    sys.exit(0 if report["pytest_exit"] == 0 else 1)


if __name__ == "__main__":
    main()
