"""User-added license texts, kept under the data dir as <key>.txt + <key>.json.

Writes go to a temporary file and are renamed into place, so an interrupted `corpus add`
leaves either the old version or the new one, never half of each.
"""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import atomic_write
from .entry import LicenseEntry
from .errors import ModeltermsError
from .keys import is_valid_key, validate_key


class UserTexts:
    def __init__(self, root: Path):
        self.root = Path(root)

    def _paths(self, key: str) -> tuple[Path, Path]:
        validate_key(key)  # a key never names a path outside this folder
        return self.root / f"{key}.txt", self.root / f"{key}.json"

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.stem for p in self.root.glob("*.json")
                      if is_valid_key(p.stem) and (self.root / f"{p.stem}.txt").is_file())

    def get(self, key: str) -> LicenseEntry | None:
        text_path, meta_path = self._paths(key)
        if not (text_path.is_file() and meta_path.is_file()):
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
            if not isinstance(meta, dict):
                raise ValueError("metadata is not an object")
        except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise ModeltermsError(f"your text {key!r} is unreadable ({type(e).__name__}): "
                                  f"add it again with `modelterms corpus add FILE --key {key}`") from None
        return LicenseEntry(
            key=key, name=meta.get("name") or key, kind=meta.get("kind") or "license", text=text, source="user",
            owner=meta.get("owner"), date=meta.get("date"), version=meta.get("version"),
            family=meta.get("family"), urls=tuple(meta.get("urls") or ()), note=meta.get("note"),
            origin_file=meta.get("origin_file"), fetched=meta.get("fetched"),
        )

    def put(self, entry: LicenseEntry) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        text_path, meta_path = self._paths(entry.key)
        meta = {k: v for k, v in entry.meta().items() if k not in ("chars", "content_hash", "source")}
        # Text first, metadata last: an entry counts as present only once its .json exists.
        atomic_write(text_path, entry.text)
        atomic_write(meta_path, json.dumps(meta, indent=2, ensure_ascii=False))

    def remove(self, key: str) -> bool:
        text_path, meta_path = self._paths(key)
        found = meta_path.exists()
        meta_path.unlink(missing_ok=True)
        text_path.unlink(missing_ok=True)
        return found

