"""Benchmark: license identification, modelterms vs ScanCode's own license detection, same texts.

    python -m evals.bench_identify [--json] [--out artifacts/bench_identify.json]
                                   [--variants exact,markdown,...] [--no-scancode] [--shared ../shared]

Cases (evals/identify_cases.py): every perturbation of every built-in AI text and of the common
open-source licenses, three texts that are in no corpus, and the real copies under
../shared/external whose true key was established by reading them (skipped when absent).

- modelterms: `Identifier(scope="all")` in process, warm; index build (fresh data dir) and load
  time; the CLI on all real copies in one process.
- ScanCode 32.5.0: `scancode.api.get_licenses` (what `scancode --license` runs) in the separate
  environment `.venv-scancode` (see `make_scancode_env` below), one process for all texts. Its
  top-1 key is the specific license key (not unknown-* or generic) with the most matched tokens;
  no such key means unknown. "ScanCode >= 95" also requires that key's best match to score 95.

Top-1 is correct when the answer is the expected key (and not unknown); for texts in no corpus,
when the answer is unknown.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from corpus.settings import Settings
from evals.identify_cases import VARIANTS, Case, external_cases, unknown_cases, variant_cases
from evals.machine import describe

ROOT = Path(__file__).resolve().parent.parent
SCANCODE_ENV = ROOT / ".venv-scancode"
SCANCODE_PINS = ["scancode-toolkit==32.5.0", "pluggy<1.6"]  # pluggy 1.6+ breaks its plugin loading
# The version families the issue names: a wrong answer among them is a version confusion.
FAMILIES = [["llama-2-license-2023", "llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024",
             "llama-4-cla-2025"],
            ["gemma-tou-2024-04-01", "gemma-tou-2025-03-24"],
            ["bigscience-open-rail-m", "bigscience-open-rail-m2", "stable-diffusion-2022-08-22",
             "bigcode-open-rail-m-v1", "bigscience-rail-1.0"]]
FAMILY_KEYS = {k for fam in FAMILIES for k in fam}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def make_scancode_env(log) -> Path | None:
    """The ScanCode environment's python, created on first use; None (and why, on log) if it fails."""
    py = SCANCODE_ENV / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "import scancode.api, licensedcode.cache"],
                                      capture_output=True).returncode == 0:
        return py
    print(f"creating {SCANCODE_ENV} ({' '.join(SCANCODE_PINS)}) ...", file=log)
    steps = [[sys.executable, "-m", "venv", str(SCANCODE_ENV)], [str(py), "-m", "pip", "install", "-q", *SCANCODE_PINS]]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            print(f"cannot create the ScanCode environment: {' '.join(cmd)}\n{r.stderr[-2000:]}", file=log)
            return None
    return py


# --- modelterms ----------------------------------------------------------------

def run_modelterms(cases: list[Case], settings: Settings, log) -> dict:
    from agent.identify import Identifier
    from corpus.catalog import Corpus

    with tempfile.TemporaryDirectory() as tmp:  # a cold build, in a data dir of its own
        fresh = settings.replace(home=Path(tmp))
        cold = Identifier(fresh, Corpus(fresh))
        build_seconds = cold.load_seconds
        assert cold.built_index
    Identifier(settings, Corpus(settings))  # make sure the benchmark's data dir has its index
    t = time.perf_counter()
    identifier = Identifier(settings, Corpus(settings))
    load_seconds = time.perf_counter() - t
    identifier.identify(cases[0].text)  # warm-up
    answers = {}
    for i, case in enumerate(cases):
        t = time.perf_counter()
        result = identifier.identify(case.text, n=3)
        ms = (time.perf_counter() - t) * 1000
        best = result.best
        answers[case.id] = {"key": None if result.unknown else best.license, "ms": ms,
                            "nearest": best.license if best else None, "score": best.score if best else 0.0}
        if (i + 1) % 200 == 0:
            print(f"  modelterms: {i + 1}/{len(cases)}", file=log)
    return {"build_seconds": build_seconds, "load_seconds": load_seconds, "answers": answers}


def run_cli_batch(paths: list[str], settings: Settings) -> dict:
    """`modelterms identify --json` on many files in one process: wall time, and per file."""
    env = {**os.environ, "MODELTERMS_HOME": str(settings.home)}
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "ui.cli", "identify", "--json", *paths], env=env,
                       capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ui.cli", "identify", "--json", paths[0]], env=env,
                   capture_output=True, text=True, cwd=ROOT)
    single = time.perf_counter() - t
    return {"files": len(paths), "seconds": round(wall, 2), "ms_per_file": round(wall / len(paths) * 1000, 1),
            "single_file_seconds": round(single, 2), "exit": r.returncode}


# --- ScanCode --------------------------------------------------------------------

def run_scancode(cases: list[Case], py: Path, log) -> dict | None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = []
        for i, case in enumerate(cases):
            if case.path:
                path = case.path
            else:
                path = str(tmp / f"case{i:04d}.txt")
                Path(path).write_text(case.text, encoding="utf-8")
            files.append({"id": case.id, "path": path})
        (tmp / "files.json").write_text(json.dumps(files))
        out = tmp / "out.jsonl"
        print(f"  ScanCode: {len(files)} texts in one process ...", file=log)
        r = subprocess.run([str(py), str(ROOT / "evals" / "scancode_worker.py"), str(tmp / "files.json"), str(out)],
                           capture_output=True, text=True)
        lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
        if r.returncode or not lines:
            print(f"ScanCode failed (exit {r.returncode}): {r.stderr[-2000:]}", file=log)
            return None
    head = json.loads(lines[0])
    answers = {}
    for line in lines[1:]:
        row = json.loads(line)
        weight, best_score = defaultdict(int), defaultdict(float)
        for m in row["matches"]:
            for k in m["specific"]:
                weight[k] += m["matched_length"]
                best_score[k] = max(best_score[k], m["score"])
        key = max(weight, key=lambda k: (weight[k], best_score[k])) if weight else None
        answers[row["id"]] = {"key": key, "ms": row["seconds"] * 1000, "score": best_score.get(key, 0.0),
                              "expression": row["expression"], "error": row["error"]}
    return {"load_seconds": head["load_seconds"], "version": head["version"], "answers": answers}


def strict(answers: dict, min_score: float) -> dict:
    return {cid: {**a, "key": a["key"] if a["key"] and a["score"] >= min_score else None} for cid, a in answers.items()}


# --- scoring ---------------------------------------------------------------------

def score(cases: list[Case], answers: dict) -> dict:
    groups: dict[str, list[bool]] = defaultdict(list)
    confusions = []
    for case in cases:
        a = answers.get(case.id)
        if a is None:
            continue
        ok = a["key"] == case.expected  # None == None: unknown, as it should be
        kind = case.id.split(":", 1)[1] if case.group == "variant" else None
        if case.group == "variant":
            groups["variants"].append(ok)
            groups[f"variant:{kind}"].append(ok)
            if case.expected in FAMILY_KEYS:
                groups["version families"].append(ok)
        elif case.group == "unknown":
            groups["made-up texts (unknown)"].append(ok)
        else:
            groups["external: in corpus" if case.expected else "external: not in corpus (unknown)"].append(ok)
        if not ok:
            confusions.append({"case": case.id, "expected": case.expected, "got": a["key"]})
    ms = [a["ms"] for a in answers.values()]
    return {"groups": {g: {"correct": sum(v), "n": len(v)} for g, v in groups.items()},
            "p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None, "errors": confusions}


def fmt(cell: dict | None) -> str:
    if not cell or not cell["n"]:
        return "-"
    return f"{cell['correct']}/{cell['n']} ({100 * cell['correct'] / cell['n']:.1f}%)"


def table(report: dict) -> str:
    tools = list(report["tools"])
    rows = ["variants", *[f"variant:{v}" for v in report["variants"]], "version families", "made-up texts (unknown)",
            "external: in corpus", "external: not in corpus (unknown)"]
    w0, w = 36, 22
    out = [f"License identification: modelterms vs ScanCode {report.get('scancode_version') or ''}".rstrip(),
           f"machine: {report['machine']}", f"command: {report['command']}", f"cases: {report['cases']}", "",
           f"{'top-1 correct':{w0}s}" + "".join(f"{t:>{w}s}" for t in tools)]
    for row in rows:
        cells = [fmt(report["tools"][t]["groups"].get(row)) for t in tools]
        if all(c == "-" for c in cells):
            continue
        out.append(f"{row:{w0}s}" + "".join(f"{c:>{w}s}" for c in cells))
    out.append("")
    out.append(f"{'latency per text p50 / p95 (ms)':{w0}s}" +
               "".join(f"{str(report['tools'][t]['p50_ms']) + ' / ' + str(report['tools'][t]['p95_ms']):>{w}s}"
                       for t in tools))
    mt, sc = report["modelterms"], report.get("scancode")
    out.append(f"modelterms index: built in {mt['build_seconds']:.1f} s (whole LicenseDB, fresh data dir), "
               f"loaded in {mt['load_seconds']:.2f} s")
    if sc:
        out.append(f"ScanCode index: loaded in {sc['load_seconds']:.1f} s (its prebuilt cache)")
    if report.get("cli_batch"):
        b = report["cli_batch"]
        out.append(f"modelterms identify CLI: {b['files']} real files in one process {b['seconds']} s "
                   f"({b['ms_per_file']} ms/file incl. start-up); one file {b['single_file_seconds']} s")
    for t in tools:
        errs = report["tools"][t]["errors"]
        if errs:
            shown = ", ".join(f"{e['case']} -> {e['got'] or 'unknown'}" for e in errs[:12])
            out.append(f"{t} misses ({len(errs)}): {shown}{' ...' if len(errs) > 12 else ''}")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path, help="Data dir for the identify index (default: a temporary one).")
    ap.add_argument("--json", action="store_true", help="Print the report as JSON instead of a table.")
    ap.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench_identify.json")
    ap.add_argument("--variants", help=f"Comma-separated subset of: {', '.join(VARIANTS)}.")
    ap.add_argument("--no-scancode", action="store_true", help="Benchmark modelterms only.")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="Where external/ lies (read only).")
    args = ap.parse_args()
    log = sys.stderr
    from corpus.catalog import Corpus

    variants = args.variants.split(",") if args.variants else list(VARIANTS)
    unknown_names = [v for v in variants if v not in VARIANTS]
    if unknown_names:
        ap.error(f"unknown variants: {', '.join(unknown_names)}")
    tmp_home = None
    if args.home is None:
        tmp_home = tempfile.mkdtemp(prefix="bench-identify-")
    settings = Settings.from_env({}, home=args.home or tmp_home)
    try:
        corpus = Corpus(settings)
        cases = variant_cases(corpus, variants) + unknown_cases() + external_cases(args.shared)
        n_ext = sum(c.group == "external" for c in cases)
        print(f"{len(cases)} cases ({n_ext} real copies from {args.shared / 'external'})", file=log)
        mt = run_modelterms(cases, settings, log)
        tools = {"modelterms": score(cases, mt["answers"])}
        report = {"machine": describe(), "command": "python -m evals.bench_identify " + " ".join(sys.argv[1:]),
                  "variants": variants,
                  "cases": f"{sum(c.group == 'variant' for c in cases)} perturbed copies of "
                           f"{len({c.expected for c in cases if c.group == 'variant'})} corpus texts, "
                           f"{sum(c.group == 'unknown' for c in cases)} made-up texts, {n_ext} real copies",
                  "modelterms": {"build_seconds": round(mt["build_seconds"], 2),
                                 "load_seconds": round(mt["load_seconds"], 3)},
                  "tools": tools}
        if n_ext:
            report["cli_batch"] = run_cli_batch([c.path for c in cases if c.group == "external"], settings)
        if not args.no_scancode:
            py = make_scancode_env(log)
            sc = run_scancode(cases, py, log) if py else None
            if sc:
                report["scancode_version"] = sc["version"]
                report["scancode"] = {"load_seconds": round(sc["load_seconds"], 2)}
                tools[f"ScanCode {sc['version']}"] = score(cases, sc["answers"])
                tools["ScanCode >= 95"] = score(cases, strict(sc["answers"], 95.0))
            else:
                report["scancode"] = None
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2))
        print(json.dumps(report, indent=2) if args.json else table(report))
    finally:
        if tmp_home:
            shutil.rmtree(tmp_home, ignore_errors=True)


if __name__ == "__main__":
    main()
