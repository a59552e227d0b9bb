"""Audit reports for machines: JSON keys, SARIF 2.1.0 (validated with jsonschema), CycloneDX 1.6 (the library's validator)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from agent.audit import Auditor
from agent.present.bom import to_cyclonedx, validate_cyclonedx
from agent.present.markdown import audit as render_markdown
from agent.present.text import audit as render_text
from agent.present.sarif import to_sarif
from agent.present import json as present_json

DATA = Path(__file__).parent / "data"
L31 = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture(scope="module")
def results(indexed, tmp_path_factory):
    auditor = Auditor(indexed)
    root = tmp_path_factory.mktemp("fmt")
    bad = root / "medqa"
    bad.mkdir()
    (bad / "README.md").write_text(f"---\nlicense: apache-2.0\nbase_model: {L31}\n---\n# medqa\n", encoding="utf-8")
    broken = root / "broken"
    broken.mkdir()
    (broken / "README.md").write_text("---\nlicense: [x\n---\n", encoding="utf-8")
    return auditor, auditor.audit(str(bad)), auditor.audit(str(broken))


def test_json_keys_are_stable(results):
    _, r, broken = results
    data = json.loads(json.dumps(present_json.audit(r)))  # the contract: what is missing and the fix in words
    assert list(data) == ["target", "repo", "declared", "upstreams", "duties", "conditions", "summary", "problems",
                          "notes", "usable"]
    assert set(data["summary"]) == {"met", "unmet", "cannot tell", "conflicts"}
    for d in data["duties"]:
        assert list(d) == ["id", "title", "status", "conflict", "conflicts", "sources", "evidence", "missing", "fix", "detail"]
        for s in d["sources"]:
            assert list(s) == ["license", "clause_id", "quote", "upstream"]
    assert present_json.audit(broken)["usable"] is False and present_json.audit(broken)["duties"] == []
    unmet = [d for d in data["duties"] if d["status"] == "unmet"]
    assert unmet and all(isinstance(d["missing"], str) and d["missing"] and d["fix"] for d in unmet)


def test_sarif_validates_against_the_structural_schema(results):
    _, r, broken = results
    schema = json.loads((DATA / "sarif-2.1.0-structural.schema.json").read_text())
    for res in (r, broken):
        log = to_sarif(res)
        jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
    log = to_sarif(r)
    rules = [x["id"] for x in log["runs"][0]["tool"]["driver"]["rules"]]
    for res in log["runs"][0]["results"]:
        assert rules[res["ruleIndex"]] == res["ruleId"]
    conflict = next(x for x in log["runs"][0]["results"] if x["ruleId"] == "license_consistency")
    assert conflict["level"] == "error" and conflict["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert to_sarif(broken)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_validates_against_the_official_schema_when_given(results):
    """The official OASIS schema is not vendored (OASIS IPR terms); point MODELTERMS_SARIF_SCHEMA at a copy."""
    path = os.environ.get("MODELTERMS_SARIF_SCHEMA")
    if not path or not Path(path).is_file():
        pytest.skip("MODELTERMS_SARIF_SCHEMA not set to a copy of sarif-schema-2.1.0.json")
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    jsonschema.validate(to_sarif(results[1]), schema)


def test_cyclonedx_ml_bom_validates_with_the_library(results):
    auditor, r, _ = results
    text = to_cyclonedx(r, auditor.corpus)
    assert validate_cyclonedx(text) is None
    bom = json.loads(text)
    assert bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["type"] == "machine-learning-model"
    base = next(c for c in bom["components"] if c["name"] == L31)
    assert base["type"] == "machine-learning-model"
    assert any("Llama 3.1" in (lic["license"].get("name") or "") for lic in base["licenses"])
    root = bom["metadata"]["component"]["licenses"][0]["license"]
    assert root.get("id") == "Apache-2.0"
    deps = {d["ref"]: d.get("dependsOn", []) for d in bom["dependencies"]}
    assert f"model:{L31}" in deps[bom["metadata"]["component"]["bom-ref"]]
    # a broken BOM is caught by the same validator
    bom["metadata"]["component"]["type"] = "not-a-type"
    assert validate_cyclonedx(json.dumps(bom)) is not None


def test_text_and_markdown_reports_cite_clauses_and_fixes(results):
    _, r, broken = results
    text = render_text(r)
    assert "llama-3.1-license-2024#1.b.iii" in text and "fix: add a NOTICE file" in text
    assert "conflict: permissive_tag" in text
    md = render_markdown(r)
    assert md.startswith("# Adherence audit") and "| ✗ |" in md
    assert render_text(broken).startswith("cannot audit")
