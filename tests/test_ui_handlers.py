"""The web UI's handlers without a browser: bad uploads, empty inputs, what is served, the `ui` command's guards;
and (slow) the handlers over a real index."""
import asyncio
import json
import shutil
from pathlib import Path

import pytest

from corpus.errors import ModeltermsError
from ui.app import (Services, ServeOnly, chat_stream, compare_html, corpus_add, corpus_remove, corpus_rows, diff_html,
                    draft_files, draft_preview, explain, open_reports, read_upload, run_check, run_usecase_eval,
                    ui_dir, upload_path, usecase_views)
from ui.ui_cmd import check_exposure, is_loopback, parse_auth

from .conftest import FIXTURES, make_settings, run_cli


@pytest.fixture
def svc(tmp_path):
    return Services(make_settings(tmp_path / "home", max_file_bytes=10_000))


def uploaded(svc, name: str, data: bytes):
    """A file where Gradio puts uploads: under the data dir's ui/ folder, one sub-folder per upload."""
    folder = ui_dir(svc.settings) / "abc123"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return str(path)


# --- bad uploads -----------------------------------------------------------------------------

@pytest.mark.parametrize("name,data,message", [
    ("model.bin.txt", b"\x00\x01\x02\x03binary\x00" * 50, "binary"),
    ("big.txt", b"Licensed terms. " * 1000, "too large"),
    ("license.docx", b"PK\x03\x04 a word file", "unsupported file type"),
    ("license.exe", b"MZ\x90\x00", "unsupported file type"),
    ("LICENSE", b"no suffix", "unsupported file type"),
    ("empty.txt", b"", "empty"),
    ("latin1.txt", "Lizenz für Modelle".encode("latin-1"), "not UTF-8"),
    ("broken.pdf", b"%PDF-1.4 not really a pdf", "PDF"),
])
def test_bad_uploads_are_refused_with_one_line(svc, name, data, message):
    path = uploaded(svc, name, data)
    for upload in (path, {"path": path}, [path]):
        with pytest.raises(ModeltermsError, match=message) as err:
            read_upload(svc, upload)
        assert "\n" not in str(err.value)
        assert str(ui_dir(svc.settings)) not in str(err.value), "messages name the file, not the server's folders"


def test_uploads_outside_the_data_dir_are_never_read(svc, tmp_path):
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("A license text outside the data dir.")
    with pytest.raises(ModeltermsError, match="not uploaded here"):
        upload_path(svc, str(outside))
    with pytest.raises(ModeltermsError, match="not uploaded here"):
        upload_path(svc, str(ui_dir(svc.settings) / ".." / ".." / "elsewhere.txt"))
    with pytest.raises(ModeltermsError, match="no file uploaded"):
        upload_path(svc, None)
    with pytest.raises(ModeltermsError, match="one file at a time"):
        upload_path(svc, [uploaded(svc, "a.txt", b"A license."), uploaded(svc, "b.txt", b"B license.")])
    good = uploaded(svc, "good.md", b"# Good License\n\n1. You may use the model.\n")
    path, text = read_upload(svc, good)
    assert path.name == "good.md" and "You may use the model" in text


def test_a_bad_upload_leaves_the_corpus_as_it_was(svc):
    bad = uploaded(svc, "weights.txt", b"\x00" * 5000)
    with pytest.raises(ModeltermsError, match="binary"):
        corpus_add(svc, bad, key="weights")
    assert not (svc.settings.home / "corpus").exists()
    with pytest.raises(ModeltermsError, match="unsupported file type"):
        run_check(svc, "upload", None, None, uploaded(svc, "card.json", b"{}"), "a chatbot for customers")
    with pytest.raises(ModeltermsError, match="unsupported file type"):
        explain(svc, None, uploaded(svc, "x.zip", b"PK"))


# --- empty inputs ----------------------------------------------------------------------------

def test_empty_inputs_get_a_message_not_a_traceback(svc):
    with pytest.raises(ModeltermsError, match="empty question"):
        next(chat_stream(svc, "s", "   ", []))
    with pytest.raises(ModeltermsError, match="describe the use"):
        run_check(svc, "license", None, "mit", None, "  ")
    with pytest.raises(ModeltermsError, match="pick or type a model"):
        run_check(svc, "model", "", None, None, "a chatbot for customers")
    with pytest.raises(ModeltermsError, match="pick a license"):
        run_check(svc, "license", None, None, None, "a chatbot for customers")
    with pytest.raises(ModeltermsError, match="no file uploaded"):
        run_check(svc, "upload", None, None, None, "a chatbot for customers")
    with pytest.raises(ModeltermsError, match="too long"):
        run_check(svc, "license", None, "mit", None, "x" * 100_000)
    with pytest.raises(ModeltermsError, match="pick a license"):
        explain(svc, "", None)
    with pytest.raises(ModeltermsError, match="at least two"):
        compare_html(svc, ["mit"])
    with pytest.raises(ModeltermsError, match="at least two"):
        compare_html(svc, [])
    with pytest.raises(ModeltermsError, match="at most"):
        compare_html(svc, [f"k{i}" for i in range(9)])
    with pytest.raises(ModeltermsError, match="old and the new"):
        diff_html(svc, "mit", "")
    with pytest.raises(ModeltermsError, match="two different"):
        diff_html(svc, "mit", "mit")
    with pytest.raises(ModeltermsError, match="licensor"):
        draft_files(svc, {"licensor": "  "})
    with pytest.raises(ModeltermsError, match="pick one of your texts"):
        corpus_remove(svc, "")
    # the live preview never raises: the message takes the warnings' place
    _, warn = draft_preview(svc, {"licensor": ""})
    assert "Cannot draft yet" in warn and "licensor" in warn
    _, warn = draft_preview(svc, {"licensor": "Acme", "restrictions": ["no-such-restriction"]})
    assert "unknown restriction id" in warn


def test_guard_turns_errors_into_messages():
    import gradio as gr

    from ui.web.guard import guard

    def bad_input():
        raise ModeltermsError("pick a license from the list")

    def bug():
        raise KeyError("secret internal detail")

    def gen():
        yield 1
        raise ModeltermsError("stream broke")

    with pytest.raises(gr.Error) as e:
        guard(bad_input)()
    assert e.value.message == "pick a license from the list"
    with pytest.raises(gr.Error) as e:
        guard(bug)()
    assert "KeyError" in e.value.message and "secret" not in e.value.message and "Traceback" not in e.value.message
    it = guard(gen)()
    assert next(it) == 1
    with pytest.raises(gr.Error, match="stream broke"):
        next(it)


def test_reports_open_empty_and_render(svc):
    uc_md, conf, f1, rt_md, rt = open_reports(svc)
    assert "No use-case report yet" in uc_md and conf == "" and f1.empty and "No retrieval report" in rt_md
    report = {"questions": 3, "licenses": 2, "accuracy": 0.667, "dangerous_misses": [], "citation_accuracy": 1.0,
              "quote_failures": [], "errors": [], "macro_term_f1": 0.5, "wall_s": 1.0,
              "confusion": {"prohibited": {"prohibited": 2, "conditional": 0, "allowed": 0, "unclear": 0},
                            "conditional": {"prohibited": 0, "conditional": 0, "allowed": 1, "unclear": 0},
                            "allowed": {v: 0 for v in ("prohibited", "conditional", "allowed", "unclear")},
                            "unclear": {v: 0 for v in ("prohibited", "conditional", "allowed", "unclear")}},
              "per_term": {"medical_advice": {"f1": 1.0}, "military_weapons": {"f1": 0.0}}}
    (svc.settings.home / "reports").mkdir(parents=True)
    (svc.settings.home / "reports" / "usecases.json").write_text(json.dumps(report))
    uc_md, conf, f1, _, _ = open_reports(svc)
    assert "0.667" in uc_md and "<table" in conf and list(f1["term"]) == ["Military and weapons", "Medical advice"]
    md, conf, _ = usecase_views(report)
    assert conf.count("<td") == 16
    (svc.settings.home / "reports" / "usecases.json").write_text("{not json")
    with pytest.raises(ModeltermsError, match="unreadable report"):
        open_reports(svc)


def test_readers_share_the_lock_and_a_waiting_writer_goes_first():
    import threading
    import time

    from ui.web.services import RWLock

    lock, order = RWLock(), []
    first_in = threading.Event()

    def reader(name, hold):
        with lock.read():
            order.append(name)
            first_in.set()
            time.sleep(hold)

    def writer():
        with lock.write():
            order.append("writer")

    r1 = threading.Thread(target=reader, args=("r1", 0.3))
    r1.start()
    first_in.wait()
    r2 = threading.Thread(target=reader, args=("r2", 0.0))
    r2.start()
    r2.join(1)
    assert order == ["r1", "r2"], "readers run together"
    w = threading.Thread(target=writer)
    w.start()
    time.sleep(0.05)
    r3 = threading.Thread(target=reader, args=("r3", 0.0))
    r3.start()
    for t in (r1, w, r3):
        t.join(2)
    assert order == ["r1", "r2", "writer", "r3"]


# --- what is served ----------------------------------------------------------------------------

def test_only_files_under_the_ui_folder_are_served(tmp_path):
    root = tmp_path / "home" / "ui"
    (root / "drafts" / "x").mkdir(parents=True)
    (root / "drafts" / "x" / "LICENSE.md").write_text("draft")
    passed = []

    async def inner(scope, receive, send):
        passed.append(scope["path"])

    def status(path: str):
        sent = []

        async def send(msg):
            sent.append(msg)

        asyncio.run(ServeOnly(inner, str(root))({"type": "http", "path": path}, None, send))
        return sent[0]["status"] if sent else 200

    assert status(f"/gradio_api/file={root}/drafts/x/LICENSE.md") == 200
    assert status("/gradio_api/file=/etc/passwd") == 403
    assert status(f"/gradio_api/file={root}/../index/manifest.sqlite") == 403
    assert status(f"/gradio_api/file={tmp_path}/home/corpus/mine.json") == 403
    assert status("/gradio_api/file=http://example.com/x.png") == 403
    assert status("/gradio_api/file=file:///etc/passwd") == 403
    assert status("/gradio_api/info") == 200  # everything else passes through
    assert passed == [f"/gradio_api/file={root}/drafts/x/LICENSE.md", "/gradio_api/info"]


# --- the `ui` command's guards ---------------------------------------------------------------------

def test_auth_and_exposure_rules():
    assert parse_auth("alice:s3:cret") == ("alice", "s3:cret")
    assert parse_auth(None) is None
    for bad in ("alice", "alice:", ":pw", ""):
        with pytest.raises(ModeltermsError, match="USER:PASS"):
            parse_auth(bad)
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.com")
    check_exposure("127.0.0.1", None)
    check_exposure("0.0.0.0", ("a", "b"))
    with pytest.raises(ModeltermsError, match="refusing to listen on 0.0.0.0"):
        check_exposure("0.0.0.0", None)


def test_ui_command_refuses_to_expose_without_login(tmp_path):
    r = run_cli("ui", "--host", "0.0.0.0", "--port", "7999", home=tmp_path / "home", timeout=120)
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1].startswith("error: refusing to listen on 0.0.0.0")
    assert "Traceback" not in r.stderr
    r = run_cli("ui", "--auth", "nopassword", home=tmp_path / "home", timeout=120)
    assert r.returncode == 1 and "USER:PASS" in r.stderr
    r = run_cli("ui", "--help")
    assert r.returncode == 0 and "--auth" in r.stdout and "127.0.0.1" in r.stdout


# --- over a real index (slow) ------------------------------------------------------------------------

@pytest.fixture
def indexed_svc(indexed, tmp_path):
    """Services over a private copy of the indexed home (these tests change the corpus)."""
    home = tmp_path / "home"
    shutil.copytree(indexed.home, home)
    return Services(make_settings(home))


@pytest.mark.slow
def test_handlers_over_the_index(indexed_svc):
    svc = indexed_svc
    steps = list(chat_stream(svc, "s1", "Can I use bigscience-open-rail-m to give medical advice to patients?", []))
    history, badge, cites, cleared = steps[-1]
    assert "PROHIBITED" in badge and cleared == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert 'data-clause="bigscience-open-rail-m#attachment-a.' in cites and "mt-clause" in cites
    steps = list(chat_stream(svc, "s1", "and to write marketing copy for our shop?", history))
    assert len(steps[-1][0]) == 4, "a follow-up continues the conversation"

    badge, md, table, cites = run_check(svc, "license", None, "bigscience-open-rail-m", None,
                                        "generate fake news to mislead voters")
    assert "PROHIBITED" in badge and "bigscience-open-rail-m#attachment-a" in " ".join(table["clause"])
    head, table, refs = explain(svc, "llama-3.1-license-2024")
    assert "Llama" in head and len(table) > 3 and set(table["group"]) >= {"permission", "duty"}
    assert "llama-3.1-aup" in refs or "not in the corpus" in refs
    html = compare_html(svc, ["llama-3.1-license-2024", "bigscience-open-rail-m"])
    assert html.count("<tr>") > 10 and "mt-cannot" in html and "mt-can" in html

    # an uploaded license is analysed, not stored; an uploaded card is read as a card
    text = (FIXTURES / "acme-open-model.txt").read_bytes()
    badge, md, table, _ = run_check(svc, "upload", None, None, uploaded(svc, "acme.txt", text),
                                    "generate spam and fake product reviews")
    assert "PROHIBITED" in badge and "analysed, not stored" in md
    assert "acme" not in svc.corpus.user_keys()
    card = b"---\nlicense: mit\n---\n# Tiny model\n"
    badge, md, _, _ = run_check(svc, "upload", None, None, uploaded(svc, "README.md", card), "a paid chatbot")
    assert "model card" in md and "`mit`" in md

    md, notes, warn, p_md, p_txt, p_json = draft_files(svc, {"licensor": "Acme Labs", "restrictions": ["core"],
                                                             "custom_restrictions": "no use in political campaigns"})
    root = ui_dir(svc.settings).resolve()
    for p in (p_md, p_txt, p_json):
        assert root in Path(p).resolve().parents
    assert "Acme Labs" in open(p_md).read() and json.load(open(p_json))["spec"]["licensor"] == "Acme Labs"
    assert "not legal advice" not in notes, "the page says it once; the downloaded notes keep it"
    assert "legal review" in warn


@pytest.mark.slow
def test_corpus_add_and_remove_through_the_ui(indexed_svc):
    svc = indexed_svc
    path = uploaded(svc, "Zephyr Terms.txt", (FIXTURES / "zephyr-research.txt").read_bytes())
    msg, table = corpus_add(svc, path, key="zephyr-ui", name="", kind="guess")
    assert msg.startswith("added `zephyr-ui`") and "Indexed" in msg
    assert "zephyr-ui" in list(table["key"])
    assert "zephyr-ui" in [k for _, k in svc.license_choices()]
    assert svc.searcher is not None and "zephyr-ui" in svc.searcher.licenses, "the new text is searchable at once"
    msg, table = corpus_remove(svc, "zephyr-ui")
    assert msg == "removed `zephyr-ui`" and "zephyr-ui" not in list(table["key"])
    with pytest.raises(ModeltermsError, match="built-in"):
        corpus_remove(svc, "mit")
    assert list(corpus_rows(svc)["key"]) == [k for k in svc.corpus.user_keys()]


@pytest.mark.slow
def test_usecase_eval_runs_and_saves_its_report(indexed_svc):
    svc = indexed_svc
    seen = []
    md, conf, f1 = run_usecase_eval(svc, progress=lambda frac, desc=None: seen.append(frac), limit=2)
    assert "2 questions" in md and "<table" in conf
    assert seen[-1] == (2, 2)
    saved = json.loads((svc.settings.home / "reports" / "usecases.json").read_text())
    assert saved["questions"] == 2
