"""The model registry (corpus/models.yaml): consistent, names licenses as people write them, and agrees
with the public model → license tables (when ../shared is there)."""
from __future__ import annotations

import pytest

from agent.models import registry_lookup, hf_license_id, normalize_license_name, registry
from corpus import scancode
from corpus.entry import KEY_RE
from corpus.fetch import registry_texts


def test_every_model_names_a_known_license_id_and_every_text_a_source():
    reg = registry()
    ids = set(reg["hf_licenses"])
    for m in reg["models"]:
        assert m["license"] in ids, m
    db = set(scancode.all_keys())
    for hf_id, spec in reg["hf_licenses"].items():
        for key in spec.get("licenses", []) + spec.get("policies", []):
            assert key in db, (hf_id, key)
    for key, m in registry_texts().items():
        assert KEY_RE.match(key) and key not in db, key
        assert m.get("kind") in ("license", "aup"), key
        assert m.get("url", "").startswith("https://") or (m.get("repo") and m.get("file")), key


def test_aliases_are_unambiguous():
    seen: dict[str, str] = {}
    for hf_id, spec in registry()["hf_licenses"].items():
        for name in [hf_id, *(spec.get("aliases") or [])]:
            norm = normalize_license_name(str(name))
            assert seen.setdefault(norm, hf_id) == hf_id, f"{name!r} names both {seen[norm]} and {hf_id}"


@pytest.mark.parametrize("written,expected", [
    ("llama-2-community-license", "llama2"),            # HF's suggested license_name
    ("Llama 3.1 Community License Agreement", "llama3.1"),
    ("CC BY-NC 4.0 (model weights)", "cc-by-nc-4.0"),
    ("LLaMa License (model weights), GPLv3 (code)", "llama1"),
    ("Mistral Research License (MRL), Mistral Commercial License", "mrl"),
    ("BigCode Open RAIL-M v1.0", "bigcode-openrail-m"),
    ("Apache 2.0", "apache-2.0"),
    ("DeepSeek License Agreement", "deepseek"),
    ("some-license-nobody-knows", None),
])
def test_license_names_as_written(written, expected):
    assert hf_license_id(written) == expected


@pytest.mark.parametrize("model,expected", [
    ("meta-llama/Llama-3.2-11B-Vision-Instruct", "llama3.2"),
    ("meta-llama/Llama-Guard-3-1B", "llama3.2"),
    ("meta-llama/Llama-Guard-3-8B", "llama3.1"),
    ("google/shieldgemma-2b", "gemma"),
    ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "mit"),
    ("deepseek-ai/DeepSeek-V3", "deepseek"),
    ("Qwen/Qwen2.5-VL-3B-Instruct", "qwen-research"),
    ("Qwen/Qwen2.5-7B-Instruct", "apache-2.0"),
    ("mistralai/Codestral-22B-v0.1", "mnpl"),
    ("mistralai/Ministral-8B-Instruct-2410", "mrl"),
    ("mistralai/Mistral-Small-3.1-24B-Instruct-2503", "apache-2.0"),
    ("openai/gpt-oss-20b", "gpt-oss"),
    ("black-forest-labs/FLUX.1-Kontext-dev", "flux-1-dev-non-commercial-license"),
    ("black-forest-labs/FLUX.1-schnell", "apache-2.0"),
    ("databricks/dbrx-instruct", "databricks-open-model-license"),
    ("tencent/HunyuanVideo", "tencent-hunyuan-community"),
    ("Claude-2", None),  # a bare name matches no organisation-wide pattern
])
def test_model_ids(model, expected):
    entry = registry_lookup(model)
    assert (entry["license"] if entry else None) == expected


def test_llama_distills_carry_their_base_model():
    assert registry_lookup("deepseek-ai/DeepSeek-R1-Distill-Llama-70B")["base_model"] == "meta-llama/Llama-3.3-70B-Instruct"


def test_public_tables_resolve(tmp_path):
    from evals.bench_registry_tables import DEFAULT_TABLES, evaluate

    if not DEFAULT_TABLES.is_dir():
        pytest.skip("../shared/external/tables is not on this machine")
    r = evaluate(DEFAULT_TABLES)
    total = r["total"]
    assert total["models"] > 500
    assert total["right"] / total["models"] >= 0.95


def test_a_model_specific_policy_does_not_follow_its_license_everywhere(settings):
    from agent.models import policies_for_license
    from corpus.catalog import Corpus

    present, missing = policies_for_license("apache-2.0", Corpus(settings))
    assert present == [] and missing == []  # gpt-oss's usage policy is not every Apache model's
    present, missing = policies_for_license("llama-3.1-license-2024", Corpus(settings))
    assert [m.key for m in missing] == ["llama-3.1-aup"]
