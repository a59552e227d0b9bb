"""Reads a user's license file (.txt, .md, .html, .pdf) into text, rejecting what is not a license text."""
from __future__ import annotations

import io
import re
from pathlib import Path

from .errors import ModeltermsError
from .paths import user_path

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", "")


def read_text_file(path: Path, max_bytes: int, suffixes: tuple[str, ...] | None = SUFFIXES) -> str:
    """The file's text; raises ModeltermsError with a one-line reason for anything unusable.
    `suffixes=None` accepts any file name (model cards are read as text whatever they are called)."""
    path = user_path(path)
    try:
        if not path.exists():
            raise ModeltermsError(f"{path}: no such file")
        if path.is_dir():
            raise ModeltermsError(f"{path}: is a directory, not a file")
        if not path.is_file():
            raise ModeltermsError(f"{path}: not a regular file")
        size = path.stat().st_size
        check_size(size, max_bytes, str(path))
        suffix = path.suffix.lower()
        if suffixes is not None and suffix not in suffixes:
            raise ModeltermsError(f"{path}: unsupported file type {suffix!r} (use .txt, .md, .html or .pdf)")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as e:
        raise ModeltermsError(f"{path}: cannot read it ({e.strerror or type(e).__name__})") from None
    check_size(len(data), max_bytes, str(path))
    return text_from_bytes(data, suffix, str(path))


def check_size(size: int, max_bytes: int, label: str, what: str = "file") -> None:
    """The size rule every text that enters obeys (files, cards, uploads, pastes, fetched texts)."""
    if size == 0:
        raise ModeltermsError(f"{label}: {what} is empty")
    if size > max_bytes:
        raise ModeltermsError(f"{label}: too large ({_mb(size)}; the limit is {_mb(max_bytes)})")


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def check_text(text: object, label: str, max_bytes: int) -> str:
    """A text that arrives as a string (a paste, a form field): the same size, binary and readability rules."""
    if not isinstance(text, str):
        raise ModeltermsError(f"{label}: must be text, not {type(text).__name__}")
    data = text.encode("utf-8", errors="surrogatepass")
    if not text.strip():
        raise ModeltermsError(f"{label}: empty text")
    check_size(len(data), max_bytes, label, what="text")
    return text_from_bytes(data, ".txt", label)


def text_from_bytes(data: bytes, suffix: str, label: str) -> str:
    """Bytes that claim to be a text, checked: binary content, encoding, control characters, some words."""
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
