"""Bounded fuzzing (hypothesis): no input to a CLI command or to a card's front matter gets a traceback
to the user. Each command runs in this process through the real command group (models load once);
the budget is a fixed number of examples, no database, no shrinking beyond hypothesis' defaults."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent.models import ModelResolver
from corpus.catalog import Corpus
from corpus.errors import ModeltermsError
from corpus.frontmatter import split_front_matter
from ui.cli import cli

from .conftest import make_settings

NASTY = ["", " ", "-", "--", "..", "../../etc/passwd", "/", "/dev/null", "/proc/self/environ", "~", "~nobody/x",
         "a" * 300, "/" + "b" * 300, "x\x00y", "mit\n", "MIT", "mit ", "file:mit", "upload:abc", "local-x",
         "acme-open-model", "mit", "gemma-pup-2024-02-21", "\u202e\u0000", "😀" * 80, "%s%n", "{}", "[]", "null",
         "http://127.0.0.1:1", "C:\\Windows\\x", "a/b/c/d", ".hidden", "NUL", "con", "-" * 101]
TEXT = st.one_of(st.sampled_from(NASTY), st.text(max_size=40),
                 st.text(alphabet="ab./~-_\\:\x00 \n", max_size=300))

COMMANDS = [
    lambda a, b: ["corpus", "show", a],
    lambda a, b: ["corpus", "show", a, "--text", "--json"],
    lambda a, b: ["corpus", "remove", a],
    lambda a, b: ["corpus", "add", a, "--key", b, "--no-index"],
    lambda a, b: ["explain", a],
    lambda a, b: ["check", "--license", a, "--use", b],
    lambda a, b: ["check", "--card", a, "--use", "a chatbot for customer support"],
    lambda a, b: ["check", "--model", a, "--use", b or "x"],
    lambda a, b: ["models", a],
    lambda a, b: ["identify", a],
    lambda a, b: ["index", "--key", a],
    lambda a, b: ["search", b, "--license", a, "--mode", "lexical"],
    lambda a, b: ["compare", a, b],
    lambda a, b: ["diff", a, b],
    lambda a, b: ["draft", "--spec", a],
    lambda a, b: ["draft", "--licensor", a, "--user-threshold", b],
    lambda a, b: ["--chroma-url", a, "corpus", "list"],
]


@pytest.fixture(scope="module")
def fuzz_home(indexed, tmp_path_factory):
    dst = tmp_path_factory.mktemp("fuzz") / "home"
    shutil.copytree(indexed.home, dst)
    return dst


@settings(max_examples=80, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cmd=st.sampled_from(COMMANDS), a=TEXT, b=TEXT)
def test_no_cli_input_reaches_the_user_as_a_traceback(fuzz_home, cmd, a, b):
    args = cmd(a, b)
    r = CliRunner().invoke(cli, ["--home", str(fuzz_home), *args], catch_exceptions=True)
    assert r.exception is None or isinstance(r.exception, SystemExit), (args, repr(r.exception))
    assert "Traceback" not in r.output and "internal error" not in r.output, (args, r.output[-500:])
    assert r.exit_code in (0, 1, 2), (args, r.exit_code)
    if r.exit_code == 1:
        errors = [ln for ln in r.output.splitlines() if ln.startswith("error: ")]
        assert len(errors) == 1 and len(errors[0]) < 2200, (args, r.output[-500:])


SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                   st.sampled_from(NASTY))
VALUE = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                     max_leaves=12)
META = st.dictionaries(st.sampled_from(["license", "license_name", "base_model", "model_name", "name", "tags"]),
                       VALUE, max_size=5)
RAW = st.one_of(st.text(max_size=200), st.sampled_from([
    "&a [1]\nb: *a", "{", "!!python/object/apply:os.system ['echo hi']", "a: !!binary AAAA", "- - - -",
    "license: &x [a, b]\nbase: [*x, *x, *x]", "? [a]\n: b", "license: mit\nlicense: apache-2.0", "\t", "'"]))


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=META, raw=RAW, use_raw=st.booleans(), body=st.text(max_size=100))
def test_no_card_front_matter_escapes_as_anything_but_a_one_line_error(tmp_path_factory, meta, raw, use_raw, body):
    folder = tmp_path_factory.mktemp("card")
    front = raw if use_raw else yaml.safe_dump(meta, allow_unicode=True)
    card = folder / "README.md"
    card.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    s = make_settings(folder / "home")
    for local_paths in (True, False):
        try:
            res = ModelResolver(Corpus(s), local_paths=local_paths).resolve_card(card)
            json.dumps(res.as_json())
        except ModeltermsError as e:
            assert "\n" not in str(e).strip(), str(e)
    try:
        split_front_matter(card.read_text(encoding="utf-8", errors="replace"))
    except ModeltermsError:
        pass


@pytest.fixture(scope="module")
def ui_services(fuzz_home):
    from ui.app import Services

    return Services(make_settings(fuzz_home))


def _handlers():
    from ui import app

    return [
        lambda svc, a, b: app.run_check(svc, "license", None, a, None, b or "a chatbot"),
        lambda svc, a, b: app.run_check(svc, "model", a, None, None, "a chatbot for support"),
        lambda svc, a, b: app.run_check(svc, a, b, b, a, b),
        lambda svc, a, b: app.run_check(svc, "upload", None, None, a, "a chatbot"),
        lambda svc, a, b: app.explain(svc, a, None),
        lambda svc, a, b: app.explain(svc, None, a),
        lambda svc, a, b: app.compare_html(svc, [a, b]),
        lambda svc, a, b: app.diff_html(svc, a, b),
        lambda svc, a, b: app.corpus_remove(svc, a),
        lambda svc, a, b: app.corpus_add(svc, a, key=b),
        lambda svc, a, b: app.upload_path(svc, {"path": a}),
    ]


@settings(max_examples=60, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(which=st.integers(0, 10), a=TEXT, b=TEXT)
def test_no_ui_handler_input_escapes_as_anything_but_a_one_line_error(ui_services, which, a, b):
    try:
        _handlers()[which](ui_services, a, b)
    except ModeltermsError as e:
        assert "\n" not in str(e).strip() and str(ui_services.upload_root) not in str(e), str(e)
