"""One settings object, built at the entry point (CLI, UI, eval) and passed down.

Library code never reads the environment: `Settings.from_env` takes the mapping as an
argument so that only entry points decide where values come from.
"""
from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

DEFAULT_EMBEDDING = "sentence-transformers:all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Settings:
    home: Path
    chroma_url: str | None = None
    embedding: str = DEFAULT_EMBEDDING
    llm: str | None = None
    # Clause splitting: MiniLM truncates at 256 word pieces, so a clause is kept a
    # little under that in tiktoken tokens; overlap keeps a sentence cut at a
    # boundary findable from both sides.
    max_clause_tokens: int = 200
    clause_overlap_tokens: int = 32
    # Licenses are at most a few hundred kB; anything far larger is not a license.
    max_file_bytes: int = 5_000_000
    embed_batch_size: int = 64

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        home = overrides.pop("home", None) or env.get("MODELTERMS_HOME") or Path.home() / ".modelterms"
        values = {
            "home": Path(home).expanduser(),
            "chroma_url": env.get("MODELTERMS_CHROMA_URL") or None,
            "embedding": env.get("MODELTERMS_EMBEDDING") or DEFAULT_EMBEDDING,
            "llm": env.get("MODELTERMS_LLM") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    # Where things live under the data dir.
    @property
    def user_corpus_dir(self) -> Path:
        return self.home / "corpus"

    @property
    def index_dir(self) -> Path:
        """One folder per (store location, embedding model): switching either never mixes vectors."""
        where = "embedded" if not self.chroma_url else "server-" + _slug(self.chroma_url)
        return self.home / "index" / f"{where}--{_slug(self.embedding)}"

    @property
    def chroma_path(self) -> Path:
        return self.index_dir / "chroma"

    @property
    def collection_name(self) -> str:
        return ("clauses-" + _slug(self.embedding))[:60]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
