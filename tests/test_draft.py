"""`modelterms draft`: spec validation, consistency, rendering, regeneration, round trip, grounding, upstream, CLI."""
from __future__ import annotations

import json

import pytest

from agent.draft.consistency import consistency_warnings
from agent.draft.custom import adapt_custom, custom_scope, draft_custom_clause
from agent.draft.drafter import Drafter
from agent.draft.spec import DraftSpec, expand_restrictions, read_spec_file
from agent.draft.wording import load_templates, restriction_ids
from corpus.catalog import Corpus
from corpus.entry import LicenseEntry
from corpus.errors import ModeltermsError
from agent.draft.verify import compare_terms as compare
from evals.draft_roundtrip import configurations

from .conftest import make_settings, run_cli


def _spec(**kw) -> DraftSpec:
    return DraftSpec.from_mapping({"licensor": "Acme Labs", **kw})


def _draft(settings, **kw):
    return Drafter(settings, grounding=False).draft(_spec(**kw))


# --- spec validation ------------------------------------------------------------------

@pytest.mark.parametrize("data, field", [
    ({"licensor": "  "}, "licensor"),
    ({"licensor": "Acme", "restrictions": ["military_weapons", "no_such_thing"]}, "restrictions"),
    ({"licensor": "Acme", "restrictions": ["noncommercial"]}, "restrictions"),
    ({"licensor": "Acme", "family": "closed"}, "family"),
    ({"licensor": "Acme", "artifacts": ["weights"]}, "artifacts"),
    ({"licensor": "Acme", "user_threshold": "lots"}, "user_threshold"),
    ({"licensor": "Acme", "user_threshold": 0}, "user_threshold"),
    ({"licensor": "Acme", "family": "research-only", "noncommercial": False}, "noncommercial"),
    ({"licensor": "Acme", "attribution": False, "attribution_notice": "Built with Acme"}, "attribution_notice"),
    ({"licensor": "Acme", "colour": "blue"}, "colour"),
    ({"licensor": "Acme", "policy_url": "not a url"}, "policy_url"),
    ({"licensor": "Acme", "flowdown": "maybe"}, "flowdown"),
])
def test_bad_spec_names_the_field(data, field):
    with pytest.raises(ModeltermsError) as e:
        DraftSpec.from_mapping(data).resolved()
    msg = str(e.value)
    assert msg.startswith(field + ":") and "\n" not in msg


def test_spec_defaults_presets_and_amounts():
    s = _spec(restrictions="core, military-weapons", user_threshold="700M", revenue_threshold="US$1,000,000").resolved()
    assert s.restrictions[0] == "illegal" and "military_weapons" in s.restrictions
    assert set(expand_restrictions(["core"])) <= set(s.restrictions)
    assert s.user_threshold == 700_000_000 and s.revenue_threshold == 1_000_000
    assert s.attribution and s.flowdown and s.patent_grant and s.termination_litigation and not s.noncommercial
    r = _spec(family="research-only").resolved()
    assert r.noncommercial and not r.patent_grant
    assert expand_restrictions(["all"]) == restriction_ids() and len(restriction_ids()) == 30


def test_consistency_warnings():
    fields = lambda **kw: {w.field for w in consistency_warnings(_spec(**kw).resolved())}  # noqa: E731
    assert "open_source" in fields(open_source=True, noncommercial=True, restrictions=["core"])
    assert "revenue_threshold" in fields(family="research-only", revenue_threshold=1_000_000, restrictions=["core"])
    assert "user_threshold" in fields(noncommercial=True, user_threshold=1000, restrictions=["core"])
    assert "naming_prefix" in fields(family="restricted", naming_prefix="Acme", restrictions=["core"])
    assert "flowdown" in fields(flowdown=False, restrictions=["core"])
    assert "restrictions" in fields()
    assert fields(restrictions=["core"]) == set()


# --- rendering and regeneration ------------------------------------------------------------

def test_render_is_deterministic_and_named_by_artifacts(tmp_path):
    s = make_settings(tmp_path / "h")
    a = _draft(s, restrictions=["core"], artifacts=["source", "model", "data"])
    b = _draft(s, restrictions=["core"], artifacts=["data", "model", "source"])
    assert a.text == b.text and a.spec_hash == b.spec_hash and a.text_sha256 == b.text_sha256
    assert "Acme Labs OpenRAIL-DMS License" in a.markdown and "“Licensed Materials” means" in a.text
    assert "Research RAIL-A" in _draft(s, family="research-only", artifacts=["application"], restrictions=["core"]).text
    r = _draft(s, family="restricted", restrictions=["core"])
    assert "RAIL-M" in r.text and "OpenRAIL" not in r.text and "shall not distribute" in r.text
    assert a.template_version == load_templates().version and a.template_version in a.text
    assert _draft(s, restrictions=["core"], licensor="Other").spec_hash != a.spec_hash


def test_more_than_26_restrictions_are_numbered(tmp_path):
    d = _draft(make_settings(tmp_path / "h"), restrictions=["all"], custom_restrictions=["no use in political campaigns"])
    assert "(31) in political campaigns [custom clause: legal review required]." in d.text
    assert "(a) " not in d.text


def test_saved_spec_regenerates_the_exact_text(tmp_path):
    s = make_settings(tmp_path / "h")
    d = _draft(s, restrictions=["core", "military_weapons"], custom_restrictions=["no gambling services"],
               user_threshold=5_000_000, naming_prefix="Acme", geo_exclusions=["the European Union"])
    path = tmp_path / "license-spec.json"
    path.write_text(json.dumps(d.saved_spec()))
    saved = read_spec_file(path)
    assert saved.template_version == d.template_version and saved.spec_hash == d.spec_hash
    again = Drafter(s, grounding=False).draft(saved.spec)
    assert again.text == d.text and again.spec_hash == d.spec_hash and again.text_sha256 == saved.text_sha256
    # YAML spec files work too
    y = tmp_path / "spec.yaml"
    y.write_text("licensor: Acme Labs\nrestrictions: [core]\nnoncommercial: yes\n")
    assert "Non-Commercial Purposes only" in Drafter(s, grounding=False).draft(read_spec_file(y).spec).text


@pytest.mark.parametrize("content, suffix, why", [
    (None, ".yaml", "no such file"), ("licensor: [unclosed", ".yaml", "not valid YAML"),
    ("{licensor: ", ".json", "not valid JSON"), ("", ".yaml", "is empty"), ("- a\n- b\n", ".yaml", "expected a mapping"),
])
def test_unreadable_spec_file(tmp_path, content, suffix, why):
    path = tmp_path / f"spec{suffix}"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ModeltermsError) as e:
        read_spec_file(path)
    assert str(e.value).startswith("spec:") and why in str(e.value)


# --- custom restrictions --------------------------------------------------------------------

@pytest.mark.parametrize("text, scope", [
    ("no use in political campaigns", "in political campaigns"),
    ("Do not use the model to generate election ads.", "to generate election ads"),
    ("never use it for gambling", "for gambling"),
    ("military drones", "for military drones"),
    ("no deciding insurance claims", "for deciding insurance claims"),
])
def test_custom_scope(text, scope):
    assert custom_scope(text) == scope


class _Hit:
    def __init__(self, license, cid, text):
        self.license, self.clause_id, self.text = license, cid, text


def test_custom_clause_hook_without_and_with_llm():
    from agent.draft.spec import CustomRestriction

    nearest = [_Hit("x-license", "x-license#a.3", "to generate or disseminate content for political campaigns, "
                    "lobbying or the manipulation of elections in any jurisdiction whatsoever")]
    c = CustomRestriction("no political campaigning")
    plain = draft_custom_clause(c, nearest, None)
    assert plain.method == "pattern" and plain.review and plain.nearest == ["x-license#a.3"]
    assert plain.clause.endswith(";") and "political campaigning" in plain.clause

    class FakeLLM:
        def __init__(self, answer):
            self.answer, self.prompts = answer, []

        def complete(self, prompt):
            self.prompts.append(prompt)
            if isinstance(self.answer, Exception):
                raise self.answer
            return self.answer

    good = FakeLLM("(a) to produce material intended to influence the outcome of a political campaign.")
    out = draft_custom_clause(c, nearest, good)
    assert out.method == "llm" and out.clause == "to produce material intended to influence the outcome of a political campaign;"
    assert "no political campaigning" in good.prompts[0] and "x-license#a.3" in good.prompts[0]
    copying = FakeLLM("to generate or disseminate content for political campaigns, lobbying or the manipulation of elections")
    assert draft_custom_clause(c, nearest, copying).method.startswith("pattern (llm answer rejected")
    assert draft_custom_clause(c, nearest, FakeLLM(RuntimeError("down"))).method.startswith("pattern (llm failed")
    assert adapt_custom(CustomRestriction("no deepfakes of politicians"), []).terms == ["impersonation"]


# --- round trip through the profiler and identify ---------------------------------------------

ROUND_TRIP = [
    dict(restrictions=["all"], user_threshold=700_000_000, revenue_threshold=1_000_000, registration=True,
         attribution_notice="Built with Acme", naming_prefix="Acme", hosted_is_distribution=True,
         output_ownership="licensee", output_training_ban=True, guardrail_termination=True, terms_update=True,
         geo_exclusions=["the European Union"], jurisdiction="the State of New York",
         policy_url="https://acme.example/aup"),
    dict(family="restricted", artifacts=["data", "application"], noncommercial=True, restrictions=["core", "spam"],
         output_ownership="licensor", distillation_derivative=True),
    dict(family="research-only", artifacts=["model", "source"], restrictions=["aup"], patent_grant=True,
         custom_restrictions=["no use in political campaigns"]),
]


@pytest.mark.parametrize("i", range(len(ROUND_TRIP)))
def test_round_trip_recovers_every_chosen_term(tmp_path, i):
    from agent.terms.profile import Profiler

    s = make_settings(tmp_path / "h")
    d = _draft(s, **ROUND_TRIP[i])
    corpus = Corpus(s)
    profiler = Profiler(s, corpus)
    for fmt, text in (("text", d.text), ("md", d.markdown)):
        key = f"draft-test-{i}-{fmt}"
        corpus.add_transient(LicenseEntry(key=key, name=key, kind="license", text=text, source="draft"))
        r = compare(d.spec, profiler.profile(key), lambda cid, key=key: profiler.clause_text(key, cid))
        assert (r.missed, r.extra, r.params, r.implied_missed) == ([], [], [], []), (fmt, r)


def test_verify_draft_reads_back_the_spec(tmp_path):
    from agent.draft.verify import verify_draft

    s = make_settings(tmp_path / "h")
    v = verify_draft(_draft(s, restrictions=["core"], naming_prefix="Acme", user_threshold=1_000_000), s)
    assert v.ok and v.recovered == v.chosen and v.extra == []


def test_eval_configurations_cover_every_restriction():
    specs = configurations()
    assert len(specs) >= 30 and len({s.spec_hash() for s in specs}) == len(specs)
    counts = {r: 0 for r in restriction_ids()}
    for s in specs:
        for r in s.resolved().restrictions:
            counts[r] += 1
    assert min(counts.values()) >= 2
    assert {s.family for s in specs} == {"open-rail", "restricted", "research-only"}
    assert sum(bool(s.custom_restrictions) for s in specs) >= 6


def test_draft_is_not_identified_as_an_existing_license(indexed):
    from agent.identify import Identifier

    ident = Identifier(indexed, Corpus(indexed), scope="all")
    for kw in ROUND_TRIP:
        d = _draft(indexed, **kw)
        assert ident.identify(d.text).unknown


# --- grounding and upstream (the small indexed corpus) ------------------------------------------

def test_provenance_cites_corpus_clauses(indexed):
    d = Drafter(indexed).draft(_spec(restrictions=["core"], custom_restrictions=["no use for medical diagnosis"]))
    assert d.grounding == "index"
    by_ref = {p["clause"]: p for p in d.provenance}
    sources = [x["clause_id"] for x in by_ref["A.(a)"]["sources"]]  # illegal
    assert sources and all("#" in c for c in sources)
    assert any(x["clause_id"].startswith("bigscience-open-rail-m#") for p in d.provenance for x in p["sources"])
    custom = [p for p in d.provenance if p["custom"]]
    assert custom and custom[0]["sources"]
    assert d.spec.custom_restrictions[0].nearest and d.spec.custom_restrictions[0].terms == ["medical_advice"]


def test_provenance_cache_needs_no_search_the_second_time(indexed):
    from agent.draft.grounding import Grounding

    spec = _spec(restrictions=["core", "spam"], user_threshold=123_456, naming_prefix="Zed")
    first = Drafter(indexed).draft(spec)
    g = Grounding(indexed)
    again = Drafter(indexed, grounding=g).draft(spec.replace(licensor="Someone Else", user_threshold=999))
    assert g._searcher is None  # everything came from the cache beside the index: no model, no store
    assert [p["sources"] for p in again.provenance] == [p["sources"] for p in first.provenance]


def test_upstream_checks(indexed):
    from agent.draft.upstream import check_upstream

    spec = _spec(restrictions=["illegal"], upstream=["bigscience-open-rail-m"], flowdown=False).resolved()
    rep = check_upstream(spec, indexed)
    bad = {f.term for f in rep.violations}
    assert {"minors", "discrimination", "flowdown"} <= bad and "illegal" not in bad
    assert all(f.clause_ids and f.clause_ids[0].startswith("bigscience-open-rail-m#") for f in rep.violations)

    llama = _spec(restrictions=["core"], base_model="meta-llama/Llama-3.1-8B").resolved()
    rep = check_upstream(llama, indexed)
    assert rep.keys == ["llama-3.1-license-2024"]
    assert {"naming", "attribution"} <= {f.term for f in rep.violations}
    assert any("Acceptable Use Policy" in m.name for m in rep.missing)
    fixed = llama.replace(naming_prefix="Llama-Acme", attribution_notice="Built with Llama").resolved()
    assert not check_upstream(fixed, indexed).violations
    with pytest.raises(ModeltermsError, match="^upstream:"):
        check_upstream(_spec(upstream=["no-such-license"]).resolved(), indexed)


# --- CLI -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, field", [
    (["--licensor", "Acme", "-r", "core,not_a_term"], "restrictions:"),
    (["--licensor", ""], "licensor:"),
    (["-r", "core"], "licensor:"),
    (["--licensor", "Acme", "--noncommercial", "--commercial"], "conflicting flags: --noncommercial"),
    (["--licensor", "Acme", "--family", "research-only", "--commercial"], "conflicting flags: --commercial"),
    (["--spec", "/nonexistent/spec.yaml"], "spec:"),
    (["--licensor", "Acme", "--user-threshold", "many"], "user_threshold:"),
])
def test_cli_bad_input(tmp_path, args, field):
    r = run_cli("draft", *args, home=tmp_path / "h")
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith("error: " + field) and r.stderr.count("\n") == 1, r.stderr


def test_cli_draft_writes_outputs_and_regenerates(indexed, tmp_path):
    out = tmp_path / "out"
    r = run_cli("draft", "--licensor", "Acme Labs", "-r", "core", "--custom", "no use in political campaigns",
                "--upstream", "bigscience-open-rail-m", "--format", "json", "-o", str(out), home=indexed.home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert {"template_version", "spec_hash", "text_sha256", "spec", "markdown", "text", "provenance",
            "warnings", "upstream"} <= set(data)
    assert data["upstream"]["keys"] == ["bigscience-open-rail-m"] and data["legal_review"]
    assert sorted(p.name for p in out.iterdir()) == ["DRAFTING-NOTES.md", "LICENSE.md", "LICENSE.txt", "license-spec.json"]
    assert (out / "LICENSE.txt").read_text() == data["text"]
    again = run_cli("draft", "--spec", str(out / "license-spec.json"), "--format", "text", "--no-notes",
                    home=indexed.home)
    assert again.returncode == 0, again.stderr
    assert again.stdout == data["text"]


def test_cli_wizard(tmp_path):
    answers = "\n".join(["Acme Labs", "open-rail", "model", "core,military_weapons", "no use in political campaigns", "",
                         "y", "700M", "", "Built with Acme", "Acme", "y", "licensee", "n", "n",
                         "the State of New York", ""]) + "\n"
    r = run_cli("draft", "--wizard", "--no-provenance", "--format", "text", "--no-notes", home=tmp_path / "h",
                input=answers)
    assert r.returncode == 0, r.stderr
    text = r.stdout
    assert text.startswith("ACME LABS OPENRAIL-M LICENSE")
    for phrase in ("700,000,000 monthly active users", "“Built with Acme”", "“Acme” at the beginning",
                   "hosted service", "claims no rights in the Outputs", "the State of New York",
                   "in political campaigns [custom clause: legal review required]", "weapons"):
        assert phrase in text, phrase
