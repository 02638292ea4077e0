"""The embed stage of a build: each chunk's vector from each encoder, reused from the previous index where
the chunk's note and text are unchanged, embedded otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import models, store
from .config import Settings
from .models import Embedder
from .types import Chunk

EMBED_SLICE = 32 * 128  # chunks embedded per call: whole batches, a few MB of vectors at a time
Key = tuple[str, str]  # (file, what was embedded)


@dataclass(frozen=True)
class Reusable:
    """Vectors of the previous index that a build can keep: the first encoder's and the second's, and the
    model that made them."""

    first: dict[Key, np.ndarray]
    second: dict[Key, np.ndarray]
    model_id: str | None


@dataclass(frozen=True)
class Embedded:
    """Every chunk's vectors: the first encoder's, the further encoders' by name, and how many were new."""

    vectors: np.ndarray
    extra: dict[str, np.ndarray]
    model_id: str
    count: int


def reusable(previous: store.StoredIndex | None, file_hashes: dict[str, str], second: str | None) -> Reusable:
    """What a build can take over from the previous index (nothing without one)."""
    return Reusable(
        _reusable_vectors(previous, file_hashes),
        _reusable_vectors(previous, file_hashes, second) if second else {},
        previous.manifest["model"] if previous else None,
    )


def embed_chunks(
    chunks: list[Chunk],
    reuse: Reusable,
    settings: Settings,
    embedder: Embedder | None,
    progress: Callable[[int, int], None] | None,
) -> Embedded:
    """Both encoders' vectors of every chunk; the models load only when a chunk needs embedding."""
    second = settings.second_model or None
    missing = [i for i, c in enumerate(chunks) if _key(c) not in reuse.first]
    missing_second = [i for i, c in enumerate(chunks) if _key(c) not in reuse.second] if second else []
    done, total = 0, len(missing) + len(missing_second)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    model_id = reuse.model_id or settings.model
    if missing:
        embedder = embedder or models.load_model(settings)
        model_id = embedder.model_id
    vectors = _vectors(chunks, embedder, missing, reuse.first, advance)
    extra: dict[str, np.ndarray] = {}
    if second:
        second_embedder = models.load_second_model(second) if missing_second else None
        extra[second] = _vectors(chunks, second_embedder, missing_second, reuse.second, advance)
    return Embedded(vectors, extra, model_id, max(len(missing), len(missing_second)))


def _key(chunk: Chunk) -> Key:
    return (chunk.file, chunk.embedded_text)  # the vectors depend on nothing else


def _vectors(
    chunks: list[Chunk],
    embedder: Embedder | None,
    missing: list[int],
    reusable: dict[Key, np.ndarray],
    advance: Callable[[int], None],
) -> np.ndarray:
    """One encoder's vectors of every chunk: the missing ones embedded, the others reused."""
    vectors = np.zeros((len(chunks), 0), dtype=np.float32)
    if missing and embedder is not None:
        # By length, so each batch of 32 holds texts of about one length: a batch is padded to its longest
        # text, and sorting embeds 2.3x faster (the vectors differ by < 1e-7). Longest first: growing
        # batches fragment memory (peak RSS 1.8 GB instead of 1.3 GB after 2,560 chunks). In slices written
        # into place, so the texts and vectors of 100k chunks are not held twice (~300 MB).
        by_length = sorted(missing, key=lambda i: len(chunks[i].embedded_text), reverse=True)
        for start in range(0, len(by_length), EMBED_SLICE):
            part = by_length[start : start + EMBED_SLICE]
            fresh = embedder.encode_passages([chunks[i].embedded_text for i in part], progress=advance)
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(chunks), fresh.shape[1]), dtype=np.float32)
            vectors[part] = fresh
    if reusable:
        dim = next(iter(reusable.values())).shape[0]
        if vectors.shape[1] == 0:
            vectors = np.zeros((len(chunks), dim), dtype=np.float32)
        for i, chunk in enumerate(chunks):
            if _key(chunk) in reusable:
                vectors[i] = reusable[_key(chunk)]
    return vectors


def _reusable_vectors(
    previous: store.StoredIndex | None, file_hashes: dict[str, str], model: str | None = None
) -> dict[Key, np.ndarray]:
    """Vectors of chunks from notes whose bytes did not change, keyed by what was embedded: the first
    encoder's, or those of the further encoder `model` (none when the previous index lacks it)."""
    if previous is None or (model is not None and model not in previous.extra_vectors):
        return {}
    unchanged = {p for p, h in previous.manifest["files"].items() if file_hashes.get(p) == h}
    vectors = store.stored_vectors(previous.vectors if model is None else previous.extra_vectors[model])
    return {_key(c): vectors[i] for i, c in enumerate(previous.chunks) if c.file in unchanged}
