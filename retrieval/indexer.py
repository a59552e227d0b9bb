"""Builds and updates the clause index, incrementally by content hash.

Order of work for each batch of licenses: delete the license's old vectors, upsert the
new ones, then commit its manifest row. Search trusts only the manifest, so a run killed
at any point leaves a usable index, and the next run re-does just the uncommitted licenses.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from corpus.catalog import Corpus
from corpus.entry import LicenseEntry
from corpus.datalock import data_lock
from corpus.settings import Settings

from . import lexical
from .clauses import SEGMENTER_VERSION, Clause, segment
from .embed import load_embedder
from .faults import fault
from .manifest import Manifest
from .store import ClauseStore, open_store
from .vector_cache import IndexSnapshot

# Licenses are embedded together until a batch holds this many clauses: bigger encode
# calls keep the model busy (sentence-transformers sorts each call by length).
_BATCH_CLAUSES = 256


@dataclass
class IndexReport:
    licenses_total: int = 0
    licenses_indexed: list[str] = field(default_factory=list)
    licenses_removed: list[str] = field(default_factory=list)
    clauses_embedded: int = 0
    clauses_total: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.clauses_embedded / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict:
        return {"licenses_total": self.licenses_total, "licenses_indexed": len(self.licenses_indexed),
                "licenses_removed": len(self.licenses_removed), "clauses_embedded": self.clauses_embedded,
                "clauses_total": self.clauses_total, "seconds": round(self.seconds, 3),
                "embed_seconds": round(self.embed_seconds, 3), "clauses_per_second": round(self.rate, 1)}

    def summary(self) -> str:
        if not self.licenses_indexed and not self.licenses_removed:
            return f"index up to date: {self.licenses_total} licenses, {self.clauses_total} clauses ({self.seconds:.1f} s)"
        parts = [f"indexed {len(self.licenses_indexed)} licenses ({self.clauses_embedded} clauses, {self.rate:.0f} clauses/s)"]
        if self.licenses_removed:
            parts.append(f"removed {len(self.licenses_removed)}")
        return (", ".join(parts) + f"; index holds {self.licenses_total} licenses, {self.clauses_total} clauses"
                f" in {self.seconds:.1f} s")


Progress = Callable[[int, int], None]  # (clauses done, clauses to do)


def open_manifest(settings: Settings, create: bool = True) -> Manifest:
    return Manifest(settings.index_dir / "manifest.sqlite", create=create)


def index_hash(entry: LicenseEntry, settings: Settings) -> str:
    """What the manifest keys a license by: its text and everything that decides its clauses."""
    return f"{entry.content_hash}:{SEGMENTER_VERSION}:{settings.max_clause_tokens}:{settings.clause_overlap_tokens}"


def clauses_for(entry: LicenseEntry, settings: Settings) -> list[Clause]:
    return segment(entry.key, entry.text, settings.max_clause_tokens, settings.clause_overlap_tokens)


def run_index(settings: Settings, corpus: Corpus, scope: str = "builtin", only: list[str] | None = None,
              progress: Progress | None = None, store: ClauseStore | None = None) -> IndexReport:
    t0 = time.perf_counter()
    report = IndexReport()
    store = store or open_store(settings, required=True)  # connects first: an unreachable server changes nothing
    with data_lock(settings.home):
        _run_index(settings, corpus, scope, only, progress, store, report)
    report.seconds = time.perf_counter() - t0
    return report


def _run_index(settings, corpus, scope, only, progress, store, report) -> None:
    manifest = open_manifest(settings)
    try:
        if store.count() < manifest.total_clauses():
            # The vectors were lost (a new server, a wiped folder): the manifest no longer describes them.
            manifest.reset()
        have = manifest.hashes()
        wanted = only if only is not None else corpus.keys(scope)
        entries = [corpus.get(k) for k in wanted]
        todo = [e for e in entries if have.get(e.key) != index_hash(e, settings)]
        if only is None:
            gone = [k for k in have if not corpus.exists(k)]
            for key in gone:
                store.delete_license(key)
                manifest.remove_license(key)
            report.licenses_removed = gone

        planned = [(e, clauses_for(e, settings)) for e in todo]
        total = sum(len(c) for _, c in planned)
        embedder = load_embedder(settings.embedding, settings.embed_batch_size) if planned else None
        done = 0
        if progress:
            progress(0, total)
        batch: list[tuple[LicenseEntry, list[Clause]]] = []
        for i, item in enumerate(planned):
            batch.append(item)
            if sum(len(c) for _, c in batch) >= _BATCH_CLAUSES or i == len(planned) - 1:
                t_embed = time.perf_counter()
                texts = [embedding_text(c) for _, cl in batch for c in cl]
                vectors = embedder.embed(texts) if texts else None
                report.embed_seconds += time.perf_counter() - t_embed
                offset = 0
                for entry, cl in batch:
                    fault(settings, "index.before-delete")
                    store.delete_license(entry.key)
                    if cl:
                        store.upsert([c.id for c in cl], vectors[offset:offset + len(cl)], [c.text for c in cl],
                                     [_metadata(entry, c, settings) for c in cl])
                    offset += len(cl)
                    fault(settings, "index.before-commit")
                    manifest.commit_license(entry.key, entry.name, entry.kind, entry.source, index_hash(entry, settings), cl)
                    report.licenses_indexed.append(entry.key)
                done += len(texts)
                report.clauses_embedded = done
                if progress:
                    progress(done, total)
                batch = []
        refresh_lexical(settings, manifest)
        report.licenses_total = len(manifest.hashes())
        report.clauses_total = manifest.total_clauses()
    finally:
        manifest.close()


def remove_from_index(settings: Settings, key: str, store: ClauseStore | None = None) -> bool:
    with data_lock(settings.home):  # waits for a running `index`, which could otherwise re-commit the key
        manifest = open_manifest(settings)
        try:
            if key not in manifest.hashes():
                return False
            (store or open_store(settings, required=True)).delete_license(key)
            IndexSnapshot(settings.index_dir, key).remove()
            manifest.remove_license(key)
            refresh_lexical(settings, manifest)
            return True
        finally:
            manifest.close()


def refresh_lexical(settings: Settings, manifest: Manifest) -> None:
    kinds = {row["key"]: row["kind"] for row in manifest.licenses()}
    lexical.load_or_build(settings.index_dir / "lexical.pkl", manifest.generation(), manifest.clauses, kinds)


def embedding_text(c: Clause) -> str:
    """The text a clause is embedded as (the index and every caller that embeds a clause itself)."""
    # The section breadcrumb gives short items ("(f) To defame...") the context they sit in.
    return f"{c.section}\n{c.text}" if c.section and c.section not in c.text else c.text


def _metadata(entry: LicenseEntry, c: Clause, settings: Settings) -> dict:
    return {"license": entry.key, "kind": entry.kind, "content_hash": index_hash(entry, settings),
            "section": c.section[:500], "start": c.start, "end": c.end}
