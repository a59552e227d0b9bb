"""The census's work folder: stage outputs in numbered parts, each written atomically (corpus/atomic.py).

A part exists completely or not at all, so a killed run redoes only the parts that were not renamed into
place, and a part is never counted twice (its number is its identity). `meta.json` records what the work
belongs to (input fingerprint and options); work for another input or options is discarded, not mixed.
A run killed mid-write leaves its temporary file behind (a SIGKILL runs no cleanup); the next run on the
same folder sweeps those, since only a census writes them.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.atomic import SHARED, atomic_output, atomic_write


def atomic_write_table(table: pa.Table, path: Path) -> None:
    with atomic_output(path, SHARED) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def atomic_write_text(text: str, path: Path) -> None:
    atomic_write(path, text, SHARED)


def fingerprint(path: Path | None, options: dict) -> str:
    """Identity of a run's work: the input file (path, size, mtime) and the options that change results."""
    h = hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode())
    if path is not None:
        st = Path(path).stat()
        h.update(f"{Path(path).resolve()}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:20]


# What a census writes next to its work folder; atomic_output names its temporaries ".<name>.<random>.tmp".
OUTPUTS = ("repos.parquet", "texts.parquet", "decisions.parquet", "lineage.parquet", "report.md", "report.html",
           "census.json")


def _sweep_temporaries(work: Path, out: Path) -> None:
    leftovers = list(work.rglob(".*.tmp"))
    leftovers += [p for name in OUTPUTS for p in out.glob(f".{name}.*.tmp")]
    for p in leftovers:
        p.unlink(missing_ok=True)


class WorkDir:
    def __init__(self, out: Path, fp: str):
        self.root = Path(out) / ".work"
        meta = self.root / "meta.json"
        if meta.is_file():
            try:
                old = json.loads(meta.read_text(encoding="utf-8")).get("fingerprint")
            except (OSError, ValueError):
                old = None
            if old != fp:  # another input or other options: its parts are not ours
                shutil.rmtree(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        _sweep_temporaries(self.root, Path(out))
        if not meta.is_file():
            atomic_write_text(json.dumps({"fingerprint": fp}), meta)
        self.resumed = any(self.root.glob("*/part-*.parquet")) or (self.root / "repos.parquet").is_file()

    def stage(self, name: str) -> Path:
        d = self.root / name
        d.mkdir(parents=True, exist_ok=True)
        return d

    def part(self, stage: str, i: int) -> Path:
        return self.stage(stage) / f"part-{i:06d}.parquet"

    def done_parts(self, stage: str) -> set[int]:
        return {int(p.stem.split("-")[1]) for p in self.stage(stage).glob("part-*.parquet")}

    def file(self, name: str) -> Path:
        return self.root / name
