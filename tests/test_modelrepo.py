"""Model repositories read as the Hub writes them: local folders and the Hugging Face cache layout."""
import pytest

from corpus.errors import ModeltermsError
from corpus.modelrepo import cache_snapshot, is_repo_id, open_cached, open_local

CARD = """---
license: other
license_name: acme-model-license
license_link: LICENSE
base_model:
- org/base-7b
base_model_relation: finetune
tags: [text-generation]
extra_gated_prompt: You agree to the Acme use policy.
---
# Acme 7B chat
"""


def _repo(folder):
    folder.mkdir(parents=True)
    (folder / "README.md").write_text(CARD)
    (folder / "LICENSE").write_text("Acme Model License\n1. You may use the model.\n")
    (folder / "USE_POLICY.md").write_text("# Use policy\nYou may not use the model for spam.\n")
    (folder / "model.safetensors").write_bytes(b"\x00" * 64)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return folder


def test_local_folder_reads_card_fields_and_files(tmp_path):
    repo = open_local(_repo(tmp_path / "acme"))
    assert repo.source == "local" and repo.card_path == "README.md"
    assert repo.licenses == ["other"] and repo.license_name == "acme-model-license"
    assert repo.base_models == ["org/base-7b"] and repo.base_model_relation == "finetune"
    assert repo.gated == {"extra_gated_prompt": "You agree to the Acme use policy."}
    assert [f.path for f in repo.license_files()] == ["LICENSE", "USE_POLICY.md"]
    assert not any(f.path.startswith(".git") for f in repo.files)
    assert "spam" in repo.read_text("USE_POLICY.md", 100_000)


def test_read_text_is_confined_to_the_repo(tmp_path):
    repo = open_local(_repo(tmp_path / "acme"))
    (tmp_path / "secret.txt").write_text("secret\n")
    with pytest.raises(ModeltermsError, match="outside the repository"):
        repo.read_text("../secret.txt", 100_000)


def test_hf_cache_layout(tmp_path):
    cache = tmp_path / "hub"
    base = cache / "models--org--acme-7b"
    commit = "a" * 40
    snap = base / "snapshots" / commit
    blobs = base / "blobs"
    blobs.mkdir(parents=True)
    (blobs / "b1").write_text(CARD)
    snap.mkdir(parents=True)
    (snap / "README.md").symlink_to("../../blobs/b1")
    (base / "refs").mkdir()
    (base / "refs" / "main").write_text(commit)
    assert cache_snapshot("org/acme-7b", cache) == (snap, commit)
    repo = open_cached("org/acme-7b", cache)
    assert repo.source == "hf-cache" and repo.revision == commit and repo.license_name == "acme-model-license"
    assert open_cached("org/not-cached", cache) is None
    assert open_cached("../../etc", cache) is None


def test_repo_ids():
    assert is_repo_id("meta-llama/Llama-3.1-8B-Instruct") and is_repo_id("org/name@main")
    assert not is_repo_id("/abs/path") and not is_repo_id("../x") and not is_repo_id("just-a-name")
