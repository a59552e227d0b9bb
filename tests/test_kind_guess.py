"""A text's kind (license or use policy) is guessed from its name, its file's name and its opening."""
from corpus.catalog import Corpus
from corpus.entry import guess_kind

from .conftest import make_settings

SHORT_POLICY = "By using these models you agree to comply with all applicable law."


def test_a_short_policy_says_what_it_is_in_its_file_name():
    assert guess_kind("By using these models", SHORT_POLICY, "ACME_USAGE_POLICY.txt") == "aup"
    assert guess_kind("By using these models", SHORT_POLICY, "acme-acceptable-use.md") == "aup"
    assert guess_kind("By using these models", SHORT_POLICY) == "license"
    # a license agreement whose file name mentions a policy stays a license
    assert guess_kind("Acme Model License Agreement", "ACME MODEL LICENSE AGREEMENT\n1. Grant.",
                      "use_policy_and_license.txt") == "license"


def test_corpus_add_guesses_the_kind_from_the_file_name(tmp_path):
    corpus = Corpus(make_settings(tmp_path / "home"))
    f = tmp_path / "Widget_USE_POLICY.txt"
    f.write_text(SHORT_POLICY, encoding="utf-8")
    entry, status = corpus.add_user_text(f)
    assert (entry.kind, status) == ("aup", "added")
    g = tmp_path / "widget-model-license.txt"
    g.write_text("Widget Model License\nYou may use the model for any purpose.", encoding="utf-8")
    assert corpus.add_user_text(g)[0].kind == "license"


def test_a_text_titled_a_license_stays_a_license_when_it_names_its_policy_early():
    text = "ACME MODEL LICENSE\n1. Your use must adhere to the Acceptable Use Policy at https://example.com/aup."
    assert guess_kind("ACME MODEL LICENSE", text) == "license"
    assert guess_kind("Acme Acceptable Use Policy", "You agree you will not use the model to ...") == "aup"
