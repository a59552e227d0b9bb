"""identify: which corpus license is a text? The real LicenseDB index, real files, the real CLI.

License texts come from the installed LicenseDB at run time (none is committed); the perturbations
are those of the benchmark (evals/identify_cases.py). One data dir per module: the LicenseDB
shingle index is built once there and loaded by every other Identifier and CLI process.
"""
from __future__ import annotations

import json
import re
import shutil

import pytest

from agent.identify import UNKNOWN_BELOW, Identifier, normalize
from corpus.catalog import Corpus, builtin_spec
from evals.identify_cases import ESSAY, VARIANTS, htmlify, markdownify, with_header

from .conftest import FIXTURES, make_settings, run_cli
from .pdfmaker import make_pdf

# AI licenses of different shapes: numbered sections, RAIL attachments, plain paragraphs.
AI_KEYS = ["llama-3.1-license-2024", "gemma-tou-2025-03-24", "bigscience-open-rail-m", "deepseek-la-1.0",
           "stability-ai-community-2024"]
# Near-identical texts that must be told apart. `bigscience-open-rail-m2` is the CreativeML Open
# RAIL++-M text and `stable-diffusion-2022-08-22` CreativeML Open RAIL-M (LicenseDB has no
# creativeml-* or openrail++ keys).
FAMILIES = {
    "llama": ["llama-3.1-license-2024", "llama-3.2-license-2024", "llama-3.3-license-2024", "llama-4-cla-2025"],
    "gemma": ["gemma-tou-2024-04-01", "gemma-tou-2025-03-24"],
    "openrail": ["bigscience-open-rail-m", "bigscience-open-rail-m2", "stable-diffusion-2022-08-22",
                 "bigcode-open-rail-m-v1", "bigscience-rail-1.0"],
}
FAMILY_CASES = [(fam, key) for fam, keys in FAMILIES.items() for key in keys]

# A model license written for this test: familiar legal phrasing, no corpus text.
KESTREL = """KESTREL OPEN WEIGHTS AGREEMENT
Version 2.0, effective 9 January 2026

1. Definitions. "Kestrel Materials" means the model weights, tokenizer and sample code published by
Kestrel Labs. "Licensee" or "you" means the individual or legal entity exercising rights under this
Agreement.

2. License Grant. Subject to your compliance with this Agreement, Kestrel Labs grants you a non-exclusive,
worldwide, non-transferable and royalty-free limited license to use, reproduce, distribute, copy, create
derivative works of, and make modifications to the Kestrel Materials.

3. Attribution. Every copy of the Kestrel Materials or of a derivative that you distribute must carry the
notice "Built with Kestrel" on a related website, user interface or product documentation.

4. Prohibited Uses. You will not use the Kestrel Materials to score job applicants, to design or operate
surveillance systems for public spaces, or to generate medical advice without review by a clinician.

5. Term and Termination. This Agreement ends automatically if you breach it. Sections 4 and 6 survive
termination.

6. Disclaimer. THE KESTREL MATERIALS ARE PROVIDED ON AN "AS IS" BASIS, WITHOUT WARRANTIES OF ANY KIND. YOU
ARE SOLELY RESPONSIBLE FOR DETERMINING THE APPROPRIATENESS OF USING THEM.
"""

NEW_CLAUSE = ("Model Evaluation Reports. If You publish benchmark results for the Model, You will state the exact "
              "version evaluated, the prompts used and any fine-tuning applied, and You will keep the raw outputs "
              "for at least twelve months so that the results can be reproduced on request.")


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("identify-home")


@pytest.fixture(scope="module")
def corpus(home):
    return Corpus(make_settings(home))


@pytest.fixture(scope="module")
def identifier(home, corpus):
    return Identifier(make_settings(home), corpus)


def text_of(corpus, key: str) -> str:
    return corpus.get(key).text


def another_version(text: str) -> str:
    """The text with its longest middle paragraph dropped and a new clause added: a revision."""
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    middle = paras[len(paras) // 3: 2 * len(paras) // 3]
    paras.remove(max(middle, key=len))
    paras.insert(len(paras) // 2, NEW_CLAUSE)
    return "\n\n".join(paras)


# --- the library ---------------------------------------------------------------

def test_the_keys_used_here_exist(corpus):
    for key in AI_KEYS + [k for keys in FAMILIES.values() for k in keys]:
        assert corpus.exists(key), key


@pytest.mark.parametrize("key", AI_KEYS + ["mit", "apache-2.0", "cc-by-nc-4.0"])
def test_exact_builtin_text_is_its_key(identifier, corpus, key):
    result = identifier.identify(text_of(corpus, key))
    assert not result.unknown
    assert result.best.license == key
    assert result.best.score >= 0.99
    assert result.best.name


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("key", AI_KEYS)
def test_perturbed_copies_are_still_their_key(identifier, corpus, key, variant):
    text = VARIANTS[variant](text_of(corpus, key), AI_KEYS.index(key))
    result = identifier.identify(text)
    assert not result.unknown, (variant, result.as_json())
    assert result.best.license == key, (variant, result.as_json())
    assert result.best.score >= UNKNOWN_BELOW


@pytest.mark.parametrize("variant", ["exact", "markdown", "header", "truncated40", "md-header-truncated50"])
@pytest.mark.parametrize("family,key", FAMILY_CASES)
def test_versions_are_told_apart(identifier, corpus, family, key, variant):
    text = VARIANTS[variant](text_of(corpus, key), 0)
    result = identifier.identify(text, n=10)
    assert not result.unknown
    assert result.best.license == key, result.as_json()
    relatives = {m.license: m.score for m in result.matches if m.license in FAMILIES[family] and m.license != key}
    assert all(score < result.best.score for score in relatives.values()), result.as_json()


def test_an_exact_copy_scores_1_and_the_next_version_clearly_less(identifier, corpus):
    for key in FAMILIES["llama"][:3]:
        result = identifier.identify(text_of(corpus, key), n=4)
        assert result.best.license == key and result.best.score == 1.0
        assert result.matches[1].score < 0.97, result.as_json()  # a version apart is no exact copy


@pytest.mark.parametrize("key", ["llama-3.1-license-2024", "gemma-tou-2024-04-01", "bigscience-open-rail-m",
                                 "deepseek-la-1.0"])
def test_a_revision_not_in_the_corpus_is_unknown_next_to_its_source(identifier, corpus, key):
    result = identifier.identify(another_version(text_of(corpus, key)))
    assert result.unknown, result.as_json()
    assert result.best.license == key  # the nearest neighbour is the version it was made from
    assert 0.5 < result.best.score < UNKNOWN_BELOW


def test_own_synthetic_license_is_unknown_with_neighbours(identifier):
    result = identifier.identify(KESTREL, n=5)
    assert result.unknown
    assert 1 <= len(result.matches) <= 5
    assert all(0 < m.score < UNKNOWN_BELOW for m in result.matches)
    assert [m.score for m in result.matches] == sorted((m.score for m in result.matches), reverse=True)
    # markdown does not change the verdict
    assert identifier.identify(markdownify(KESTREL)).unknown


def test_fixture_license_and_essay_are_unknown(identifier):
    acme = identifier.identify((FIXTURES / "acme-open-model.txt").read_text())
    assert acme.unknown and acme.matches  # shares phrases with the RAIL family, matches none of it
    essay = identifier.identify(ESSAY)
    assert essay.unknown
    assert all(m.score < 0.2 for m in essay.matches)


def test_json_shape(identifier, corpus):
    data = identifier.identify(text_of(corpus, "mit"), n=3).as_json()
    assert set(data) == {"matches", "unknown"} and data["unknown"] is False
    assert len(data["matches"]) == 3
    for m in data["matches"]:
        assert isinstance(m["license"], str) and isinstance(m["score"], float) and 0 <= m["score"] <= 1
    assert data["matches"][0]["license"] == "mit"


def test_n_and_empty_text(identifier, corpus):
    assert len(identifier.identify(text_of(corpus, "apache-2.0"), n=1).matches) == 1
    empty = identifier.identify("  \n  ")
    assert empty.unknown and empty.matches == []


def test_normalisation_ignores_layout():
    a = normalize("Non-transferable, royalty-free licence.\n\n3\n\nPage 4 of 9\n(a) distri-\nbution of “Materials”")
    b = normalize("## Non-\ntransferable, royalty- free licence. - distribution of **\"Materials\"**")
    assert a == b
    assert normalize("数据许可") == ["数", "据", "许", "可"]  # CJK text counts, one token per character


def test_scope_builtin_leaves_out_the_rest_of_licensedb(home, corpus, identifier):
    key = "zlib"
    assert key not in builtin_spec()
    assert identifier.identify(text_of(corpus, key)).best.license == key
    builtin_only = Identifier(make_settings(home), corpus, scope="builtin")
    result = builtin_only.identify(text_of(corpus, key))
    assert result.unknown or result.best.license != key
    assert key not in [m.license for m in result.matches]
    assert builtin_only.identify(text_of(corpus, "llama-3.3-license-2024")).best.license == "llama-3.3-license-2024"
    assert len(builtin_only) < len(identifier)


def test_index_is_built_once_per_data_dir(home, corpus, identifier):
    again = Identifier(make_settings(home), corpus)
    assert not again.built_index
    assert list((home / "identify").glob("licensedb-*.npz"))
    text = VARIANTS["header"](text_of(corpus, "gemma-tou-2024-04-01"), 1)
    assert again.identify(text).as_json() == identifier.identify(text).as_json()


def test_user_text_added_with_corpus_add_is_identified(tmp_path, home, identifier):
    user_home = tmp_path / "home"
    user_home.mkdir()
    shutil.copytree(home / "identify", user_home / "identify")  # the LicenseDB index, not rebuilt
    r = run_cli("corpus", "add", str(FIXTURES / "acme-open-model.txt"), "--key", "acme-model-1.0",
                "--no-index", home=user_home)
    assert r.returncode == 0, r.stderr

    copy = tmp_path / "LICENSE.md"
    copy.write_text(with_header(markdownify((FIXTURES / "acme-open-model.txt").read_text()), seed=3))
    r = run_cli("identify", str(copy), "--json", home=user_home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["unknown"] is False
    assert data["matches"][0]["license"] == "acme-model-1.0"
    assert data["matches"][0]["name"] == "ACME OPEN MODEL LICENSE"

    settings = make_settings(user_home)
    result = Identifier(settings, Corpus(settings), scope="builtin").identify(copy.read_text())
    assert result.best.license == "acme-model-1.0"  # the user's texts count in every scope


# --- the command line ------------------------------------------------------------

def test_cli_many_paths_give_json_lines(tmp_path, home, corpus, identifier):
    files = {
        tmp_path / "llama.md": markdownify(text_of(corpus, "llama-3.2-license-2024")),
        tmp_path / "gemma.html": "<html><body>" + htmlify(text_of(corpus, "gemma-tou-2024-04-01")) + "</body></html>",
        tmp_path / "rail.txt": VARIANTS["truncated40"](text_of(corpus, "bigscience-open-rail-m2"), 0),
        tmp_path / "kestrel.txt": KESTREL,
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    r = run_cli("identify", *map(str, files), "--json", "-n", "3", home=home)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().split("\n")
    assert len(lines) == 4
    rows = [json.loads(line) for line in lines]
    assert [row["path"] for row in rows] == [str(p) for p in files]
    assert [row["matches"][0]["license"] for row in rows[:3]] == [
        "llama-3.2-license-2024", "gemma-tou-2024-04-01", "bigscience-open-rail-m2"]
    assert [row["unknown"] for row in rows] == [False, False, False, True]
    assert all(len(row["matches"]) <= 3 for row in rows)


def test_cli_stdin_and_human_output(tmp_path, home, corpus, identifier):
    r = run_cli("identify", "-", "--json", home=home, input=text_of(corpus, "llama-3.3-license-2024"))
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["path"] == "-" and data["matches"][0]["license"] == "llama-3.3-license-2024"

    r = run_cli("identify", "-", home=home, input=text_of(corpus, "gemma-tou-2025-03-24"))
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("gemma-tou-2025-03-24") and "Gemma Terms of Use" in first and "score 1.000" in first

    r = run_cli("identify", "-", "-n", "2", home=home, input=KESTREL)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[0].startswith("unknown:") and out[1] == "nearest:" and len(out) == 4


def test_cli_reads_pdf(tmp_path, home, corpus, identifier):
    text = text_of(corpus, "mit").encode("ascii", "replace").decode()
    pdf = tmp_path / "LICENSE.pdf"
    pdf.write_bytes(make_pdf([line for line in text.splitlines()]))
    r = run_cli("identify", str(pdf), "--json", home=home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["matches"][0]["license"] == "mit"


def bad_input(kind: str, tmp_path):
    if kind == "missing":
        return tmp_path / "nope.txt", "no such file"
    if kind == "directory":
        (tmp_path / "adir").mkdir()
        return tmp_path / "adir", "is a directory"
    if kind == "binary":
        p = tmp_path / "weights.txt"
        p.write_bytes(b"\x00\x01\x02GGUF\x00" * 200)
        return p, "binary"
    p = tmp_path / "empty.md"
    p.write_bytes(b"")
    return p, "empty"


@pytest.mark.parametrize("kind", ["missing", "directory", "binary", "empty"])
def test_cli_bad_input_is_one_line_and_exit_1(tmp_path, home, kind):
    path, why = bad_input(kind, tmp_path)
    r = run_cli("identify", str(path), home=home)
    assert r.returncode == 1
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and why in lines[0], r.stderr


def test_cli_bad_stdin_and_mixed_paths(tmp_path, home, corpus, identifier):
    r = run_cli("identify", "-", home=home, input="")
    assert r.returncode == 1 and r.stderr.strip() == "error: <stdin>: input is empty"

    good = tmp_path / "LICENSE"
    good.write_text(text_of(corpus, "apache-2.0"))
    r = run_cli("identify", str(tmp_path / "missing.txt"), str(good), "--json", home=home)
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1 and "missing.txt: no such file" in r.stderr
    rows = [json.loads(line) for line in r.stdout.strip().splitlines()]
    assert [(row["path"], row["matches"][0]["license"]) for row in rows] == [(str(good), "apache-2.0")]

    r = run_cli("identify", "-", "-", home=home, input="x")
    assert r.returncode == 2
