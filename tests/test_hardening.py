"""Fault injection for issue 10: each of the ten failures of the 40-probe run, rerun as a test.

Real components throughout: real files, the real embedding model and Chroma, `modelterms` in fresh
processes killed with SIGKILL at chosen points (MODELTERMS_FAULT, retrieval/faults.py), a TCP
listener on 127.0.0.1 that never answers, an HTTP server that trickles bytes, malicious cards.
This module is also the probe runner for BENCHMARKS.md ("Hardening (issue 10)"): each `test_probe_*`
is one probe.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.models import ModelResolver, read_card
from corpus.atomic import atomic_write
from corpus.catalog import Corpus
from corpus.datalock import data_lock
from corpus.errors import ModeltermsError
from corpus.settings import Settings
from retrieval.indexer import open_manifest
from retrieval.search import Searcher
from retrieval.store import ClauseStore
from ui.cli import cli

from .conftest import FIXTURES, make_settings, run_cli

LONG = "a" * 300
BOMB = "---\nlicense: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)) + "---\n# card\n"


def one_line_error(text: str) -> bool:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in text


@pytest.fixture
def home(indexed, tmp_path) -> Settings:
    """A private copy of the indexed data dir (user texts acme-open-model, river-data-policy, zephyr-research)."""
    dst = tmp_path / "home"
    shutil.copytree(indexed.home, dst)
    (dst / ".lock").unlink(missing_ok=True)
    return make_settings(dst)


def invoke(settings_or_home, *args, input=None):
    """The real command group in this process (no model reload per call): (exit code, stdout+stderr)."""
    home = settings_or_home.home if isinstance(settings_or_home, Settings) else settings_or_home
    r = CliRunner().invoke(cli, ["--home", str(home), *args], input=input, catch_exceptions=True)
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"exception reached the user: {r.exception!r}\n{r.output}")
    return r.exit_code, r.output


def hits_are_verbatim(settings: Settings, key: str) -> list[str]:
    """Searches KEY's clauses and returns the problems with the quote invariant (text == license[start:end])."""
    corpus = Corpus(settings)
    text = corpus.get(key).text
    hits = Searcher(settings, corpus=corpus).search("use of the model", k=50, license=key)
    return [h.clause_id for h in hits if h.text != text[h.start:h.end]]


# --- 1. a card uploaded in the UI never reads server files ------------------------------------

def test_probe_uploaded_card_base_model_path_is_not_followed(tmp_path):
    from ui.app import Services, run_check, ui_dir

    secret_dir = tmp_path / "server-secrets"
    secret_dir.mkdir()
    (secret_dir / "terms.txt").write_text("SECRET SERVER TERMS: you may not use this for anything at all.\n")
    (secret_dir / "README.md").write_text("---\nlicense: mit\n---\n# secret card\n")
    svc = Services(make_settings(tmp_path / "home"))
    folder = ui_dir(svc.settings) / "up1"
    folder.mkdir(parents=True)
    card = folder / "README.md"
    card.write_text(f"---\nbase_model: {secret_dir}\n---\n# fine-tune\n")
    badge, md, table, cites = run_check(svc, "upload", None, None, str(card), "a chatbot for customer support")
    shown = md + cites + table.to_string()
    assert "SECRET" not in shown and "server-secrets/terms" not in shown
    assert "not followed for an uploaded card" in md
    assert str(svc.upload_root) not in shown  # no server paths in the response

    # a model id typed in the page is never a server path either
    res = svc.checker.resolver.resolve_model(str(secret_dir))
    assert not any(k.startswith("local-") for k in res.keys) and "mit" not in res.licenses


def test_cli_card_base_model_stays_inside_the_card_folder(tmp_path, settings):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "README.md").write_text("---\nlicense: apache-2.0\n---\n")
    model = tmp_path / "model"
    (model / "base").mkdir(parents=True)
    (model / "base" / "README.md").write_text("---\nlicense: mit\n---\n")
    for base, followed in (("../outside", False), (str(outside), False), ("./base", True)):
        (model / "README.md").write_text(f"---\nlicense: cc-by-4.0\nbase_model: {base}\n---\n")
        res = ModelResolver(Corpus(settings)).resolve_card(model)
        assert ("apache-2.0" in res.licenses) is False
        assert ("mit" in res.licenses) is followed, (base, res.as_json())
        if not followed:
            assert any(n.kind == "base_outside" for n in res.notes)


# --- 2. YAML alias bomb -----------------------------------------------------------------------

def test_probe_alias_bomb_card_is_refused_in_one_line(tmp_path, settings):
    card = tmp_path / "README.md"
    card.write_text(BOMB)
    assert len(BOMB.encode()) < 700
    tracemalloc.start()
    try:
        with pytest.raises(ModeltermsError) as e:
            ModelResolver(Corpus(settings)).resolve_card(card)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "aliases" in str(e.value) and "\n" not in str(e.value)
    assert peak < 20_000_000  # the 8-level bomb expands to 10^8 nodes if it is ever built
    code, out = invoke(settings, "check", "--card", str(card), "--use", "a chatbot")
    assert code == 1 and one_line_error(out) and len(out) < 500


# --- 3. an interrupted replacement never serves stale clauses ---------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("point", ["add.before-index", "index.before-delete", "index.before-commit"])
def test_probe_kill_during_replacement_is_repaired_by_the_next_command(home, tmp_path, point):
    before = {r["key"]: r["indexed_at"] for r in open_manifest(home).licenses()}
    new = tmp_path / "acme-v2.txt"
    new.write_text((FIXTURES / "acme-open-model.txt").read_text().replace(
        "(d) to generate spam or fake product reviews.", "(d) to run gambling services."))
    r = run_cli("corpus", "add", str(new), "--key", "acme-open-model", home=home.home, env={"MODELTERMS_FAULT": point})
    assert r.returncode == -signal.SIGKILL, r.stderr
    assert "gambling" in Corpus(home).get("acme-open-model").text  # the new text was stored
    # The next reader repairs the one stale key (no full re-index) and quotes stay verbatim.
    assert hits_are_verbatim(home, "acme-open-model") == []
    after = {r["key"]: r["indexed_at"] for r in open_manifest(home).licenses()}
    assert [k for k in after if after[k] != before.get(k)] == ["acme-open-model"]
    texts = [h.text for h in Searcher(home).search("gambling services", k=3, license="acme-open-model")]
    assert any("gambling" in t for t in texts)


def test_probe_no_index_replacement_is_left_out_while_another_command_holds_the_lock(home, tmp_path):
    new = tmp_path / "acme-v2.txt"
    new.write_text((FIXTURES / "acme-open-model.txt").read_text().replace("Commercial Scale", "Commercial Size"))
    code, out = invoke(home, "corpus", "add", str(new), "--key", "acme-open-model", "--no-index")
    assert code == 0 and "next search" in out
    held, release = threading.Event(), threading.Event()

    def hold():
        with data_lock(home.home):
            held.set()
            release.wait(60)

    t = threading.Thread(target=hold, daemon=True)
    t.start()
    held.wait(10)
    try:
        s = Searcher(home)  # cannot repair now: the stale key is left out, never served stale
        assert "acme-open-model" in s.inconsistent.stale and not s.inconsistent.repaired
        assert "acme-open-model" not in s.licenses
        assert all(h.license != "acme-open-model" for h in s.search("commercial scale monthly users", k=20))
    finally:
        release.set()
        t.join(10)
    assert hits_are_verbatim(home, "acme-open-model") == []  # the next reader repairs it


# --- 4. remove during index -------------------------------------------------------------------

@pytest.mark.slow
def test_probe_remove_during_index_waits_and_leaves_no_ghost(home, tmp_path):
    new = tmp_path / "zephyr-v2.txt"
    new.write_text((FIXTURES / "zephyr-research.txt").read_text() + "\n9. Extra. A new clause about lotteries.\n")
    Corpus(home).add_user_text(new, key="zephyr-research")  # stored, not yet indexed
    env = {**os.environ, "MODELTERMS_HOME": str(home.home), "MODELTERMS_FAULT": "index.before-commit:sleep=12"}
    index = subprocess.Popen([sys.executable, "-m", "ui.cli", "index", "--key", "zephyr-research"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=Path(__file__).parent.parent)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until the index holds the data folder's lock
            with data_lock(home.home, wait=False) as free:
                if not free:
                    break
            assert index.poll() is None, index.communicate()
            time.sleep(0.05)
        # The index now sleeps just before it commits zephyr-research: a remove that did not wait for it
        # would be undone by that commit (the ghost of the probe run).
        r = run_cli("corpus", "remove", "zephyr-research", home=home.home)
    finally:
        out, err = index.communicate(timeout=120)
    assert index.returncode == 0, err
    assert r.returncode == 0 and r.stdout.strip() == "removed zephyr-research", r.stderr
    m = open_manifest(home)
    try:
        assert "zephyr-research" not in m.hashes() and not m.clauses("zephyr-research")
    finally:
        m.close()
    assert ClauseStore(home).license_ids("zephyr-research") == []
    assert all(h.license != "zephyr-research" for h in Searcher(home).search("lotteries research only", k=20))


# --- 5. Chroma servers that are silent, unreachable or misnamed --------------------------------

@pytest.fixture
def silent_port():
    """A TCP listener on 127.0.0.1 that accepts connections and never says a word."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held, stop = [], threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join(2)
    for c in held:
        c.close()
    srv.close()


def test_probe_silent_chroma_server_is_one_line_within_the_timeout(tmp_path, silent_port):
    s = make_settings(tmp_path / "home", chroma_url=f"http://127.0.0.1:{silent_port}", chroma_timeout=1.0)
    t0 = time.monotonic()
    with pytest.raises(ModeltermsError, match="did not answer within 1 s"):
        ClauseStore(s)
    assert time.monotonic() - t0 < 30  # a bound, not a timing: without a timeout this never returns
    r = run_cli("--chroma-url", f"http://127.0.0.1:{silent_port}", "index", "--key", "mit", home=tmp_path / "home",
                env={"MODELTERMS_CHROMA_TIMEOUT": "1"}, timeout=120)
    assert r.returncode == 1 and one_line_error(r.stderr) and "did not answer" in r.stderr
    assert not (tmp_path / "home" / "index").exists() or not any((tmp_path / "home" / "index").iterdir())


def test_probe_unreachable_or_bad_chroma_url_says_so_and_creates_nothing(tmp_path):
    home = tmp_path / "home"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    for url, says in ((f"http://127.0.0.1:{closed}", "the server is unreachable"), ("ftp://x", "invalid Chroma URL"),
                      ("http://", "invalid Chroma URL"), ("http://h:99999", "invalid Chroma URL"),
                      ("http://" + "h" * 300, "too long")):
        code, out = invoke(home, "--chroma-url", url, "search", "spam")
        assert code == 1 and one_line_error(out) and says in out, (url, out)
        assert "index is empty" not in out
    assert not (home / "index").exists() or not any((home / "index").iterdir())


# --- 6. ask --stream exits after its deadline ---------------------------------------------------

class Trickle:
    """An OpenAI-compatible endpoint that answers 200 and then sends an SSE comment byte every 0.2 s, forever."""

    def __init__(self):
        stop = self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(404)
                self.end_headers()

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.end_headers()
                try:
                    while not stop.is_set():
                        self.wfile.write(b":")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.spec = f"openai-compatible:http://127.0.0.1:{self.server.server_address[1]}/v1#slow"

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.slow
def test_probe_ask_stream_exits_after_its_deadline(home):
    trickle = Trickle()
    try:
        t0 = time.monotonic()
        r = run_cli("ask", "--stream", "Can I use the Acme Open Model License for military targeting?", "--llm",
                    trickle.spec, "--timeout", "2", home=home.home, timeout=180,
                    env={"MODELTERMS_LLM_DEADLINE": "3", "MODELTERMS_LLM_RETRIES": "0"})
        elapsed = time.monotonic() - t0
    finally:
        trickle.close()
    assert r.returncode == 0, r.stderr
    assert "PROHIBITED" in r.stdout and "LLM unavailable" in r.stdout and "Traceback" not in r.stderr
    assert elapsed < 150  # the process ended: before the fix it never did


@pytest.mark.slow
def test_llm_worker_threads_end_after_the_deadline(home):
    """In a long-running process (the UI) an abandoned LLM request must end, not leak a thread."""
    from agent.check import Checker
    from agent.ask.conversation import Conversation

    trickle = Trickle()
    try:
        s = home.replace(llm=trickle.spec, llm_timeout=1.0, llm_deadline=2.0, llm_retries=0)
        conv = Conversation(s, checker=Checker(home))
        ans = conv.ask("Can I use the Acme Open Model License for military targeting?", on_text=lambda t: None)
        assert ans.verdict == "prohibited" and any("LLM unavailable" in n for n in ans.notices)
        end = time.monotonic() + 20  # the request's own deadline (2 s) plus its read timeout, with room
        while time.monotonic() < end and any(t.name == "modelterms-llm" for t in threading.enumerate()):
            time.sleep(0.1)
        assert not [t for t in threading.enumerate() if t.name == "modelterms-llm"]
    finally:
        trickle.close()


# --- 7. batches: every bad line its own error line ---------------------------------------------

def test_probe_check_batch_reports_each_bad_line_and_goes_on(indexed, tmp_path):
    batch = tmp_path / "b.jsonl"
    batch.write_bytes(b"\n".join([
        b'{"id": "ok1", "use": "spam campaigns", "license": "gemma-pup-2024-02-21"}',
        b'{"use": "x", "license": ',                                  # 2: malformed JSON
        b'{"use": 12345, "license": "mit"}',                          # 3: a number for the use
        json.dumps({"use": "a chatbot", "license": "k" * 300}).encode(),  # 4: an over-long key
        b'["not", "an", "object"]',                                   # 5
        b'{"use": "a chatbot", "license": "mit\xff"}',               # 6: not UTF-8
        b'{"use": "a chatbot", "card": "' + b"c" * 5000 + b'"}',      # 7: an impossible path
        b'{"use": "a chatbot", "license": "../../etc/passwd"}',       # 8
        b'{"id": "ok2", "use": "research on poetry", "license": "mit"}',
    ]) + b"\n")
    r = run_cli("check", "--batch", str(batch), "--json", home=indexed.home)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["id"] for x in rows] == ["ok1", 2, 3, 4, 5, 6, 7, 8, "ok2"]
    assert rows[0]["verdict"] == "prohibited" and "error" not in rows[-1]
    for row in rows[1:-1]:
        assert row["line"] == row["id"] and row["error"] and "\n" not in row["error"], row
    assert "not a JSON object" in rows[1]["error"] and "must be a string" in rows[2]["error"]
    assert "too long" in rows[3]["error"] and "not UTF-8" in rows[5]["error"]


def test_probe_ask_batch_reports_each_bad_line_and_goes_on(indexed, tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_bytes(b"# questions\nWhat license is meta-llama/Llama-3.1-8B under?\n\xff\xfe bad bytes\n"
                      + b"q" * 10_001 + b"\nCan I use the MIT license for a commercial chatbot?\n")
    r = run_cli("ask", "--batch", str(batch), "--json", home=indexed.home, env={"MODELTERMS_LLM": ""})
    assert r.returncode == 1 and r.stderr.strip() == "error: 2 of 4 questions failed", r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == 4 and [x.get("line") for x in rows] == [None, 3, 4, None]
    assert "not UTF-8" in rows[1]["error"] and "too long" in rows[2]["error"] and rows[3]["verdict"]


# --- 8 and 9. over-long keys and paths, keys validated on lookup ------------------------------

def test_probe_overlong_keys_and_paths_are_one_line_errors(indexed, tmp_path):
    card = tmp_path / "README.md"
    card.write_text(f"---\nlicense: {LONG}\n---\n# card\n")
    cases = [("check", "--license", LONG, "--use", "a chatbot"), ("explain", LONG), ("corpus", "show", LONG),
             ("search", "spam", "--license", LONG), ("identify", LONG), ("identify", "/" + LONG),
             ("check", "--card", "/tmp/" + LONG + "/README.md", "--use", "a chatbot"),
             ("check", "--license", "x/" + LONG + ".txt", "--use", "a chatbot"), ("corpus", "add", "/" + LONG),
             ("corpus", "remove", LONG), ("index", "--key", LONG), ("compare", "mit", LONG), ("diff", LONG, "mit"),
             ("check", "--model", "m" * 5000, "--use", "a chatbot")]
    for args in cases:
        code, out = invoke(indexed, *args)
        assert code == 1 and one_line_error(out) and len(out) < 600, (args[:2], out[:300])
    code, out = invoke(indexed, "models", LONG)
    assert code == 0 and "no license resolved" in out
    code, out = invoke(indexed, "check", "--card", str(card), "--use", "a chatbot", "--json")
    assert code == 0 and json.loads(out)["verdict"] == "unclear"


def test_probe_keys_are_validated_on_lookup(indexed, tmp_path):
    outside = indexed.home.parent / f"{indexed.home.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "terms.txt").write_text("TOP SECRET TERMS\n")
    (outside / "terms.json").write_text("{}")
    rel = f"../../{outside.name}/terms"
    for args in (("corpus", "show", rel, "--text"), ("corpus", "remove", rel), ("explain", rel.replace("/", "-")),
                 ("search", "x", "--license", rel)):
        code, out = invoke(indexed, *args)
        assert code == 1 and one_line_error(out) and "TOP SECRET" not in out, (args, out)
    from ui.app import Services, run_check

    svc = Services(indexed)
    for typed in (rel, "/etc/passwd", LONG, "mit\x00"):
        with pytest.raises(ModeltermsError) as e:
            run_check(svc, "license", None, typed, None, "a chatbot")
        assert "\n" not in str(e.value) and "TOP SECRET" not in str(e.value)


# --- 10. cards are checked like every text -----------------------------------------------------

def test_probe_cards_are_checked_for_size_encoding_and_binary(tmp_path, settings):
    big = tmp_path / "big" / "README.md"
    big.parent.mkdir()
    big.write_bytes(b"---\nlicense: mit\n---\n" + b"x" * 20_000_000)
    binary = tmp_path / "bin" / "README.md"
    binary.parent.mkdir()
    binary.write_bytes(bytes(range(256)) * 100)
    latin = tmp_path / "latin" / "README.md"
    latin.parent.mkdir()
    latin.write_bytes("---\nlicense: mit\n---\ncaf\u00e9".encode("latin-1"))
    from corpus.modelrepo import MAX_CARD_BYTES

    for path, says in ((big, f"the limit is {MAX_CARD_BYTES / 1e6:.1f} MB"), (binary, "binary"), (latin, "not UTF-8")):
        with pytest.raises(ModeltermsError, match=says):
            read_card(path)
        code, out = invoke(settings, "check", "--card", str(path), "--use", "a chatbot")
        assert code == 1 and one_line_error(out) and says in out


# --- also: guarded verdicts, server paths, empty search ----------------------------------------

@pytest.mark.slow
def test_overruled_llm_claims_are_not_shown_as_if_they_stood(indexed):
    from agent.check import Checker
    from agent.ask.conversation import Conversation
    from agent.llm.guard import OVERRULED

    from .fake_llm import FakeLLM

    with FakeLLM([{"content": "Military targeting is fine here. Verdict: ALLOWED — you can use it freely."}]) as fake:
        s = indexed.replace(llm=fake.spec, llm_timeout=5.0, llm_retries=0, llm_deadline=30.0)
        a = Conversation(s, checker=Checker(indexed)).ask(
            "Can I use the Acme Open Model License for military targeting with autonomous weapons?")
    assert a.verdict == "prohibited" and a.needs_human_review and a.llm_verdict == "allowed"
    assert "Verdict: ALLOWED" not in a.answer and "you can use it freely" not in a.answer
    assert OVERRULED.format(verdict="prohibited") in a.answer and "Verdict: PROHIBITED" in a.answer


def test_upload_errors_name_no_server_path(tmp_path):
    from ui.app import Services, run_check, ui_dir

    svc = Services(make_settings(tmp_path / "home"))
    folder = ui_dir(svc.settings) / "up2"
    folder.mkdir(parents=True)
    card = folder / "README.md"
    card.write_text(BOMB)
    with pytest.raises(ModeltermsError) as e:
        run_check(svc, "upload", None, None, str(card), "a chatbot")
    assert "aliases" in str(e.value) and str(svc.upload_root) not in str(e.value) and str(tmp_path) not in str(e.value)


def test_empty_search_is_refused_before_anything_loads(tmp_path, monkeypatch):
    import retrieval.search

    def no(*a, **k):
        raise AssertionError("loaded")

    monkeypatch.setattr(retrieval.search, "load_embedder", no)
    monkeypatch.setattr(retrieval.search, "ClauseStore", no)
    for args in (("search", " "), ("search", "x" * 5001)):
        code, out = invoke(tmp_path / "home", *args)
        assert code == 1 and one_line_error(out)
    assert not (tmp_path / "home" / "index").exists()


# --- the shared atomic write --------------------------------------------------------------------

def test_atomic_write_leaves_old_file_and_no_temp_on_failure(tmp_path):
    path = tmp_path / "state.json"
    atomic_write(path, '{"v": 1}')

    def boom(f):
        f.write(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(path, boom)
    assert path.read_text() == '{"v": 1}' and [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_atomic_write_killed_mid_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "state.txt"
    atomic_write(path, "old")
    code = ("import sys, time; sys.path.insert(0, sys.argv[2]); from pathlib import Path; "
            "from corpus.atomic import atomic_write\n"
            "def slow(f):\n f.write(b'new-but-partial'); f.flush(); print('writing', flush=True); time.sleep(60)\n"
            "atomic_write(Path(sys.argv[1]), slow)")
    p = subprocess.Popen([sys.executable, "-c", code, str(path), str(Path(__file__).parent.parent)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "writing"
    p.kill()
    p.wait()
    assert path.read_text() == "old"
