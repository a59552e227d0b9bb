"""The model registry (corpus/models.yaml) against public model → license tables.

    python -m evals.bench_registry_tables [--tables ../shared/external/tables] [--json] [--list N]

Tables: LF AI's model_openness_tool (per-model YAML: distribution license, else the weights
component's), Stanford CRFM's ecosystem-graphs (models), the Hub's hacktoberfest lists of popular
models with license `other` / no license (the license_name HF suggests), and Mistral's own catalog.
For every listed model with a known license (the table's string, read through
evals/registry_tables.yaml), modelterms resolves the model offline as `models`/`check` would:

- by id: the registry's model patterns (a Hub id, or the bare name when the table has no Hub link);
- by declared license: the license the table records, as a card or repo would declare it
  (`license:`/`license_name:`), through the registry's ids and aliases — what happens for a model
  the registry does not list once its card is read from the HF cache or the Hub.

A model resolves when the first route that answers names the table's license (or a registry id with
the same texts). Unknown: neither route answers. Wrong: the route that answered names another license.
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from agent.models import registry_lookup, hf_license_id, normalize_license_name, registry

# ../shared next to the clone (CI); a worktree one level deeper finds it further up.
DEFAULT_TABLES = next((p / "shared" / "external" / "tables" for p in Path(__file__).resolve().parents[1:]
                       if (p / "shared" / "external" / "tables").is_dir()),
                      Path(__file__).resolve().parents[2] / "shared" / "external" / "tables")
TRUTH = Path(__file__).with_name("registry_tables.yaml")
_HF = re.compile(r"huggingface\.co/([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)")


def load_rows(tables: Path) -> list[dict]:
    rows: list[dict] = []
    for f in sorted(glob.glob(str(tables / "model_openness_tool" / "models" / "*.yml"))):
        d = yaml.safe_load(Path(f).read_text(encoding="utf-8")) or {}
        r = d.get("release") or {}
        dist = ((r.get("license") or {}).get("distribution") or {}).get("name")
        comps = {c.get("name"): c.get("license") for c in (r.get("components") or []) if isinstance(c, dict)}
        m = _HF.search(str(r.get("huggingface") or ""))
        rows.append({"table": "model_openness_tool", "id": m.group(1) if m else None, "name": str(r.get("name")),
                     "license": str(dist or comps.get("Model parameters (Final)") or "")})
    eg = tables / "ecosystem-graphs" / "all_assets.csv"
    if eg.is_file():
        for x in csv.DictReader(eg.open(encoding="utf-8")):
            if x.get("type") != "model":
                continue
            m = _HF.search(x.get("url", "") + " " + x.get("model_card", ""))
            rows.append({"table": "ecosystem-graphs", "id": m.group(1) if m else None, "name": x["name"],
                         "license": x.get("license", "")})
    for name in ("huggingface_hub-docs_model_license_other.csv", "huggingface_hub-docs_model_no_license.csv"):
        p = tables / name
        if not p.is_file():
            continue
        for x in csv.DictReader(p.open(encoding="utf-8")):
            m = re.search(r"\[([^\]]+)\]", x.get("model_id", ""))
            if m:
                rows.append({"table": "hub-license-lists", "id": m.group(1), "name": m.group(1),
                             "license": x.get("suggested_license_name", "")})
    mistral = tables / "mistral_platform-docs" / "mistral_models_weights_licenses.csv"
    if mistral.is_file():
        for x in csv.DictReader(mistral.open(encoding="utf-8")):
            m = _HF.search(x.get("weights_url", ""))
            rows.append({"table": "mistral-catalog", "id": m.group(1) if m else None, "name": x["model_family"],
                         "license": x.get("license", "")})
    return rows


def weights_part(license: str) -> str:
    """The weights' license of a string that names several ("X (model weights), Y (code)")."""
    for part in license.split(","):
        if "weights" in part.lower():
            return part
    return license


def _license_texts(hf_id: str) -> frozenset[str]:
    """The license texts (not the use policies) an id stands for: what the tables' license column names."""
    spec = registry()["hf_licenses"].get(hf_id) or {}
    return frozenset(spec.get("licenses", []) + [m["key"] for m in spec.get("missing", []) if m.get("kind") != "aup"])


def judge(predicted: str, truth: list[str]) -> bool:
    return predicted in truth or any(_license_texts(predicted) and _license_texts(predicted) == _license_texts(t)
                                     for t in truth)


def evaluate(tables: Path) -> dict:
    truth_map = yaml.safe_load(TRUTH.read_text(encoding="utf-8"))
    known, no_license = truth_map["known"], set(truth_map["no_license"])
    out = {"tables": {}, "unmapped_strings": Counter(), "unknown": Counter(), "wrong": Counter()}
    seen: set[tuple] = set()
    for row in load_rows(tables):
        norm = normalize_license_name(weights_part(row["license"]))
        if norm in no_license or norm.startswith("unknown") or norm.startswith("none"):
            continue
        if norm not in known:
            out["unmapped_strings"][row["license"]] += 1
            continue
        dedup = (row["table"], (row["id"] or row["name"]).lower())
        if dedup in seen:
            continue
        seen.add(dedup)
        truth = known[norm]
        t = out["tables"].setdefault(row["table"], Counter())
        t["models"] += 1
        entry = registry_lookup(row["id"] or row["name"])
        if entry is not None:
            t["by_id_known"] += 1
            ok = judge(entry["license"], truth)
            t["by_id_right"] += ok
            route, predicted = "id", entry["license"]
        else:
            predicted = hf_license_id(row["license"]) or hf_license_id(weights_part(row["license"]))
            route = "declared"
        if predicted is None:
            t["unknown"] += 1
            out["unknown"][row["license"]] += 1
        elif judge(predicted, truth):
            t["right"] += 1
            t[f"right_by_{route}"] += 1
        else:
            t["wrong"] += 1
            out["wrong"][f"{row['id'] or row['name']}: table {row['license']!r}, registry {predicted} (by {route})"] += 1
    total = Counter()
    for t in out["tables"].values():
        total.update(t)
    out["total"] = total
    return out


def format_report(r: dict, n: int = 20) -> str:
    lines = ["models with a known license in the tables, resolved by the registry",
             f"{'table':22s} {'models':>6s} {'right':>6s} {'wrong':>6s} {'unknown':>7s} {'share':>6s}   "
             f"{'by id: known':>12s} {'right':>6s}"]
    for name, t in [*sorted(r["tables"].items()), ("all", r["total"])]:
        share = t["right"] / t["models"] if t["models"] else 0.0
        lines.append(f"{name:22s} {t['models']:6d} {t['right']:6d} {t['wrong']:6d} {t['unknown']:7d} {share:6.1%}   "
                     f"{t['by_id_known']:12d} {t['by_id_right']:6d}")
    tot = r["total"]
    lines.append(f"resolved right: {tot['right']}/{tot['models']} = {tot['right'] / max(1, tot['models']):.1%} "
                 f"({tot['right_by_id']} by model id, {tot['right_by_declared']} by the declared license)")
    if r["unknown"]:
        lines.append("unknown (license string: models): " + "; ".join(f"{k} ({v})" for k, v in r["unknown"].most_common(n)))
    if r["wrong"]:
        lines.append("wrong:")
        lines += [f"  {k}" for k, _ in r["wrong"].most_common(n)]
    if r["unmapped_strings"]:
        lines.append("license strings not in evals/registry_tables.yaml (left out): "
                     + "; ".join(f"{k!r} ({v})" for k, v in r["unmapped_strings"].most_common(n)))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tables", type=Path, default=DEFAULT_TABLES)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", type=int, default=20, help="how many unknown / wrong entries to show")
    args = ap.parse_args(argv)
    if not args.tables.is_dir():
        print(f"error: {args.tables}: no such folder (the public tables live in ../shared/external/tables)", file=sys.stderr)
        return 1
    r = evaluate(args.tables)
    if args.json:
        print(json.dumps({k: (dict(v) if isinstance(v, Counter) else {n: dict(c) for n, c in v.items()})
                          for k, v in r.items()}, indent=2))
    else:
        print(format_report(r, args.list))
    return 0


if __name__ == "__main__":
    sys.exit(main())
