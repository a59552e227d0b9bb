"""The vector store: Chroma, embedded (PersistentClient under the data dir) or a server.

This is the only module that imports chromadb.
"""
from __future__ import annotations

from urllib.parse import urlparse

import logging

import httpx
import numpy as np

from corpus.errors import ModeltermsError
from corpus.settings import Settings, check_chroma_url

_UPSERT_BATCH = 1000
log = logging.getLogger("modelterms.store")


class ClauseStore:
    def __init__(self, settings: Settings):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        self.where = settings.chroma_url or str(settings.chroma_path)
        self.timeout = settings.chroma_timeout
        try:
            if settings.chroma_url:
                self.where = check_chroma_url(settings.chroma_url)
                url = urlparse(self.where)
                # chromadb's own HTTP session has no timeout, and its client talks to the server while
                # it is built: a server that accepts connections but never answers would hang here.
                _probe(self.where, settings.chroma_timeout)
                self.client = chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                                  ssl=url.scheme == "https", settings=chroma_settings)
                session = getattr(getattr(self.client, "_server", None), "_session", None)
                if session is not None:  # every later request: a silent server is an error, not a hang
                    session.timeout = httpx.Timeout(settings.chroma_timeout)
                self.client.heartbeat()
            else:
                settings.chroma_path.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
            # Vectors are unit length, so cosine distance = 1 - dot product.
            self.collection = self.client.get_or_create_collection(
                settings.collection_name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        except ModeltermsError:
            raise
        except Exception as e:  # chromadb raises many types for "cannot connect"
            raise ModeltermsError(f"cannot use Chroma at {self.where}: {_short(e)}")

    def count(self) -> int:
        return self._call(self.collection.count)

    def upsert(self, ids: list[str], vectors: np.ndarray, documents: list[str], metadatas: list[dict]) -> None:
        for i in range(0, len(ids), _UPSERT_BATCH):
            sl = slice(i, i + _UPSERT_BATCH)
            self._call(self.collection.upsert, ids=ids[sl], embeddings=vectors[sl].tolist(),
                       documents=documents[sl], metadatas=metadatas[sl])

    def delete_license(self, key: str) -> None:
        self._call(self.collection.delete, where={"license": key})

    def license_ids(self, key: str) -> list[str]:
        return self._call(self.collection.get, where={"license": key}, include=[])["ids"]

    def vectors(self, ids: list[str], content_hash: str | None = None) -> dict[str, np.ndarray]:
        """Stored vectors by clause id (ids the store lacks are simply absent). With `content_hash`, only
        vectors embedded from that version of the text: a clause id is reused when a text is replaced."""
        if not ids:
            return {}
        res = self._call(self.collection.get, ids=ids, include=["embeddings", "metadatas"])
        return {cid: np.asarray(vec, dtype=np.float32)
                for cid, vec, meta in zip(res["ids"], res["embeddings"], res["metadatas"] or [{}] * len(res["ids"]))
                if content_hash is None or (meta or {}).get("content_hash") == content_hash}

    def query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[str, float, dict]]:
        """(clause id, cosine similarity, metadata), best first."""
        n = max(1, min(n, self.count()))
        res = self._call(self.collection.query, query_embeddings=[vector.tolist()], n_results=n,
                         where=where or None, include=["distances", "metadatas"])
        return [(cid, 1.0 - float(d), m) for cid, d, m in zip(res["ids"][0], res["distances"][0], res["metadatas"][0])]

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if isinstance(e, httpx.TimeoutException):
                raise ModeltermsError(f"the Chroma server at {self.where} stopped answering (no reply within "
                                      f"{self.timeout:g} s)") from None
            raise ModeltermsError(f"Chroma at {self.where} failed: {_short(e)}") from None


def open_store(settings: Settings, required: bool = False) -> ClauseStore | None:
    """The clause store, opened the one way every caller opens it. The error policy:

    - `required=False`, for readers to whom the index only saves work (profiles, checks, audits, drafts,
      the census): None when nothing has been indexed here yet (no manifest under `settings.index_dir`:
      chromadb is then not even imported), and None when the store cannot be opened (a Chroma server
      down or silent, an unreadable folder; logged). The caller then embeds the clauses it needs from
      the text, which gives the same vectors, so the answer is the same, only slower.
    - `required=True`, for writers and search, which cannot do without it: the store is opened (created
      if need be) before the caller writes anything, and any failure is a one-line ModeltermsError, so an
      unreachable server leaves the corpus and the index as they were.
    """
    if required:
        return ClauseStore(settings)
    if not (settings.index_dir / "manifest.sqlite").is_file():
        return None
    try:
        return ClauseStore(settings)
    except ModeltermsError as e:
        log.info("clause vectors are computed from the text: %s", e)
        return None


def _probe(url: str, timeout: float) -> None:
    """One bounded request to the server's heartbeat: unreachable and silent servers fail in `timeout` s."""
    try:
        httpx.get(url + "/api/v2/heartbeat", timeout=timeout)
    except httpx.TimeoutException:
        raise ModeltermsError(f"cannot use Chroma at {url}: the server did not answer within {timeout:g} s") from None
    except httpx.HTTPError as e:
        raise ModeltermsError(f"cannot use Chroma at {url}: the server is unreachable ({_short(e)})") from None


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else e.__class__.__name__
    return text[:200]
