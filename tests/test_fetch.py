"""Fetching texts and reading model repositories, with the real huggingface_hub client against a local
Hub stand-in (tests/hubserver.py) and a fixture Hugging Face cache. Nothing here reaches the internet:
publishers' URLs go through a proxy address on 127.0.0.1 where nothing listens (= offline)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from agent.present import json as present_json
from corpus.catalog import Corpus
from corpus.errors import ModeltermsError, UnreachableError
from corpus.fetch import Fetcher, fetch_url, latest_version, missing_keys, versions
from corpus.modelrepo import open_hub, open_repo
from tests.conftest import free_port, make_settings, run_cli
from tests.hubserver import FixtureRepo, HubServer, write_cache_repo

HERE = Path(__file__).parent / "hub_fixtures"
AUP = (HERE / "synthetic-llama-aup.md").read_bytes()
ACME = (HERE / "acme-model-license.txt").read_bytes()
LLAMA_CARD = b"---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\nextra_gated_prompt: accept the terms\n---\n# Llama 3.1 8B Instruct\n"
ACME_CARD = b"---\nlicense: other\nlicense_name: acme-model-license\nbase_model: acme/acme-base\n---\n# Acme 7B\n"
FIFTY_MB = 50_000_000


@pytest.fixture(scope="module")
def hub():
    server = HubServer().start()
    server.add_repo(FixtureRepo("meta-llama/Llama-3.1-8B-Instruct",
                                {"README.md": LLAMA_CARD, "USE_POLICY.md": AUP, "model.safetensors": 16_000_000_000}))
    server.add_repo(FixtureRepo("acme/acme-7b", {"README.md": ACME_CARD, "LICENSE": ACME,
                                                 "LICENSE.pdf": FIFTY_MB, "model.safetensors": 1_000}))
    server.add_repo(FixtureRepo("acme/acme-base", {"README.md": b"---\nlicense: apache-2.0\n---\n# base\n"}))
    server.add_repo(FixtureRepo("acme/gated-7b", {"README.md": ACME_CARD, "LICENSE": ACME}, gated=True))
    server.add_page("/orbit/usage-policy", (HERE / "policy-page.html").read_bytes())
    server.add_page("/orbit/cloud", (HERE / "product-page.html").read_bytes())
    server.add_page("/orbit/moved", "<html><body><h1>Not Found</h1></body></html>", status=404)
    server.add_page("/orbit/huge.txt", FIFTY_MB, content_type="text/plain")
    yield server
    server.stop()



def _settings(tmp_path, hub, **kw):
    return make_settings(tmp_path / "home", hf_endpoint=hub.url, hf_cache=tmp_path / "hf-cache",
                         fetch_timeout=5.0, **kw)


# --- the Hub through huggingface_hub ------------------------------------------------------------

def test_open_hub_reads_the_card_and_license_files_into_the_cache(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    repo = open_hub("acme/acme-7b", None, s)
    assert repo.source == "hub" and repo.revision == hub.repos["acme/acme-7b"].sha
    assert repo.licenses == ["other"] and repo.license_name == "acme-model-license"
    assert repo.base_models == ["acme/acme-base"]
    assert "Acme grants you" in repo.read_text("LICENSE", s.max_file_bytes)
    # the 50 MB file is named with the limit and never downloaded; weights are never asked for
    assert any("LICENSE.pdf: too large (50.0 MB; the limit is 5.0 MB)" in n for n in repo.notes)
    assert ("GET", "/acme/acme-7b/resolve/" + repo.revision + "/LICENSE.pdf") not in hub.requests
    assert not any(p.endswith("model.safetensors") for _, p in hub.requests)
    snap = tmp_path / "hf-cache" / "models--acme--acme-7b" / "snapshots" / repo.revision
    assert (snap / "LICENSE").is_symlink() and (snap / "README.md").is_file()
    # the next read comes from the cache, without asking the Hub
    asked = len(hub.requests)
    again = open_repo("acme/acme-7b", s)
    assert again.source == "hf-cache" and again.license_name == "acme-model-license"
    assert len(hub.requests) == asked


def test_hub_errors_are_one_line(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    with pytest.raises(ModeltermsError, match=r"acme/gated-7b is a gated repository: accept its terms at .* HF_TOKEN") as e:
        open_hub("acme/gated-7b", None, s)
    assert "\n" not in str(e.value)
    with pytest.raises(ModeltermsError, match=r"acme/nothing-here: no such model repository on http://127\.0\.0\.1"):
        open_hub("acme/nothing-here", None, s)
    # a token with access opens the gated repo
    repo = open_hub("acme/gated-7b", None, s.replace(hf_token=hub.token))
    assert repo.license_name == "acme-model-license"
    with pytest.raises(UnreachableError, match=r"could not reach http://127\.0\.0\.1:\d+ \(ConnectError\)"):
        open_hub("acme/acme-7b", None, s.replace(hf_endpoint=f"http://127.0.0.1:{free_port()}"))


def test_open_repo_does_not_go_to_the_hub_unless_asked(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    asked = len(hub.requests)
    assert open_repo("acme/acme-7b", s) is None
    assert len(hub.requests) == asked
    assert open_repo("acme/acme-7b", s.replace(fetch=True)).source == "hub"


def test_a_partial_snapshot_is_completed_from_the_hub_only_when_fetching(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    write_cache_repo(s.hf_cache, "acme/acme-7b", {"LICENSE": ACME}, commit="d" * 40)  # one file, no card
    assert open_repo("acme/acme-7b", s).source == "hf-cache"
    repo = open_repo("acme/acme-7b", s.replace(fetch=True))
    assert repo.source == "hub" and repo.license_name == "acme-model-license"
    # the Hub down: the partial snapshot is what there is
    down = s.replace(fetch=True, hf_endpoint=f"http://127.0.0.1:{free_port()}", hf_cache=tmp_path / "other-cache")
    write_cache_repo(down.hf_cache, "acme/acme-7b", {"LICENSE": ACME}, commit="d" * 40)
    assert open_repo("acme/acme-7b", down).source == "hf-cache"


# --- publishers' URLs ---------------------------------------------------------------------------

def test_url_fetch_keeps_policies_and_refuses_the_rest(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    text, final = fetch_url(hub.url + "/orbit/usage-policy", s)
    assert "You may not use Orbit models to:" in text and "window.analytics" not in text
    assert final == hub.url + "/orbit/usage-policy"
    with pytest.raises(ModeltermsError, match=r"/orbit/moved: HTTP 404"):
        fetch_url(hub.url + "/orbit/moved", s)
    with pytest.raises(ModeltermsError, match=r"/orbit/cloud: not a license or use-policy text"):
        fetch_url(hub.url + "/orbit/cloud", s)
    with pytest.raises(ModeltermsError, match=r"huge\.txt: too large \(50\.0 MB; the limit is 5\.0 MB\)"):
        fetch_url(hub.url + "/orbit/huge.txt", s)
    with pytest.raises(ModeltermsError, match="only http"):
        fetch_url("file:///etc/passwd", s)
    with pytest.raises(UnreachableError, match=r"https://policies\.example\.org/aup \("):
        fetch_url("https://policies.example.org/aup", s)


def test_url_fetch_reads_the_proxy_settings_of_each_call(tmp_path, hub, online, monkeypatch):
    """A proxy set or lifted while the process runs (a long-lived UI, a test run) applies to the next fetch."""
    s = _settings(tmp_path, hub)
    for var in ("no_proxy", "NO_PROXY"):
        monkeypatch.delenv(var)
    with pytest.raises(UnreachableError):
        fetch_url(hub.url + "/orbit/usage-policy", s)  # through the closed proxy
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(var)
    assert "You may not use Orbit models to:" in fetch_url(hub.url + "/orbit/usage-policy", s)[0]


def test_a_changed_text_is_a_new_version_and_nothing_is_overwritten(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    corpus = Corpus(s)
    page = {"text": (HERE / "policy-page.html").read_text()}
    hub.add_page("/orbit/changing", lambda: page["text"])
    f = Fetcher(s, corpus)
    first = f.fetch_url_as(hub.url + "/orbit/changing", "orbit-aup", kind="aup")
    assert first.status == "added" and first.entry.key == "orbit-aup"
    prov = corpus.get("orbit-aup").fetched
    assert prov["url"] == hub.url + "/orbit/changing" and len(prov["sha256"]) == 64 and prov["fetched_at"]
    old_text = corpus.get("orbit-aup").text
    assert f.fetch_url_as(hub.url + "/orbit/changing", "orbit-aup").status == "unchanged"
    page["text"] = page["text"].replace("harass, threaten or stalk anyone", "harass, threaten, dox or stalk anyone")
    second = f.fetch_url_as(hub.url + "/orbit/changing", "orbit-aup")
    assert second.status == "new-version" and second.entry.key == "orbit-aup-v2"
    assert "diff orbit-aup orbit-aup-v2" in second.message
    assert Corpus(s).get("orbit-aup").text == old_text  # the first version is intact
    assert "dox" in Corpus(s).get("orbit-aup-v2").text
    assert versions(Corpus(s), "orbit-aup") == ["orbit-aup", "orbit-aup-v2"]
    assert latest_version(Corpus(s), "orbit-aup") == "orbit-aup-v2"
    # a failed fetch of the same key writes nothing
    before = sorted(p.name for p in s.user_corpus_dir.iterdir())
    assert f.fetch_url_as(hub.url + "/orbit/moved", "orbit-aup").status == "failed"
    assert sorted(p.name for p in s.user_corpus_dir.iterdir()) == before


def test_a_known_text_is_not_added_twice(tmp_path, hub, online):
    from agent.identify import Identifier
    from corpus import scancode

    s = _settings(tmp_path, hub)
    corpus = Corpus(s)
    # The MIT text from the LicenseDB, re-served under another name: identified, not stored.
    hub.add_page("/acme/LICENSE-mit.txt", "Acme tools\n\n" + scancode.load("mit").text, content_type="text/plain")
    f = Fetcher(s, corpus, identifier=Identifier(s, corpus))
    got = f.fetch_url_as(hub.url + "/acme/LICENSE-mit.txt", "acme-tools-license")
    assert got.status == "known" and "is mit" in got.message
    assert corpus.user_keys() == []


# --- registry keys: cache → Hub → URL -----------------------------------------------------------

def test_registry_key_from_the_hub_with_provenance(tmp_path, hub, online):
    s = _settings(tmp_path, hub)
    corpus = Corpus(s)
    assert "llama-3.1-aup" in missing_keys(corpus)
    got = Fetcher(s, corpus).fetch_key("llama-3.1-aup")
    assert got.status == "added", got.message
    entry = Corpus(s).get("llama-3.1-aup")
    assert entry.kind == "aup" and entry.text == AUP.decode()
    assert entry.fetched["from"] == "hub" and entry.fetched["repo"] == "meta-llama/Llama-3.1-8B-Instruct"
    assert entry.fetched["revision"] == hub.repos["meta-llama/llama-3.1-8b-instruct"].sha
    assert "llama-3.1-aup" not in missing_keys(Corpus(s))


def test_registry_key_from_the_hf_cache_first(tmp_path, hub, online):
    s = _settings(tmp_path, hub).replace(hf_endpoint=f"http://127.0.0.1:{free_port()}")  # the Hub is down
    write_cache_repo(s.hf_cache, "meta-llama/Llama-3.3-70B-Instruct", {"USE_POLICY.md": AUP, "config.json": b"{}"},
                     commit="c" * 40)
    got = Fetcher(s, Corpus(s)).fetch_key("llama-3.3-aup")
    assert got.status == "added", got.message
    assert Corpus(s).get("llama-3.3-aup").fetched["from"] == "hf-cache"
    assert Corpus(s).get("llama-3.3-aup").fetched["revision"] == "c" * 40


def test_offline_is_one_line_naming_the_places_and_the_manual_way(tmp_path, hub, online):
    s = _settings(tmp_path, hub).replace(hf_endpoint=f"http://127.0.0.1:{free_port()}")
    got = Fetcher(s, Corpus(s)).fetch_key("llama-2-aup")
    assert got.status == "failed" and "\n" not in got.message
    assert "could not reach http://127.0.0.1:" in got.message
    assert "could not reach https://ai.meta.com/llama/use-policy" in got.message
    assert "modelterms corpus add FILE --key llama-2-aup --kind aup" in got.message
    assert Corpus(s).user_keys() == []


# --- the command line: fetch, then check ----------------------------------------------------------

def _cli_env(hub, tmp_path, closed_proxy):
    return {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(tmp_path / "hf-cache"), "HF_HUB_OFFLINE": "0",
            "http_proxy": closed_proxy, "https_proxy": closed_proxy, "HTTP_PROXY": closed_proxy,
            "HTTPS_PROXY": closed_proxy, "no_proxy": "127.0.0.1,localhost", "NO_PROXY": "127.0.0.1,localhost",
            "MODELTERMS_FETCH_TIMEOUT": "5"}


@pytest.fixture
def home(tmp_path, indexed):
    home = tmp_path / "home"
    shutil.copytree(indexed.home, home)
    return home


@pytest.mark.slow
def test_fetch_missing_then_the_readme_example(tmp_path, hub, online, home):
    env = _cli_env(hub, tmp_path, online)
    fetched = run_cli("corpus", "fetch", "--missing", home=home, env=env)
    # what the fixture hub has is fetched; the rest is one line each on stderr, and the exit is 1
    assert "added llama-3.1-aup (aup" in fetched.stdout
    errors = [ln for ln in fetched.stderr.splitlines() if ln.strip()]
    assert fetched.returncode == 1 and errors and all(ln.startswith("error: ") for ln in errors)
    assert any("llama-3.3-aup: not fetched" in ln and "corpus add FILE --key llama-3.3-aup" in ln for ln in errors)
    out = run_cli("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--use",
                  "a support bot for our 2M-user app", "--json", home=home, env=env)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert set(result["licenses"]) == {"llama-3.1-license-2024", "llama-3.1-aup"}
    assert not any("not in the corpus" in m for m in result["missing"])
    cited = {f["license"] for f in result["findings"]}
    assert {"llama-3.1-license-2024", "llama-3.1-aup"} <= cited
    assert result["verdict"] != "unclear" or all(
        f["effect"] != "missing" for f in result["findings"])  # never unclear for want of a text
    # The same use in words the use reader does not mistake for a ban: decided, citing the license's
    # duties and the policy's.
    out = run_cli("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--use",
                  "a customer-support assistant in our app that answers questions about our product, used by 2 million people",
                  "--json", home=home, env=env)
    result = json.loads(out.stdout)
    assert result["verdict"] in ("conditional", "allowed"), result["answer"]
    assert {"llama-3.1-license-2024", "llama-3.1-aup"} <= {f["license"] for f in result["findings"]}


@pytest.mark.slow
def test_readme_example_verdict_is_decided(tmp_path, hub, online, home):
    env = _cli_env(hub, tmp_path, online)
    run_cli("corpus", "fetch", "llama-3.1-aup", home=home, env=env)
    out = run_cli("check", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--use",
                  "a support bot for our 2M-user app", "--json", home=home, env=env)
    result = json.loads(out.stdout)
    assert result["verdict"] == "conditional", result["answer"]
    # the license's notice duties and the policy's duty toward end users, each cited from its own text
    assert {f["license"] for f in result["findings"] if f["effect"] == "condition"} >= {"llama-3.1-license-2024",
                                                                                       "llama-3.1-aup"}


@pytest.mark.slow
def test_model_repos_bad_input_and_unidentified_license_files(tmp_path, hub, online, home):
    env = _cli_env(hub, tmp_path, online)
    for args, expected in (
        (("corpus", "fetch", "--model", "acme/gated-7b"), "acme/gated-7b is a gated repository"),
        (("corpus", "fetch", "--model", "acme/nothing-here"), "acme/nothing-here: no such model repository"),
        (("check", "--fetch", "--model", "acme/nothing-here", "--use", "a chatbot"), "no such model repository"),
        (("corpus", "fetch", hub.url + "/orbit/cloud", "--key", "orbit-cloud"), "not a license or use-policy text"),
        (("corpus", "fetch", hub.url + "/orbit/huge.txt", "--key", "orbit-huge"), "the limit is 5.0 MB"),
    ):
        r = run_cli(*args, home=home, env=env)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.returncode == 1 and len(lines) == 1 and expected in lines[0], (args, r.stderr)
    assert not (home / "corpus" / "orbit-cloud.json").exists()
    # check --fetch reads the repo from the Hub: the card's 'other' license is the repo's LICENSE,
    # which matches nothing in the corpus — analysed, cited, and named in `missing` as unidentified;
    # its base model (apache-2.0) is followed through the Hub too.
    r = run_cli("check", "--fetch", "--model", "acme/acme-7b", "--use", "build weapons targeting systems",
                "--json", home=home, env=env)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert "local-acme-acme-7b-license" in result["licenses"] and "apache-2.0" in result["licenses"]
    assert any("unidentified" in m and "LICENSE of acme/acme-7b" in m for m in result["missing"])
    assert result["verdict"] == "prohibited"
    assert any(f["license"] == "local-acme-acme-7b-license" for f in result["findings"])
    # now cached: `models` finds it without fetching
    r = run_cli("models", "acme/acme-7b", "--json", home=home, env={**env, "HF_ENDPOINT": "http://127.0.0.1:9"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["chain"][0] == "acme/acme-7b"


def test_fetch_model_stores_repo_files_with_provenance_and_not_twice(tmp_path, hub, online):
    from click.testing import CliRunner

    from ui.cli import cli

    s = _settings(tmp_path, hub)
    runner = CliRunner()
    r = runner.invoke(cli, ["corpus", "fetch", "--model", "acme/acme-7b", "--no-index", "--json"], obj=None,
                      env={"MODELTERMS_HOME": str(s.home), "HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(s.hf_cache)})
    rows = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]
    added = [x for x in rows if x["status"] == "added"]
    assert [x["stored_as"] for x in added] == ["acme-acme-7b-license"]
    assert added[0]["fetched"]["repo"] == "acme/acme-7b" and added[0]["fetched"]["revision"] == hub.repos["acme/acme-7b"].sha
    # the 50 MB LICENSE.pdf is named with the limit; one failed file makes the exit non-zero
    assert any(x["status"] == "failed" and "the limit is 5.0 MB" in x["message"] for x in rows) and r.exit_code == 1
    # The Llama repo: the registry's policy first, under its own key; the repo's USE_POLICY.md is then
    # the same text and is not added again.
    r = runner.invoke(cli, ["corpus", "fetch", "--model", "meta-llama/Llama-3.1-8B-Instruct", "--no-index", "--json"],
                      env={"MODELTERMS_HOME": str(s.home), "HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(s.hf_cache)})
    assert r.exit_code == 0, r.output
    rows = [json.loads(ln) for ln in r.stdout.splitlines() if ln.startswith("{")]
    assert [(x["key"], x["status"]) for x in rows] == [("llama-3.1-aup", "added"),
                                                       ("meta-llama-llama-3.1-8b-instruct-use-policy", "known")]
    assert sorted(Corpus(s).user_keys()) == ["acme-acme-7b-license", "llama-3.1-aup"]


def test_a_cached_repo_supplies_its_registry_texts_without_fetching(tmp_path):
    """The Llama repo in the user's HF cache (card + USE_POLICY.md): the use policy is read from it under
    the registry's key, nothing is fetched, nothing is missing; an unknown license file is unidentified."""
    from agent.models import ModelResolver

    s = make_settings(tmp_path / "home", hf_cache=tmp_path / "hf-cache", hf_endpoint=f"http://127.0.0.1:{free_port()}")
    write_cache_repo(s.hf_cache, "meta-llama/Llama-3.1-8B-Instruct", {"README.md": LLAMA_CARD, "USE_POLICY.md": AUP})
    write_cache_repo(s.hf_cache, "acme/acme-7b", {"README.md": ACME_CARD.replace(b"base_model: acme/acme-base\n", b""),
                                                  "LICENSE": ACME})
    corpus = Corpus(s)
    resolver = ModelResolver(corpus)
    res = resolver.resolve_model("meta-llama/Llama-3.1-8B-Instruct")
    assert res.licenses == ["llama-3.1-license-2024"] and res.policies == ["llama-3.1-aup"]
    assert res.missing == [] and corpus.get("llama-3.1-aup").text == AUP.decode()
    assert corpus.user_keys() == []  # used for this run, not stored
    res = resolver.resolve_model("acme/acme-7b")
    assert res.licenses == ["local-acme-acme-7b-license"]
    assert [m.name for m in res.missing] == ["LICENSE of acme/acme-7b"]
    assert res.missing[0].kind == "unidentified" and res.missing[0].model == "acme/acme-7b"
    why = present_json.resolution(res)["missing"][0]["why"]
    assert "unidentified" in why and "corpus fetch --model acme/acme-7b" in why


def test_fetch_usage_errors_are_one_line(tmp_path):
    from click.testing import CliRunner

    from ui.cli import cli

    runner = CliRunner()
    env = {"MODELTERMS_HOME": str(tmp_path / "home")}
    for args, expected in ((["corpus", "fetch", "nonsense-key"], "nonsense-key: not a text the registry knows"),
                           (["corpus", "fetch"], "say what to fetch"),
                           (["corpus", "fetch", "https://example.org/a", "https://example.org/b", "--key", "x1"],
                            "one URL at a time"),
                           (["corpus", "fetch", "llama-3.1-aup", "--key", "x1"], "--key, --name and --kind go with a URL")):
        r = runner.invoke(cli, args, env=env)
        assert r.exit_code == 1 and expected in r.output and len(r.output.strip().splitlines()) == 1, (args, r.output)
    assert not (tmp_path / "home" / "corpus").exists()
