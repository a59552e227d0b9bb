"""The presenters (agent/present): each format renders the typed results, which carry no prose of their own.

Typed values are built by hand here (the presenters read nothing else), so a wrong rendering names its format;
the last test runs a real check on the indexed home and holds the JSON contract against the CLI's --json.
"""
from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from types import SimpleNamespace

import click

from agent.audit.duties import conditions as audit_conditions
from agent.audit.result import MET, UNMET, AuditResult, Duty, Fix, Gap, Location, Remark, Source
from agent.audit.result import Condition as AuditCondition
from agent.audit.rules import rules
from agent.check.result import CheckResult, Condition, Finding, Missing, Reason
from agent.compare import ClauseChange, Diff, Matrix
from agent.draft.consistency import Warning_
from agent.draft.drafter import Draft, DraftNote, ParamMismatch, Verification
from agent.draft.spec import CustomRestriction, DraftSpec
from agent.draft.upstream import UpstreamFinding, UpstreamReason, UpstreamReport
from agent.models import Conflict, Unresolved, Note, Resolution
from agent.present import html, markdown, text
from agent.present import json as present_json
from agent.terms.profile import Evidence, Profile, TermResult
from corpus.display import NOT_LEGAL_ADVICE
from corpus.taxonomy import load_taxonomy
from tests.conftest import run_cli

CONTRACT_ORDER = ["verdict", "licenses", "findings", "conditions", "missing", "answer", "deciding"]
ROOT = Path(__file__).resolve().parents[1]
HOSTILE = 'You may not use the Model <script>alert("x")</script> for "weapons" & <b>harm</b>'


def _result(verdict: str = "prohibited") -> CheckResult:
    findings = [
        Finding("acme-open-model", "acme-open-model#4.a", "military_weapons", "cannot", HOSTILE,
                Reason("forbids", "Acme Open Model", "military weapons"), "prohibited"),
        Finding("acme-open-model", "acme-open-model#4.c", "ai_disclosure", "must",
                "You must disclose that output is machine-generated", Reason("disclose_ai", "Acme Open Model"), "condition"),
        Finding("acme-open-model", "acme-open-model#1", "other_use", "can", "use the Model for any lawful purpose",
                Reason("grant", "Acme Open Model"), "grant"),
    ]
    res = Resolution(query="acme/model", model="acme/model", licenses=["acme-open-model"],
                     notes=[Note("repo", text="read from the model card")], chain=["acme/base", "acme/model"])
    return CheckResult(verdict=verdict, licenses=["acme-open-model"], findings=findings,
                       conditions=[Condition("disclose_ai", "acme-open-model")],
                       missing=[Missing("text", name="Acme AUP", unresolved=Unresolved("with_license", "Acme AUP", "acme-aup", of="acme-open-model"))],
                       resolution=res)


def _profile() -> Profile:
    return Profile(license="acme-open-model", name="Acme <Open> Model License", kind="license", terms={
        "military_weapons": TermResult("military_weapons", "cannot", [Evidence("acme-open-model#4.a", HOSTILE, 0.9)]),
        "user_threshold": TermResult("user_threshold", "must", [Evidence("acme-open-model#2", "over 700,000,000 monthly "
                                                                         "active users | must ask", 0.8)],
                                     {"users": 700_000_000}),
        "attribution": TermResult("attribution", "must", []),
    }, references=[{"policy": "Acme AUP", "in_corpus": False, "key": "acme-aup", "url": "https://acme.example/aup"}])


# --- the result type -------------------------------------------------------------------------

def test_check_result_holds_no_prose():
    fields = {f.name for f in dataclasses.fields(CheckResult)}
    assert "answer" not in fields
    assert "answer" not in _result().as_json()
    data = _result("conditional").as_json()  # conditions and what is missing as fields; their words are presenters'
    assert data["conditions"] == [{"kind": "disclose_ai", "license": "acme-open-model"}]
    assert data["missing"] == [{"kind": "text", "name": "Acme AUP", "unresolved": {
        "kind": "with_license", "name": "Acme AUP", "key": "acme-aup", "of": "acme-open-model"}}]
    assert data["findings"][0]["reason"] == {"kind": "forbids", "name": "Acme Open Model", "category": "military weapons"}
    assert "why" not in data["findings"][0]


def test_each_reason_a_rule_gives_has_words_and_the_contract_carries_them_as_why():
    kinds = set()
    for path in (ROOT / "agent" / "check").rglob("*.py"):
        kinds |= set(re.findall(r'\bReason\("(\w+)"', path.read_text(encoding="utf-8")))
    assert len(kinds) > 30 and kinds <= set(text.REASON_WORDS), kinds - set(text.REASON_WORDS)
    f = Finding("l", "l#2", "other_use", "must", "q", Reason("user_threshold", "L", limit=700_000_000), "condition")
    assert present_json.finding(f) == {"license": "l", "clause_id": "l#2", "category": "other_use", "attitude": "must",
                                       "quote": "q", "why": "above 700,000,000 monthly active users a separate "
                                       "license is needed", "effect": "condition"}
    assert text.reason_text(Reason("may_cover", "L", similarity=0.512)) == \
        "this restriction may cover the use (similarity 0.51); review it"
    assert [x["why"] for x in present_json.check(_result())["findings"]] == [
        "Acme Open Model forbids this use (military weapons)", "Acme Open Model requires telling people they deal with AI",
        "Acme Open Model grants this"]


def test_each_upstream_reason_the_drafter_gives_has_words_and_the_contract_carries_them_as_message():
    # every kind agent/draft/upstream.py names is worded, and every worded kind is one it can give
    source = (ROOT / "agent" / "draft" / "upstream.py").read_text(encoding="utf-8")
    literals = set(re.findall(r'"(\w+)"', source))
    given = set(re.findall(r'UpstreamReason\("(\w+)"', source))
    assert len(given) >= 10 and given <= set(text.UPSTREAM_WORDS), given - set(text.UPSTREAM_WORDS)
    assert set(text.UPSTREAM_WORDS) <= literals, set(text.UPSTREAM_WORDS) - literals
    report = UpstreamReport(["llama-x"], findings=[
        UpstreamFinding("llama-x", "weapons", "violated", UpstreamReason("restriction_dropped", name="weapons"), ["llama-x#3"]),
        UpstreamFinding("llama-x", "attribution", "violated", UpstreamReason("notice_missing", notice="Built with X")),
        UpstreamFinding("llama-x", "geo_restriction", "violated", UpstreamReason("regions_granted", regions=["EU", "UK"])),
        UpstreamFinding("llama-x", "user_threshold", "note",
                        UpstreamReason("user_threshold_higher", limit=700_000_000, mine=900_000_000)),
        UpstreamFinding("llama-x", "revenue_threshold", "note", UpstreamReason("revenue_threshold", limit=1_000_000))],
        missing=[Unresolved("error", "X AUP", text="not in the corpus")])
    data = present_json.upstream(report)
    assert list(data) == ["keys", "violations", "findings", "missing", "resolution"] and data["violations"] == 3
    assert data["findings"][0] == {
        "upstream": "llama-x", "term": "weapons", "status": "violated", "clause_ids": ["llama-x#3"],
        "message": "llama-x has a use term on weapons that must reach recipients of derivatives; the draft drops it "
                   "(add --restriction weapons)"}
    assert [f["message"] for f in data["findings"][1:]] == [
        'llama-x requires the notice “Built with X” with derivatives (use --notice "Built with X")',
        'llama-x excludes rights in EU, UK; the draft grants rights there (use --exclude-region "EU")',
        "llama-x needs a separate license above 700,000,000 monthly active users; it binds you (and your users) "
        "whatever the draft says; your own threshold (900,000,000) is higher than upstream's",
        "llama-x needs a separate license above US $1,000,000 revenue; it binds you (and your users) whatever the "
        "draft says"]
    assert all(text.upstream_text(f) == m["message"] for f, m in zip(report.findings, data["findings"]))


def test_each_condition_and_missing_kind_has_words_and_the_json_carries_them():
    r = CheckResult(verdict="conditional", licenses=["l"], conditions=[
        Condition("user_threshold", "l", users=900_000_000, limit=700_000_000), Condition("regional", "l", where="EU")],
        missing=[Missing("text", name="L AUP", unresolved=Unresolved("registry", "L AUP", "l-aup", {"key": "l-aup", "name": "L AUP"}, of="l"),
                         url="https://l.example", key="l-aup"),
                 Missing("policy", name="L AUP", license="l"), Missing("language", language="German")])
    data = present_json.check(r)
    assert data["conditions"] == [
        "request a separate license from the licensor: 900,000,000 users exceeds the 700,000,000 monthly-active-user "
        "threshold of l", "check the regional exclusion of l for EU: the rights may not extend there"]
    assert data["missing"][0] == ("L AUP: applies to l models but is not in the corpus (https://l.example); add it with "
                                  "`modelterms corpus add FILE --key l-aup`")
    assert data["missing"][1] == "L AUP is incorporated by l but its text is not in the corpus"
    assert "(it reads as German)" in data["missing"][2]
    assert list(data) == CONTRACT_ORDER
    assert set(text.CONDITION_WORDS) >= {"card_conflict", "naming"} and set(text.MISSING_WORDS) == {
        "text", "policy", "vague", "language", "threshold", "not_one_license", "regional_policy", "out_of_scope"}
    # a text the registry names (it has a key) or a policy a license incorporates is a text not in the corpus
    assert [m.text_not_in_corpus for m in r.missing] == [True, True, False]
    assert not Missing("text", name="license", unresolved=Unresolved("unknown_id", "x", license_id="x")).text_not_in_corpus



def test_an_audits_problems_and_notes_are_remarks_worded_by_the_presenters():
    kinds = set()
    for path in (ROOT / "agent" / "audit").rglob("*.py"):
        kinds |= set(re.findall(r'\bRemark\("(\w+)"', path.read_text(encoding="utf-8")))
    assert kinds == set(text.REMARK_WORDS), kinds ^ set(text.REMARK_WORDS)
    r = AuditResult("acme/m", problems=[Remark("cycle", base="../a"), Remark("error", "LICENSE: binary file")],
                    notes=[Remark("declared_unknown", ids=("acme-1", "acme-2"))])
    data = present_json.audit(r)
    assert data["problems"] == ["base_model cycle: ../a is already in the chain; not followed again",
                                "LICENSE: binary file"]
    assert data["notes"] == ["declared license acme-1, acme-2 is not a known license id"]
    assert r.as_json()["problems"][0] == {"kind": "cycle", "base": "../a"}
    assert "problem: LICENSE: binary file" in text.audit(r)
    unusable = AuditResult("x", problems=[Remark("no_card")], usable=False)
    assert text.audit_headline(unusable) == ("cannot audit x: no model card (README.md): nothing declares the license "
                                             "or the base model")


def test_what_a_file_meeting_a_duty_shows_and_a_duty_remark_are_values_worded_in_the_contract():
    shown = set()
    for path in (ROOT / "agent" / "audit").rglob("*.py"):
        shown |= set(re.findall(r'\bshows="(\w+)"', path.read_text(encoding="utf-8")))
    assert shown == set(text.SHOWN_WORDS), shown ^ set(text.SHOWN_WORDS)
    met = Duty("license_copy", "Ship the license text", MET, evidence=Location("LICENSE", 1, shows="license_text",
                                                                              key="acme-1.0"))
    spared = Duty("output_training", "Outputs", MET, evidence=Location("README.md", 4, "trained on Acme outputs"),
                  detail={"source": "Acme"}, remark=Remark("ban_spares_family"))
    no_ban = Duty("output_training", "Outputs", MET, remark=Remark("no_output_ban", ids=("a-1", "b-2")))
    data = present_json.audit(AuditResult("acme/m", duties=[met, spared, no_ban]))["duties"]
    assert data[0]["evidence"] == {"file": "LICENSE", "line": 1, "text": "the text of acme-1.0"}
    assert data[1]["evidence"]["text"] == "trained on Acme outputs"
    assert data[1]["detail"] == {"source": "Acme",
                                 "exception": "the ban excludes the model's own family, which this repository builds on"}
    assert data[2]["detail"] == {"note": "a-1, b-2 state no ban on training with outputs"}
    assert all(list(d)[-1] == "detail" and "remark" not in d for d in data)
    assert "met at LICENSE:1: the text of acme-1.0" in text.audit(AuditResult("acme/m", duties=[met]))


def test_each_consistency_warning_of_a_draft_has_words_and_the_contract_carries_them_as_message():
    src = (ROOT / "agent" / "draft" / "consistency.py").read_text(encoding="utf-8")
    kinds = set(re.findall(r'Warning_\([^,()]+(?:\([^()]*\))?[^,()]*, "(\w+)"', src))
    assert kinds == set(text.WARNING_WORDS), kinds ^ set(text.WARNING_WORDS)
    w = Warning_("open_source", "not_open_source", why=("use restrictions", "registration"))
    assert present_json.warning(w) == {"field": "open_source", "message": (
        "the Open Source Definition allows no discrimination against fields of use or persons; a license with use "
        "restrictions, registration is not open source — call it 'open-weight' or 'responsible AI licensed' instead")}
    assert text.warning_text(Warning_("jurisdiction", "jurisdiction_excluded", jurisdiction="EU law", region="EU")) == \
        "governing law is EU law, a region the license excludes (EU)"
    assert text.warning_text(Warning_("attribution", "restricted_sharing", why=("attribution", "flowdown"))).startswith(
        "attribution, flowdown govern(s) sharing")
    notes = [DraftNote("no_grounding", error="no index: run `modelterms index`"),
             DraftNote("template_changed", template="1+aa", current="1+bb"), DraftNote("spec_edited")]
    assert {n.kind for n in notes} | {"grounding_incomplete"} == set(text.DRAFT_NOTE_WORDS)
    assert [text.draft_note_text(n) for n in notes] == [
        "no grounding: no index: run `modelterms index`",
        "the spec was drafted with template 1+aa; this is 1+bb, so the text may differ from the original",
        "the spec was edited since it was drafted: the text differs from the one it recorded"]
    report = UpstreamReport(["l-1.0"], missing=[
        Unresolved("with_license", "L AUP", "l-aup", {"key": "l-aup", "name": "L AUP", "url": "https://l.example"},
                   of="l-1.0"),
        Unresolved("policy_unchecked", "M Policy", None, {"url": "m.example"}, of="m-2")])
    assert present_json.upstream(report)["missing"] == [
        "L AUP: L AUP applies with l-1.0 but is not in the corpus (https://l.example); add it with "
        "`modelterms corpus add FILE --key l-aup`",
        "M Policy (incorporated by m-2) is not in the corpus (m.example): its restrictions could not be checked"]


def test_a_drafts_read_back_is_a_value_and_its_notes_are_the_presenters_in_either_format():
    src = (ROOT / "agent" / "draft" / "verify.py").read_text(encoding="utf-8")
    assert set(re.findall(r'ParamMismatch\("(\w+)"', src)) == set(text.PARAM_WORDS)
    v = Verification(chosen=3, recovered=2, missed=["attribution"], wrong_attitude=[], implied=0, implied_missed=[],
                     extra=[], custom_mapped=["military_weapons"],
                     params=[ParamMismatch("users", None, 1_000_000), ParamMismatch("regions", ("EU",), ("Switzerland",))])
    assert not v.ok and Verification(1, 1, [], [], 0, [], [], [], []).ok
    assert present_json.verification(v)["params"] == ["users None != 1000000", "regions ['EU'] lack ['Switzerland']"]
    spec = DraftSpec(licensor="Acme", custom_restrictions=[
        CustomRestriction("no `rm -rf` **ever**", clause="You will not …", method="pattern", pattern="ban",
                          nearest=["a-1.0#c3"])])
    d = Draft(spec=spec, template_version="1+aa", spec_hash="h", blocks=[], markdown="", text="", verification=v,
              warnings=[Warning_("attribution", "naming_without_attribution")], notes=[DraftNote("spec_edited")],
              upstream=UpstreamReport(["l-1.0"], findings=[UpstreamFinding(
                  "l-1.0", "attribution", "violated", UpstreamReason("notice_missing", notice="Built with L"),
                  ["l-1.0#c2"])]))
    md, plain = markdown.draft_notes(d), text.draft_notes(d)
    assert md.startswith("# Drafting notes (not part of the license)\n") and NOT_LEGAL_ADVICE in md
    assert "- **attribution**: a naming duty without attribution" in md and "- attribution: a naming duty" in plain
    assert "adapted to the `ban` pattern" in md and "adapted to the ban pattern" in plain
    assert "- **VIOLATED** — " in md and "(`l-1.0#c2`)" in md and "- VIOLATED — " in plain and "(l-1.0#c2)" in plain
    assert "## Verification: the draft read back by the profiler" in md and "VERIFICATION: THE DRAFT READ BACK" in plain
    assert "- parameter mismatches: users None != 1000000; regions ['EU'] lack ['Switzerland']" in plain
    assert "- read from custom restrictions: military_weapons" in md
    # the user's own words are data: kept as written in both formats, never stripped of their marks
    assert "“no `rm -rf` **ever**”" in md and "“no `rm -rf` **ever**”" in plain
    assert "**" not in plain.replace("**ever**", "") and not any(ln.startswith("#") for ln in plain.splitlines())


def test_each_gap_and_fix_a_duty_checker_gives_has_words_and_the_contract_carries_them():
    gaps, fixes = set(), set()
    for path in (ROOT / "agent" / "audit").rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        duty_id = re.search(r'^ID = "(\w+)"', src, re.M)
        gaps |= set(re.findall(r'\bGap\("(\w+)"', src))
        fixes |= set(re.findall(r'\bFix\("(\w+)"', src)) | ({duty_id.group(1)} if "Fix(ID" in src else set())
    gaps |= set(rules()["conflicts"])  # a license conflict is a gap of its conflict kind
    assert len(gaps) > 15 and gaps <= set(text.GAP_WORDS), gaps - set(text.GAP_WORDS)
    assert len(fixes) > 10 and fixes <= set(text.FIX_WORDS), fixes - set(text.FIX_WORDS)
    assert set(rules()["duties"]) <= set(text.FIX_WORDS)  # every duty family can say what to do
    d = Duty("license_consistency", "Declared license", UNMET, conflicts=["permissive_tag", "share_alike_relicensed"],
             gaps=[Gap("permissive_tag", "Acme License", declared=("apache-2.0",)),
                   Gap("share_alike_relicensed", "Acme License", declared=("apache-2.0", "mit"))],
             fix=Fix("license_consistency", tags=(("acme", "acme-license"), ("mit", "mit"))))
    data = present_json.duty(d)
    assert list(data) == ["id", "title", "status", "conflict", "conflicts", "sources", "evidence", "missing", "fix",
                          "detail"]
    assert data["missing"] == ("apache-2.0 carries none of the use restrictions and terms of Acme License; Acme License "
                               "requires derivatives under the same license; the card declares apache-2.0, mit")
    assert data["fix"] == ("declare the base's license (acme → acme-license, mit) in the card's `license:` field, or a "
                           "license that keeps its terms")
    assert d.as_json()["gaps"][0] == {"kind": "permissive_tag", "name": "Acme License", "declared": ("apache-2.0",)}
    assert "missing" not in d.as_json()  # the result holds no prose
    met = present_json.duty(Duty("notice_file", "Notice", MET))
    assert (met["missing"], met["fix"]) == ("", "")
    assert text.gap_text(Gap("no_copy", "L", shipped=(("LICENSE", "l-2023"),))) == \
        "no file in the repository holds the text of L (LICENSE is l-2023)"
    assert text.gap_text(Gap("near_copy", "L", file="LICENSE", share=0.873)).startswith("LICENSE holds 87% of the wording")
    assert text.fix_text(Fix("policy_reference", policy="L AUP", url="l.example/aup")) == \
        "name L AUP (l.example/aup) in the model card (with its link) so that recipients know it applies"
    assert text.fix_text(Fix("attribution_display", phrases=("Built with L", "Improved using L"))) == \
        "state “Built with L” or “Improved using L” prominently in the model card (README.md)"


def test_each_condition_an_audit_surfaces_has_words_and_the_contract_carries_them():
    terms = set(audit_conditions.TERMS) | {"gated"}
    assert terms | {t + "_unstated" for t in ("user_threshold", "revenue_threshold", "gated")} | \
        {t + "_display" for t in ("user_threshold", "revenue_threshold")} == set(text.AUDIT_CONDITION_WORDS)
    src = Source("l", "l#2", "q")
    r = AuditResult("x", conditions=[
        AuditCondition("user_threshold", "l", src, users=700_000_000), AuditCondition("revenue_threshold", "l", src),
        AuditCondition("geo_restriction", "l", src, regions=("EU", "UK")),
        AuditCondition("gated", prompt="I {agree}", fields=tuple("ABCDEFG"))])
    assert [c["text"] for c in present_json.audit(r)["conditions"]] == [
        "l: above 700,000,000 monthly active users a separate license is needed",
        "l: above an annual revenue a separate license is needed", "l: rights are excluded in some regions (EU, UK)",
        "downloads are gated: users accept 'I {agree}' and give A, B, C, D, E, F"]
    assert list(present_json.audit(r)["conditions"][0]) == ["term", "text", "source"]
    assert "text" not in r.conditions[0].as_json()  # the result holds no prose
    assert text.audit_condition_text(AuditCondition("gated")) == "downloads are gated on the Hub"
    # a threshold whose clause asks for a displayed name says so, not "a separate license"
    assert text.audit_condition_text(AuditCondition("user_threshold", "k", src, users=100_000_000, mark="Kimi K2")) \
        == 'k: above 100,000,000 monthly active users the product must display "Kimi K2"'

# --- check ---------------------------------------------------------------------------------

def test_text_check_answer_quotes_the_deciding_clauses_only():
    a = text.check_answer(_result())
    lines = a.splitlines()
    assert lines[0] == "Verdict: PROHIBITED."
    assert lines[1].startswith("- Acme Open Model forbids this use (military weapons) [acme-open-model#4.a]: \"You may not use")
    assert "acme-open-model#4.c" not in a  # a condition does not decide a ban
    assert "Conditions:" not in a  # a ban has no conditions to keep
    assert "Missing: Acme AUP: Acme AUP applies with acme-open-model but is not in the corpus" in a
    conditional = text.check_answer(_result("conditional"))
    assert conditional.splitlines()[0] == "Verdict: CONDITIONAL." and "[acme-open-model#4.c]" in conditional
    assert "Conditions: disclose to people that they are interacting with AI (acme-open-model)" in conditional


def test_text_check_report_lists_the_other_clauses_and_styles_only_when_asked():
    plain = text.check(_result())
    assert plain.startswith("PROHIBITED  (acme-open-model)\n") and "\x1b[" not in plain
    others = plain[plain.index("Other clauses considered:"):]
    assert "[acme-open-model#4.c] ai_disclosure (condition)" in others and "[acme-open-model#1] other_use" in others
    assert "#4.a" not in others  # quoted above, not listed again
    assert plain.endswith(NOT_LEGAL_ADVICE)
    styled = text.check(_result(), style=click.style)
    assert styled.startswith(click.style("PROHIBITED", fg="red", bold=True))
    assert click.unstyle(styled) == plain


def test_text_chat_form_of_a_check():
    lines = text.check_explained(_result())
    assert lines[0] == "Verdict: " + text.VERDICT_HEAD["prohibited"]
    assert "Why:" in lines and "Also relevant: [acme-open-model#4.c]" in lines
    assert "Note: read from the model card" in lines


def test_markdown_check_summary():
    md = markdown.check_summary(_result("conditional"), note="Read `card.md` as a model card.")
    parts = md.split("\n\n")
    assert parts[0] == "Read `card.md` as a model card."
    assert parts[1] == "**Texts considered:** `acme-open-model`"
    assert parts[2].startswith("Verdict: CONDITIONAL.  \n- Acme Open Model requires telling people they deal with AI")
    assert "**Conditions**\n- disclose to people" in md and "**Missing**\n- Acme AUP" in md and "**Notes**\n- read from" in md


def test_markdown_chat_steps_escape_and_link_each_reason():
    r = _result()
    ans = SimpleNamespace(verdict=r.verdict, licenses=r.licenses, findings=[present_json.finding(f) for f in r.findings],
                          deciding=r.deciding, conditions=list(map(text.condition_text, r.conditions)),
                          missing=list(map(text.missing_text, r.missing)))
    steps = markdown.check_steps(ans, {"acme-open-model": "Acme <Open>"}, anchor="chat", words=str.upper)
    assert steps[0] == "**Verdict: PROHIBITED** — Acme &lt;Open&gt;"
    assert "[acme-open-model#4.a](#chat-acme-open-model-4-a)" in steps[1] and "ACME OPEN MODEL FORBIDS THIS USE" in steps[1]
    assert "<script>" not in "".join(steps) and "&lt;script&gt;" in steps[1]
    assert not any(s.startswith("**Conditions**") for s in steps)  # a ban has no conditions to keep
    assert steps[-1] == "**Missing**\n- ACME AUP: ACME AUP APPLIES WITH ACME-OPEN-MODEL BUT IS NOT IN THE CORPUS"
    folded = markdown.sources(ans.findings)
    assert folded.startswith("<details><summary>Sources (3)</summary>") and "<script>" not in folded


def test_html_escapes_license_text():
    out = html.check(_result())
    assert "<script>" not in out and "<b>harm</b>" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in out and "&amp; &lt;b&gt;harm&lt;/b&gt;" in out
    assert out.startswith('<div class="mt-verdict"><span class="mt-badge mt-prohibited">PROHIBITED</span></div>')
    # the deciding clause first; the others folded under one line
    assert out.index('data-clause="acme-open-model#4.a"') < out.index("2 other clauses found")
    ctx = {"name": "Acme <Open>", "section": "4 <Use>", "before": "<i>before</i>", "clause": HOSTILE,
           "after": "after", "quote": "<script>", "cut_before": True, "cut_after": False}
    one = html.citation(_result().findings[0].as_json(), ctx, anchor="check-x")
    assert "<i>" not in one and "Acme &lt;Open&gt;" in one and "<mark>&lt;script&gt;</mark>" in one
    assert 'id="check-x"' in one and load_taxonomy()["military_weapons"].name in one


def test_json_check_keeps_the_contract():
    r = _result()
    data = present_json.check(r)
    assert list(data)[:len(CONTRACT_ORDER)] == CONTRACT_ORDER
    assert data["answer"] == text.check_answer(r)
    assert data["deciding"] == ["acme-open-model#4.a"]
    assert data["model"] == "acme/model" and data["resolution"]["licenses"] == ["acme-open-model"]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    # without a resolution or facts the optional keys are absent
    bare = CheckResult(verdict="unclear", licenses=[], missing=[Missing("vague")])
    assert list(present_json.check(bare)) == CONTRACT_ORDER


# --- profile -------------------------------------------------------------------------------

def test_text_profile():
    out = text.profile(_profile(), how_to_add="add it with `modelterms corpus add FILE --key {key}`")
    assert out.startswith("Acme <Open> Model License  [acme-open-model, license]\n")
    assert "Prohibitions" in out and "Thresholds" in out and "Duties and conditions" in out
    assert "users=700,000,000" in out and "[acme-open-model#4.a]" in out
    assert "- Acme AUP: NOT in the corpus — add it with `modelterms corpus add FILE --key acme-aup` " \
           "(https://acme.example/aup)" in out
    assert "You may not use" not in text.profile(_profile(), quotes=False)
    assert "- Acme AUP: NOT in the corpus (https://acme.example/aup)" in text.profile(_profile())  # no advice given


def test_markdown_profile_and_page_parts():
    md = markdown.profile(_profile())
    assert md.startswith("# Acme <Open> Model License\n")
    row = next(ln for ln in md.splitlines() if "acme-open-model#2" in ln)
    assert "active users \\| must ask" in row  # a quote cannot break the table
    assert md.endswith("> " + NOT_LEGAL_ADVICE)
    rows = markdown.profile_rows([_profile()])
    assert [r[0] for r in rows] == ["prohibition", "duty", "threshold"]
    assert len(rows[0]) == len(markdown.PROFILE_COLUMNS)
    assert "3 terms recognised" in markdown.profile_head(_profile(), [], len(rows))
    refs = markdown.references(_profile())
    assert "**not in the corpus** — add it in the Corpus tab under the key `acme-aup`" in refs
    table = markdown.table(rows, markdown.PROFILE_COLUMNS)
    assert table.count("\n") == len(rows) + 1 and "\\|" in table


def test_json_profile_has_its_groups():
    data = present_json.profile(_profile())
    assert data["groups"]["prohibitions"] == ["military_weapons"]
    assert data["groups"]["thresholds"] == ["user_threshold"]
    assert json.loads(json.dumps(data)) == data


# --- resolution ----------------------------------------------------------------------------

class _Corpus:
    names = {"acme-open-model": "Acme Open Model License", "acme-aup": "Acme AUP"}

    def get(self, key):
        return type("Entry", (), {"name": self.names[key]})()


def test_text_resolution_report_and_brief():
    res = Resolution(query="acme/model", model="acme/model", licenses=["acme-open-model"],
                     missing=[Unresolved("with_license", "Acme AUP", "acme-aup", of="acme-open-model")],
                     chain=["acme/base", "acme/model"], conflicts=[Conflict("license_name", ("mit",), other="Acme")],
                     notes=[Note("repo", text="read from the card")])
    out = text.resolution(res, _Corpus(), "acme/model", how_to_get="`modelterms corpus fetch {key}`, or "
                                                                    "add it with `modelterms corpus add FILE --key {key}`")
    assert out.splitlines() == [
        "acme/model",
        "  base-model chain: acme/base → acme/model",
        "  license: acme-open-model  (Acme Open Model License)",
        "  missing: Acme AUP — `modelterms corpus fetch acme-aup`, or add it with `modelterms corpus add FILE --key acme-aup`",
        "  conflict: card says license 'mit' but license_name 'Acme'",
        "  note: read from the card"]
    brief = text.resolution_brief(res, _Corpus(), "acme model → acme-open-model")
    assert brief.splitlines()[0] == "acme model → acme-open-model"
    assert "  - missing: Acme AUP: Acme AUP applies with acme-open-model but is not in the corpus" in brief
    assert "  - conflict: card says license 'mit' but license_name 'Acme'" in brief
    none = text.resolution(Resolution(query="x", notes=[Note("error", text="no card")]), _Corpus(), "x")
    assert none.splitlines()[0] == "x: no license resolved — no card"


def test_json_resolution_round_trips():
    res = Resolution(query="acme/model", model="acme/model", licenses=["acme-open-model"])
    data = present_json.resolution(res)
    assert json.loads(json.dumps(data)) == data and data["licenses"] == ["acme-open-model"]


def test_a_resolution_holds_its_notes_as_values_and_the_presenters_word_them():
    notes = [Note("identified", path="LICENSE", key="mit", score=0.9871), Note("other_license"),
             Note("base_brings", model="acme/base", licenses=("llama-3.1-license-2024", "llama-3.1-aup")),
             Note("registry_fallback", text="the Hub is unreachable")]
    res = Resolution(query="acme/model", notes=notes)
    assert res.as_json()["notes"][0] == {"kind": "identified", "path": "LICENSE", "key": "mit", "score": 0.9871}
    assert present_json.resolution(res)["notes"] == [
        "LICENSE: identified as mit (score 0.99)",
        "card license 'other' (no license_name): reading the license files instead",
        "base model acme/base brings llama-3.1-license-2024, llama-3.1-aup: a fine-tune stays bound by its base "
        "model's terms",
        "the Hub is unreachable; using the registry"]
    assert set(text.NOTE_WORDS) >= {n.kind for n in notes}


def test_a_resolutions_unresolved_texts_and_conflicts_are_values_and_the_contract_words_them():
    kinds = {"Unresolved": set(), "Conflict": set()}
    for path in (ROOT / "agent").rglob("*.py"):
        for typ, kind in re.findall(r'\b(Unresolved|Conflict)\("(\w+)"', path.read_text(encoding="utf-8")):
            kinds[typ].add(kind)
    # a base model the audit cannot open: its Remark's kind (agent/audit/inherited.py) is the Unresolved kind too
    assert "Unresolved(found.kind" in (ROOT / "agent" / "audit" / "inherited.py").read_text(encoding="utf-8")
    kinds["Unresolved"] |= {k for k in text.REMARK_WORDS if k.startswith("base_") and k != "base_no_license"}
    assert kinds["Unresolved"] == set(text.UNRESOLVED_WORDS) and kinds["Conflict"] == set(text.CONFLICT_WORDS), kinds
    record = {"key": "l-aup", "name": "L AUP", "kind": "aup", "url": "https://l.example", "repo": "l/m", "file": "P.md"}
    res = Resolution(query="l/m", missing=[Unresolved("registry", "L AUP", "l-aup", record, of="l-1.0"),
                                           Unresolved("unidentified", "LICENSE of x", key_read="local-x", origin="/d/LICENSE")],
                     conflicts=[Conflict("base_terms", ("mit",), base="l/base", inherited=("l-1.0", "l-aup"))])
    data = present_json.resolution(res)
    assert data["missing"] == [
        {**record, "why": "applies to l-1.0 models but is not in the corpus"},
        {"key": None, "name": "LICENSE of x", "why": "unidentified: it matches no corpus text, so it was analysed "
         "from the file as local-x; `modelterms corpus add /d/LICENSE --key KEY` keeps it"}]
    assert data["conflicts"] == ["the card declares mit, but base model l/base is under l-1.0, l-aup, whose terms "
                                 "carry over to derivatives"]
    assert res.as_json()["missing"][0]["record"] == record and res.as_json()["conflicts"][0]["kind"] == "base_terms"
    cond = CheckResult("conditional", [], conditions=[Condition("card_conflict", conflict=res.conflicts[0])])
    assert present_json.check(cond)["conditions"] == ["model card conflict: " + data["conflicts"][0]]


# --- comparison and diff ------------------------------------------------------------------

def _matrix() -> Matrix:
    return Matrix(licenses=["a", "b"], names=["A <one>", "B"],
                  rows=[("military_weapons", "Military and weapons", ["cannot", "none"])],
                  summary=[("weights", ["open <yes>", "closed"])], evidence={"a": {"military_weapons": "a#4"}, "b": {}})


def test_comparison_in_each_format():
    m = _matrix()
    out = text.comparison(m, ["a", "b"])
    assert "✗ cannot" in out and "· none" in out and out.endswith(NOT_LEGAL_ADVICE)
    assert "| Military and weapons | ✗ cannot | · none |" in markdown.comparison(m, ["a", "b"])
    assert "cannot (a#4)" in markdown.comparison_tables(m) and "none (-)" in markdown.comparison_tables(m)
    page = html.comparison(m, {"a#4": HOSTILE}, lambda key: key.upper())
    assert "<script>" not in page and "open &lt;yes&gt;" in page and 'title="A &lt;one&gt;"' in page
    assert "<b>A</b> · <code>a#4</code>" in page  # the cell names its text through `source_name`
    assert present_json.comparison(m)["terms"][0]["evidence"] == {"a": "a#4"}


def test_diff_in_each_format():
    d = Diff(old="a", new="b", unchanged=1, terms=[{"term": "x", "name": "X", "old": "can", "new": "cannot"}],
             changes=[ClauseChange("changed", "a#1", "b#1", "You may <b>use</b> it", "You may not <b>use</b> it", 0.9),
                      ClauseChange("added", None, "b#2", "<script>new</script>", "<script>new</script>", 0.0)])
    out = text.diff(d, "a", "b")
    assert out.startswith("a → b: 1 changed, 1 added, 0 removed, 1 unchanged clauses")
    assert "~ a#1 → b#1" in out and "{+not+}" in out and "+ b#2" in out
    page = html.diff(d, "a", "b")
    assert "<script>" not in page and "<ins>not</ins>" in page and "&lt;b&gt;use&lt;/b&gt;" in page
    assert present_json.diff(d)["changed"] == 1


# --- one real check ------------------------------------------------------------------------

def test_cli_json_is_the_json_presenter(indexed):
    from agent.check import Checker

    use = "a chatbot that gives people medical diagnoses"
    r = Checker(indexed).check(use, license="bigscience-open-rail-m")
    out = run_cli("check", "--license", "bigscience-open-rail-m", "--use", use, "--json", home=indexed.home)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == json.loads(json.dumps(present_json.check(r), ensure_ascii=False))
    shown = run_cli("check", "--license", "bigscience-open-rail-m", "--use", use, home=indexed.home)
    assert shown.stdout.rstrip("\n") == text.check(r)
