"""The published pre-commit hooks (.pre-commit-hooks.yaml) run by pre-commit itself on a fixture git repository.

Each hook is used as published (its files pattern, pass_filenames, arguments) except that it runs as a
`repo: local`, `language: system` hook on this environment's modelterms: pre-commit's own isolated
environment would reinstall torch and the embedding model, which a test cannot do offline.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from evals.data import usecases
from tests.conftest import SMALL_BUILTIN

ROOT = Path(__file__).parent.parent

pytestmark = [pytest.mark.precommit, pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")]


def published_hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def local_config(hook_ids: list[str]) -> str:
    """A .pre-commit-config.yaml using the published hooks, run on this venv's modelterms."""
    hooks = []
    for hook_id in hook_ids:
        hook = dict(published_hooks()[hook_id])
        words = shlex.split(hook["entry"])
        assert words[0] == "modelterms", hook["entry"]
        hook["entry"] = shlex.join([sys.executable, "-m", "ui.cli", *words[1:]])
        hook["language"] = "system"
        hooks.append(hook)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})


def pre_commit(repo: Path, home: Path, tmp: Path) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    env = {**os.environ, "MODELTERMS_HOME": str(home), "PRE_COMMIT_HOME": str(tmp / "pre-commit-cache"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=600)


def _case(verdict: str) -> dict:
    """A use-case question on an indexed license whose annotated verdict is `verdict`."""
    return next(q for q in sorted(usecases(), key=lambda q: q["id"])
                if q.get("license") in SMALL_BUILTIN and q["verdict"] == verdict)


def test_check_hook_fails_on_a_prohibited_use_and_passes_once_it_is_dropped(indexed, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(local_config(["modelterms-check"]))
    (repo / "README.md").write_text("# our product\n")
    fine, banned = _case("conditional"), _case("prohibited")
    uses = {"accept": ["allowed", "conditional"],
            "uses": [{"use": fine["use"], "license": fine["license"], "id": "fine"},
                     {"use": banned["use"], "license": banned["license"], "id": "banned"}]}
    (repo / ".modelterms-uses.yaml").write_text(yaml.safe_dump(uses, sort_keys=False))

    r = pre_commit(repo, indexed.home, tmp_path)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "modelterms check (intended uses)" in out and "Failed" in out
    failing = [ln for ln in out.splitlines() if ln.startswith("FAIL")]
    assert len(failing) == 1 and "prohibited" in failing[0] and "use banned" in failing[0], out
    assert f"[{banned['license']}#" in out  # the deciding clause, cited
    assert "use fine" in out and "1 not accepted" in out

    uses["uses"] = uses["uses"][:1]  # the project drops the prohibited use
    (repo / ".modelterms-uses.yaml").write_text(yaml.safe_dump(uses, sort_keys=False))
    r = pre_commit(repo, indexed.home, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout


def test_check_hook_reports_a_broken_uses_file_in_one_line(indexed, tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(local_config(["modelterms-check"]))
    (repo / ".modelterms-uses.yaml").write_text("license: mit\nuses:\n  - use: a chatbot\n    accept: [fine]\n")
    r = pre_commit(repo, indexed.home, tmp_path)
    assert r.returncode == 1
    errors = [ln for ln in r.stdout.splitlines() if ln.startswith("error:")]
    assert errors == ["error: .modelterms-uses.yaml: use 1: accept: unknown verdict 'fine' "
                      "(use prohibited, conditional, allowed, unclear)"], r.stdout


def test_audit_hook_fails_on_an_unmet_duty_and_passes_once_fixed(indexed, tmp_path):
    pytest.importorskip("agent.audit", reason="`modelterms audit` is not part of this build")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(local_config(["modelterms-audit"]))
    card = repo / "README.md"
    # a Llama 3.1 fine-tune tagged apache-2.0, without the license copy, notice, attribution or name prefix
    card.write_text("---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n# acme-chat-8b\n\n"
                    "A fine-tune for customer support.\n")

    r = pre_commit(repo, indexed.home, tmp_path)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out
    assert "modelterms audit" in out and "Failed" in out
    assert "unmet" in out and "llama-3.1-license-2024#1.b.i" in out  # the clause that creates the duty

    # the fix: what `audit --fix` writes (license copy, NOTICE, attribution, policy reference), and the two
    # decisions it leaves to a person (the license tag, a name with the required prefix)
    fixed = subprocess.run([sys.executable, "-m", "ui.cli", "audit", str(repo), "--fix"], cwd=ROOT, capture_output=True,
                           text=True, env={**os.environ, "MODELTERMS_HOME": str(indexed.home)}, timeout=600)
    assert "wrote" in fixed.stdout + fixed.stderr, fixed.stdout + fixed.stderr
    card.write_text(card.read_text().replace("license: apache-2.0", "license: llama3.1\nmodel_name: Llama-3.1-Acme-Chat-8B"))
    r = pre_commit(repo, indexed.home, tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Passed" in r.stdout
