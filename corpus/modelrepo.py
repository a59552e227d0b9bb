"""A model repository as data: its card's metadata as the Hub writes it, and its files.

One reader for every place a repository can be: a local folder (or its README), a snapshot in the
Hugging Face cache (`models--ORG--NAME/snapshots/REV/`), and — through `huggingface_hub` — the Hub
itself (added by the fetch work). `check --card`, `models`, `audit` and the census all read repos
through this type, so card fields are interpreted in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ModeltermsError
from .frontmatter import split_front_matter
from .textfile import read_text_file

# Files that carry terms: the license, notices, use policies, terms of use.
LICENSE_FILE = re.compile(r"^(licen[cs]e|copying|notice|use[_-]?policy|acceptable[_-]?use|responsible[_-]?use|"
                          r"terms|model[_-]?licen[cs]e|llama\d*[_-]?licen[cs]e)", re.I)
TEXT_SUFFIXES = ("", ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".rst")
CARD_NAMES = ("README.md", "readme.md", "README.MD", "Readme.md")
MAX_CARD_BYTES = 2_000_000
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}$")


def is_repo_id(text: str) -> bool:
    """ORG/NAME as the Hub spells repo ids (a revision may follow after '@')."""
    return bool(_REPO_ID.match(text.split("@", 1)[0]))


@dataclass(frozen=True)
class RepoFile:
    path: str  # relative to the repo root, '/'-separated
    size: int


@dataclass
class ModelRepo:
    source: str                       # local | hf-cache | hub
    repo_id: str | None = None
    revision: str | None = None
    root: Path | None = None          # folder with the files (a local folder or a cache snapshot)
    card_path: str | None = None      # relative path of the card, e.g. README.md
    card_meta: dict = field(default_factory=dict)
    card_text: str = ""               # the card body, front matter removed
    files: tuple[RepoFile, ...] = ()  # every file (names and sizes; weights are never read)
    notes: list[str] = field(default_factory=list)

    # --- card metadata, read exactly as the Hub writes it ------------------------------------
    def _list(self, key: str) -> list[str]:
        v = self.card_meta.get(key)
        if v is None or v == "":
            return []
        items = v if isinstance(v, list) else [v]
        return [str(x).strip() for x in items if x is not None and str(x).strip()]

    @property
    def licenses(self) -> list[str]:
        return self._list("license")

    @property
    def license_name(self) -> str | None:
        names = self._list("license_name")
        return names[0] if names else None

    @property
    def license_link(self) -> str | None:
        links = self._list("license_link")
        return links[0] if links else None

    @property
    def base_models(self) -> list[str]:
        return self._list("base_model")

    @property
    def base_model_relation(self) -> str | None:
        rel = self._list("base_model_relation")
        return rel[0].lower() if rel else None

    @property
    def tags(self) -> list[str]:
        return self._list("tags")

    @property
    def datasets(self) -> list[str]:
        return self._list("datasets")

    @property
    def gated(self) -> dict:
        """The `extra_gated_*` fields (prompt, fields, heading…): terms a user accepts to download."""
        return {k: v for k, v in self.card_meta.items() if str(k).startswith("extra_gated")}

    @property
    def name(self) -> str:
        for key in ("model_name", "name"):
            if self.card_meta.get(key):
                return str(self.card_meta[key])
        if self.repo_id:
            return self.repo_id
        return self.root.name if self.root else "model"

    # --- files ------------------------------------------------------------------------------
    def license_files(self) -> list[RepoFile]:
        """Top-level files that carry terms (LICENSE, NOTICE, USE_POLICY.md, …), by name."""
        out = []
        for f in self.files:
            name = f.path.rsplit("/", 1)[-1]
            if "/" in f.path or not LICENSE_FILE.match(name):
                continue
            if Path(name).suffix.lower() in TEXT_SUFFIXES:
                out.append(f)
        return sorted(out, key=lambda f: f.path.lower())

    def has_file(self, pattern: str) -> bool:
        rx = re.compile(pattern, re.I)
        return any(rx.search(f.path) for f in self.files)

    def read_text(self, path: str, max_bytes: int) -> str:
        """A file's text, through the same size/encoding/binary checks as `corpus add`."""
        if self.root is None:
            raise ModeltermsError(f"{path}: this repository's files are not on disk")
        target = (self.root / path)
        # Confined to the repo: a card cannot make us read outside its own folder.
        if not _inside(target, self.root):
            raise ModeltermsError(f"{path}: outside the repository")
        return read_text_file(target, max_bytes)


def _inside(path: Path, root: Path) -> bool:
    try:
        # snapshots hold symlinks into ../../blobs: resolve the parent folder, not the link itself
        return path.parent.resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False


def _list_files(root: Path, limit: int = 20_000) -> tuple[RepoFile, ...]:
    out = []
    for p in sorted(root.rglob("*")):
        if len(out) >= limit:
            break
        rel = p.relative_to(root).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):  # .git, .cache, editor files
            continue
        try:
            if p.is_file():
                out.append(RepoFile(rel, p.stat().st_size))
        except OSError:
            continue
    return tuple(out)


def _read_card(root: Path, card: Path, repo: ModelRepo, label: str) -> None:
    size = card.stat().st_size
    if size > MAX_CARD_BYTES:
        raise ModeltermsError(f"{label}: model card is too large ({size / 1e6:.1f} MB; the limit is "
                              f"{MAX_CARD_BYTES / 1e6:.1f} MB)")
    text = read_text_file(card, MAX_CARD_BYTES) if size else ""
    repo.card_meta, repo.card_text = split_front_matter(text, label)
    repo.card_path = card.relative_to(root).as_posix() if _inside(card, root) else card.name


def open_local(path: Path) -> ModelRepo:
    """A repository on disk: a folder (its README.md is the card) or a card file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ModeltermsError(f"{path}: no such folder or model card")
    root = path if path.is_dir() else path.parent
    repo = ModelRepo(source="local", root=root, files=_list_files(root) if path.is_dir() else ())
    card = path if path.is_file() else next((root / n for n in CARD_NAMES if (root / n).is_file()), None)
    if path.is_file():
        repo.files = _list_files(root)
    if card is None:
        repo.notes.append(f"{root}: no README.md model card")
    else:
        _read_card(root, card, repo, str(card))
    return repo


def cache_snapshot(repo_id: str, cache_dir: Path, revision: str | None = None) -> tuple[Path, str] | None:
    """(snapshot folder, commit) of a model in the Hugging Face cache layout, or None."""
    if not is_repo_id(repo_id):
        return None
    base = Path(cache_dir) / ("models--" + repo_id.replace("/", "--"))
    if not base.is_dir():
        return None
    rev = revision or "main"
    ref = base / "refs" / rev
    commit = ref.read_text(encoding="utf-8").strip() if ref.is_file() else rev
    snap = base / "snapshots" / commit
    if snap.is_dir():
        return snap, commit
    if revision is None:
        # No 'main' ref (a download by commit): take the newest snapshot.
        snaps = sorted((p for p in (base / "snapshots").glob("*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
        if snaps:
            return snaps[-1], snaps[-1].name
    return None


def open_cached(repo_id: str, cache_dir: Path, revision: str | None = None) -> ModelRepo | None:
    """The repository as the Hugging Face cache holds it, or None when it is not cached."""
    found = cache_snapshot(repo_id, cache_dir, revision)
    if found is None:
        return None
    snap, commit = found
    repo = ModelRepo(source="hf-cache", repo_id=repo_id, revision=commit, root=snap, files=_list_files(snap))
    card = next((snap / n for n in CARD_NAMES if (snap / n).is_file()), None)
    if card is None:
        repo.notes.append(f"{repo_id}@{commit[:12]}: the cached snapshot has no README.md")
    else:
        _read_card(snap, card, repo, f"{repo_id} model card")
    return repo
