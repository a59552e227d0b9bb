"""Uploaded files: confined to the UI's data folder, type/size/encoding checked, server paths hidden."""
import hashlib
import os
from pathlib import Path

from corpus.catalog import plain_name
from corpus.entry import LicenseEntry, guess_kind
from corpus.errors import ModeltermsError
from corpus.frontmatter import split_front_matter
from corpus.paths import path_problem
from corpus.textfile import read_text_file

from .services import Services

UPLOAD_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".pdf"]



def upload_limits(svc: Services) -> str:
    """The upload rules as the page states them before anything is uploaded."""
    mb = svc.settings.max_file_bytes / 1_000_000
    return f"{' '.join(UPLOAD_TYPES)}; at most {mb:g} MB; texts over 200 kB take minutes to read"


def upload_path(svc: Services, upload) -> Path:
    """The path of an uploaded file, which must lie under the UI's data folder; a one-line error otherwise."""
    if upload is None or upload == "" or upload == []:
        raise ModeltermsError("no file uploaded")
    if isinstance(upload, (list, tuple)):
        if len(upload) != 1:
            raise ModeltermsError("upload one file at a time")
        upload = upload[0]
    raw = upload.get("path") if isinstance(upload, dict) else getattr(upload, "path", None) or getattr(upload, "name", upload)
    if path_problem(str(raw)):  # a NUL byte, an over-long name: nothing Gradio would have stored
        raise ModeltermsError("that file was not uploaded here: only files uploaded through this page are read")
    try:
        path = Path(str(raw)).resolve()
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a path too long: not a file this page received
        raise ModeltermsError("that file was not uploaded here: only files uploaded through this page are read") from None
    root = svc.upload_root
    if root != path and root not in path.parents:
        raise ModeltermsError("that file was not uploaded here: only files uploaded through this page are read")
    if not path.is_file():
        raise ModeltermsError("the uploaded file is gone (uploads are kept for a day): upload it again")
    return path


def read_upload(svc: Services, upload) -> tuple[Path, str]:
    """(path, text) of an uploaded license or card: type, size, binary and encoding checked."""
    path = upload_path(svc, upload)
    suffix = path.suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise ModeltermsError(f"{path.name}: unsupported file type {suffix or '(none)'!r}; upload {', '.join(UPLOAD_TYPES)}")
    try:
        text = read_text_file(path, svc.settings.max_file_bytes)
    except ModeltermsError as e:
        # the message names the file, not the server's folder
        raise ModeltermsError(str(e).replace(str(path), path.name)) from None
    return path, text


def hide_server_paths(svc: Services, text: str, upload: Path | None = None) -> str:
    """A message for the page with the server's folders taken out: an upload is named by its file name."""
    if upload is not None:
        text = text.replace(str(upload), upload.name)
    for root in {str(svc.upload_root), str(svc.settings.home.resolve()), str(svc.settings.home)}:
        text = text.replace(root + os.sep, "").replace(root, "<data folder>")
    return text


def hide_json_paths(svc: Services, data, upload: Path | None = None):
    """`hide_server_paths` over every string of a JSON-like value (an exported result names no server folder)."""
    if isinstance(data, str):
        return hide_server_paths(svc, data, upload)
    if isinstance(data, dict):
        return {k: hide_json_paths(svc, v, upload) for k, v in data.items()}
    if isinstance(data, list):
        return [hide_json_paths(svc, v, upload) for v in data]
    return data


def is_card(text: str) -> bool:
    """A model card: YAML front matter that names a license or a base model."""
    if not text.lstrip("\ufeff").startswith("---"):
        return False
    try:
        meta, _ = split_front_matter(text)  # bounded: an alias bomb is refused, not expanded
    except ModeltermsError:
        return True  # it is meant as a card: reading it as one gives the user the reason it is refused
    return any(k in meta for k in ("license", "license_name", "base_model"))


def transient_license(svc: Services, path: Path, text: str) -> str:
    """An uploaded license text as an entry for this process only (never stored); its key is its hash,
    so two people's uploads of the same file name never meet."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    key = f"upload:{digest}"
    if not svc.corpus.exists(key):
        name = next((plain_name(ln) for ln in text.splitlines() if len(plain_name(ln)) >= 3), path.name)[:120]
        svc.corpus.add_transient(LicenseEntry(key=key, name=name, kind=guess_kind(name, text, path.name), text=text,
                                              source="file", family=key, origin_file=path.name))
    return key


def identify_note(svc: Services, text: str) -> str:
    try:
        ident = svc.identifier.identify(text, n=3)
    except ModeltermsError as e:
        return f"Identification unavailable: {e}"
    best = ident.best
    if best is None:
        return "This text matches no license of the corpus."
    if ident.unknown:
        return f"Closest corpus text: `{best.license}` ({best.name}), score {best.score:.2f} — not a match."
    return f"This text is `{best.license}` ({best.name}), score {best.score:.2f}."
