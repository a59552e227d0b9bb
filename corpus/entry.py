"""A corpus entry: one license or policy text with its metadata."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("license", "aup")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]{1,99}$")


@dataclass(frozen=True)
class LicenseEntry:
    key: str
    name: str
    kind: str  # license | aup
    text: str
    source: str  # scancode | user
    owner: str | None = None
    category: str | None = None
    spdx: str | None = None
    date: str | None = None
    version: str | None = None
    family: str | None = None
    urls: tuple[str, ...] = ()
    note: str | None = None
    origin_file: str | None = None  # for user texts: the file it was added from
    content_hash: str = field(default="")
    # for fetched texts: where from (url, or repo + revision + path), when, sha256 (corpus/fetch.py)
    fetched: dict | None = field(default=None, compare=False, hash=False)

    def __post_init__(self):
        if not self.content_hash:
            object.__setattr__(self, "content_hash", text_hash(self.text))

    def meta(self) -> dict:
        """Metadata without the text, for listings and JSON output."""
        return {
            "key": self.key, "name": self.name, "kind": self.kind, "source": self.source,
            "owner": self.owner, "category": self.category, "spdx": self.spdx,
            "date": self.date, "version": self.version, "family": self.family,
            "urls": list(self.urls), "note": self.note, "origin_file": self.origin_file,
            "content_hash": self.content_hash, "chars": len(self.text), "fetched": self.fetched,
        }


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_MONTHS = "january february march april may june july august september october november december".split()


def guess_date(key: str, text: str) -> str | None:
    """A release or modification date from the key (llama-3.1-license-2024) or the text's own words."""
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})$", key) or re.search(r"(20\d{2})(\d{2})(\d{2})$", key)
    if m:
        return "-".join(m.groups())
    head = text[:3000]
    m = re.search(
        r"(?:release date|last modified|last updated|effective date|updated|dated?)\s*:?\s*"
        r"(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),?\s+(\d{4})", head, re.I)
    if m:
        month = _MONTHS.index(m.group(1).lower()) + 1
        return f"{m.group(3)}-{month:02d}-{int(m.group(2)):02d}"
    m = re.search(r"-(20\d{2})$", key)
    return m.group(1) if m else None


def guess_version(key: str, name: str) -> str | None:
    m = re.search(r"\b(?:version|v)\s*(\d+(?:\.\d+)*)", name, re.I) or re.search(r"-(\d+\.\d+(?:\.\d+)?)(?:-|$)", key)
    return m.group(1) if m else None


def guess_kind(name: str, text: str, filename: str = "") -> str:
    """`aup` for use policies, `license` otherwise; users can override with --kind.

    The file's name counts too: a short policy ("you agree to comply with all applicable law") often says
    what it is only in its file name (USAGE_POLICY.txt, use-policy.md)."""
    stem = re.sub(r"[_\-.]+", " ", Path(filename).stem) if filename else ""
    if re.search(r"\blicen[cs]e\b", name, re.I) and not _POLICY_WORDS.search(name):
        return "license"  # a text titled a license that mentions its use policy early is still a license
    probe = (name + "\n" + stem + "\n" + text[:400]).lower()
    if _POLICY_WORDS.search(probe) and "license agreement" not in probe:
        return "aup"
    return "license"


_POLICY_WORDS = re.compile(r"acceptable use|prohibited use polic|usage polic|use policy", re.I)
