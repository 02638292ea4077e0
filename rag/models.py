"""The embedding models behind one seam: the first encoder (e5 by default, via sentence-transformers or
ONNX) and the second (USE), each loaded only when first needed."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import Settings
from .errors import ModelUnavailable


class Embedder(Protocol):
    """What the index needs of an embedding model (see rag.embed; tests use a small fake)."""

    model_id: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(
        self, texts: list[str], batch_size: int = 32, progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...


def load_model(settings: Settings, model: str | None = None) -> Embedder:
    """The configured embedding model (imports torch only when called)."""
    from .embed import load_embedder

    cache = Path(settings.cache_dir) if settings.cache_dir else None
    return load_embedder(model or settings.model, cache_dir=cache)


@lru_cache(maxsize=2)
def load_second_model(model: str) -> Embedder:
    """The second encoder (numpy only, loads in ~1 s; shared, it is thread-safe).

    Raises:
        ModelUnavailable: the model is unknown or its package is missing.
    """
    from .embed_use import USE_MODEL, UseEmbedder

    if model != USE_MODEL:
        raise ModelUnavailable(f'unknown second encoder {model!r}: the one known is {USE_MODEL}; or set it to ""')
    return UseEmbedder()
