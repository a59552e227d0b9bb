"""Reads ScanCode's LicenseDB data files straight from the installed package.

Only the data files are read (YAML front matter + verbatim text), so the package is
installed without its dependencies and nothing of it is imported.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import yaml

from .entry import LicenseEntry, guess_date, guess_kind, guess_version
from .errors import ModeltermsError


@lru_cache(maxsize=1)
def licenses_dir() -> Path:
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.origin:
        raise ModeltermsError("ScanCode's LicenseDB is not installed: run `make setup` (pip install --no-deps scancode-toolkit==32.5.0)")
    path = Path(spec.origin).parent / "data" / "licenses"
    if not path.is_dir():
        raise ModeltermsError(f"ScanCode's LicenseDB data folder is missing: {path}")
    return path


@lru_cache(maxsize=1)
def all_keys() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in licenses_dir().glob("*.LICENSE")))


def split_front_matter(raw: str) -> tuple[dict, str]:
    if not raw.startswith("---"):
        return {}, raw
    end = raw.find("\n---", 3)
    if end < 0:
        return {}, raw
    meta = yaml.safe_load(raw[3:end]) or {}
    body = raw[end + 4:]
    # The body starts after the closing '---' line; its leading newlines are layout, not text.
    return meta, body.lstrip("\n")


def load(key: str, overrides: dict | None = None) -> LicenseEntry:
    path = licenses_dir() / f"{key}.LICENSE"
    if not path.is_file():
        raise ModeltermsError(f"no LicenseDB entry {key!r}")
    meta, text = split_front_matter(path.read_text(encoding="utf-8"))
    overrides = overrides or {}
    name = meta.get("name") or meta.get("short_name") or key
    urls = [meta.get("homepage_url")] + list(meta.get("text_urls") or []) + list(meta.get("other_urls") or [])
    return LicenseEntry(
        key=key,
        name=name,
        kind=overrides.get("kind") or guess_kind(name, text),
        text=text,
        source="scancode",
        owner=meta.get("owner"),
        category=meta.get("category"),
        spdx=meta.get("spdx_license_key"),
        date=guess_date(key, text),
        version=guess_version(key, name),
        family=overrides.get("family"),
        urls=tuple(u for u in urls if u),
        note=overrides.get("note"),
    )
