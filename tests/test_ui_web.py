"""The web UI's behaviour as a daily tool, without a browser: failures stay in the panel that failed, the chat
keeps its turns, long jobs report real steps and stop when asked."""
import pytest

from corpus.errors import ModeltermsError
from ui.app import Services, explain, ui_dir
from ui.web.chat_tab import chat_kept
from ui.web.guard import in_panel
from ui.web.jobs import Cancelled, Job, Jobs

from .conftest import make_settings


@pytest.fixture
def svc(tmp_path):
    return Services(make_settings(tmp_path / "home"))


def uploaded(svc, name: str, text: str) -> str:
    folder = ui_dir(svc.settings) / "up1"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return str(folder / name)


def test_a_failure_is_written_into_its_panel_and_nothing_else_changes():
    import gradio as gr

    def bad(x):
        raise ModeltermsError(f"pick a license ({x})")

    out = in_panel(bad, 3, at=1, also={0: "badge"})("here")
    assert out[0] == "badge" and isinstance(out[2], type(gr.skip()))
    assert "mt-error" in out[1] and "pick a license (here)" in out[1]

    def bug():
        raise KeyError("internal detail")

    out = in_panel(bug, 1, at=0)()
    assert "KeyError" in out and "internal detail" not in out

    def gen():
        yield "first"
        raise ModeltermsError("stream broke")

    assert [x for x in in_panel(gen, 1, at=0)()][0] == "first"
    assert "stream broke" in list(in_panel(gen, 1, at=0)())[-1]


def test_chat_keeps_its_turns_when_a_question_fails(svc):
    earlier = [{"role": "user", "content": "Can I use MIT code?"}, {"role": "assistant", "content": "Yes."}]
    too_long = "Is this allowed? " * 1000  # over the question limit
    history, badge, panel, kept = list(chat_kept(svc, "s", too_long, earlier))[-1]
    assert history[:2] == earlier, "the earlier turns are kept"
    assert history[-1]["role"] == "assistant" and "Not answered" in history[-1]["content"]
    assert "the limit is 10,000" in history[-1]["content"] and "not answered" in badge
    assert "mt-error" in panel and not isinstance(kept, str), "the question stays in the box"
    asked = history[-2]["content"]
    assert asked.startswith("Is this allowed?") and asked.endswith(f" … ({len(too_long.strip()):,} characters)")
    assert len(asked) < 700, "the failed question is shown shortened, with its length"
    history, *_ = list(chat_kept(svc, "s", "   ", earlier))[-1]
    assert history[:2] == earlier and "empty question" in history[-1]["content"]


def test_stop_ends_a_job_at_its_next_step():
    jobs = Jobs()
    seen = []
    job = jobs.start("s", "explain", progress=lambda p, desc: seen.append((p, desc)))
    job.step(1, 4, "reading")
    assert jobs.stop("s", "explain") and not jobs.stop("s", "explain")
    with pytest.raises(Cancelled, match="stopped"):
        job.step(2, 4, "embedding")
    assert seen == [((1, 4), "reading")]


def test_explain_of_an_upload_reports_clauses_embedded_and_can_be_stopped(svc):
    clauses = "\n\n".join(f"{i}. You must not use the Model to do thing number {i} to anyone." for i in range(1, 90))
    path = uploaded(svc, "long-policy.md", "# Long Policy\n\n" + clauses)
    seen = []
    job = Job(progress=lambda p, desc: seen.append((p, desc)))
    head, table, refs = explain(svc, None, path, job=job)
    assert "Long Policy" in head
    counts = [p for p, desc in seen if desc == "clauses embedded"]
    assert len(counts) >= 2 and counts[-1][1] >= 89, "the clauses are embedded in batches and counted"
    stopped = Job()
    stopped.stopped.set()
    with pytest.raises(Cancelled):
        explain(svc, None, uploaded(svc, "other.md", "# Other\n\n1. You may use it."), job=stopped)


# Messages that are not shown to a web user as advice: the server's own set-up, the CLI's draft wizard and the
# downloaded drafting notes (a file meant for the command line's `draft --spec`).
_NOT_WEB = ("make setup", "or --wizard", "gives this exact text")
# Modules of commands the page has no counterpart for (census, CI check, corpus fetch, audit --fix).
_CLI_ONLY = {"fix.py", "engines.py", "pipeline.py", "intended_uses.py", "fetch.py"}


def _message_literals():
    """Every string literal of the analysis code (f-strings and word templates with a taxonomy id in each hole),
    docstrings aside."""
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).parent.parent
    for folder in ("agent", "corpus", "retrieval"):
        for path in sorted((root / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = set()
            for node in ast.walk(tree):
                body = getattr(node, "body", None)
                if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                        and isinstance(body[0].value, ast.Constant):
                    skip.add(id(body[0].value))
                if isinstance(node, ast.JoinedStr):
                    skip.update(id(v) for v in node.values)
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):
                    yield path.name, "".join(v.value if isinstance(v, ast.Constant) else "self_harm"
                                             for v in node.values)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
                    # a presenter's word template ("… consider --restriction {term}") is filled like an f-string
                    yield path.name, re.sub(r"\{\w+(?:[:!][^{}]*)?\}", "self_harm", node.value)


def test_no_cli_advice_or_taxonomy_id_reaches_the_page():
    import re

    from ui.web.wording import term_name, web_words

    cli = re.compile(r"(?<![\w-])--[a-z][a-z-]+|`modelterms [a-z]")
    left = [(name, web_words(s)) for name, s in _message_literals()
            if cli.search(s) and cli.search(web_words(s)) and not any(x in s for x in _NOT_WEB)
            and name not in _CLI_ONLY]
    assert not left, left
    assert web_words("the draft drops it (add --restriction self_harm)") == \
        f'the draft drops it (add "{term_name("self_harm")}" under Use restrictions)'
    assert term_name("military_weapons") == "Military and weapons"
    assert web_words("touches military_weapons; clause llama#military_weapons-1") == \
        "touches Military and weapons; clause llama#military_weapons-1", "clause ids are left alone"
    assert web_words("Verdict: PROHIBITED\nRead as: touches: malware\nWhy:") == "Verdict: PROHIBITED\nWhy:"


# --- over a real index (slow) ------------------------------------------------------------------------

@pytest.mark.slow
def test_findings_that_decide_come_first_and_the_rest_is_folded(indexed):
    from ui.app import run_check

    svc = Services(indexed)
    badge, md, table, cites = run_check(svc, "license", None, "bigscience-open-rail-m", None,
                                        "make deepfakes of a politician to post online")
    assert "PROHIBITED" in badge
    assert set(table["effect"]) == {"prohibited"}, "the table holds the findings that decide the verdict"
    assert cites.index("decide the answer") < cites.index("attachment-a")
    if "not decide the verdict" in cites:
        assert cites.index("attachment-a") < cites.index("not decide the verdict")
    assert "too vague" not in md


@pytest.mark.slow
def test_no_request_for_detail_next_to_a_ban_and_the_grant_is_a_grant_of_rights(indexed):
    from agent.check.rules.grants import RIGHTS_GRANT

    checker = Services(indexed).checker
    r = checker.check("deepfakes", license="bigscience-open-rail-m")
    assert r.verdict == "prohibited" and r.use.vague, "a vague use that a ban still covers"
    assert not any(m.kind == "vague" for m in r.missing)
    r = checker.check("stuff", license="bigscience-open-rail-m")
    assert r.verdict == "unclear" and any(m.kind == "vague" for m in r.missing), "vague and undecided: ask for more"
    for key in ("llama-3.1-license-2024", "bigscience-open-rail-m", "mit"):
        r = checker.check("a paid app for our customers", license=key)
        grants = [f for f in r.findings if f.effect == "grant"]
        assert grants, key
        text = checker.profiler.clause_text(key, grants[0].clause_id)
        assert RIGHTS_GRANT.search(text), (key, text[:200])


def test_a_non_commercial_draft_never_says_commercially_or_not(svc):
    from ui.app import draft_preview

    form = {"licensor": "Acme Labs", "family": "open-rail", "artifacts": ["model"], "restrictions": ["core"]}
    md, _ = draft_preview(svc, {**form, "noncommercial": True})
    assert "for non-commercial purposes only" in md and "commercially or not" not in md
    md, _ = draft_preview(svc, form)
    assert "commercially or not" in md and "non-commercial purposes only" not in md


@pytest.mark.slow
def test_check_explain_and_compare_export_as_json_and_markdown(indexed):
    import json
    from pathlib import Path

    from ui.web.check_tab import check_report
    from ui.web.compare_tab import compare_report
    from ui.web.explain_tab import explain_report
    from ui.web.export import export_files

    svc = Services(indexed)
    *_, report, md = check_report(svc, "license", None, "bigscience-open-rail-m", None, "give medical advice to patients")
    p_json, p_md = export_files(svc, "check", report, md)
    data = json.loads(Path(p_json).read_text())
    assert data["kind"] == "check" and data["verdict"] == "prohibited" and data["use"] == "give medical advice to patients"
    assert any(f["clause_id"].startswith("bigscience-open-rail-m#") for f in data["findings"])
    text = Path(p_md).read_text()
    assert "Verdict: PROHIBITED" in text and "| effect |" in text and "not legal advice" in text
    assert Path(p_json).parent != Path(export_files(svc, "check", report, md)[0]).parent, "one folder per export"
    *_, report, md = explain_report(svc, "llama-3.1-license-2024")
    assert json.loads(Path(export_files(svc, "explain", report, md)[0]).read_text())["license"] == "llama-3.1-license-2024"
    html_out, report, md = compare_report(svc, ["mit", "bigscience-open-rail-m"])
    assert [x["key"] for x in report["licenses"]] == ["mit", "bigscience-open-rail-m"] and "| term | mit |" in md


def test_names_lose_their_markdown():
    from corpus.catalog import plain_name

    assert plain_name("Llama 3.1** **Acceptable Use Policy") == "Llama 3.1 Acceptable Use Policy"
    assert plain_name("# **Gemma** Terms of [Use](https://ai.google.dev/gemma/terms)") == "Gemma Terms of Use"


@pytest.mark.slow
def test_every_view_sees_a_corpus_change_made_elsewhere_and_pasted_texts_are_added(indexed, tmp_path):
    import shutil

    from corpus.catalog import Corpus
    from ui.web.corpus_tab import all_texts, corpus_add, search_texts, view_text

    home = tmp_path / "home"
    shutil.copytree(indexed.home, home)
    svc = Services(make_settings(home))
    before = svc.generation
    keys = [k for _, k in svc.license_choices()]
    assert "mit" in keys and "cli-added" not in keys
    table = all_texts(svc)
    assert {"built-in", "added"} <= set(table["source"]), "built-in and added texts are listed together"
    # another process (the CLI) adds a text: the running page sees it at its next request
    src = tmp_path / "cli-added.md"
    src.write_text("# **CLI Added** License\n\n1. You may use the model for research.\n")
    Corpus(make_settings(home)).add_user_text(src, key="cli-added")
    assert "cli-added" in [k for _, k in svc.license_choices()] and svc.generation > before
    assert "CLI Added License" in view_text(svc, "cli-added"), "the stored name has no markdown"
    assert list(all_texts(svc, "cli added")["key"]) == ["cli-added"]
    # pasted, not uploaded
    status, _ = corpus_add(svc, None, key="pasted-policy", pasted="# Pasted Policy\n\n1. You must not use the model "
                                                                   "to build weapons.\n")
    assert "pasted-policy" in status and "pasted-policy" in [k for _, k in svc.license_choices()]
    with pytest.raises(ModeltermsError, match="needs a key"):
        corpus_add(svc, None, pasted="Some text")
    table, hits = search_texts(svc, "weapons")
    assert "pasted-policy#" in hits


@pytest.mark.slow
def test_compare_and_explain_read_a_license_with_the_policies_it_incorporates(indexed):
    from ui.web.compare_tab import compare_report
    from ui.web.explain_tab import explain_report

    svc = Services(indexed)
    html_out, report, md = compare_report(svc, ["gemma-tou-2024-04-01", "mit"])
    keys = [x["key"] for x in report["licenses"]]
    assert keys == ["gemma-tou-2024-04-01", "gemma-tou-2024-04-01+policies", "mit"]
    from_policy = [t for t in report["terms"] if t["attitudes"]["gemma-tou-2024-04-01"] == "none"
                   and t["attitudes"]["gemma-tou-2024-04-01+policies"] == "cannot"]
    assert from_policy, "bans that live in the prohibited-use policy show in the license + policies column"
    assert all(t["evidence"]["gemma-tou-2024-04-01+policies"].startswith("gemma-pup-2024-02-21#") for t in from_policy)
    assert 'class="mt-cell"' in html_out and "gemma-pup-2024-02-21#" in html_out, "cells open onto their clause"
    head, table, refs, report, _ = explain_report(svc, "gemma-tou-2024-04-01")
    assert "gemma-pup-2024-02-21" in head and len(set(table["text"])) == 2
    assert report["policies"][0]["license"] == "gemma-pup-2024-02-21"


def test_quotes_are_cut_around_the_decisive_words():
    import re

    from agent.present.markdown import cut_around

    clause = ("If you distribute or make available the Llama Materials (or any derivative works thereof), or a product "
              "or service (including another AI model) that contains any of them, you shall (A) provide a copy of "
              "this Agreement with any such Llama Materials; and (B) prominently display “Built with Llama” on a "
              "related website, user interface, blogpost, about page, or product documentation.")
    cut = cut_around(clause, re.compile(r"prominently display"), width=160)
    assert "Built with Llama" in cut and cut.startswith("… ") and len(cut) <= 170
    assert cut_around("short quote", None) == "short quote"


@pytest.mark.slow
def test_the_chat_answer_leads_with_the_verdict_and_keeps_its_sources(indexed):
    from ui.app import chat_stream

    svc = Services(indexed)
    steps, bodies = [], []
    for step in chat_stream(svc, "s1", "Can I use bigscience-open-rail-m to give medical advice to patients?", []):
        steps.append(step)
        bodies.append(step[0][-1]["content"])  # as the page receives it at that moment
    first = next(b for b in bodies if b.startswith("**Verdict"))
    assert first.startswith("**Verdict: PROHIBITED**") and "Why" not in first, "the verdict comes before the reasons"
    assert any("**Why**" in b for b in bodies[:-1]), "the reasons are shown before the answer is complete"
    assert all(step[2] == "" for step in steps[:-1]) and steps[-1][2], "the citations come last"
    final = bodies[-1]
    assert "](#chat-bigscience-open-rail-m-attachment-a" in final, "clause ids link to the cited clause"
    assert "<summary>Sources" in final and "Read as" not in final
    assert 'id="chat-bigscience-open-rail-m-attachment-a' in steps[-1][2]
    assert "This answer is in English" not in final
    steps = list(chat_stream(svc, "s2", "¿Puedo usar bigscience-open-rail-m para dar consejos médicos a pacientes?", []))
    assert "*This answer is in English. (Esta respuesta está en inglés.)*" in steps[-1][0][-1]["content"]
