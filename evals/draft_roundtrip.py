"""Round-trip evaluation of `modelterms draft`.

Each of ≥30 varied configurations (families, artifact types, restriction sets, commercial terms,
structural duties, custom restrictions) is drafted, and the draft is read back:

- profile (the `explain` step, agent/terms/profile.py) of the draft, added as a transient corpus entry,
  in plain text and in Markdown: every term the spec chose must come back with its attitude
  (recall target 100%), parameters (user and revenue thresholds, regions) must match, and no
  term the spec did not ask for may appear (extras; permissions the spec denies count too). Terms
  read only from a custom restriction's own clause are reported, not counted as extras: that
  wording is the user's;
- identify (agent/identify.py) against the whole LicenseDB and the user's texts: a draft must
  not be taken for an existing license (best score under the `unknown` threshold).

    python -m evals.draft_roundtrip [--home DIR] [--json] [--no-identify]
    modelterms eval draft [--json]
"""
from __future__ import annotations

import random
import statistics
import time

from agent.draft.drafter import Drafter
from agent.draft.grounding import Grounding
from agent.draft.spec import DraftSpec
from agent.draft.verify import compare_terms
from agent.draft.wording import restriction_ids
from agent.present.json import verification
from agent.present.text import warning_text
from corpus.catalog import Corpus
from corpus.entry import LicenseEntry
from corpus.settings import Settings

LICENSORS = ["Acme Labs", "Northwind AI", "Blue Heron Research", "Kestrel Systems GmbH", "Orchid Data Co.",
             "Lumen Institute", "Tallgrass Robotics", "Vesta Analytics", "Quill & Sons", "Marlowe University"]
ARTIFACT_SETS = [["model"], ["model", "source"], ["data"], ["application"], ["model", "data"], ["source"],
                 ["data", "application", "model", "source"], ["application", "model"]]
JURISDICTIONS = [None, "the State of New York", "the State of California", "Germany", "Singapore", "Switzerland",
                 "the Province of Ontario"]
REGIONS = [["the European Union"], ["South Korea"], ["the European Union", "Switzerland"]]
CUSTOMS = [
    "no use in political campaigns",
    "do not use it to generate election advertising",
    "no deciding insurance claims",
    "no military drones",
    "no deepfakes of public figures",
    "not for gambling or betting services",
    "never use the model to rank job applicants",
    "no use for tobacco marketing",
]


def configurations(n: int = 32, seed: int = 2024) -> list[DraftSpec]:
    """n varied, deterministic specs; every restriction id is chosen by at least two of them."""
    rng = random.Random(seed)
    ids = restriction_ids()
    pool = ids * 2
    rng.shuffle(pool)
    families = ["open-rail", "open-rail", "restricted", "research-only"]
    specs = []
    for i in range(n):
        family = families[i % len(families)]
        chosen = set(pool[i * len(pool) // n:(i + 1) * len(pool) // n])  # coverage
        chosen |= set(rng.sample(ids, rng.randint(1, 8)))
        restrictions = sorted(chosen)
        if i % 11 == 3:
            restrictions = ["core"] + restrictions
        if i % 13 == 5:
            restrictions = ["aup"]
        if i == 7:
            restrictions = ["all"]  # more than 26 items: numbered, not lettered
        d: dict = {"licensor": LICENSORS[i % len(LICENSORS)], "family": family,
                   "artifacts": ARTIFACT_SETS[i % len(ARTIFACT_SETS)], "restrictions": restrictions,
                   "jurisdiction": JURISDICTIONS[i % len(JURISDICTIONS)]}
        commercial = family != "research-only" and rng.random() < 0.7
        d["noncommercial"] = None if family == "research-only" else not commercial
        if commercial:
            if rng.random() < 0.5:
                d["user_threshold"] = rng.choice([1_000_000, 50_000_000, 100_000_000, 700_000_000])
            if rng.random() < 0.4:
                d["revenue_threshold"] = rng.choice([1_000_000, 10_000_000, 250_000])
            d["registration"] = rng.random() < 0.25
        if family != "restricted":
            d["attribution"] = rng.random() < 0.85
            if d["attribution"] and rng.random() < 0.5:
                d["attribution_notice"] = f"Built with {d['licensor'].split()[0]}"
            if rng.random() < 0.4:
                d["naming_prefix"] = d["licensor"].split()[0]
            d["flowdown"] = rng.random() < 0.85
        d["hosted_is_distribution"] = rng.random() < 0.4
        d["output_ownership"] = rng.choice(["unspecified", "licensee", "licensee", "licensor"])
        d["output_training_ban"] = rng.random() < 0.3
        d["distillation_derivative"] = not d["output_training_ban"] and rng.random() < 0.3
        d["termination_litigation"] = rng.random() < 0.6
        d["guardrail_termination"] = rng.random() < 0.3
        d["terms_update"] = rng.random() < 0.3
        d["patent_grant"] = rng.random() < 0.5
        if rng.random() < 0.25:
            d["geo_exclusions"] = rng.choice(REGIONS)
        if rng.random() < 0.2:
            d["policy_url"] = f"https://{d['licensor'].split()[0].lower()}.example/acceptable-use"
        if i % 4 == 1:
            d["custom_restrictions"] = [CUSTOMS[(i // 4) % len(CUSTOMS)]]
        if i % 8 == 6:
            d["custom_restrictions"] = [CUSTOMS[(i // 2) % len(CUSTOMS)], CUSTOMS[(i // 2 + 3) % len(CUSTOMS)]]
        specs.append(DraftSpec.from_mapping(d))
    return specs


def run(settings: Settings, n: int = 32, identify: bool = True, formats=("text", "md"), grounded: bool = True) -> dict:
    from agent.terms.profile import Profiler

    corpus = Corpus(settings)
    grounding = Grounding(settings) if grounded else None
    drafter = Drafter(settings, grounding=grounding if grounded else False)
    store = grounding.searcher.store if grounding is not None and grounding.available else None
    profiler = Profiler(settings, corpus, store)
    identifier = None
    if identify:
        from agent.identify import UNKNOWN_BELOW, Identifier

        identifier = Identifier(settings, corpus, scope="all")
    rows = []
    times = []
    for i, spec in enumerate(configurations(n)):
        t0 = time.perf_counter()
        d = drafter.draft(spec)
        times.append(time.perf_counter() - t0)
        row = {"config": i, "licensor": d.spec.licensor, "family": d.spec.family, "artifacts": d.spec.artifacts,
               "name": d.spec.name or "", "restrictions": len(d.spec.restrictions),
               "custom": [c.text for c in d.spec.custom_restrictions], "spec_hash": d.spec_hash,
               "warnings": [f"{w.field}: {warning_text(w)}" for w in d.warnings], "formats": {}}
        for fmt in formats:
            text = d.text if fmt == "text" else d.markdown
            key = f"draft-eval-{i:02d}-{fmt}"
            corpus.add_transient(LicenseEntry(key=key, name=f"draft {i} ({fmt})", kind="license", text=text, source="draft"))
            prof = profiler.profile(key)
            row["formats"][fmt] = verification(
                compare_terms(d.spec, prof, lambda cid, key=key: profiler.clause_text(key, cid)))
        if identifier is not None:
            ident = identifier.identify(d.text, n=1)
            best = ident.best
            row["identify"] = {"unknown": ident.unknown, "best": best.license if best else None,
                               "score": round(best.score, 4) if best else 0.0}
        rows.append(row)

    def total(fmt, k):
        return sum(r["formats"][fmt][k] if isinstance(r["formats"][fmt][k], int) else len(r["formats"][fmt][k])
                   for r in rows)

    per_format = {}
    for fmt in formats:
        chosen, recovered = total(fmt, "chosen"), total(fmt, "recovered")
        per_format[fmt] = {
            "chosen_terms": chosen, "recovered": recovered, "recall": round(recovered / max(1, chosen), 4),
            "configs_with_misses": sum(bool(r["formats"][fmt]["missed"]) for r in rows),
            "extra_terms": total(fmt, "extra"),
            "configs_with_extras": sum(bool(r["formats"][fmt]["extra"]) for r in rows),
            "implied_terms": total(fmt, "implied"), "implied_missed": total(fmt, "implied_missed"),
            "param_mismatches": total(fmt, "params"), "custom_mapped": total(fmt, "custom_mapped"),
        }
    ident_rows = [r["identify"] for r in rows if "identify" in r]
    report = {
        "configs": len(rows), "formats": per_format,
        "identify": ({"checked": len(ident_rows), "mistaken_for_existing": sum(not x["unknown"] for x in ident_rows),
                      "max_score": max((x["score"] for x in ident_rows), default=0.0),
                      "threshold": UNKNOWN_BELOW} if identifier is not None else None),
        "draft_seconds": {"p50": round(statistics.median(times), 3), "max": round(max(times), 3),
                          "first": round(times[0], 3), "grounded": drafter.grounding is not None
                          and drafter.grounding.available},
        "profile_method": profiler.classifier and "classifier" or "rules",
        "rows": rows,
    }
    report["passed"] = (len(rows) >= 30 and all(f["recall"] == 1.0 and f["extra_terms"] == 0 and f["param_mismatches"] == 0
                                                for f in per_format.values())
                        and (report["identify"] is None or report["identify"]["mistaken_for_existing"] == 0))
    return report


def format_report(r: dict) -> str:
    lines = [f"draft round-trip: {r['configs']} configurations, profile by {r['profile_method']}"]
    for fmt, f in r["formats"].items():
        lines.append(f"  {fmt:5s} chosen terms recovered {f['recovered']}/{f['chosen_terms']} ({100 * f['recall']:.1f}%), "
                     f"configs with misses {f['configs_with_misses']}, extra terms {f['extra_terms']} "
                     f"(in {f['configs_with_extras']} configs), implied missed {f['implied_missed']}/{f['implied_terms']}, "
                     f"param mismatches {f['param_mismatches']}, custom-mapped {f['custom_mapped']}")
    if r["identify"]:
        i = r["identify"]
        lines.append(f"  identify: {i['mistaken_for_existing']}/{i['checked']} drafts taken for an existing license "
                     f"(max score {i['max_score']:.3f}, threshold {i['threshold']})")
    ds = r["draft_seconds"]
    lines.append(f"  draft generation ({'grounded' if ds['grounded'] else 'ungrounded'}): p50 {ds['p50']:.3f} s, "
                 f"max {ds['max']:.3f} s, first {ds['first']:.3f} s")
    for row in r["rows"]:
        for fmt, f in row["formats"].items():
            if f["missed"] or f["extra"] or f["params"] or f["implied_missed"]:
                lines.append(f"  config {row['config']:2d} [{fmt}] missed {f['missed']} extra {f['extra']} "
                             f"params {f['params']} implied missed {f['implied_missed']}")
        if row.get("identify") and not row["identify"]["unknown"]:
            lines.append(f"  config {row['config']:2d} identified as {row['identify']['best']} ({row['identify']['score']})")
    lines.append("PASS" if r["passed"] else "FAIL")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse
    import json
    from pathlib import Path

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-identify", action="store_true")
    args = ap.parse_args()
    rep = run(Settings.from_env(home=args.home), identify=not args.no_identify)
    print(json.dumps(rep, indent=2) if args.json else format_report(rep))
