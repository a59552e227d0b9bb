"""The web UI in a real browser: Debian's Chromium driven by playwright, against `modelterms ui` started
on a free port over a small real index. Screenshots of every tab go to artifacts/ui/ (git-ignored)."""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import FIXTURES, SMALL_BUILTIN, free_port, local_urlopen, make_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).parent.parent
SHOTS = ROOT / "artifacts" / "ui"
CHROMIUM = os.environ.get("MODELTERMS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VERDICT = "#{} .mt-prohibited, #{} .mt-conditional, #{} .mt-allowed, #{} .mt-unclear"


def start_ui(home: Path, *args: str, timeout: float = 240):
    """`modelterms ui` in its own process; returns (process, url, log path) once it answers."""
    port = free_port()
    log_path = home.parent / f"ui-{port}.log"
    log = open(log_path, "w")
    env = {**os.environ, "MODELTERMS_HOME": str(home)}
    env.pop("MODELTERMS_UI_AUTH", None)
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ui", "--port", str(port), *args], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"modelterms ui exited ({proc.returncode}): {log_path.read_text()[-2000:]}")
        try:
            with local_urlopen(url, timeout=2):
                return proc, url, log_path
        except urllib.error.HTTPError:
            return proc, url, log_path  # it answers (e.g. a login is required)
        except OSError:
            time.sleep(0.5)
    stop(proc)
    pytest.fail(f"modelterms ui did not answer in {timeout:.0f} s: {log_path.read_text()[-2000:]}")


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def status_of(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None) -> int:
    req = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    try:
        with local_urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.fixture(scope="module")
def ui_home(indexed, tmp_path_factory):
    """A copy of the indexed home with small real eval reports in it (for the Evals tab)."""
    from evals.data import usecases
    from evals.retrieval import evaluate as retrieval_eval
    from evals.retrieval import load_queries
    from evals.usecase_eval import evaluate, write_report

    home = tmp_path_factory.mktemp("ui") / "home"
    shutil.copytree(indexed.home, home)
    s = make_settings(home)
    write_report(evaluate(s, cases=usecases()[:3]), home / "reports" / "usecases.json")
    queries = [q for q in load_queries() if q.get("license") in SMALL_BUILTIN][:6]
    write_report(retrieval_eval(s, queries=queries), home / "reports" / "retrieval.json")
    return home


@pytest.fixture(scope="module")
def server(ui_home):
    proc, url, log = start_ui(ui_home)
    yield url
    stop(proc)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]


@pytest.fixture(scope="module")
def page(server):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[dev]' (make setup)")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (make setup does it)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)
        pg = context.new_page()
        pg.set_default_timeout(120_000)
        # assertions wait as long as actions: on a loaded 2-core machine a check can take more than 5 s
        from playwright.sync_api import expect

        expect.set_options(timeout=120_000)
        pg.goto(server)
        pg.wait_for_selector("#chat-input")
        yield pg
        browser.close()


def tab(page, name: str):
    page.get_by_role("tab", name=name).click()


def pick(page, selector: str, value: str):
    """Types a value into a Gradio dropdown and closes its list."""
    box = page.locator(f"{selector} input").first
    box.click()
    box.fill(value)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def shot(page, name: str):
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_page_title_and_disclaimer_once(page):
    from playwright.sync_api import expect

    assert page.title() == "modelterms"
    expect(page.get_by_role("tab")).to_have_count(8)
    assert page.get_by_role("tab").all_inner_texts() == ["Chat", "Check", "Explain", "Compare", "Draft", "Audit",
                                                         "Corpus", "Evals"]
    assert page.inner_text("body").lower().count("not legal advice") == 1


def test_chat_verdict_and_openable_citation(page):
    from playwright.sync_api import expect

    tab(page, "Chat")
    page.locator("#chat-input textarea").fill("Can I use bigscience-open-rail-m to give medical advice to patients?")
    page.locator("#chat-ask").click()
    page.wait_for_selector(VERDICT.format(*["chat-verdict"] * 4))
    expect(page.locator("#chat-verdict")).to_have_text("PROHIBITED")
    expect(page.locator("#chat-log")).to_contain_text("medical advice")
    cite = page.locator("#chat-citations details").first
    expect(cite.locator("summary")).to_contain_text("bigscience-open-rail-m#attachment-a.")
    expect(cite.locator(".mt-clause")).to_be_hidden()
    cite.locator("summary").click()
    expect(cite.locator(".mt-clause")).to_be_visible()
    expect(cite.locator(".mt-clause")).to_contain_text("medical advice")
    expect(cite.locator(".mt-context")).to_contain_text("(k)")  # the clause is shown in its context
    shot(page, "chat")
    # a follow-up question continues the conversation
    page.locator("#chat-input textarea").fill("and for writing marketing copy?")
    page.locator("#chat-ask").click()
    expect(page.locator("#chat-log [data-testid='bot']")).to_have_count(2)
    page.wait_for_selector(VERDICT.format(*["chat-verdict"] * 4))
    # an empty question is answered in the conversation, and the earlier turns stay
    page.locator("#chat-input textarea").fill("")
    page.locator("#chat-ask").click()
    expect(page.locator("#chat-log")).to_contain_text("empty question")
    expect(page.locator("#chat-log [data-testid='bot']")).to_have_count(3)
    expect(page.locator("#chat-log")).to_contain_text("medical advice")
    expect(page.locator("#chat-verdict")).to_contain_text("not answered")


# Records the text of the page's queue stream (server-sent events) as the browser receives it, so a test can see
# the order in which the parts of an answer arrived, whatever the page renders in one frame.
RECORD_STREAM = """
window.__mtStream = [];
const _fetch = window.fetch;
window.fetch = async (input, init) => {
  const r = await _fetch(input, init);
  const url = typeof input === "string" ? input : input.url;
  if (!url.includes("/queue/data") || !r.body) return r;
  const [mine, theirs] = r.body.tee();
  (async () => {
    const reader = mine.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) { const {done, value} = await reader.read(); if (done) break; window.__mtStream.push(value); }
  })();
  return new Response(theirs, {status: r.status, statusText: r.statusText, headers: r.headers});
};
"""


def _stream_messages(page) -> list[dict]:
    raw = "".join(page.evaluate("window.__mtStream"))
    out = []
    for line in raw.splitlines():
        if line.startswith("data:"):
            try:
                out.append(json.loads(line[5:]))
            except ValueError:
                pass
    return out


def test_chat_streams_verdict_then_reasons_then_citations(page, server):
    """The browser receives the grounded answer in parts: the verdict (card and first line) before the reasons, the
    reasons before the citations; a question in another language ends with the note that the answer is English."""
    from playwright.sync_api import expect

    context = page.context.browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        pg = context.new_page()
        pg.add_init_script(RECORD_STREAM)
        pg.set_default_timeout(120_000)
        pg.goto(server)
        pg.locator("#chat-input textarea").fill("Can I use bigscience-open-rail-m to give medical advice to patients?")
        pg.locator("#chat-ask").click()
        expect(pg.locator("#chat-citations details").first).to_be_visible()
        expect(pg.locator("#chat-verdict")).to_have_text("PROHIBITED")
        parts = [json.dumps(m, ensure_ascii=False) for m in _stream_messages(pg)
                 if m.get("msg") in ("process_generating", "process_completed")]

        def first(needle: str) -> int:
            return next((i for i, m in enumerate(parts) if needle in m), -1)

        verdict, why, cites = first("Verdict: PROHIBITED"), first("**Why**"), first("mt-clause")
        assert 0 <= verdict < why < cites, (verdict, why, cites, len(parts))
        assert "mt-clause" not in parts[verdict] and "**Why**" not in parts[verdict]
        # the next question, in Spanish: the grounded answer says, in both languages, that it is in English
        pg.locator("#chat-input textarea").fill("¿Puedo usar bigscience-open-rail-m para dar consejos médicos a pacientes?")
        pg.locator("#chat-ask").click()
        expect(pg.locator("#chat-log [data-testid='bot']")).to_have_count(2)
        expect(pg.locator("#chat-log [data-testid='bot']").nth(1)).to_contain_text(
            "This answer is in English. (Esta respuesta está en inglés.)")
        expect(pg.locator("#chat-log [data-testid='bot']").first).not_to_contain_text("This answer is in English")
        pg.screenshot(path=str(SHOTS / "chat-language-note.png"), full_page=True)
    finally:
        context.close()


def test_check_a_license(page):
    from playwright.sync_api import expect

    tab(page, "Check")
    page.locator("#check-target").get_by_text("license", exact=True).click()
    pick(page, "#check-license", "bigscience-open-rail-m")
    page.locator("#check-use textarea").fill("generate fake news to mislead voters")
    page.locator("#check-run").click()
    expect(page.locator("#check-verdict")).to_have_text("PROHIBITED")
    expect(page.locator("#check-findings")).to_contain_text("bigscience-open-rail-m#attachment-a.c")
    expect(page.locator("#check-summary")).to_contain_text("Texts considered")
    shot(page, "check")
    # the result exports as JSON
    with page.expect_download() as info:
        page.locator("#check-export-json").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["kind"] == "check" and data["verdict"] == "prohibited"


def test_an_error_stays_in_its_panel_and_the_page_recovers(page):
    from playwright.sync_api import expect

    tab(page, "Check")
    page.locator("#check-target").get_by_text("model", exact=True).click()
    page.locator("#check-model input").first.fill("")
    page.keyboard.press("Escape")  # close the model list, which would cover the button
    page.locator("#check-run").click()
    expect(page.locator("#check-summary .mt-error")).to_contain_text("pick or type a model")
    expect(page.locator("#check-verdict")).to_contain_text("not checked")
    # the other outputs keep the last result, and nothing else on the page turned into an error
    expect(page.locator("#check-findings")).to_contain_text("bigscience-open-rail-m#attachment-a.c")
    assert page.locator(".error, [data-testid='toast-body']").count() == 0
    shot(page, "check-error")
    page.locator("#check-target").get_by_text("license", exact=True).click()
    page.locator("#check-run").click()
    expect(page.locator("#check-verdict")).to_have_text("PROHIBITED")


def test_a_large_upload_shows_progress_and_stops(page, tmp_path):
    from playwright.sync_api import expect

    tab(page, "Explain")
    expect(page.locator("#explain-upload")).to_contain_text("at most 5 MB")  # said before anything is uploaded
    big = tmp_path / "big-policy.md"
    big.write_text("# Big Policy\n\n" + "\n\n".join(
        f"{i}. You must not use the Model for purpose number {i}, nor help anyone else to do so in any way."
        for i in range(1, 3001)), encoding="utf-8")  # about 300 kB, 3,000 clauses
    page.locator("#explain-upload input[type=file]").set_input_files(str(big))
    page.locator("#explain-run").click()
    expect(page.get_by_text("clauses embedded").first).to_be_visible(timeout=240_000)
    shot(page, "explain-progress")
    page.locator("#explain-stop").click()
    expect(page.locator("#explain-run")).to_be_enabled()
    # the page still answers
    page.locator("#explain-upload button[aria-label='Clear']").first.click()
    pick(page, "#explain-license", "mit")
    page.locator("#explain-run").click()
    expect(page.locator("#explain-head")).to_contain_text("MIT")


def test_explain_a_license(page):
    from playwright.sync_api import expect

    tab(page, "Explain")
    pick(page, "#explain-license", "llama-3.1-license-2024")
    page.locator("#explain-run").click()
    expect(page.locator("#explain-head")).to_contain_text("Llama 3.1")
    expect(page.locator("#explain-table")).to_contain_text("llama-3.1-license-2024#")
    expect(page.locator("#explain-refs")).to_contain_text("Acceptable Use Policy")
    shot(page, "explain")


def test_compare_and_diff(page):
    from playwright.sync_api import expect

    tab(page, "Compare")
    pick(page, "#compare-licenses", "llama-3.1-license-2024")
    pick(page, "#compare-licenses", "bigscience-open-rail-m")
    page.locator("#compare-run").click()
    expect(page.locator("#compare-matrix table.mt-terms td.mt-cannot").first).to_be_visible()
    expect(page.locator("#compare-matrix table.mt-terms td.mt-can").first).to_be_visible()
    pick(page, "#diff-old", "bigscience-open-rail-m")
    pick(page, "#diff-new", "llama-3.1-license-2024")
    page.locator("#diff-run").click()
    expect(page.locator("#diff-out")).to_contain_text("bigscience-open-rail-m → llama-3.1-license-2024")
    expect(page.locator("#diff-out .mt-change").first).to_be_visible()
    shot(page, "compare")


def test_draft_preview_and_download(page, tmp_path):
    from playwright.sync_api import expect

    tab(page, "Draft")
    page.locator("#draft-licensor textarea").fill("Acme Labs")
    expect(page.locator("#draft-preview")).to_contain_text("Acme Labs OpenRAIL-M License")
    page.locator("#draft-noncommercial input").check()
    page.locator("#draft-custom textarea").fill("no use in political campaigns")
    page.locator("#draft-run").click()
    expect(page.locator("#draft-ready")).to_contain_text("LICENSE.md")
    expect(page.locator("#draft-warnings")).to_contain_text("legal review")
    for button, name in (("#draft-dl-md", "LICENSE.md"), ("#draft-dl-json", "license-spec.json")):
        with page.expect_download() as info:
            page.locator(button).click()
        dl = info.value
        assert dl.suggested_filename == name
        target = tmp_path / name
        dl.save_as(target)
        content = target.read_text(encoding="utf-8")
        if name.endswith(".md"):
            assert content.startswith("# Acme Labs") and "political campaigns" in content
        else:
            saved = json.loads(content)
            assert saved["spec"]["licensor"] == "Acme Labs" and saved["spec"]["noncommercial"] is True
    assert "non-commercial purposes only" in (tmp_path / "LICENSE.md").read_text(encoding="utf-8")
    shot(page, "draft")
    # an edit makes the prepared files stale: the downloads are off until the draft is prepared again
    page.locator("#draft-licensor textarea").fill("Acme Research Labs")
    expect(page.locator("#draft-ready")).to_contain_text("form changed")
    expect(page.locator("#draft-dl-md")).to_be_disabled()


def test_audit_an_uploaded_card(page, tmp_path):
    from playwright.sync_api import expect

    tab(page, "Audit")
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n# medbot\n",
                    encoding="utf-8")
    page.locator("#audit-upload input[type=file]").set_input_files(str(card))
    page.locator("#audit-run").click()
    page.wait_for_selector("#audit-checklist li.mt-duty")  # the first audit profiles the base's license
    expect(page.locator("#audit-summary")).to_contain_text("license conflict")
    expect(page.locator("#audit-checklist li[data-status='unmet']").first).to_be_visible()
    expect(page.locator("#audit-checklist")).to_contain_text("llama-3.1-license-2024#1.b.iii")
    expect(page.locator("#audit-checklist")).to_contain_text("fix: add a NOTICE file")
    shot(page, "audit")


def test_corpus_add_list_remove(page):
    from playwright.sync_api import expect

    tab(page, "Corpus")
    page.locator("#corpus-upload input[type=file]").set_input_files(str(FIXTURES / "river-data-policy.md"))
    page.locator("#corpus-key textarea").fill("river-ui")
    page.locator("#corpus-add").click()
    expect(page.locator("#corpus-status")).to_contain_text("added river-ui")
    expect(page.locator("#corpus-table")).to_contain_text("river-ui")
    shot(page, "corpus")
    # every text is listed and searchable, built-in ones included
    page.locator("#corpus-search textarea").fill("open rail")
    page.locator("#corpus-search-run").click()
    expect(page.locator("#corpus-all")).to_contain_text("bigscience-open-rail-m")
    pick(page, "#corpus-view-key", "mit")
    page.locator("#corpus-view-run").click()
    expect(page.locator("#corpus-view")).to_contain_text("Permission is hereby granted")
    pick(page, "#corpus-remove-key", "river-ui")
    page.locator("#corpus-remove").click()
    expect(page.locator("#corpus-status")).to_contain_text("removed river-ui")
    expect(page.locator("#corpus-table")).not_to_contain_text("river-ui")


def test_evals_open_reports_with_plots(page):
    from playwright.sync_api import expect

    tab(page, "Evals")
    page.locator("#evals-open").click()
    expect(page.locator("#evals-usecases")).to_contain_text("3 questions")
    expect(page.locator("#evals-confusion table")).to_be_visible()
    expect(page.locator("#evals-retrieval")).to_contain_text("recall@5")
    expect(page.locator("#evals-f1 canvas, #evals-f1 svg").first).to_be_visible()
    expect(page.locator("#evals-recall canvas, #evals-recall svg").first).to_be_visible()
    shot(page, "evals")
    assert page.inner_text("body").lower().count("not legal advice") == 1


def test_nothing_outside_the_data_dir_is_served(server, ui_home):
    base = server.rstrip("/") + "/gradio_api/file="
    assert status_of(base + "/etc/passwd") == 403
    assert status_of(base + str(ROOT / "README.md")) == 403
    assert status_of(base + str(make_settings(ui_home).index_dir / "manifest.sqlite")) == 403
    assert status_of(base + "http://127.0.0.1:1/") == 403
    drafts = sorted((ui_home / "ui" / "drafts").glob("*/LICENSE.md"))
    assert drafts, "the draft test wrote its files under the data dir"
    assert status_of(base + str(drafts[-1])) == 200


def test_oversized_uploads_are_refused_by_the_server(server):
    boundary = "modelterms-test-boundary"
    big = b"License text. " * 400_000  # 5.6 MB, over the 5 MB limit
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + big + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert status_of(server.rstrip("/") + "/gradio_api/upload", "POST", body, headers) == 413
    small = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"ok.txt\"\r\n"
             "Content-Type: text/plain\r\n\r\n").encode() + b"A license." + f"\r\n--{boundary}--\r\n".encode()
    assert status_of(server.rstrip("/") + "/gradio_api/upload", "POST", small, headers) == 200


def test_login_required_when_auth_is_set(tmp_path):
    home = tmp_path / "home"
    proc, url, log = start_ui(home, "--auth", "alice:s3cret")
    try:
        assert status_of(url + "config") == 401
        assert status_of(url + "gradio_api/info") == 401
        form = b"username=alice&password=wrong"
        assert status_of(url + "login", "POST", form, {"Content-Type": "application/x-www-form-urlencoded"}) == 400
        form = b"username=alice&password=s3cret"
        assert status_of(url + "login", "POST", form, {"Content-Type": "application/x-www-form-urlencoded"}) == 200
    finally:
        stop(proc)
