"""Stale and ghost entries of the index, found and repaired by the next command that reads it.

A user text replaced without its clauses being re-indexed (`corpus add --no-index` on an existing
key, a `corpus add` killed mid-index) is *stale*: the manifest's clauses are of the old version, so
a quote's offsets would not point into the stored text. An indexed user key whose text is gone is a
*ghost*. Both are cheap to find (user texts are few and hashed on read) and are repaired one key at
a time, never by re-indexing everything. Built-in texts only change with the installed package,
which `modelterms index` handles.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from corpus.catalog import Corpus
from corpus.datalock import data_lock
from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .indexer import index_hash, open_manifest, remove_from_index, run_index
from .manifest import Manifest


@dataclass
class Inconsistency:
    stale: list[str] = field(default_factory=list)
    ghosts: list[str] = field(default_factory=list)
    repaired: bool = False

    @property
    def keys(self) -> set[str]:
        return set(self.stale) | set(self.ghosts)

    def __bool__(self) -> bool:
        return bool(self.stale or self.ghosts)


def find(settings: Settings, corpus: Corpus, manifest: Manifest) -> Inconsistency:
    out = Inconsistency()
    user = set(corpus.user_keys())
    for row in manifest.licenses():
        if row["source"] != "user":
            continue
        key = row["key"]
        if key not in user:
            out.ghosts.append(key)
            continue
        try:
            entry = corpus.user.get(key)
        except ModeltermsError:
            entry = None
        if entry is None:
            out.ghosts.append(key)
        elif index_hash(entry, settings) != row["content_hash"]:
            out.stale.append(key)
    return out


def repair(settings: Settings, corpus: Corpus, store=None) -> Inconsistency:
    """Finds stale and ghost entries and repairs them when no other command holds the data folder's
    lock (one that does leaves the index consistent itself). The result says what was found and
    whether it was repaired; readers leave the keys of an unrepaired result out of their answers."""
    manifest = open_manifest(settings, create=False)
    try:
        found = find(settings, corpus, manifest)
    finally:
        manifest.close()
    if not found:
        return found
    with data_lock(settings.home, wait=False) as got:
        if not got:
            return found
        manifest = open_manifest(settings)
        try:
            found = find(settings, corpus, manifest)  # again, under the lock
        finally:
            manifest.close()
        for key in found.ghosts:
            remove_from_index(settings, key, store)
        if found.stale:
            run_index(settings, corpus, only=found.stale, store=store)
        found.repaired = True
    return found
