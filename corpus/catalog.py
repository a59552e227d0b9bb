"""The corpus as one catalogue: built-in LicenseDB entries plus user-added texts."""
from __future__ import annotations

import difflib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from . import scancode
from .entry import KINDS, LicenseEntry, guess_date, guess_kind, guess_version
from .errors import ModeltermsError
from .keys import is_valid_key, key_problem, shown, validate_key
from .paths import user_path
from .settings import Settings
from .textfile import read_text_file
from .user import UserTexts
from .yamldata import read_yaml


@lru_cache(maxsize=1)
def builtin_spec() -> dict[str, dict]:
    """key -> overrides (family, kind, note) for the built-in set, from builtin.yaml."""
    data = read_yaml(resources.files("corpus").joinpath("builtin.yaml").read_text(encoding="utf-8"))
    spec = {}
    for group, items in data.items():
        for item in items:
            spec[item["key"]] = {**item, "group": group}
    return spec


class Corpus:
    """Looks entries up by key; built-in first, then the user's texts."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.user = UserTexts(settings.user_corpus_dir)
        self._cache: dict[str, LicenseEntry] = {}

    # --- listing -----------------------------------------------------------
    def builtin_keys(self) -> list[str]:
        return list(builtin_spec())

    def licensedb_keys(self) -> list[str]:
        return list(scancode.all_keys())

    def user_keys(self) -> list[str]:
        return self.user.keys()

    def keys(self, scope: str = "builtin") -> list[str]:
        """Keys in a scope: `builtin` (the curated set) or `all` (whole LicenseDB), plus user texts."""
        base = self.builtin_keys() if scope == "builtin" else self.licensedb_keys()
        return base + [k for k in self.user_keys() if k not in set(base)]

    def add_transient(self, entry: LicenseEntry) -> None:
        """An entry for this process only (a license file read from a model folder): analysed, never stored."""
        self._cache[entry.key] = entry

    def exists(self, key: str) -> bool:
        """Whether `key` names an entry; False (never an error) for anything that is not a valid key."""
        if isinstance(key, str) and key in self._cache:
            return True
        if not is_valid_key(key):
            return False
        return self.user.get(key) is not None or key in set(scancode.all_keys())

    # --- lookup ------------------------------------------------------------
    def get(self, key: str) -> LicenseEntry:
        if isinstance(key, str) and key in self._cache:
            return self._cache[key]
        validate_key(key)
        entry = self.user.get(key)
        if entry is None:
            if key not in set(scancode.all_keys()):
                raise ModeltermsError(self.unknown_key_message(key))
            entry = scancode.load(key, builtin_spec().get(key))
        self._cache[key] = entry
        return entry

    def unknown_key_message(self, key: str) -> str:
        problem = key_problem(key)
        if problem:
            return problem
        close = self.close_keys(key)
        hint = f"; did you mean: {', '.join(close)}" if close else "; `modelterms corpus list` shows the keys"
        return f"unknown license key {shown(key)}{hint}"

    def close_keys(self, key: str, n: int = 5) -> list[str]:
        pool = self.user_keys() + list(scancode.all_keys())
        close = difflib.get_close_matches(key.lower(), pool, n=n, cutoff=0.6)
        if len(close) < n:
            close += [k for k in pool if key.lower() in k and k not in close][: n - len(close)]
        return close

    # --- user texts --------------------------------------------------------
    def add_user_text(self, path: Path, key: str | None = None, name: str | None = None,
                      kind: str | None = None) -> tuple[LicenseEntry, str]:
        """Reads, validates and stores a user text. Returns (entry, 'added'|'replaced'|'unchanged')."""
        if key is not None:
            validate_key(key, "key")  # before the file is read
        text = read_text_file(user_path(path), self.settings.max_file_bytes)
        key = validate_key(key if key is not None else _key_from_filename(Path(path)), "key")
        if key in set(scancode.all_keys()):
            raise ModeltermsError(f"key {key!r} is a built-in LicenseDB key; choose another with --key")
        if kind is not None and kind not in KINDS:
            raise ModeltermsError(f"invalid kind {kind!r}: use license or aup")
        name = name or _title_from_text(text) or key
        entry = LicenseEntry(
            key=key, name=name, kind=kind or guess_kind(name, text, Path(path).name), text=text, source="user",
            date=guess_date(key, text), version=guess_version(key, name), family=f"user:{key}",
            origin_file=str(Path(path).resolve()),
        )
        old = self.user.get(key)
        status = "added" if old is None else ("unchanged" if old.content_hash == entry.content_hash
                                                and old.name == entry.name and old.kind == entry.kind else "replaced")
        if status != "unchanged":
            self.user.put(entry)
        self._cache.pop(key, None)
        return self.user.get(key), status

    def remove_user_text(self, key: str) -> None:
        validate_key(key)
        if key not in self.user_keys():
            if key in set(scancode.all_keys()):
                raise ModeltermsError(f"{key!r} is a built-in LicenseDB entry and cannot be removed")
            raise ModeltermsError(self.unknown_key_message(key))
        self.user.remove(key)
        self._cache.pop(key, None)


def _key_from_filename(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9._+-]+", "-", path.stem.lower()).strip("-._")[:100].strip("-._")
    return stem if len(stem) >= 2 else "user-license"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`|~~)")


def plain_name(name: str) -> str:
    """A name as plain words: markdown emphasis, code marks, links and heading marks taken out
    ("Llama 3.1** **Acceptable Use Policy" → "Llama 3.1 Acceptable Use Policy")."""
    name = _LINK.sub(r"\1", name)
    name = _EMPHASIS.sub(" ", name).strip().lstrip("#").strip(" _")
    return " ".join(name.split())


def _title_from_text(text: str) -> str | None:
    for line in text.splitlines():
        line = plain_name(line.strip().strip("#*_ ").strip())
        if len(line) >= 3:
            return line[:120]
    return None
