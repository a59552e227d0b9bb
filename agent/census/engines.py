"""Engines that run the text path over the distinct-text set: a local process pool, or Ray Data.

Both take numbered chunks of distinct texts and hand back (chunk number, result columns) as chunks finish;
the pipeline writes each result as its part. Neither schedules anything itself: the pool is
`concurrent.futures`, the cluster is Ray Data (`map_batches` over actors, GPUs requested when the cluster
has them, so the embedding model batches on a GPU).
"""
from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Iterable, Iterator

from corpus.errors import ModeltermsError
from corpus.settings import Settings

from .texts import TextWorker, init_worker, run_chunk

Chunk = tuple[int, dict]
SMALL_SET = 256  # (chunk number, {"hash": [...], "kind": [...], "text": [...]})


class LocalEngine:
    name = "local"

    def __init__(self, settings: Settings, jobs: int, profile_unknown: bool = True):
        self.settings, self.jobs, self.profile_unknown = settings, max(1, jobs), profile_unknown

    def run(self, chunks: list[Chunk]) -> Iterator[Chunk]:
        if not chunks:
            return
        # A few hundred texts cost less than starting workers (each loads the LicenseDB index and, for an
        # unknown text, the embedding model): they run in this process.
        if self.jobs == 1 or len(chunks) == 1 or sum(len(b["hash"]) for _, b in chunks) < SMALL_SET:
            worker = TextWorker(self.settings, self.profile_unknown)
            for i, batch in chunks:
                yield i, worker(batch)
            return
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(chunks)), initializer=init_worker,
                                 initargs=(self.settings, self.profile_unknown)) as pool:
            futures = [pool.submit(run_chunk, c) for c in chunks]
            for f in as_completed(futures):
                yield f.result()

    def close(self) -> None:
        pass


class RayEngine:
    """Ray Data over the distinct-text set. `address`: "auto" joins a running cluster or starts a local one;
    anything else is a cluster address (ray://host:10001 or host:6379)."""
    name = "ray"

    def __init__(self, settings: Settings, address: str, jobs: int, profile_unknown: bool = True,
                 wave_texts: int = 4096):
        try:
            import ray
        except ImportError:
            raise ModeltermsError("--ray needs Ray: pip install 'modelterms[census]' (ray[data])")
        self.ray = ray
        self.settings, self.profile_unknown, self.wave_texts = settings, profile_unknown, wave_texts
        self._started = False
        if not ray.is_initialized():
            try:
                if address == "auto":
                    try:
                        ray.init(address="auto", include_dashboard=False, log_to_driver=False)
                    except ConnectionError:
                        ray.init(num_cpus=max(1, jobs), include_dashboard=False, log_to_driver=False)
                        self._started = True
                else:
                    ray.init(address=address, include_dashboard=False, log_to_driver=False)
            except Exception as e:  # noqa: BLE001 - any failure to reach the cluster is one line
                raise ModeltermsError(f"cannot start or reach the Ray cluster ({address}): {str(e).splitlines()[0][:200]}")
        logging.getLogger("ray.data").setLevel(logging.WARNING)  # per-operator INFO lines, every wave
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # the census draws its own bars; Ray Data's would interleave
        ctx.print_on_execution_start = False
        res = ray.cluster_resources()
        self.cpus = int(res.get("CPU", 1))
        self.gpus = int(res.get("GPU", 0))

    def run(self, chunks: list[Chunk]) -> Iterator[Chunk]:
        """Chunks go in waves; each wave is one Ray Data pipeline, and its results come back per chunk, so
        a killed run loses at most the wave in flight."""
        import pyarrow as pa

        ray = self.ray
        # A wave's actors load the LicenseDB index (and, for unknown texts, the embedding model) once: waves
        # are large enough to pay for that, and a few per worker so that a killed run keeps most of its work.
        size = max(1, max((len(b["hash"]) for _, b in chunks), default=1))
        per_wave = max(8, -(-self.wave_texts // size), 4 * (self.gpus or self.cpus))
        for w in range(0, len(chunks), per_wave):
            wave = chunks[w:w + per_wave]
            # one block per part, so that every actor gets parts to work on
            blocks = [pa.table({"chunk": [i] * len(batch["hash"]), "hash": batch["hash"], "kind": batch["kind"],
                                "text": batch["text"]}) for i, batch in wave]
            ds = ray.data.from_arrow(blocks)
            actors = max(1, min(self.gpus or self.cpus, len(wave)))
            size = max(len(b) for b in blocks)
            out = ds.map_batches(_RayTextWorker, fn_constructor_kwargs={"settings": self.settings,
                                                                         "profile_unknown": self.profile_unknown},
                                 batch_size=size, batch_format="pyarrow",
                                 concurrency=actors, num_gpus=1 if self.gpus else 0,
                                 num_cpus=1 if not self.gpus else 0.5)
            table = out.to_arrow_refs()
            result = pa.concat_tables(ray.get(table)) if table else None
            by_chunk: dict[int, dict] = {i: {c: [] for c in _OUT} for i, _ in wave}
            if result is not None:
                cols = result.to_pydict()
                for j, i in enumerate(cols["chunk"]):
                    for c in _OUT:
                        by_chunk[i][c].append(cols[c][j])
            for i, _ in wave:
                yield i, by_chunk[i]

    def close(self) -> None:
        if self._started:
            self.ray.shutdown()


_OUT = ("hash", "key", "score", "unknown", "family", "restrictions", "terms")


class _RayTextWorker:
    def __init__(self, settings: Settings, profile_unknown: bool):
        self.worker = TextWorker(settings, profile_unknown)

    def __call__(self, batch):
        cols = batch.to_pydict()
        out = self.worker({"hash": cols["hash"], "kind": cols["kind"], "text": cols["text"]})
        out["chunk"] = cols["chunk"]
        import pyarrow as pa

        return pa.table({k: out[k] for k in ("chunk", *_OUT)}, schema=_schema_with_chunk())


def _schema_with_chunk():
    import pyarrow as pa

    return pa.schema([("chunk", pa.int64()), ("hash", pa.string()), ("key", pa.string()), ("score", pa.float64()),
                      ("unknown", pa.bool_()), ("family", pa.string()), ("restrictions", pa.list_(pa.string())),
                      ("terms", pa.list_(pa.string()))])


def make_engine(settings: Settings, ray: str | None, jobs: int, profile_unknown: bool = True):
    return RayEngine(settings, ray, jobs, profile_unknown) if ray else LocalEngine(settings, jobs, profile_unknown)


def chunked(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    buf = []
    for r in rows:
        buf.append(r)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf
