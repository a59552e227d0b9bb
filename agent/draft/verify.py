"""Verification: the draft read back by the profiler and compared with its spec."""
from __future__ import annotations

from corpus.entry import LicenseEntry
from corpus.settings import Settings

from ..deps import Deps
from .drafter import Draft, ParamMismatch, Verification
from .render import license_name
from .spec import DraftSpec
from .wording import load_templates


_KNOWN_REGIONS = {"european union": "European Union", "south korea": "South Korea", "switzerland": "Switzerland",
                  "united kingdom": "United Kingdom"}


def compare_terms(spec: DraftSpec, profile, clause_text) -> Verification:
    """The terms a profile of the draft recovered, against its (resolved, drafted) spec.

    missed: chosen terms not recovered with their attitude; extra: terms recovered that the spec
    did not ask for (or permissions it denies, read as granted); custom_mapped: terms read only from a custom
    restriction's own clause (the user's wording, reported, not counted as extra); params:
    threshold and region values that came back different (`Verification`).
    """
    marker = load_templates().data["attachment"]["custom_marker"]
    chosen, implied, denied = spec.chosen_terms(), spec.implied_terms(), spec.contradicted_terms()
    got = {t: r.attitude for t, r in profile.terms.items()}
    missed = sorted(t for t, a in chosen.items() if got.get(t) != a)
    implied_missed = sorted(t for t, a in implied.items() if got.get(t) != a)
    extra, custom_mapped = [], []
    for t, r in profile.terms.items():
        if t in denied and r.attitude == "cannot":
            continue  # a permission the draft withholds, read as withheld: right
        if t in denied or (t not in chosen and t not in implied):
            texts = [clause_text(e.clause_id) or e.quote for e in r.evidence]
            if t not in denied and texts and all(marker in x for x in texts):
                custom_mapped.append(t)
            else:
                extra.append(t)
    params = []
    if spec.user_threshold and "user_threshold" in profile.terms:
        if (got_users := profile.terms["user_threshold"].params.get("users")) != spec.user_threshold:
            params.append(ParamMismatch("users", got_users, spec.user_threshold))
    if spec.revenue_threshold and "revenue_threshold" in profile.terms:
        if (got_revenue := profile.terms["revenue_threshold"].params.get("revenue_usd")) != spec.revenue_threshold:
            params.append(ParamMismatch("revenue", got_revenue, spec.revenue_threshold))
    if spec.geo_exclusions and "geo_restriction" in profile.terms:
        want = {v for g in spec.geo_exclusions for k, v in _KNOWN_REGIONS.items() if k in g.lower()}
        have = set(profile.terms["geo_restriction"].params.get("regions") or [])
        if want - have:
            params.append(ParamMismatch("regions", tuple(sorted(have)), tuple(sorted(want - have))))
    return Verification(chosen=len(chosen), recovered=len(chosen) - len(missed), missed=missed,
                        wrong_attitude=sorted(t for t in missed if t in got), implied=len(implied),
                        implied_missed=implied_missed, extra=sorted(extra), custom_mapped=sorted(custom_mapped),
                        params=params)


def verify_draft(d: Draft, deps: Deps | Settings) -> Verification:
    """The draft's text profiled by `deps.profiler` (as `explain` would) and compared with its spec."""
    profiler = Deps.of(deps).profiler
    corpus = profiler.corpus
    key = f"draft-verify-{d.spec_hash}"
    corpus.add_transient(LicenseEntry(key=key, name=license_name(d.spec), kind="license", text=d.text, source="draft"))
    return compare_terms(d.spec, profiler.profile(key), lambda cid: profiler.clause_text(key, cid))
