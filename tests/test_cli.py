"""The CLI end to end, in fresh processes: corpus management and bad input."""
import json
import shutil

import pytest

from retrieval.indexer import open_manifest
from retrieval.vector_cache import IndexSnapshot

from .conftest import FIXTURES, free_port, make_settings, run_cli


def snapshot(home):
    """What must not change when a command fails: the manifest, the lexical cache, the user texts."""
    s = make_settings(home)
    m = open_manifest(s)
    try:
        state = (m.generation(), m.total_clauses(), tuple(sorted(m.hashes().items())))
    finally:
        m.close()
    files = tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                         for p in (home / "corpus").glob("*"))) if (home / "corpus").exists() else ()
    lex = s.index_dir / "lexical.pkl"
    return state, files, lex.stat().st_mtime_ns if lex.exists() else None


def test_help_names_every_command():
    r = run_cli("--help")
    assert r.returncode == 0
    for cmd in ("index", "search", "corpus", "eval"):
        assert cmd in r.stdout
    r = run_cli("corpus", "--help")
    for cmd in ("add", "list", "show", "remove"):
        assert cmd in r.stdout


def test_corpus_add_replace_remove_round_trip(tmp_path):
    home = tmp_path / "home"
    lic = tmp_path / "acme.txt"
    shutil.copy(FIXTURES / "acme-open-model.txt", lic)

    r = run_cli("corpus", "add", str(lic), "--key", "acme", home=home)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("added acme (license")
    assert "indexed acme:" in r.stdout

    r = run_cli("search", "fake product reviews", "--license", "acme", "--json", "-k", "1", home=home)
    assert json.loads(r.stdout)["results"][0]["clause_id"] == "acme#attachment-a.d"

    r = run_cli("corpus", "add", str(lic), "--key", "acme", home=home)
    assert r.stdout.startswith("unchanged acme") and "already indexed" in r.stdout

    # a check keeps the index's snapshot of the text's clauses (retrieval/vector_cache.py) ...
    r = run_cli("check", "--license", "acme", "--use", "write fake product reviews for our shop", "--json", home=home)
    assert json.loads(r.stdout)["verdict"] == "prohibited", r.stderr
    snapshot = IndexSnapshot(make_settings(home).index_dir, "acme").path
    assert snapshot.is_file()

    lic.write_text(lic.read_text().replace("(d) to generate spam or fake product reviews.",
                                           "(d) to run gambling services."))
    r = run_cli("corpus", "add", str(lic), "--key", "acme", home=home)
    assert r.stdout.startswith("replaced acme"), r.stdout + r.stderr
    r = run_cli("search", "fake product reviews spam", "--license", "acme", "--json", "-k", "50", home=home)
    texts = [x["text"] for x in json.loads(r.stdout)["results"]]
    assert not any("fake product reviews" in t for t in texts), "the old version's clauses are gone"
    assert any("gambling" in t for t in texts)
    # ... which a replaced text does not read: the new version's clause decides, quoted verbatim
    r = run_cli("check", "--license", "acme", "--use", "run gambling services", "--json", home=home)
    found = json.loads(r.stdout)
    assert found["verdict"] == "prohibited" and any("gambling" in f["quote"] for f in found["findings"])

    r = run_cli("corpus", "list", "--source", "user", "--json", home=home)
    rows = json.loads(r.stdout)
    assert [(x["key"], x["indexed"]) for x in rows] == [("acme", True)]

    r = run_cli("corpus", "show", "acme", "--json", home=home)
    shown = json.loads(r.stdout)
    assert shown["name"] == "ACME OPEN MODEL LICENSE" and shown["source"] == "user"
    assert any(c["clause_id"] == "acme#attachment-a.d" for c in shown["clauses"])

    r = run_cli("corpus", "remove", "acme", home=home)
    assert r.returncode == 0 and "removed acme" in r.stdout
    assert not snapshot.exists()  # removed with the text
    r = run_cli("corpus", "show", "acme", home=home)
    assert r.returncode == 1 and "unknown license key 'acme'" in r.stderr
    m = open_manifest(make_settings(home))
    assert "acme" not in m.hashes() and m.total_clauses() == 0
    m.close()


def test_corpus_show_builtin_and_close_keys(tmp_path):
    r = run_cli("corpus", "show", "llama-3.1-license-2024", home=tmp_path)
    assert r.returncode == 0 and "Llama 3.1 Community License" in r.stdout and "Facebook" in r.stdout
    r = run_cli("corpus", "show", "lama-3.1-license", home=tmp_path)
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "did you mean: llama-3.1-license-2024" in r.stderr


def _bad_cases(tmp_path):
    binary = tmp_path / "model.txt"
    binary.write_bytes(b"\x7fELF\x00\x00\x00" * 400)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Licence d'utilisation : caf\xe9".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(20 * 1024 * 1024)
    dead = f"http://127.0.0.1:{free_port()}"
    return {
        "missing file": (["corpus", "add", str(tmp_path / "nope.txt")], "no such file"),
        "directory": (["corpus", "add", str(tmp_path)], "is a directory"),
        "empty file": (["corpus", "add", str(empty)], "file is empty"),
        "binary file": (["corpus", "add", str(binary)], "binary"),
        "non-UTF-8": (["corpus", "add", str(latin)], "not UTF-8"),
        "20 MB text": (["corpus", "add", str(big)], "too large"),
        "unknown key (show)": (["corpus", "show", "no-such-license"], "unknown license key"),
        "unknown key (remove)": (["corpus", "remove", "no-such-license"], "unknown license key"),
        "builtin key (remove)": (["corpus", "remove", "mit"], "built-in"),
        "unknown key (index)": (["index", "--key", "no-such-license"], "unknown license key"),
        "unknown key (search)": (["search", "spam", "--license", "no-such-license"], "unknown license key"),
        "builtin key (add)": (["corpus", "add", str(FIXTURES / "zephyr-research.txt"), "--key", "mit"], "built-in"),
        "unreachable Chroma (index)": (["--chroma-url", dead, "index"], "cannot use Chroma"),
        "unreachable Chroma (add)": (["--chroma-url", dead, "corpus", "add", str(FIXTURES / "zephyr-research.txt")],
                                     "cannot use Chroma"),
        "bad Chroma URL": (["--chroma-url", "ftp://x", "index"], "invalid Chroma URL"),
    }


def test_bad_input_gets_one_line_error_and_changes_nothing(tmp_path, indexed):
    home = tmp_path / "home"
    shutil.copytree(indexed.home, home)
    before = snapshot(home)
    failures = []
    for name, (args, message) in _bad_cases(tmp_path).items():
        r = run_cli(*args, home=home)
        lines = r.stderr.strip().splitlines()
        if r.returncode == 0 or len(lines) != 1 or not lines[0].startswith("error: ") or message not in lines[0]:
            failures.append(f"{name}: rc={r.returncode} stderr={r.stderr[-300:]!r}")
        if snapshot(home) != before:
            failures.append(f"{name}: changed the index or the corpus")
    assert not failures, "\n".join(failures)
