"""Reading a project's intended-uses file (.modelterms-uses.yaml): defaults, per-use targets, paths, errors."""
from __future__ import annotations

import pytest

from agent.intended_uses import DEFAULT_ACCEPT, load_intended_uses
from corpus.errors import ModeltermsError


def write(tmp_path, text: str):
    path = tmp_path / "proj" / ".modelterms-uses.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_defaults_per_use_targets_and_relative_paths(tmp_path):
    path = write(tmp_path, """
model: meta-llama/Llama-3.1-8B-Instruct
uses:
  - a support chatbot
  - use: sell API access
    card: model/README.md
    accept: [allowed, conditional, unclear]
  - use: print it in a book
    license: licenses/OUR-LICENSE.txt
    id: book
  - use: internal search
    license: mit
""")
    a, b, c, d = load_intended_uses(path)
    assert (a.id, a.target, a.value, a.accept) == ("1", "model", "meta-llama/Llama-3.1-8B-Instruct", DEFAULT_ACCEPT)
    assert (b.target, b.value) == ("card", str(tmp_path / "proj" / "model" / "README.md"))
    assert b.accepts("unclear") and not a.accepts("unclear") and not a.accepts("prohibited")
    assert (c.id, c.target, c.value) == ("book", "license", str(tmp_path / "proj" / "licenses" / "OUR-LICENSE.txt"))
    assert (d.target, d.value) == ("license", "mit")  # a corpus key is not a path


@pytest.mark.parametrize("text, message", [
    ("uses: [a chatbot]\n", "use 1: no target"),
    ("model: x\nlicense: mit\nuses: [a chatbot]\n", "not license and model"),
    ("model: x\nuses: []\n", "`uses` must be a non-empty list"),
    ("model: x\nuses:\n  - use: ''\n", "use 1: `use` must be a non-empty text"),
    ("model: x\naccept: allowed-ish\nuses: [a]\n", "unknown verdict 'allowed-ish'"),
    ("model: x\nuses:\n  - use: a\n    modle: y\n", "use 1: unknown key 'modle'"),
    ("- just a list\n", "expected a mapping"),
    ("model: [unclosed\n", "not valid YAML"),
    ("a: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
     "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "uses.yaml"),
])
def test_bad_files_get_one_line_errors(tmp_path, text, message):
    with pytest.raises(ModeltermsError) as e:
        load_intended_uses(write(tmp_path, text))
    assert message in str(e.value) and "\n" not in str(e.value)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ModeltermsError, match="no such uses file"):
        load_intended_uses(tmp_path / "nope.yaml")
    path = write(tmp_path, "")
    path.write_bytes(b"model: \xff\xfe\n")
    with pytest.raises(ModeltermsError, match="not UTF-8"):
        load_intended_uses(path)
