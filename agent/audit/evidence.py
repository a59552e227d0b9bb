"""The repository's own texts, searched for what meets a duty: the card and the top-level text files
(NOTICE, LICENSE*, USE_POLICY…). Phrases are compared after normalising case, quotes, © and spacing,
so a notice copied with other quote marks or line breaks still counts."""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from corpus.errors import ModeltermsError
from corpus.modelrepo import TEXT_SUFFIXES, ModelRepo

from .result import Location
from .rules import rules

MAX_TEXT_BYTES = 2_000_000
SHINGLE = 8


def norm(text: str) -> str:
    text = text.lower().replace("©", " c ").replace("(c)", " c ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def shingles(text: str) -> set[int]:
    words = norm(text).split()
    return {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(max(len(words) - SHINGLE + 1, 1))}


@dataclass
class RepoText:
    path: str
    text: str
    line_offset: int = 0     # lines before `text` in the file (the card's front matter)
    is_card: bool = False
    _norm: str = field(default="", repr=False)
    _shingles: set[int] | None = field(default=None, repr=False)

    @property
    def normalized(self) -> str:
        if not self._norm:
            self._norm = norm(self.text)
        return self._norm

    @property
    def shingle_set(self) -> set[int]:
        if self._shingles is None:
            self._shingles = shingles(self.text)
        return self._shingles

    def locate(self, phrase: str) -> Location | None:
        """The first line where `phrase` (normalised) starts; None when the file does not contain it."""
        target = norm(phrase)
        if not target or target not in self.normalized:
            return None
        head = " ".join(target.split()[:6])
        for i, line in enumerate(self.text.splitlines(), 1):
            if head and head.split()[0] in norm(line) and _starts_here(self.text.splitlines()[i - 1:], head):
                return Location(self.path, i + self.line_offset, line.strip()[:200])
        return Location(self.path, None)


def _starts_here(lines: list[str], head: str) -> bool:
    return norm(" ".join(lines[:4])).find(head) >= 0


class RepoTexts:
    """The texts of a repository that can carry notices, licenses and policy references."""

    def __init__(self, repo: ModelRepo):
        self.repo = repo
        self.texts: list[RepoText] = []
        self.unreadable: list[str] = []
        if repo.card_path:
            full = repo.card_text
            offset = 0
            if repo.root is not None:
                try:
                    raw = (repo.root / repo.card_path).read_text(encoding="utf-8", errors="replace")
                    offset = raw[: max(raw.find(full[:200]) if full else -1, 0)].count("\n") if full.strip() else 0
                except OSError:
                    pass
            self.texts.append(RepoText(repo.card_path, full, offset, is_card=True))
        rx = rules()["evidence_files_re"]
        for f in repo.files:
            name = f.path.rsplit("/", 1)[-1]
            if f.path == repo.card_path or "/" in f.path or not rx.match(name):
                continue
            if Path(name).suffix.lower() not in TEXT_SUFFIXES or f.size > MAX_TEXT_BYTES:
                continue
            try:
                self.texts.append(RepoText(f.path, repo.read_text(f.path, MAX_TEXT_BYTES)))
            except ModeltermsError as e:
                self.unreadable.append(str(e))

    @property
    def card(self) -> RepoText | None:
        return next((t for t in self.texts if t.is_card), None)

    def files(self) -> list[RepoText]:
        return [t for t in self.texts if not t.is_card]

    def find(self, phrases: list[str], where: str = "all", skip: set[str] | frozenset = frozenset()) -> Location | None:
        """The first place a phrase appears; `skip` leaves out files (license copies quote the very notice
        and "Built with" line they require, so a copy does not meet them)."""
        pool = self.texts if where == "all" else [t for t in self.texts if t.is_card] if where == "card" else self.files()
        pool = [t for t in pool if t.path not in skip]
        for t in pool:
            for p in phrases:
                loc = t.locate(p)
                if loc is not None:
                    return loc
        return None

    def card_field_line(self, field_name: str) -> Location | None:
        """The line of a front-matter field in the card (`license:` …)."""
        if self.repo.root is None or not self.repo.card_path:
            return None
        try:
            lines = (self.repo.root / self.repo.card_path).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        for i, line in enumerate(lines[:400], 1):
            if re.match(rf"^{re.escape(field_name)}\s*:", line):
                return Location(self.repo.card_path, i, line.strip()[:200])
        return None
