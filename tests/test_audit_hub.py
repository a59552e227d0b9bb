"""`audit ORG/NAME` through the real huggingface_hub client against the local Hub stand-in (tests/hubserver.py):
a readable repo, a gated one and a missing one. Skips in a build without the Hub reader (corpus.modelrepo.open_hub)."""
from __future__ import annotations

import pytest

from agent.audit import Auditor
from agent.audit.target import default_hub_opener
from agent.present.text import remark_text

hubserver = pytest.importorskip("tests.hubserver", reason="the Hub stand-in comes with the Hub reader (issue 12)")
modelrepo = pytest.importorskip("corpus.modelrepo")
if not hasattr(modelrepo, "open_hub"):
    pytest.skip("this build reads no Hub (corpus.modelrepo.open_hub)", allow_module_level=True)

CARD = b"---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n# acme-medqa\n"


@pytest.fixture(scope="module")
def hub():
    server = hubserver.HubServer().start()
    server.add_repo(hubserver.FixtureRepo("acme/acme-medqa", {"README.md": CARD, "model.safetensors": 2_000_000_000}))
    server.add_repo(hubserver.FixtureRepo("acme/gated-medqa", {"README.md": CARD}, gated=True))
    yield server
    server.stop()



def test_hub_target_gated_and_missing(indexed, hub, online, tmp_path):
    s = indexed.replace(hf_endpoint=hub.url, hf_cache=tmp_path / "hf-cache", fetch_timeout=5.0)
    auditor = Auditor(s, cache_dir=s.hf_cache, hub=default_hub_opener(s))
    r = auditor.audit("acme/acme-medqa")
    assert r.usable and r.repo["source"] == "hub" and r.repo["revision"] == hub.repos["acme/acme-medqa"].sha
    assert [k for d in r.conflicts for k in d.conflicts] == ["permissive_tag"]
    assert not any(p.endswith("model.safetensors") for _, p in hub.requests)  # weights are never fetched
    gated = auditor.audit("acme/gated-medqa")
    assert not gated.usable and gated.exit_code(None) == 2 and "gated" in remark_text(gated.problems[0])
    missing = auditor.audit("acme/nothing-here@main")
    problem = remark_text(missing.problems[0])
    assert not missing.usable and "no such model repository" in problem and "\n" not in problem
    # read once, the repo is then audited from the cache without the Hub
    again = Auditor(s, cache_dir=s.hf_cache, hub=None).audit("acme/acme-medqa")
    assert again.usable and again.repo["source"] == "hf-cache"


def test_cli_goes_to_the_hub_only_with_fetch(indexed, hub, tmp_path):
    from tests.conftest import run_cli

    env = {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(tmp_path / "hf-cache"), "HF_HUB_OFFLINE": "0",
           "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost"}
    r = run_cli("audit", "acme/acme-medqa", "--json", home=indexed.home, env=env)
    assert r.returncode == 2 and "--fetch" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("audit", "acme/acme-medqa", "--json", "--fetch", "--fail-on", "conflict", home=indexed.home, env=env)
    assert r.returncode == 1, r.stderr
    import json

    assert json.loads(r.stdout)["repo"]["source"] == "hub"
