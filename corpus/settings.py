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
from urllib.parse import urlparse

from corpus.errors import ModeltermsError

DEFAULT_EMBEDDING = "sentence-transformers:all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Settings:
    home: Path
    chroma_url: str | None = None
    embedding: str = DEFAULT_EMBEDDING
    llm: str | None = None
    # The LLM agent (agent/llm/backends.py): key for openai/openai-compatible endpoints (never printed),
    # per-request timeout, retries (with backoff, on 429/5xx/connection errors), an overall
    # deadline for one answer, the token budget for retrieved clauses, and the answer length.
    llm_api_key: str | None = dataclasses.field(default=None, repr=False)
    llm_timeout: float = 30.0
    llm_retries: int = 2
    llm_deadline: float = 120.0
    llm_context_tokens: int = 3000
    llm_max_tokens: int = 600
    # How clauses are scored for taxonomy terms: "rules" (patterns + exemplar similarity + context;
    # the default: best on license families it has not seen, see BENCHMARKS.md) or "classifier"
    # (the mean of the rules and a classifier trained on the annotations: more precise profiles).
    profile_method: str = "rules"
    # Clause splitting: MiniLM truncates at 256 word pieces, so a clause is kept a
    # little under that in tiktoken tokens; overlap keeps a sentence cut at a
    # boundary findable from both sides.
    max_clause_tokens: int = 200
    clause_overlap_tokens: int = 32
    # Licenses are at most a few hundred kB; anything far larger is not a license.
    max_file_bytes: int = 5_000_000
    embed_batch_size: int = 64
    # Seconds one request to a Chroma server may take (connect, each read) before it counts as silent.
    chroma_timeout: float = 10.0
    # Fault injection for the hardening tests (retrieval/faults.py); None in normal use.
    fault: str | None = None
    # Fetching texts (`corpus fetch`, `check --fetch`): nothing goes over the network unless the user
    # asks (a command, or MODELTERMS_FETCH=1). The Hub is reached through huggingface_hub at
    # hf_endpoint (HF_ENDPOINT), with hf_token (HF_TOKEN) for gated repos; hf_cache is the Hugging
    # Face cache (HF_HUB_CACHE, else HF_HOME/hub), read before anything is fetched.
    fetch: bool = False
    fetch_timeout: float = 20.0
    hf_endpoint: str = "https://huggingface.co"
    hf_token: str | None = dataclasses.field(default=None, repr=False)
    hf_cache: Path = Path("~/.cache/huggingface/hub").expanduser()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        env = os.environ if env is None else env
        home = overrides.pop("home", None) or env.get("MODELTERMS_HOME") or Path.home() / ".modelterms"
        values = {
            "home": Path(home).expanduser(),
            "chroma_url": env.get("MODELTERMS_CHROMA_URL") or None,
            "embedding": env.get("MODELTERMS_EMBEDDING") or DEFAULT_EMBEDDING,
            "llm": env.get("MODELTERMS_LLM") or None,
            "llm_api_key": env.get("MODELTERMS_LLM_API_KEY") or env.get("OPENAI_API_KEY") or None,
            "profile_method": env.get("MODELTERMS_PROFILE") or "rules",
            "fetch": _flag(env.get("MODELTERMS_FETCH"), "MODELTERMS_FETCH"),
            "hf_endpoint": (env.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/"),
            "hf_token": env.get("HF_TOKEN") or env.get("HUGGING_FACE_HUB_TOKEN") or None,
            "hf_cache": Path(env.get("HF_HUB_CACHE")
                             or Path(env.get("HF_HOME") or Path.home() / ".cache" / "huggingface") / "hub").expanduser(),
            "fault": env.get("MODELTERMS_FAULT") or None,
        }
        if values["profile_method"] not in ("rules", "classifier"):
            raise ModeltermsError(f"MODELTERMS_PROFILE={values['profile_method']!r}: use rules or classifier")
        for name, conv in (("chroma_timeout", float), ("llm_timeout", float), ("llm_retries", int), ("llm_deadline", float),
                           ("llm_context_tokens", int), ("llm_max_tokens", int), ("fetch_timeout", float)):
            raw = env.get("MODELTERMS_" + name.upper())
            if raw:
                try:
                    values[name] = conv(raw)
                except ValueError:
                    raise ModeltermsError(f"MODELTERMS_{name.upper()}={raw!r} is not a number")
        values.update({k: v for k, v in overrides.items() if v is not None})
        if values["chroma_url"]:
            values["chroma_url"] = check_chroma_url(values["chroma_url"])
        for name in ("chroma_timeout", "llm_timeout", "llm_deadline", "fetch_timeout"):
            if not 0 < values.get(name, 1.0) <= 86_400:
                raise ModeltermsError(f"MODELTERMS_{name.upper()}={values[name]!r}: use a number of seconds above 0")
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


def _flag(raw: str | None, name: str) -> bool:
    if raw is None or raw.strip() == "":
        return False
    if raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if raw.strip().lower() in ("0", "false", "no", "off"):
        return False

    raise ModeltermsError(f"{name}={raw!r}: use 1 or 0")


def check_chroma_url(url: str) -> str:
    """A Chroma server URL as http(s)://host[:port]; a one-line ModeltermsError otherwise (checked before
    anything is created for it, so a bad URL leaves no index folder behind)."""
    url = url.strip()
    shown = url if len(url) <= 80 else url[:79] + "…"
    if len(url) > 200:
        raise ModeltermsError(f"Chroma URL is too long ({len(url)} characters; the limit is 200)")
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError as e:
        raise ModeltermsError(f"invalid Chroma URL {shown!r} ({e}); use http://host:port") from None
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ModeltermsError(f"invalid Chroma URL {shown!r}: use http://host:port or https://host:port")
    if parsed.username or parsed.password or parsed.query or parsed.fragment or parsed.path not in ("", "/"):
        raise ModeltermsError(f"invalid Chroma URL {shown!r}: only scheme, host and port (http://host:port)")
    del port
    return url.rstrip("/")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
