"""Card front matter is parsed safely: bounded aliases, size and expansion."""
import pytest

from corpus.errors import ModeltermsError
from corpus.frontmatter import split_front_matter


def test_plain_card():
    meta, body = split_front_matter("---\nlicense: llama3.1\nbase_model: [a/b, c/d]\n---\n# Model\ntext\n")
    assert meta == {"license": "llama3.1", "base_model": ["a/b", "c/d"]}
    assert body == "# Model\ntext\n"


def test_no_front_matter_is_empty_meta():
    assert split_front_matter("# just a readme\n") == ({}, "# just a readme\n")


def test_alias_bomb_is_refused_in_one_line():
    bomb, prev = "a: &a [x,x,x,x,x,x,x,x,x,x]\n", "a"
    for i in range(8):
        name = chr(ord("b") + i)
        bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
        prev = name
    with pytest.raises(ModeltermsError) as e:
        split_front_matter(f"---\n{bomb}license: *{prev}\n---\n")
    assert "aliases" in str(e.value) and "\n" not in str(e.value)


def test_unclosed_and_non_mapping_front_matter():
    with pytest.raises(ModeltermsError, match="not closed"):
        split_front_matter("---\nlicense: mit\n")
    with pytest.raises(ModeltermsError, match="not a mapping"):
        split_front_matter("---\n- a\n- b\n---\n")
    with pytest.raises(ModeltermsError, match="not valid YAML"):
        split_front_matter("---\nlicense: [unclosed\n---\n")


def test_oversized_front_matter_is_refused_before_parsing():
    with pytest.raises(ModeltermsError, match="too large"):
        split_front_matter("---\nx: '" + "a" * 300_000 + "'\n---\n")
