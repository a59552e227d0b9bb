"""The UI's Audit tab handler with the real auditor: a card upload, a zipped repository, unsafe zips, paths."""
from __future__ import annotations

import io
import zipfile

import pytest

from corpus.errors import ModeltermsError
from ui.app import Services, ui_dir
from ui.web.audit_tab import run_audit

L31 = "meta-llama/Llama-3.1-8B-Instruct"


@pytest.fixture(scope="module")
def svc(indexed):
    return Services(indexed)


def uploaded(svc, name: str, data: bytes) -> str:
    folder = ui_dir(svc.settings) / "tab-test"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return str(folder / name)


def zipped(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_card_upload_gives_a_checklist_with_citations_and_fixes(svc):
    card = f"---\nlicense: apache-2.0\nbase_model: {L31}\n---\n# bot\n".encode()
    md, checklist = run_audit(svc, "upload", None, uploaded(svc, "README.md", card))
    assert "license conflict" in md and L31 in md
    assert "data-status='unmet'" in checklist and "llama-3.1-license-2024#1.b.iii" in checklist
    assert "fix:" in checklist and "Built with Llama" in checklist


def test_zipped_repository_with_a_top_folder(svc):
    lic = svc.corpus.get("llama-3.1-license-2024").text
    data = zipped({"Llama-3.1-zip/README.md": f"---\nlicense: llama3.1\nbase_model: {L31}\n---\n# z\n\nBuilt with Llama\n",
                   "Llama-3.1-zip/LICENSE": lic, "Llama-3.1-zip/model.safetensors": b"\0" * 10_000_000})
    md, checklist = run_audit(svc, "upload", None, uploaded(svc, "repo.zip", data))
    assert "met at <code>LICENSE:1</code>" in checklist
    assert "met at <code>README.md:7</code>" in checklist


@pytest.mark.parametrize("files,message", [({"../evil/README.md": "x"}, "unsafe path"), ({"/abs/README.md": "x"}, "unsafe path")])
def test_unsafe_zips_are_refused(svc, files, message):
    with pytest.raises(ModeltermsError, match=message):
        run_audit(svc, "upload", None, uploaded(svc, "bad.zip", zipped(files)))


def test_local_paths_only_on_loopback_and_bad_input_is_one_line(svc, tmp_path):
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n# x\n")
    svc.local_paths = False
    with pytest.raises(ModeltermsError, match="127.0.0.1"):
        run_audit(svc, "id", str(tmp_path), None)
    svc.local_paths = True
    md, _ = run_audit(svc, "id", str(tmp_path), None)
    assert "0 unmet" in md
    md, checklist = run_audit(svc, "id", "acme/nothing-here", None)
    assert md.startswith("**cannot audit") and checklist == ""
    with pytest.raises(ModeltermsError, match="upload a model card"):
        run_audit(svc, "upload", None, uploaded(svc, "weights.bin", b"\0\1"))


def test_an_uploaded_card_is_named_after_its_title(svc):
    card = f"---\nlicense: llama3.1\nbase_model: {L31}\n---\n# Llama-3.1-8B-Helper\n\nBuilt with Llama\n".encode()
    md, checklist = run_audit(svc, "upload", None, uploaded(svc, "README.md", card))
    assert "Llama-3.1-8B-Helper" in md
    assert "Derivative name carries the required prefix</b> — met" in checklist
