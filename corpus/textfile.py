"""Reads a user's license file (.txt, .md, .html, .pdf) into text, rejecting what is not a license text."""
from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import ModeltermsError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", "")


def read_text_file(path: Path, max_bytes: int) -> str:
    """The file's text; raises ModeltermsError with a one-line reason for anything unusable."""
    path = Path(path)
    if not path.exists():
        raise ModeltermsError(f"{path}: no such file")
    if path.is_dir():
        raise ModeltermsError(f"{path}: is a directory, not a file")
    size = path.stat().st_size
    if size == 0:
        raise ModeltermsError(f"{path}: file is empty")
    if size > max_bytes:
        raise ModeltermsError(f"{path}: file is too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.1f} MB)")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ModeltermsError(f"{path}: unsupported file type {suffix!r} (use .txt, .md, .html or .pdf)")
    data = path.read_bytes()
    return text_from_bytes(data, suffix, str(path))


def text_from_bytes(data: bytes, suffix: str, label: str) -> str:
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        text = _pdf_text(data, label)
    else:
        if b"\x00" in data[:8192]:
            raise ModeltermsError(f"{label}: looks like a binary file, not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ModeltermsError(
                f"{label}: not UTF-8 text (byte 0x{data[e.start]:02x} at offset {e.start}); convert it, e.g. iconv -f latin1 -t utf-8")
        if suffix in (".html", ".htm") or re.match(r"\s*<(!doctype html|html)", text[:200], re.I):
            text = _html_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\t\f")
    if controls > 0.01 * min(len(text), 20000) + 5:
        raise ModeltermsError(f"{label}: looks like a binary file, not text")
    if not re.search(r"[A-Za-z\u00C0-\uFFFF]{2,}", text):
        raise ModeltermsError(f"{label}: contains no readable text")
    return text


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    # Block elements become their own lines so clause markers stay at line starts.
    for tag in soup.find_all(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section", "article"]):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.split("\n")]
    out, blank = [], False
    for ln in lines:
        if ln:
            out.append(ln)
            blank = False
        elif not blank and out:
            out.append("")
            blank = True
    return "\n".join(out).strip() + "\n"


def _pdf_text(data: bytes, label: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise ModeltermsError(f"{label}: unreadable PDF ({e.__class__.__name__}: {str(e)[:80]})")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise ModeltermsError(f"{label}: the PDF has no extractable text (scanned image?)")
    return text
