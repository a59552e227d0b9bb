"""The hand-made evaluation data stays consistent with the taxonomy and with the current clause segmentation.

Annotations and use cases cite clause ids; a segmenter change that renames a clause must fail here, not
silently lower a score.
"""
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from corpus import taxonomy
from corpus.catalog import Corpus
from evals import data
from evals.retrieval import load_queries
from retrieval.clauses import segment


@lru_cache(maxsize=1)
def _clause_ids(settings_key: str = "default") -> dict[str, set[str]]:
    from corpus.settings import Settings

    s = Settings.from_env({})
    c = Corpus(s)
    return {k: {cl.id for cl in segment(k, c.get(k).text, s.max_clause_tokens, s.clause_overlap_tokens)}
            for k in c.builtin_keys()}


def test_taxonomy_is_valid():
    assert taxonomy.validate() == []


def test_annotations_and_use_cases_cite_existing_clauses():
    assert data.validate(_clause_ids()) == []


def test_eval_set_is_large_enough():
    anns = data.annotations()
    assert len(anns) >= 35
    cases = data.usecases("dev")
    assert len(cases) >= 200
    assert {c["verdict"] for c in cases} == {"prohibited", "conditional", "allowed", "unclear"}


def test_frozen_test_split_is_new_and_mixed():
    """The test split (issue 11) is at least 120 new questions with every verdict, none a copy of a dev question."""
    dev, test = data.usecases("dev"), data.usecases("test")
    assert len(test) >= 120
    assert {c["verdict"] for c in test} == set(data.VERDICTS)
    assert not {c["id"] for c in dev} & {c["id"] for c in test}

    def norm(u):
        return " ".join(u.lower().split())

    assert not {norm(c["use"]) for c in dev} & {norm(c["use"]) for c in test}
    assert sum(1 for c in test if c.get("model")) >= 20


def test_paraphrases_cover_sixty_dev_cases_in_three_voices():
    by_case: dict[str, set] = {}
    for p in data.paraphrases():
        by_case.setdefault(p["of"], set()).add(p["voice"])
    full = [k for k, v in by_case.items() if v == set(data.VOICES)]
    assert len(full) >= 60
    dev = {c["id"]: c for c in data.usecases("dev")}
    assert {dev[k]["verdict"] for k in full} == set(data.VERDICTS)
    for p in data.paraphrases():  # a paraphrase says the use again, it does not repeat it
        assert " ".join(p["use"].lower().split()) != " ".join(dev[p["of"]]["use"].lower().split()), p["id"]


def test_devx_split_is_valid_and_mixed():
    """devx (issue 11 helper): fields and vocabularies sound, ids unique also against dev/test, built-in keys
    exist, external paths exist when ../shared is present; every verdict and several kinds occur."""
    ids = _clause_ids()
    other = {c["id"] for c in data.usecases("dev") + data.usecases("test")}
    assert data.validate_devx(set(ids), other) == []
    entries = data.devx_entries()
    assert len(entries) >= 100
    assert {c["verdict"] for c in entries} == set(data.VERDICTS)
    assert {c["kind"] for c in entries} == set(data.KINDS)


def test_devx_cases_on_builtin_keys_run_without_shared(tmp_path):
    runnable, missing = data.devx_cases(tmp_path / "no-external")
    assert runnable and all(not c["license"].startswith(data.EXTERNAL_PREFIX) for c in runnable)
    assert len(runnable) + len(missing) == len(data.devx_entries())
    assert data.load_split("devx", tmp_path / "evals" / "absent.jsonl") == runnable


@pytest.mark.skipif(not data.DEFAULT_EXTERNAL_TEXTS.is_dir(), reason="../shared/external is absent")
def test_devx_external_cases_resolve_under_shared():
    runnable, missing = data.devx_cases()
    assert not missing
    assert all(Path(c["_text_path"]).is_file() for c in runnable if "_text_path" in c)


def test_validate_devx_reports_bad_rows(tmp_path, monkeypatch):
    rows = [{"id": "dx1", "license": "no-such-key", "use": "u", "verdict": "fine", "kind": "odd", "note": "n"},
            {"id": "dx1", "license": "external:../etc/passwd", "use": "u", "verdict": "allowed", "kind": "direct",
             "note": "n", "accept": ["allowed"]}]
    monkeypatch.setattr(data, "devx_entries", lambda: [dict(r, _file="devx/x.yaml") for r in rows])
    problems = "\n".join(data.validate_devx({"mit"}, texts=tmp_path))
    for expected in ("unknown built-in license 'no-such-key'", "bad verdict 'fine'", "kind must be one of",
                     "duplicate id", "external:licenses/... or external:aup/...", "accept must list other verdicts"):
        assert expected in problems


def test_devy_split_is_valid_blind_and_mixed():
    """devy (issue 11, third blind split): sound rows, ids unique also against dev, test and devx, the issue's
    mix of verdicts and kinds, mostly on external texts neither devx nor the external set uses."""
    ids = _clause_ids()
    other = {c["id"] for c in data.usecases("dev") + data.usecases("test") + data.devx_entries()}
    assert data.validate_devy(set(ids), other) == []
    entries = data.devy_entries()
    assert len(entries) >= 90 and all(c["id"].startswith("dy") for c in entries)
    verdicts = Counter(c["verdict"] for c in entries)
    assert set(verdicts) == set(data.VERDICTS) and verdicts["unclear"] >= 0.1 * len(entries)
    kinds = Counter(c["kind"] for c in entries)
    minimum = {"indirect": 25, "outputs": 15, "near-miss": 15, "definition": 10, "threshold": 8, "region": 6}
    assert all(kinds[k] >= n for k, n in minimum.items()), kinds
    external = {c["license"] for c in entries if c["license"].startswith(data.EXTERNAL_PREFIX)}
    assert len(external) >= 18
    assert not external & {c["license"] for c in data.devx_entries()}


@pytest.mark.parametrize("split", sorted(data.BLIND_SPLITS))
def test_blind_split_runs_builtin_cases_without_shared(split, tmp_path):
    runnable, missing = data.blind_cases(split, tmp_path / "no-external")
    assert runnable and all(not (c.get("license") or "").startswith(data.EXTERNAL_PREFIX) for c in runnable)
    external = [c for c in data.blind_entries(split) if (c.get("license") or "").startswith(data.EXTERNAL_PREFIX)]
    assert sorted(missing) == sorted(c["id"] for c in external)
    assert len(runnable) + len(missing) == len(data.blind_entries(split))
    assert data.load_split(split, tmp_path / "evals" / "absent.jsonl") == runnable


def test_devm_split_is_valid_blind_mixed_and_about_models():
    """devm (issue 11, fourth blind split): model-id questions, each naming a Hugging Face id and no license,
    ids unique also against dev, test, devx and devy; the issue's mix of verdicts and kinds over many families;
    every case runs without ../shared (a model id needs no external text)."""
    ids = _clause_ids()
    other = {c["id"] for c in data.usecases("dev") + data.usecases("test") + data.devx_entries() + data.devy_entries()}
    assert data.validate_devm(set(ids), other) == []
    entries = data.devm_entries()
    assert len(entries) >= 70 and all(c["id"].startswith("dm") for c in entries)
    assert all(c.get("model") and not c.get("license") for c in entries)
    verdicts = Counter(c["verdict"] for c in entries)
    assert set(verdicts) == set(data.VERDICTS) and verdicts["unclear"] >= 0.1 * len(entries)
    assert all(verdicts[v] >= 0.2 * len(entries) for v in ("prohibited", "conditional", "allowed")), verdicts
    kinds = Counter(c["kind"] for c in entries)
    assert set(kinds) == set(data.KINDS), kinds
    orgs = {c["model"].split("/")[0].lower() for c in entries}
    assert len({c["model"].lower() for c in entries}) >= 40 and len(orgs) >= 15
    runnable, missing = data.devm_cases()
    assert not missing and len(runnable) == len(entries)


def test_devz_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devz (issue 11, fifth blind split, seventh session): external texts, model ids and built-in keys; ids unique
    against every other split; the issue's mix; rewordings (`of`) share their base case's subject and gold."""
    ids = _clause_ids()
    other = {c["id"] for s in ("dev", "test") for c in data.usecases(s)}
    other |= {c["id"] for s in ("devx", "devy", "devm") for c in data.blind_entries(s)}
    assert data.validate_blind("devz", set(ids), other) == []
    entries = data.blind_entries("devz")
    bases = [c for c in entries if not c.get("of")]
    assert len(bases) >= 80 and all(c["id"].startswith("dz") for c in entries)
    verdicts = Counter(c["verdict"] for c in bases)
    assert set(verdicts) == set(data.VERDICTS), verdicts
    assert all(verdicts[v] >= 0.2 * len(bases) for v in ("prohibited", "conditional", "allowed")), verdicts
    assert set(Counter(c["kind"] for c in bases)) == set(data.KINDS)
    groups = Counter(c["of"] for c in entries if c.get("of"))
    assert len(groups) >= 12 and set(groups.values()) == {2}


def test_validate_blind_wants_a_rewording_to_keep_its_base_question(monkeypatch):
    base = {"id": "dx1", "license": "mit", "use": "u", "verdict": "allowed", "kind": "direct", "note": "n"}
    rows = [base, dict(base, id="dx1b", of="dx1", use="v"), dict(base, id="dx1c", of="dx1", verdict="conditional"),
            dict(base, id="dx2b", of="dx9"), dict(base, id="dx3", of="dx1b")]
    monkeypatch.setattr(data, "devx_entries", lambda: [dict(r, _file="devx/x.yaml") for r in rows])
    assert data.validate_blind("devx", {"mit"}) == [
        "devx/x.yaml: dx1c: a rewording keeps its base case's verdict",
        "devx/x.yaml: dx2b: `of` names no base case of this split ('dx9')",
        "devx/x.yaml: dx3: `of` names no base case of this split ('dx1b')"]


def test_group_consistency_counts_groups_answered_alike():
    from evals.usecase_eval import group_consistency
    cases = [{"id": "a"}, {"id": "a2", "of": "a"}, {"id": "b"}, {"id": "b2", "of": "b"}, {"id": "c"}]
    assert group_consistency(cases, ["allowed", "allowed", "prohibited", "unclear", "allowed"]) == {
        "n": 2, "consistent": 1, "consistency": 0.5, "split": ["b"]}
    assert group_consistency(cases[:1], ["allowed"]) is None


def test_validate_blind_wants_exactly_one_subject_and_a_hub_id(monkeypatch):
    rows = [{"id": "dm1", "model": "meta-llama/Llama-3.1-8B", "license": "mit", "use": "u", "verdict": "allowed",
             "kind": "direct", "note": "n"},
            {"id": "dm2", "use": "u", "verdict": "allowed", "kind": "direct", "note": "n"},
            {"id": "dm3", "model": "llama-3.1-8b", "use": "u", "verdict": "allowed", "kind": "direct", "note": "n"},
            {"id": "dm4", "model": "google/gemma-2-9b-it", "use": "u", "verdict": "unclear", "kind": "region",
             "note": "n"}]
    monkeypatch.setattr(data, "devm_entries", lambda: [dict(r, _file="devm/x.yaml") for r in rows])
    assert data.validate_devm({"mit"}) == ["devm/x.yaml: dm1: needs exactly one of `license` and `model`",
                                           "devm/x.yaml: dm2: needs exactly one of `license` and `model`",
                                           "devm/x.yaml: dm3: a model is a Hugging Face id owner/name, not 'llama-3.1-8b'"]


@pytest.mark.skipif(not data.DEFAULT_EXTERNAL_TEXTS.is_dir(), reason="../shared/external is absent")
def test_devy_external_cases_resolve_under_shared():
    runnable, missing = data.devy_cases()
    assert not missing and len(runnable) == len(data.devy_entries())
    assert all(Path(c["_text_path"]).is_file() for c in runnable if "_text_path" in c)


def test_validate_devy_reports_ids_shared_with_other_splits_and_foreign_prefixes(monkeypatch):
    rows = [{"id": "dx001", "license": "mit", "use": "u", "verdict": "allowed", "kind": "direct", "note": "n"},
            {"id": "zz9", "license": "mit", "use": "u", "verdict": "allowed", "kind": "direct", "note": "n"},
            {"id": "dy001", "license": "mit", "use": "u", "verdict": "allowed", "kind": "region"}]
    monkeypatch.setattr(data, "devy_entries", lambda: [dict(r, _file="devy/x.yaml") for r in rows])
    problems = data.validate_devy({"mit"}, other_ids={"dx001"})
    assert problems == ["devy/x.yaml: dx001: missing or duplicate id", "devy/x.yaml: zz9: a devy id starts with 'dy'",
                        "devy/x.yaml: dy001: needs `note`"]
    with pytest.raises(ValueError):
        data.blind_entries("dev-none")


def test_load_split_reads_every_split_and_rejects_unknown(tmp_path):
    assert data.load_split("dev") and data.load_split("test") and data.load_split("paraphrase")
    assert data.load_split("external", tmp_path / "absent.jsonl") is None
    with pytest.raises(ValueError):
        data.load_split("holdout")


def test_external_cases_map_gold_accept_kind_and_text_paths(tmp_path):
    (tmp_path / "evals").mkdir()
    rows = [{"id": "x-1", "license": "mit", "use": "u1", "gold": "allowed", "kind": "direct"},
            {"id": "x-2", "license": "external:licenses/a/b.txt", "use": "u2", "gold": "unclear",
             "accept": ["conditional"], "kind": "definition"}]
    path = tmp_path / "evals" / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    cases = data.load_split("external", path)
    assert [c["verdict"] for c in cases] == ["allowed", "unclear"]
    assert cases[1]["accept"] == ["conditional"] and cases[1]["kind"] == "definition"
    assert "_text_path" not in cases[0]
    assert cases[1]["_text_path"] == str(tmp_path / "external" / "licenses" / "a" / "b.txt")


def test_retrieval_gold_ids_exist():
    ids = _clause_ids()
    every = set().union(*ids.values())
    queries = load_queries()
    assert len(queries) >= 40
    for q in queries:
        if q.get("license"):
            assert q["license"] in ids, q["id"]
        for gold in q["gold"]:
            assert gold in every, f"{q['id']}: {gold}"


def test_validate_catches_a_broken_reference():
    ids = _clause_ids()
    key = next(iter(data.annotations()))
    broken = dict(ids)
    broken[key] = set()
    problems = data.validate(broken)
    assert problems and any(key in p for p in problems)


@pytest.mark.parametrize("key", sorted(data.annotations()))
def test_annotation_terms_are_known(key):
    terms = taxonomy.load_taxonomy()
    for tid, t in data.annotations()[key]["terms"].items():
        assert tid in terms
        assert t["attitude"] in taxonomy.ATTITUDES


def test_a_malformed_external_line_is_a_one_line_error(tmp_path):
    from corpus.errors import ModeltermsError

    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "x-1", "license": "mit", "use": "u", "gold": "allowed"}\n{"id": "x-2", "use": "u"}\n',
                    encoding="utf-8")
    with pytest.raises(ModeltermsError, match=r"set.jsonl:2: not a case"):
        data.load_split("external", path)
    path.write_text('{"id": "x-1", "license": "mit", "use": "u", "gold": "fine"}\n', encoding="utf-8")
    with pytest.raises(ModeltermsError, match="gold 'fine'"):
        data.load_split("external", path)


def test_devx_paraphrases_cover_sixty_devx_cases_in_three_voices():
    """devx-paraphrase (issue 11, tunable): sound rows, >= 60 devx cases each in all three voices, every verdict,
    and a paraphrase says the use again rather than repeating it."""
    assert data.validate_devx_paraphrases() == []
    devx = {c["id"]: c for c in data.devx_entries()}
    by_case: dict[str, set] = {}
    for p in data.devx_paraphrase_entries():
        by_case.setdefault(p["of"], set()).add(p["voice"])
        assert " ".join(p["use"].lower().split()) != " ".join(devx[p["of"]]["use"].lower().split()), p
    full = [k for k, v in by_case.items() if v == set(data.VOICES)]
    assert len(full) >= 60
    assert {devx[k]["verdict"] for k in full} == set(data.VERDICTS)


def test_validate_devx_paraphrases_reports_bad_rows(monkeypatch):
    rows = [{"of": "dx-none", "voice": "shout", "use": " ", "_file": "devx-paraphrases/x.yaml"},
            {"of": "dx001", "voice": "actor", "use": "a", "_file": "devx-paraphrases/x.yaml"},
            {"of": "dx001", "voice": "actor", "use": "b", "_file": "devx-paraphrases/x.yaml"}]
    monkeypatch.setattr(data, "devx_paraphrase_entries", lambda: rows)
    problems = " | ".join(data.validate_devx_paraphrases())
    for bit in ("must name a devx case", "voice must be one of", "empty use", "duplicate paraphrase"):
        assert bit in problems


def test_devx_paraphrases_inherit_their_case_and_leave_out_with_it(tmp_path):
    """Without ../shared the paraphrases of external-text devx cases are left out, the built-in ones run with
    the devx case's license, gold and accept."""
    runnable, missing = data.devx_paraphrases(tmp_path / "no-external")
    devx = {c["id"]: c for c in data.devx_entries()}
    assert runnable and missing
    assert len(runnable) + len(missing) == len(data.devx_paraphrase_entries())
    for c in runnable:
        base = devx[c["of"]]
        assert c["id"] == f"{c['of']}~{c['voice']}" and c["_split"] == "devx-paraphrase"
        assert (c["license"], c["verdict"], c.get("accept") or []) == (base["license"], base["verdict"],
                                                                       base.get("accept") or [])
    assert data.load_split("devx-paraphrase", tmp_path / "evals" / "absent.jsonl") == runnable


@pytest.mark.skipif(not data.DEFAULT_EXTERNAL_TEXTS.is_dir(), reason="../shared/external is absent")
def test_devx_paraphrases_resolve_under_shared():
    runnable, missing = data.devx_paraphrases()
    assert not missing and len(runnable) == len(data.devx_paraphrase_entries())
    assert all(Path(c["_text_path"]).is_file() for c in runnable if "_text_path" in c)


def _assert_fresh_blind_split(split: str, earlier: tuple[str, ...]):
    """A blind split written like devz: ids unique against dev, test and the earlier blind splits; the issue's mix
    of verdicts and kinds, model ids and licence keys; 30+ groups of two rewordings sharing their base's subject and
    gold."""
    ids = _clause_ids()
    other = {c["id"] for s in ("dev", "test") for c in data.usecases(s)}
    other |= {c["id"] for s in earlier for c in data.blind_entries(s)}
    assert data.validate_blind(split, set(ids), other) == []
    entries = data.blind_entries(split)
    bases = [c for c in entries if not c.get("of")]
    assert len(bases) >= 150 and all(c["id"].startswith(data.BLIND_SPLITS[split]) for c in entries)
    assert {bool(c.get("model")) for c in bases} == {True, False}
    verdicts = Counter(c["verdict"] for c in bases)
    assert set(verdicts) == set(data.VERDICTS), verdicts
    assert all(verdicts[v] >= 0.2 * len(bases) for v in ("prohibited", "conditional", "allowed")), verdicts
    assert set(Counter(c["kind"] for c in bases)) == set(data.KINDS)
    groups = Counter(c["of"] for c in entries if c.get("of"))
    assert len(groups) >= 30 and set(groups.values()) == {2}
    by_id = {c["id"]: c for c in entries}
    for c in entries:
        if c.get("of"):
            base = by_id[c["of"]]
            assert c["verdict"] == base["verdict"], c["id"]
            assert (c.get("license"), c.get("model")) == (base.get("license"), base.get("model")), c["id"]


def test_devw_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devw (issue 11, sixth blind split, eighth session): written blind like devz and measured untuned before any
    tuning."""
    _assert_fresh_blind_split("devw", ("devx", "devy", "devm", "devz"))


def test_devv_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devv (issue 11, seventh blind split, ninth session): written blind like devw and measured untuned before any
    tuning."""
    _assert_fresh_blind_split("devv", ("devx", "devy", "devm", "devz", "devw"))


def test_devu_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devu (issue 11, eighth blind split, tenth session): written blind like devv and measured untuned before any
    tuning."""
    _assert_fresh_blind_split("devu", ("devx", "devy", "devm", "devz", "devw", "devv"))


def test_devt_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devt (issue 11, ninth blind split, eleventh session): written blind like devu and measured untuned before any
    tuning."""
    _assert_fresh_blind_split("devt", ("devx", "devy", "devm", "devz", "devw", "devv", "devu"))


def test_devs_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devs (issue 11, tenth blind split, twelfth session): written blind like devt and measured untuned before any
    tuning."""
    _assert_fresh_blind_split("devs", ("devx", "devy", "devm", "devz", "devw", "devv", "devu", "devt"))


def test_devr_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devr (issue 11, eleventh blind split, thirteenth session): written blind like devs and measured untuned before
    any tuning."""
    _assert_fresh_blind_split("devr", ("devx", "devy", "devm", "devz", "devw", "devv", "devu", "devt", "devs"))


def test_devq_split_is_valid_blind_mixed_with_paraphrase_groups():
    """devq (issue 11, twelfth blind split, fourteenth session): written blind like devr and measured untuned before
    any tuning."""
    _assert_fresh_blind_split("devq", ("devx", "devy", "devm", "devz", "devw", "devv", "devu", "devt", "devs", "devr"))
