"""Runs ScanCode's own license detection over files; for evals/bench_identify.py.

    .venv-scancode/bin/python evals/scancode_worker.py FILES.json OUT.jsonl

Runs inside the separate ScanCode environment (scancode-toolkit with its dependencies), so it
imports nothing from this project. FILES.json is a list of {"id", "path"}; each result is one
JSON line, written as soon as it is known. The detection is that of `scancode --license`
(scancode.api.get_licenses, default options); the first line reports the index load time.
"""
from __future__ import annotations

import json
import sys
import time


def main() -> None:
    files_json, out_path = sys.argv[1], sys.argv[2]
    files = json.loads(open(files_json, encoding="utf-8").read())
    t0 = time.perf_counter()
    from licensedcode.cache import get_index, get_licenses_db, get_licensing
    from scancode.api import get_licenses

    get_index()
    db = get_licenses_db()
    licensing = get_licensing()
    load = time.perf_counter() - t0
    import scancode_config

    with open(out_path, "w", encoding="utf-8") as out:
        out.write(json.dumps({"load_seconds": load, "version": scancode_config.__version__}) + "\n")
        out.flush()
        for f in files:
            t = time.perf_counter()
            try:
                res = get_licenses(location=f["path"])
                error = None
            except Exception as e:  # a crash on one file is a result, not the end of the run
                res, error = {}, f"{e.__class__.__name__}: {e}"
            seconds = time.perf_counter() - t
            matches = []
            for det in res.get("license_detections") or []:
                for m in det.get("matches") or []:
                    keys = licensing.license_keys(m["license_expression"])
                    specific = [k for k in keys if k in db and not (db[k].is_unknown or db[k].is_generic)]
                    matches.append({"keys": keys, "specific": specific, "matched_length": m.get("matched_length", 0),
                                    "score": m.get("score", 0.0), "matcher": m.get("matcher")})
            out.write(json.dumps({"id": f["id"], "seconds": seconds, "error": error,
                                  "expression": res.get("detected_license_expression"),
                                  "matches": matches}) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
