"""Shared fixtures. Real components throughout: the packaged embedding model, real Chroma, real files."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from agent.check import Checker  # noqa: E402
from agent.deps import Deps  # noqa: E402
from corpus.catalog import Corpus  # noqa: E402
from corpus.settings import Settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
# A few built-in texts of different shapes: numbered+lettered+roman, indentation-only
# bullets, RAIL attachment, plain paragraphs.
SMALL_BUILTIN = ["llama-3.1-license-2024", "gemma-pup-2024-02-21", "bigscience-open-rail-m", "mit"]


def make_settings(home: Path, **kw) -> Settings:
    return Settings.from_env({}, home=home, **kw)


def checker_over(home: Path, texts: dict[str, str], titled: bool = True):
    """A real Checker whose corpus also holds `texts` (key → license text) as the user's own texts, each under a
    title line unless not `titled`, as `corpus add` would keep them (written for the test; no third-party text)."""
    s = make_settings(home)
    corpus = Corpus(s)
    for key, text in texts.items():
        path = home / f"{key}.txt"
        path.write_text(f"{key.upper()} MODEL LICENSE\n\n{text}" if titled else text, encoding="utf-8")
        corpus.add_user_text(path, key=key)
    return Checker(Deps(s, corpus=Corpus(s)))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path / "home")


@pytest.fixture(scope="session")
def indexed(tmp_path_factory):
    """A data dir with the fixture texts added and a few built-in licenses indexed (built once)."""
    from retrieval.indexer import run_index

    home = tmp_path_factory.mktemp("indexed-home")
    s = make_settings(home)
    corpus = Corpus(s)
    for f in sorted(FIXTURES.glob("*")):
        corpus.add_user_text(f)
    run_index(s, corpus, only=SMALL_BUILTIN + corpus.user_keys())
    return s


def run_cli(*args: str, home: Path | None = None, env: dict | None = None, timeout: int = 300,
            input: str | None = None) -> subprocess.CompletedProcess:
    """The real `modelterms` entry point in a fresh process."""
    full_env = {**os.environ, **(env or {})}
    if home is not None:
        full_env["MODELTERMS_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, input=input, cwd=Path(__file__).parent.parent)


def local_urlopen(req, timeout: float):
    """urlopen for the tests' own servers on 127.0.0.1: no proxy, whatever the environment says (CI machines
    may set one, and urlopen's shared opener keeps the proxies of its first call, e.g. the `online` fixture's)."""
    import urllib.request

    return urllib.request.build_opener(urllib.request.ProxyHandler({})).open(req, timeout=timeout)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def online(monkeypatch):
    """The test process runs with HF_HUB_OFFLINE=1; fetching tests lift it for huggingface_hub. Publishers'
    sites stay "offline": a proxy on a closed local port refuses every non-local request."""
    import huggingface_hub.constants as hf_constants

    monkeypatch.setattr(hf_constants, "HF_HUB_OFFLINE", False)
    closed = f"http://127.0.0.1:{free_port()}"
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, closed)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return closed


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real Chroma server on 127.0.0.1, started with the venv's `chroma run`."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if chroma is None:
        pytest.fail("the `chroma` command is missing from the environment")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = open(data / "server.log", "w")
    proc = subprocess.Popen([chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma server exited: {(data / 'server.log').read_text()[-500:]}")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start in 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
