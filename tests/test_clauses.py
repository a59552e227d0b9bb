import re

import pytest

from corpus.catalog import Corpus
from retrieval.clauses import parse_marker, segment
from retrieval.tokens import count_tokens, split_span

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def builtin_texts(tmp_path_factory):
    from .conftest import make_settings

    corpus = Corpus(make_settings(tmp_path_factory.mktemp("h")))
    return {k: corpus.get(k).text for k in corpus.builtin_keys()}


def test_offsets_round_trip_for_every_builtin_clause(builtin_texts):
    assert len(builtin_texts) >= 60
    total = 0
    for key, text in builtin_texts.items():
        clauses = segment(key, text)
        ids = [c.id for c in clauses]
        assert len(ids) == len(set(ids)), f"duplicate clause ids in {key}"
        for c in clauses:
            assert text[c.start:c.end] == c.text, c.id
            assert c.text == c.text.strip() and c.text, c.id
            assert c.tokens <= 200, c.id
        total += len(clauses)
    assert total > 2000


def test_every_word_of_every_builtin_text_is_in_some_clause(builtin_texts):
    for key, text in builtin_texts.items():
        covered = bytearray(len(text))
        for c in segment(key, text):
            covered[c.start:c.end] = b"\x01" * (c.end - c.start)
        missing = [m.group() for m in re.finditer(r"\S+", text) if not covered[m.start()]]
        assert not missing, f"{key}: text outside any clause: {missing[:5]}"


def test_structure_of_a_numbered_license():
    text = (FIXTURES / "acme-open-model.txt").read_text()
    by_path = {c.path: c for c in segment("acme", text)}
    assert by_path["title"].text == "ACME OPEN MODEL LICENSE"
    assert by_path["def-model"].text.startswith('"Model" means')
    assert by_path["1.b.ii"].text.startswith("ii. you include a copy")
    assert by_path["1.b"].title == "Distribution"
    assert by_path["2"].text.endswith("continuing to use the Model.")  # wrapped lines stay one clause
    assert by_path["attachment-a.d"].text == "(d) to generate spam or fake product reviews."
    assert "Attachment A" in by_path["attachment-a.b"].section


def test_structure_of_a_markdown_policy():
    text = (FIXTURES / "river-data-policy.md").read_text()
    clauses = segment("river", text)
    paths = [c.path for c in clauses]
    assert paths[0] == "title"
    bullets = [c for c in clauses if c.path.startswith("prohibited-uses.") and c.text.startswith("- ")]
    assert [c.path for c in bullets] == [f"prohibited-uses.{i}" for i in range(1, 5)]
    assert "reporting" in paths


def test_letters_and_roman_numerals_are_told_apart():
    text = "\n".join(f"({chr(ord('a') + i)}) item {i}" for i in range(10)) + "\n(j) last\n"
    paths = [c.path for c in segment("x", "Rules:\n" + text)]
    assert "p1" in paths[0]
    assert [p.rsplit(".", 1)[-1] for p in paths[1:]] == list("abcdefghij") + ["j_2"]
    nested = "1. Duties\n  (a) first\n    (i) sub one\n    (ii) sub two\n  (b) second\n"
    assert [c.path for c in segment("y", nested)] == ["1", "1.a", "1.a.i", "1.a.ii", "1.b"]


def test_indentation_only_lists_nest():
    text = "You may not:\n\n    Harm people, including:\n        hurting them;\n        scaring them.\n    Break laws.\n"
    paths = [c.path for c in segment("z", text)]
    assert paths == ["p1", "p1.p1", "p1.p1.p1", "p1.p1.p2", "p1.p2"]


def test_ids_are_stable_when_the_text_is_unchanged_and_local_when_it_changes():
    text = (FIXTURES / "acme-open-model.txt").read_text()
    a = [c.id for c in segment("acme", text)]
    assert a == [c.id for c in segment("acme", text)]
    edited = text.replace("spam or fake product reviews", "spam")
    b = [c.id for c in segment("acme", edited)]
    assert a == b


def test_markers():
    assert parse_marker("1. Definitions").value == "1"
    assert parse_marker("2\\. **Additional Commercial Terms**").value == "2"
    assert parse_marker("(iv) something").value == "iv"
    assert parse_marker("3.1 Distribution").style == "dec2"
    assert parse_marker("Attachment A").value == "attachment-a"
    assert parse_marker("Section III: CONDITIONS").value == "section-iii"
    assert parse_marker("1993 was a year") is None
    assert parse_marker("e.g. this") is None


def test_long_clause_is_split_under_the_budget_with_overlap():
    sentence = "The licensee shall keep records of every deployment of the model. "
    text = "1. Records. " + sentence * 60
    clauses = segment("long", text, max_tokens=100, overlap=20)
    assert len(clauses) >= 5
    assert clauses[0].path == "1" and clauses[1].path == "1~2"
    for c in clauses:
        assert text[c.start:c.end] == c.text
        assert count_tokens(c.text) <= 100
        assert not c.text[0].isspace() and c.text[0].isalnum() or c.text[0] in "1"
    for a, b in zip(clauses, clauses[1:]):
        assert b.start < a.end, "consecutive windows overlap"


def test_split_span_short_text_is_one_window():
    assert split_span("hello world", 0, 11, 50, 10) == [(0, 11, 2)]
