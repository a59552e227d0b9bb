"""Reading the audit target: a local folder or card, a Hugging Face cache snapshot, or a Hub id.

Every failure is a `ModeltermsError` with one line that says what is wrong with the input; the
auditor turns it into the report's problem line (exit code 2), never a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from corpus import modelrepo
from corpus.errors import ModeltermsError
from corpus.modelrepo import ModelRepo, is_repo_id, open_cached, open_local

HubOpener = Callable[[str, str | None], ModelRepo]


def split_revision(target: str) -> tuple[str, str | None]:
    """ORG/NAME@REV → (ORG/NAME, REV)."""
    if "@" in target and is_repo_id(target):
        repo_id, rev = target.split("@", 1)
        return repo_id, rev or None
    return target, None


def default_hub_opener(settings) -> HubOpener | None:
    """The Hub reader of corpus.modelrepo (`open_hub`: huggingface_hub at settings.hf_endpoint, gated and
    missing repos as one-line errors), or None in a build without one."""
    open_hub = getattr(modelrepo, "open_hub", None)
    if open_hub is None:
        return None
    return lambda repo_id, rev: open_hub(repo_id, rev, settings)


def default_cache_dir(settings) -> Path | None:
    """The Hugging Face cache the settings name (settings.hf_cache), if this build's settings have one."""
    return getattr(settings, "hf_cache", None)


def open_target(target: str, cache_dir: Path | None = None, hub: HubOpener | None = None) -> ModelRepo:
    path = Path(target).expanduser()
    if path.exists():
        return open_local(path)
    repo_id, rev = split_revision(target)
    if not is_repo_id(repo_id):
        raise ModeltermsError(f"{target}: no such folder or model card, and not a Hub id (ORG/NAME[@REV])")
    if cache_dir is not None:
        cached = open_cached(repo_id, cache_dir, rev)
        if cached is not None:
            return cached
    if hub is None:
        raise ModeltermsError(f"{target}: not in the Hugging Face cache ({cache_dir}) and this build cannot "
                              "read the Hub; download it first or give a local folder")
    return hub(repo_id, rev)
