"""`modelterms audit` and `modelterms eval audit` through the real entry point: output formats and exit codes."""
from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

L31 = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture(scope="module")
def repos(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-repos")
    bad = root / "medqa-8b"
    bad.mkdir()
    (bad / "README.md").write_text(f"---\nlicense: apache-2.0\nbase_model: {L31}\n---\n# medqa\n", encoding="utf-8")
    ok = root / "qwen-ft"
    ok.mkdir()
    (ok / "README.md").write_text("---\nlicense: mit\nbase_model: ../mit-base\n---\n# ft\n", encoding="utf-8")
    base = root / "mit-base"
    base.mkdir()
    (base / "README.md").write_text("---\nlicense: mit\n---\n# base\n", encoding="utf-8")
    return root


def test_exit_codes_and_formats(indexed, repos, tmp_path):
    home = indexed.home
    r = run_cli("audit", str(repos / "medqa-8b"), "--json", "--fail-on", "conflict", home=home)
    assert r.returncode == 1, r.stderr
    data = json.loads(r.stdout)
    assert data["summary"]["conflicts"] == 1
    r = run_cli("audit", str(repos / "medqa-8b"), home=home)
    assert r.returncode == 0 and "license conflict" in r.stdout
    # an MIT fine-tune of an MIT base that ships no MIT text: unmet, but no conflict
    r = run_cli("audit", str(repos / "qwen-ft"), "--fail-on", "conflict", home=home)
    assert r.returncode == 0, r.stdout
    r = run_cli("audit", str(repos / "qwen-ft"), "--fail-on", "unmet", "--sarif", "-o", str(tmp_path / "a.sarif"), home=home)
    assert r.returncode == 1 and json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"
    r = run_cli("audit", str(tmp_path / "missing"), home=home)
    assert r.returncode == 2 and r.stderr.strip().startswith("error:") and "Traceback" not in r.stderr
    r = run_cli("audit", str(repos / "qwen-ft"), "--json", "--md", home=home)
    assert r.returncode == 2 and "one output format" in r.stderr
    r = run_cli("audit", str(repos / "qwen-ft"), "--fail-on", "sometimes", home=home)
    assert r.returncode == 2
